"""Notification texts from Jinja2 templates in adapters/templates/notifications/.

Each kind has `<name>.subject.txt`, `<name>.txt` (extends _layout.txt; its `body` block is
also the in-app text) and `<name>.html` (extends _layout.html, autoescaped)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from jinja2 import Environment, PackageLoader, StrictUndefined

_env = Environment(
    loader=PackageLoader("adapters", "templates/notifications"),
    autoescape=lambda name: bool(name and name.endswith(".html")),
    undefined=StrictUndefined,  # a missing value is a bug, not an empty string in a mail
    trim_blocks=True,
)


@dataclass(frozen=True)
class Message:
    subject: str
    text: str
    html: str


def subject(name: str, context: dict[str, Any]) -> str:
    return _env.get_template(f"{name}.subject.txt").render(context).strip()


def body(name: str, context: dict[str, Any]) -> str:
    """The text without greeting and footer: what the inbox, push and digests show."""
    template = _env.get_template(f"{name}.txt")
    return "".join(template.blocks["body"](template.new_context(context))).strip()


def message(name: str, context: dict[str, Any]) -> Message:
    return Message(
        subject=subject(name, context),
        text=_env.get_template(f"{name}.txt").render(context),
        html=_env.get_template(f"{name}.html").render(context),
    )
