"""The live session pages: one for students, one for examiners. They are the same page with a
different part (api/static/live.js); who may connect is decided by the socket, not the page."""

from __future__ import annotations

from typing import Literal
from uuid import UUID

from fastapi import APIRouter
from fastapi.responses import HTMLResponse

from api.platform.pages import _templates

router = APIRouter(include_in_schema=False)


@router.get("/live/{session_id}/{page}", response_class=HTMLResponse)
def live_page(session_id: UUID, page: Literal["student", "examiner"]) -> HTMLResponse:
    return HTMLResponse(_templates.get_template("live_session.html").render(session_id=session_id, page=page))
