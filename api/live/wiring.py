"""How the live context plugs into the app: its routers, its WebSocket and the process's hub."""

from __future__ import annotations

import threading

from fastapi import FastAPI
from starlette.routing import WebSocketRoute

from adapters.infrastructure import Infrastructure
from api.live import pages, report, routes
from api.live.hub import LiveHub
from api.live.socket import session_socket

SOCKET_PATH = "/api/v1/live-sessions/{session_id:uuid}/socket"


def install(app: FastAPI, infra: Infrastructure) -> None:
    app.state.live_hub = LiveHub(infra.database_url, infra.store, infra.live_fanout)
    for module in (routes, report, pages):
        app.include_router(module.router)
    # A plain Starlette route: the app's dependencies (which read an HTTP request) do not apply.
    app.router.routes.append(WebSocketRoute(SOCKET_PATH, session_socket))


def start_hub(app: FastAPI, stop: threading.Event) -> threading.Thread:
    hub: LiveHub = app.state.live_hub
    thread = threading.Thread(target=hub.run, args=(stop,), daemon=True, name="live-hub")
    thread.start()
    return thread
