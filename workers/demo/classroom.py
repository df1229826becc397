"""The demo teacher's class: the demo students enrolled, lessons (one scheduled for next week)
with a small picture, a video and a sound made in code. Loaded item by item: loading again
makes only what is missing (after an interrupted load, say) and changes nothing else."""

from __future__ import annotations

import struct
import zlib
from datetime import timedelta
from uuid import UUID

from commands.classroom import class_lessons, classroom
from commands.loading import find, user_by_email
from commands.pipeline import Actor, Deps, execute
from domain.class_lessons import ClassLesson
from domain.classroom import SchoolClass
from projections.classroom.class_lessons import (
    class_lessons as class_lessons_projection,
)
from projections.classroom.class_lessons_queries import lessons_of_class
from projections.classroom.classroom import classroom as classroom_projection
from projections.classroom.queries import classes_of
from workers.demo.media import demo_sound, demo_video
from workers.demo.steps import catch_up, upload

TEACHER = "teacher@demo.skillhub.example.com"
STUDENTS = ["alice@demo.skillhub.example.com", "bob@demo.skillhub.example.com", "carol@demo.skillhub.example.com"]
CLASS_NAME = "Demo class: Fractions"
# title, Markdown body, files (by name in the `files` of load_demo_class); the last is scheduled.
LESSONS = [
    ("What is a fraction?",
     "A **fraction** names parts of a whole: the picture shows 1/4 of a pie, and the video fills"
     " the picture bit by bit (seek it to see how far it got).\n\n- 1/2: one of two equal parts",
     ["picture", "video"]),
    ("Adding fractions", "Find a common denominator first:\n\n```\n1/2 + 1/3 = 3/6 + 2/6 = 5/6\n```\n\n"
     "Listen: a scale of twelve notes, one a second.", ["sound"]),
    ("Quiz preparation", "Scheduled: students see this lesson from next week on.", []),
]


def pie_png(size: int = 48) -> bytes:
    """A small PNG: a quarter of a disc in orange on white (a 'fraction' of a pie)."""
    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    def pixel(x: int, y: int) -> bytes:
        inside = x * x + y * y <= size * size
        return b"\xf0\x8a\x24" if inside else b"\xff\xff\xff"

    rows = b"".join(b"\x00" + b"".join(pixel(x, y) for x in range(size)) for y in range(size))
    header = struct.pack(">IIBBBBB", size, size, 8, 2, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(rows)) + chunk(b"IEND", b"")


def _the_class(deps: Deps, teacher: Actor) -> tuple[UUID, bool]:
    catch_up(deps, classroom_projection)
    mine = classes_of(deps.pool, teacher.user_id, limit=200, cursor=None)["items"]
    found = next((c["class_id"] for c in mine if c["name"] == CLASS_NAME and c["role"] == "teacher"), None)
    if found is not None:
        return found, False
    opened = execute(classroom.open_class, classroom.OpenClass(
        name=CLASS_NAME, description="Parts of a whole, step by step.", term="Demo term"), teacher, deps)
    return opened.data["class_id"], True


def _lesson(deps: Deps, teacher: Actor, class_id: UUID, existing: dict[str, UUID], index: int,
            files: dict[str, UUID]) -> bool:
    """The lesson as listed, with its files, published (the last one scheduled); True if anything changed."""
    title, body, names = LESSONS[index]
    media_ids = [files[n] for n in names]
    changed = False
    if title in existing:
        lesson = find(deps, ClassLesson, existing[title])
        missing = [m for m in media_ids if m not in lesson.media_ids]
        if missing:
            execute(class_lessons.edit_lesson, class_lessons.EditLesson(
                class_id=class_id, lesson_id=lesson.id, media_ids=lesson.media_ids + missing), teacher, deps)
            changed = True
    else:
        cmd = class_lessons.CreateLesson(class_id=class_id, title=title, body=body, media_ids=media_ids)
        lesson_id = execute(class_lessons.create_lesson, cmd, teacher, deps).data["lesson_id"]
        lesson, changed = find(deps, ClassLesson, lesson_id), True
    if lesson.publish_at is None:
        publish_at = deps.clock() + timedelta(days=7) if index == len(LESSONS) - 1 else None
        execute(class_lessons.publish_lesson, class_lessons.PublishLesson(
            class_id=class_id, lesson_id=lesson.id, publish_at=publish_at), teacher, deps)
        changed = True
    return changed


def load_demo_class(deps: Deps) -> bool:
    """Returns whether anything was added now."""
    user = user_by_email(deps, TEACHER)
    if user is None:
        return False
    teacher = Actor(user_id=user.id, roles=frozenset(user.roles))
    class_id, changed = _the_class(deps, teacher)
    school_class = find(deps, SchoolClass, class_id)
    for email in STUDENTS:
        student = user_by_email(deps, email)
        if student is not None and student.id not in school_class.students | school_class.removed:
            execute(classroom.invite_student, classroom.InviteStudent(class_id=class_id, user_id=student.id), teacher, deps)
            changed = True
    files = {"picture": upload(deps, teacher, pie_png(), "quarter-pie.png"),
             "video": upload(deps, teacher, demo_video(), "filling-the-picture.mp4"),
             "sound": upload(deps, teacher, demo_sound(), "a-scale.wav")}
    catch_up(deps, class_lessons_projection)
    existing = {row["title"]: row["lesson_id"]
                for row in lessons_of_class(deps.pool, class_id, deps.clock(), only_visible=False)}
    for index in range(len(LESSONS)):
        changed = _lesson(deps, teacher, class_id, existing, index, files) or changed
    return changed
