"""Steps the demo loaders share. `skillhub demo load` runs without the projection workers, so a
loader that looks at a read model (to find what an earlier, maybe interrupted, load made) first
brings it up to date itself."""

from __future__ import annotations

from uuid import UUID

from commands.classroom import media
from commands.pipeline import Actor, Deps, execute
from projections.engine.engine import Projection, apply_batch


def catch_up(deps: Deps, *projections: Projection) -> None:
    for projection in projections:
        while True:
            _, position, head = apply_batch(deps.pool, deps.store, projection, 500)
            if position >= head:
                break


def upload(deps: Deps, person: Actor, data: bytes, filename: str) -> UUID:
    """The same person and bytes give the same media id, so uploading again is harmless."""
    receiver = media.Receiver(deps, len(data))
    with receiver.spool:
        receiver.accept(data)
        return execute(media.record_upload, receiver.finish(filename), person, deps).data["media_id"]
