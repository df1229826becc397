"""Every projection, registered in one place."""

from __future__ import annotations

from domain.errors import NotFound
from projections.engine import Projection
from projections.identity import identity

ALL: list[Projection] = [identity]


def by_name(name: str) -> Projection:
    for p in ALL:
        if p.name == name:
            return p
    raise NotFound(f"no projection named {name!r}; known: {', '.join(p.name for p in ALL)}")
