"""Erasure: record it, free the e-mail address, then destroy the person's key.

The key goes in a second step, after User.Erased is committed: should that step not happen
(a crash, a lost connection), the identity projection destroys the key when it applies
User.Erased, and start-up (projections.identity.identity.finish_erasures) catches any left over.
"""

from __future__ import annotations

from uuid import UUID

from pydantic import BaseModel

from commands.forum.erasure import shred_attachments
from commands.loading import find, load
from commands.pipeline import Actor, Deps, Done, require_self_or_role
from domain.email_claims import EmailClaim, email_claim_id
from domain.identity import Role, Status, User


class ErasePerson(BaseModel):
    user_id: UUID


def erase_person(cmd: ErasePerson, actor: Actor, deps: Deps) -> Done:
    require_self_or_role(actor, cmd.user_id, [Role.ADMIN])
    user = load(deps, User, cmd.user_id, "user")
    position = 0
    if user.status != Status.ERASED:
        user.erase()
        claim = find(deps, EmailClaim, email_claim_id(user.email, deps.settings.resolved_identifier_key()))
        if claim is not None and claim.user_id == user.id:
            claim.release()
        position = deps.store.record(user, *([claim] if claim else []))
    # Last, and also on a retry after a crash: without the key the log keeps no readable trace.
    deps.keys.erase(cmd.user_id)
    shred_attachments(deps, cmd.user_id)  # the bytes of their forum attachments (not in the log)
    return Done(position)
