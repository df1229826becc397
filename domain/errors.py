"""Errors the domain and the command handlers raise; the API maps each to one HTTP status."""

from __future__ import annotations


class SkillhubError(Exception):
    title = "Error"

    def __init__(self, detail: str, *, fields: dict[str, str] | None = None) -> None:
        super().__init__(detail)
        self.detail = detail
        self.fields = fields or {}


class RuleBroken(SkillhubError):
    """A business rule forbids this change in the current state (409)."""

    title = "Rule broken"


class Locked(SkillhubError):
    """Refused for now, allowed again later without the caller changing anything (423): a paused exam."""

    title = "Locked"


class Conflict(SkillhubError):
    """Someone changed the same thing at the same time, or it already exists (409)."""

    title = "Conflict"


class NotFound(SkillhubError):
    title = "Not found"


class Forbidden(SkillhubError):
    title = "Forbidden"


class Unauthenticated(SkillhubError):
    title = "Unauthenticated"


class InvalidInput(SkillhubError):
    title = "Invalid input"


class TooLarge(SkillhubError):
    """The request body is over a size limit (413)."""

    title = "Too large"


class Throttled(SkillhubError):
    title = "Too many requests"

    def __init__(self, detail: str, retry_after: int) -> None:
        super().__init__(detail)
        self.retry_after = retry_after
