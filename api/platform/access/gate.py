"""The gate: an app-wide dependency that refuses, before the route runs, a caller whose roles the
access table (api/platform/access/table.py) does not admit for the operation: 401 without a
login, 403 without a role the line names. It reads the roles from the caller's checked token
(the session cache: no extra database round trip) and leaves the Actor on the request for the
route's own ActorDep. Relations (owner, member, ...) stay with the commands and queries.

FastAPI solves app-wide dependencies before it validates the route's parameters and body, so a
refused caller gets 401 or 403, never 422, whatever they send."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, FastAPI, Request
from fastapi.routing import APIRoute, iter_route_contexts
from fastapi.security import HTTPAuthorizationCredentials
from fastapi.security.utils import get_authorization_scheme_param

from api.platform.access.rules import Rule
from api.platform.access.table import POLICY
from api.platform.auth import get_actor, get_deps
from commands.pipeline import Deps
from domain.errors import Forbidden, Unauthenticated


def operations(app: FastAPI) -> dict[str, APIRoute]:
    """Every HTTP operation the app serves, as "METHOD /path"."""
    found: dict[str, APIRoute] = {}
    for context in iter_route_contexts(app.routes):
        route = context.original_route
        if isinstance(route, APIRoute):
            if context.path != route.path:  # the gate looks a route up by its own path
                raise RuntimeError(f"{route.path} is mounted under a prefix: the access gate cannot see it")
            found.update({f"{method} {route.path}": route for method in route.methods})
    return found


def check_covers(app: FastAPI) -> None:
    """At start-up: an operation without a line in the table stops the app."""
    missing = sorted(set(operations(app)) - set(POLICY))
    if missing:
        lines = "\n".join(f'    "{key}": signed_in(),  # FIXME: who may call it?' for key in missing)
        raise RuntimeError(f"operations without an access rule in api/platform/access/table.py:\n{lines}")


def rule_of(request: Request) -> Rule:
    route = request.scope["route"]
    return POLICY[f"{request.method} {route.path}"]


def _credentials(request: Request) -> HTTPAuthorizationCredentials | None:
    # As HTTPBearer reads them; not a security dependency here, or every operation of
    # /openapi.json would say it needs a token, the public ones too.
    scheme, token = get_authorization_scheme_param(request.headers.get("Authorization"))
    if scheme.lower() != "bearer" or not token:
        return None
    return HTTPAuthorizationCredentials(scheme=scheme, credentials=token)


def admit(request: Request, deps: Annotated[Deps, Depends(get_deps)]) -> None:
    rule = rule_of(request)
    if rule.public:
        return  # a public route checks a token it is given itself (or ignores it)
    actor = get_actor(request, deps, _credentials(request))
    if actor.user_id is None:
        raise Unauthenticated("log in first")
    if not rule.admits_role(actor.roles):
        raise Forbidden(f"requires one of the roles: {', '.join(sorted(rule.gate))}")  # as require_role says it
    request.state.actor = actor  # the route's ActorDep takes it from here
