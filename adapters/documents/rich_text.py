"""Rich text: SkillHub keeps every text a person formats (question prompts, options, feedback; the
forum's posts) as Markdown, CommonMark with tables and strikethrough. This module is the one
way in and the one way out:

- `to_markdown(text, fmt)` converts what other systems write: "html" (Moodle's editor), "moodle"
  (Moodle's auto-format: HTML allowed, line breaks kept), "plain" (shown literally: Markdown's
  characters are escaped) and "markdown" (kept). It names what Markdown cannot hold (`lost`).
- `render_html(markdown)` is the HTML to show, sanitised whatever the author wrote: raw HTML in
  the Markdown is shown as text, and the output keeps only formatting tags, links to http(s),
  mailto and relative addresses, and images from the same places (no `data:`, no scripts, no
  event handlers, no styles, frames or objects).
- `mentioned_names(markdown)`: the @handles a text mentions (adapters/documents/mentions.py).
- Files live in the media store; texts link them as `/api/v1/media/{id}/content`
  (`media_link`), and `linked_media` finds the files a text links, for access rules.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass
from functools import lru_cache
from typing import Literal
from uuid import UUID

import nh3
from markdown_it import MarkdownIt

from adapters.documents.mentions import link_mentions, names_in
from adapters.moodle.html_to_markdown import html_to_markdown

SourceFormat = Literal["html", "moodle", "plain", "markdown"]
MEDIA_PATH = "/api/v1/media/"
_MEDIA_LINK = re.compile(re.escape(MEDIA_PATH) + r"([0-9a-fA-F]{8}-(?:[0-9a-fA-F]{4}-){3}[0-9a-fA-F]{12})/content")

_MARKDOWN = MarkdownIt("commonmark", {"html": False, "linkify": False}).enable(["table", "strikethrough"])
_TAGS = {"p", "br", "hr", "strong", "em", "del", "s", "code", "pre", "blockquote", "a", "img", "ul", "ol", "li",
         "h1", "h2", "h3", "h4", "h5", "h6", "table", "thead", "tbody", "tr", "th", "td"}
_ATTRIBUTES = {"a": {"href", "title"}, "img": {"src", "alt", "title"}, "ol": {"start"}}
_SCHEMES = {"http", "https", "mailto"}


@dataclass(frozen=True)
class Converted:
    markdown: str
    lost: tuple[str, ...] = ()


def to_markdown(text: str, fmt: SourceFormat) -> Converted:
    if fmt == "markdown":
        return Converted(text.strip())
    lost: list[str] = []
    if fmt == "plain":
        source = html.escape(text.strip()).replace("\n", "<br>")
    elif fmt == "moodle":
        source = text.strip().replace("\r\n", "\n").replace("\n", "<br>")
    else:
        source = text
    return Converted(html_to_markdown(source, lost), tuple(lost))


@lru_cache(maxsize=1024)
def render_html(markdown: str, mentions: tuple[tuple[str, UUID], ...] = ()) -> str:
    """Safe HTML for a Markdown text (cached: the same texts are shown to many readers), with each
    @handle of `mentions` (handle, person) linked to that person (adapters/documents/mentions.py)."""
    env: dict = {}
    tokens = _MARKDOWN.parse(markdown, env)
    if mentions:
        link_mentions(tokens, dict(mentions))
    return nh3.clean(_MARKDOWN.renderer.render(tokens, _MARKDOWN.options, env), tags=_TAGS, attributes=_ATTRIBUTES,
                     url_schemes=_SCHEMES, link_rel="noopener noreferrer nofollow").strip()


def mentioned_names(markdown: str) -> list[str]:
    """The @handles a Markdown text mentions (outside code and links), each once, in order."""
    return names_in(_MARKDOWN.parse(markdown)) if "@" in markdown else []


def media_link(media_id: UUID) -> str:
    return f"{MEDIA_PATH}{media_id}/content"


def linked_media(text: str) -> set[UUID]:
    """The media files a text (or a JSON dump of a question) links."""
    return {UUID(found) for found in _MEDIA_LINK.findall(text)}
