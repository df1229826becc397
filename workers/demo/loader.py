"""A small demo: an admin, staff, students. Safe to load twice."""

from __future__ import annotations

import logging
from collections.abc import Callable
from uuid import UUID

from adapters.infrastructure import Infrastructure
from commands.identity import accounts, roles
from commands.loading import user_by_email
from commands.pipeline import ANONYMOUS, SYSTEM, deps_for, execute
from domain.identity import Role
from workers.demo.assessment import load_demo_assessment
from workers.demo.catalog import load_demo_catalog
from workers.demo.classroom import load_demo_class
from workers.progress import Progress

log = logging.getLogger(__name__)

DEMO_PASSWORD = "skillhub-demo-1"
PEOPLE = [
    ("admin@demo.skillhub.example.com", "Ada Admin", [Role.ADMIN]),
    ("teacher@demo.skillhub.example.com", "Tom Teacher", [Role.TEACHER]),
    ("creator@demo.skillhub.example.com", "Cora Creator", [Role.CREATOR]),
    ("moderator@demo.skillhub.example.com", "Mo Moderator", [Role.MODERATOR]),
    ("auditor@demo.skillhub.example.com", "Aud Auditor", [Role.AUDITOR]),
    ("alice@demo.skillhub.example.com", "Alice Student", []),
    ("bob@demo.skillhub.example.com", "Bob Student", []),
    ("carol@demo.skillhub.example.com", "Carol Student", []),
]


def create_person(infra: Infrastructure, email: str, password: str, name: str, extra_roles: list[Role]) -> UUID:
    deps = deps_for(infra)
    cmd = accounts.RegisterUser(email=email, password=password, display_name=name)
    user_id = execute(accounts.register_user, cmd, ANONYMOUS, deps).data["user_id"]
    for role in extra_roles:
        execute(roles.grant_role, roles.ChangeRole(user_id=user_id, role=role), SYSTEM, deps)
    return user_id


def load_demo(infra: Infrastructure, progress: Progress | None = None) -> list[str]:
    """`progress(step, steps)` after each step."""
    deps = deps_for(infra)
    created = []
    steps = len(PEOPLE) + 3
    step = _stepper(progress or (lambda done, total: None), steps)
    for email, name, extra_roles in PEOPLE:
        if user_by_email(deps, email) is None:
            create_person(infra, email, DEMO_PASSWORD, name, extra_roles)
            created.append(email)
        step()
    log.info("demo: %d new people (password for all: %s)", len(created), DEMO_PASSWORD)
    if load_demo_class(deps):
        log.info("demo: a class of %s with lessons, media and its students", "teacher@demo.skillhub.example.com")
    step()
    if published := load_demo_catalog(deps):
        log.info("demo: %d published courses in categories", published)
    step()
    if load_demo_assessment(deps):
        log.info("demo: a question bank and two published quizzes for the demo class, and Alice's attempt")
    step()
    return created


def _stepper(progress: Progress, steps: int) -> Callable[[], None]:
    done = [0]

    def step() -> None:
        done[0] += 1
        progress(done[0], steps)

    return step
