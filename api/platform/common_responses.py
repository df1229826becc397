"""Response shapes many contexts share: a command's receipt and a keyset page."""

from __future__ import annotations

from typing import Generic, TypeVar

from pydantic import BaseModel, Field

Item = TypeVar("Item")


class Recorded(BaseModel):
    """What every command answers; routes extend it with what the caller needs next."""

    position: int = Field(description="log position of the last event written (0: nothing recorded);"
                          " also the X-Log-Position header, for min_position on later reads")


class Page(BaseModel, Generic[Item]):
    items: list[Item]
    next_cursor: str | None = Field(description="pass as `cursor` for the next page; null on the last one")
