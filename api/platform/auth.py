"""Request-scoped dependencies: the command dependencies and the calling Actor."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import Depends, Request, Response
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer

from commands.identity.sessions import authenticate
from commands.pipeline import ANONYMOUS, Actor, Deps, Done, execute

_bearer = HTTPBearer(auto_error=False, description="Access token from POST /api/v1/sessions")


def get_deps(request: Request) -> Deps:
    return request.app.state.deps


def get_actor(
    request: Request,
    deps: Annotated[Deps, Depends(get_deps)],
    credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(_bearer)],
) -> Actor:
    address = request.client.host if request.client else ""
    user_agent = request.headers.get("user-agent", "")[:300]
    if credentials is None:
        return Actor(address=address, user_agent=user_agent)
    if (checked := getattr(request.state, "actor", None)) is not None:
        return checked  # the idempotency middleware checked this request's token already
    return authenticate(deps, credentials.credentials, address, user_agent)


DepsDep = Annotated[Deps, Depends(get_deps)]
ActorDep = Annotated[Actor, Depends(get_actor)]


def run(handler: Any, cmd: Any, actor: Actor, deps: Deps, response: Response) -> dict[str, Any]:
    """Execute a command and shape its result: data plus the log position (also as a header)."""
    done: Done = execute(handler, cmd, actor, deps)
    response.headers["X-Log-Position"] = str(done.position)
    return {**done.data, "position": done.position}


__all__ = ["ANONYMOUS", "ActorDep", "DepsDep", "get_actor", "get_deps", "run"]
