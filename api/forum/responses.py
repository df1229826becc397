"""What the forum's JSON routes answer: one model per shape, every field typed (the OpenAPI
document shows them; FastAPI checks each answer against its model)."""

from __future__ import annotations

from datetime import datetime
from typing import Any, Literal
from uuid import UUID

from pydantic import BaseModel, model_serializer


class Written(BaseModel):
    position: int  # the log position of the command's last event (read-your-writes)


class ForumCreated(Written):
    forum_id: UUID


class CategoryAdded(Written):
    category_id: UUID


class Suspended(Written):
    until: datetime


class ReportFiled(Written):
    report_id: UUID


class UnresolvedMention(BaseModel):
    name: str
    reason: Literal["unknown", "ambiguous"]  # nobody among the forum's readers, or several


class Mentioned(Written):
    mentioned_ids: list[UUID]  # people the @names in the text found (and told, once the post is visible)
    unresolved_mentions: list[UnresolvedMention]  # shown as plain text, nobody told


class PostWritten(Mentioned):
    post_id: UUID
    pending: bool  # waits for a moderator's approval


class ThreadStarted(PostWritten):
    thread_id: UUID


class Attachment(Written):
    media_id: UUID
    sha256: str
    size: int
    content_type: str
    kind: str
    already_uploaded: bool


class Category(BaseModel):
    category_id: UUID
    name: str


class ForumItem(BaseModel):
    forum_id: UUID
    scope: Literal["course", "class", "platform"]
    scope_id: UUID | None
    title: str
    description: str
    allow_anonymous: bool
    language: str
    created_at: datetime
    categories: list[Category]
    moderator: bool


class ForumList(BaseModel):
    items: list[ForumItem]


class Author(BaseModel):
    author_id: UUID | None  # None: anonymous to this reader
    author_name: str | None


class ThreadFields(Author):
    thread_id: UUID
    forum_id: UUID
    category_id: UUID | None
    kind: Literal["question", "discussion"]
    title: str
    tags: list[str]
    anonymous: bool
    status: str
    locked: bool
    pinned: bool
    accepted_post_id: UUID | None
    reply_count: int
    votes: int
    created_at: datetime
    last_activity_at: datetime
    opening_post_id: UUID


class ThreadSummary(ThreadFields):
    unread: bool


class ThreadPage(BaseModel):
    items: list[ThreadSummary]
    next_cursor: str | None


class Quote(BaseModel):
    post_id: UUID
    body_html: str


class LessonPreview(BaseModel):
    lesson_id: UUID
    title: str | None


class CoursePreview(BaseModel):
    kind: Literal["course"]
    course_id: UUID
    title: str | None
    summary: str | None
    lesson: LessonPreview | None = None  # only for readers who may open the course's lessons

    @model_serializer(mode="wrap")
    def _without_hidden_lesson(self, handler: Any) -> dict[str, Any]:
        shown = handler(self)
        if shown.get("lesson") is None:
            shown.pop("lesson", None)  # absent, not null: nothing tells there was a lesson
        return shown


class ClassLessonPreview(BaseModel):
    kind: Literal["class_lesson"]
    class_id: UUID
    lesson_id: UUID
    title: str


class PostView(Author):
    post_id: UUID
    parent_id: UUID | None
    depth: int
    is_opening: bool
    status: Literal["visible", "pending", "hidden", "deleted"]
    anonymous: bool
    votes: int
    endorsed: bool
    revisions: int
    created_at: datetime
    edited_at: datetime | None
    mentioned_ids: list[UUID]
    body_html: str | None  # None: hidden, for readers who do not moderate the forum
    unread: bool
    voted: bool
    quote: Quote | None
    link_previews: list[CoursePreview | ClassLessonPreview]


class PostPage(BaseModel):
    items: list[PostView]
    next_cursor: str | None


class ThreadView(ThreadFields):
    moderator: bool
    posts: PostPage


class MarkedRead(BaseModel):
    thread_id: UUID


class Revision(BaseModel):
    revision: int
    body_html: str
    written_at: datetime


class History(BaseModel):
    post_id: UUID
    revisions: list[Revision]


class QueueItem(BaseModel):
    kind: Literal["report", "pending"]
    item_id: UUID
    since: datetime
    reason: str | None
    reporter_id: UUID | None
    post_id: UUID
    thread_id: UUID
    forum_id: UUID
    author_id: UUID
    post_status: str
    body_html: str


class QueuePage(BaseModel):
    items: list[QueueItem]
    next_cursor: str | None


class Suspension(BaseModel):
    user_id: UUID
    until: datetime
    reason: str


class SuspensionList(BaseModel):
    items: list[Suspension]


class SearchHit(Author):
    post_id: UUID
    thread_id: UUID
    forum_id: UUID
    title: str
    kind: Literal["question", "discussion"]
    category_id: UUID | None
    tags: list[str]
    answered: bool
    is_opening: bool
    created_at: datetime
    votes: int
    endorsed: bool
    excerpt: str
    rank: float


class SearchPage(BaseModel):
    items: list[SearchHit]
    next_cursor: str | None
