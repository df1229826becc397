"""What the category routes answer."""

from __future__ import annotations

from uuid import UUID

from pydantic import BaseModel

from api.platform.common_responses import Count, Recorded


class Category(BaseModel):
    category_id: UUID
    parent_id: UUID | None
    name: str
    depth: Count
    course_count: Count


class CategoryCreated(Recorded):
    category_id: UUID


class FollowedCategory(BaseModel):
    category_id: UUID
    name: str
    parent_id: UUID | None


class Following(Recorded):
    category_id: UUID
    following: bool
