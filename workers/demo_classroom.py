"""The demo teacher's class: the demo students enrolled, lessons (one scheduled for next week)
and a small picture made in code. Created once; loading the demo again finds it."""

from __future__ import annotations

import struct
import zlib
from datetime import timedelta
from uuid import UUID

from adapters.infrastructure import Infrastructure
from commands import class_lessons, classroom, media
from commands.loading import user_by_email
from commands.pipeline import Actor, Deps, execute
from projections.classroom import classroom as classroom_projection
from projections.classroom_queries import classes_of
from projections.engine import apply_batch

TEACHER = "teacher@demo.skillhub.example.com"
STUDENTS = ["alice@demo.skillhub.example.com", "bob@demo.skillhub.example.com", "carol@demo.skillhub.example.com"]
CLASS_NAME = "Demo class: Fractions"
LESSONS = [
    ("What is a fraction?",
     "A **fraction** names parts of a whole: the picture shows 1/4 of a pie.\n\n- 1/2: one of two equal parts"),
    ("Adding fractions", "Find a common denominator first:\n\n```\n1/2 + 1/3 = 3/6 + 2/6 = 5/6\n```"),
    ("Quiz preparation", "Scheduled: students see this lesson from next week on."),
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


def _catch_up_classroom(infra: Infrastructure) -> None:
    """`demo load` runs without the projection workers: bring the classes read model up to date."""
    while True:
        _, position, head = apply_batch(infra.pool, infra.store, classroom_projection, 500)
        if position >= head:
            return


def _upload(deps: Deps, teacher: Actor, data: bytes, filename: str) -> UUID:
    receiver = media.Receiver(deps, len(data))
    with receiver.spool:
        receiver.accept(data)
        return execute(media.record_upload, receiver.finish(filename), teacher, deps).data["media_id"]


def load_demo_class(infra: Infrastructure, deps: Deps) -> bool:
    """Returns whether the class was created now."""
    user = user_by_email(deps, TEACHER)
    if user is None:
        return False
    _catch_up_classroom(infra)
    if any(c["name"] == CLASS_NAME for c in classes_of(deps.pool, user.id, limit=200, cursor=None)["items"]):
        return False
    teacher = Actor(user_id=user.id, roles=frozenset(user.roles))
    opened = execute(classroom.open_class, classroom.OpenClass(
        name=CLASS_NAME, description="Parts of a whole, step by step.", term="Demo term"), teacher, deps)
    class_id = opened.data["class_id"]
    for email in STUDENTS:
        if (student := user_by_email(deps, email)) is not None:
            execute(classroom.invite_student, classroom.InviteStudent(class_id=class_id, user_id=student.id), teacher, deps)
    picture = _upload(deps, teacher, pie_png(), "quarter-pie.png")
    for i, (title, body) in enumerate(LESSONS):
        cmd = class_lessons.CreateLesson(class_id=class_id, title=title, body=body, media_ids=[picture] if i == 0 else [])
        lesson_id = execute(class_lessons.create_lesson, cmd, teacher, deps).data["lesson_id"]
        publish_at = deps.clock() + timedelta(days=7) if i == len(LESSONS) - 1 else None
        execute(class_lessons.publish_lesson, class_lessons.PublishLesson(
            class_id=class_id, lesson_id=lesson_id, publish_at=publish_at), teacher, deps)
    return True
