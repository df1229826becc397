"""What the list of a course's certificates answers."""

from __future__ import annotations

from datetime import datetime
from uuid import UUID

from pydantic import BaseModel


class CourseCertificate(BaseModel):
    certificate_id: UUID
    holder_id: UUID
    holder_name: str | None
    issued_at: datetime
    revoked_at: datetime | None
    code: str
