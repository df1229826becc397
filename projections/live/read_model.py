"""The live read model with all its handlers registered (sessions and seats)."""

from projections.live import seats as _seats  # noqa: F401 - registers the seat handlers
from projections.live.sessions import live

__all__ = ["live"]
