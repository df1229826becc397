"""Loading aggregates for a command: a missing one is a 404, never a stack trace."""

from __future__ import annotations

from typing import TypeVar
from uuid import UUID

from eventsourcing.application import AggregateNotFoundError

from commands.pipeline import Deps
from domain.email_claims import EmailClaim, email_claim_id
from domain.errors import NotFound
from domain.identity import User

A = TypeVar("A")


def load(deps: Deps, cls: type[A], aggregate_id: UUID, what: str, *, read_only: bool = False) -> A:
    """read_only: the command never changes it, so it may share the cached object with others
    (adapters/events/aggregate_cache.py) instead of replaying it while a writer holds it."""
    try:
        aggregate = deps.store.read(aggregate_id) if read_only else deps.store.load(aggregate_id)
    except AggregateNotFoundError:
        raise NotFound(f"{what} {aggregate_id} not found") from None
    if not isinstance(aggregate, cls):
        raise NotFound(f"{what} {aggregate_id} not found")
    return aggregate


def find(deps: Deps, cls: type[A], aggregate_id: UUID, *, read_only: bool = False) -> A | None:
    try:
        aggregate = deps.store.read(aggregate_id) if read_only else deps.store.load(aggregate_id)
    except AggregateNotFoundError:
        return None
    return aggregate if isinstance(aggregate, cls) else None


def user_by_email(deps: Deps, email: str) -> User | None:
    claim = find(deps, EmailClaim, email_claim_id(email, deps.settings.resolved_identifier_key()))
    if claim is None or claim.user_id is None:
        return None
    return find(deps, User, claim.user_id)
