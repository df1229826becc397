"""Pages people look at: the landing page and the API reference, served with their scripts and
styles from this server (no CDN), so they work offline and under a strict Content-Security-Policy."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from fastapi import APIRouter, FastAPI
from fastapi.responses import HTMLResponse
from jinja2 import Environment, FileSystemLoader, select_autoescape
from starlette.responses import Response
from starlette.staticfiles import StaticFiles
from starlette.types import Scope
from swagger_ui_bundle import swagger_ui_path

_HERE = Path(__file__).resolve().parents[1]  # api/: templates/ and static/
_templates = Environment(loader=FileSystemLoader(_HERE / "templates"), autoescape=select_autoescape())

router = APIRouter(include_in_schema=False)


@dataclass(frozen=True)
class PageLink:
    title: str
    path: str
    who: str


# Dashboards register here and the landing page links them.
DASHBOARDS: list[PageLink] = []


class CachedStaticFiles(StaticFiles):
    """Scripts, styles and images change only with a release: caches may keep them an hour."""

    def file_response(self, full_path: os.PathLike, stat_result: os.stat_result, scope: Scope,
                      status_code: int = 200) -> Response:
        response = super().file_response(full_path, stat_result, scope, status_code)
        response.headers["cache-control"] = "public, max-age=3600"
        return response


def mount_static(app: FastAPI) -> None:
    app.mount("/static/swagger-ui", CachedStaticFiles(directory=str(swagger_ui_path)), name="swagger-ui")
    app.mount("/static", CachedStaticFiles(directory=str(_HERE / "static")), name="static")


@router.get("/", response_class=HTMLResponse)
def home() -> HTMLResponse:
    return HTMLResponse(_templates.get_template("home.html").render(dashboards=DASHBOARDS))


@router.get("/docs", response_class=HTMLResponse)
def api_reference() -> HTMLResponse:
    return HTMLResponse(_templates.get_template("api_reference.html").render())
