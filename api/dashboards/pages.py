"""The dashboard pages: plain HTML shells from api/templates/dashboards, filled in the browser
by scripts from api/static/dashboards with the API's JSON (charts with the vendored Chart.js).
The pages themselves hold nothing personal, so they need no sign-in; their scripts sign in with
the same accounts (JWT kept in the tab) and every number comes from an API call that checks who
may read it."""

from __future__ import annotations

from pathlib import Path

from fastapi import APIRouter
from fastapi.responses import HTMLResponse
from jinja2 import Environment, FileSystemLoader, select_autoescape

from api.platform.pages import DASHBOARDS, PageLink

_templates = Environment(loader=FileSystemLoader(Path(__file__).resolve().parents[1] / "templates"),
                         autoescape=select_autoescape())

PAGES = {
    "student": PageLink("My learning", "/dashboards/student", "students"),
    "teacher": PageLink("My classes", "/dashboards/teacher", "teachers"),
    "admin": PageLink("Platform usage", "/dashboards/admin", "admins"),
}
DASHBOARDS.extend(PAGES.values())

router = APIRouter(include_in_schema=False)


def _page(name: str) -> HTMLResponse:
    return HTMLResponse(_templates.get_template(f"dashboards/{name}.html").render(page=PAGES[name], pages=PAGES))


@router.get("/dashboards/student", response_class=HTMLResponse)
def student_page() -> HTMLResponse:
    return _page("student")


@router.get("/dashboards/teacher", response_class=HTMLResponse)
def teacher_page() -> HTMLResponse:
    return _page("teacher")


@router.get("/dashboards/admin", response_class=HTMLResponse)
def admin_page() -> HTMLResponse:
    return _page("admin")
