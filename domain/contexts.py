"""Which bounded context each event belongs to, and the catalogue of every event class.

The one place that maps domain modules to contexts: Kafka topics, CloudEvents types and the
published JSON Schemas are all named after it.
"""

from __future__ import annotations

import importlib
import pkgutil
from functools import cache

import domain
from domain.event_conventions import Root

CONTEXTS = (
    "identity", "catalog", "classroom", "assessment", "certification", "community", "live",
    "personalization", "notification",
)
# Modules that are not named after their context. Every other module with events must be.
MODULE_CONTEXTS = {
    "categories": "catalog",
    "class_lessons": "classroom",
    "class_progress": "classroom",
    "enrolment": "catalog",  # enrolment in a course (class rosters are classroom)
    "class_assignment": "catalog",  # a course assigned to a class: who takes a course
    "media": "classroom",
    "question_bank": "assessment",
    "quizzes": "assessment",
    "attempts": "assessment",
    "gradebook": "certification",
    "course_assessments": "assessment",  # work marked outside quizzes, and its results
    "sessions": "identity",
    "email_claims": "identity",
    "creator_applications": "identity",
    "category_follows": "notification",
    "announcements": "notification",
    "dead_letters": "notification",
    "forum": "community",
    "forum_posts": "community",
    "forum_follows": "community",
    "ai": "personalization",  # lesson topics and question drafts (docs/ai_tools.md)
}
_NOT_CONTEXTS = {"event_conventions", "errors", "contexts"}


class UnknownContext(LookupError):
    pass


def context_of(event_class: type) -> str:
    """domain.identity -> identity; domain.categories -> catalog; domain.forum.threads -> community
    (a sub-package is named after its context, or mapped like a module)."""
    module = event_class.__module__.removeprefix("domain.").split(".")[0]
    context = MODULE_CONTEXTS.get(module, module)
    if context not in CONTEXTS:
        raise UnknownContext(
            f"{event_class.__module__} maps to no context; add it to MODULE_CONTEXTS in domain/contexts.py"
        )
    return context


def event_type(event_class: type) -> str:
    """The name an event type has outside the system, e.g. skillhub.identity.User.Registered."""
    return f"skillhub.{context_of(event_class)}.{event_class.__qualname__}"


def _is_concrete(event_class: type) -> bool:
    # eventsourcing re-creates every nested event class and gives each aggregate its own
    # Event/Created bases; real event types are the ones whose module defines apply().
    return any(
        "apply" in vars(k) for k in event_class.__mro__ if k.__module__ == event_class.__module__
    )


@cache
def event_classes() -> tuple[type, ...]:
    """Every concrete event class of every domain module, in a stable order."""
    found: dict[str, type] = {}
    for info in pkgutil.walk_packages(domain.__path__, "domain."):
        if info.name.removeprefix("domain.") in _NOT_CONTEXTS:
            continue
        module = importlib.import_module(info.name)
        for aggregate in vars(module).values():
            if not (isinstance(aggregate, type) and issubclass(aggregate, Root)
                    and aggregate.__module__ == module.__name__):
                continue
            for candidate in vars(aggregate).values():
                if isinstance(candidate, type) and issubclass(candidate, Root.Event) and _is_concrete(candidate):
                    found[event_type(candidate)] = candidate
    return tuple(found[name] for name in sorted(found))


def contexts_with_events() -> list[str]:
    return sorted({context_of(cls) for cls in event_classes()})
