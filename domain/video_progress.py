"""How far a player got through a video or audio. Reports only move it forward: a report behind
what is known (a second device, a replay from the start) adds nothing; impossible values are
rejected (check_video_report). Class lessons and course lessons follow the same rule."""

from __future__ import annotations

from domain.class_progress import check_video_report


def furthest_after(
    known: tuple[float, float] | None, position_seconds: float, duration_seconds: float, watched_share: float
) -> tuple[float, float] | None:
    """(furthest position, watched share) after the report, or None when it adds nothing."""
    check_video_report(position_seconds, duration_seconds, watched_share)
    if known is not None and position_seconds <= known[0] and watched_share <= known[1]:
        return None
    furthest, share = known or (0.0, 0.0)
    return max(position_seconds, furthest), max(watched_share, share)
