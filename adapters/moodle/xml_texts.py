"""The texts of one Moodle XML question: rich ones become Markdown by their `format` attribute
(html, moodle_auto_format, plain_text, markdown), and the files they embed (`<file name=...
encoding="base64">` beside the `<text>`, linked as `@@PLUGINFILE@@/name`) are collected for the
import to store. What cannot be kept is named: a link to a file the XML does not hold, a file
no text links, inline styles and the like (adapters/moodle/html_to_markdown.py)."""

from __future__ import annotations

import base64
import binascii
import re
import xml.etree.ElementTree as ET
from collections.abc import Callable
from urllib.parse import unquote

from adapters.documents.rich_text import SourceFormat
from adapters.moodle.question_files import ParsedFile, plain_text
from adapters.moodle.question_texts import RichTexts

_FORMATS: dict[str, SourceFormat] = {"html": "html", "moodle_auto_format": "moodle", "plain_text": "plain",
                                     "markdown": "markdown"}
_PLUGINFILE = re.compile(r"@@PLUGINFILE@@/([^\s)\"'<>]+)")


def _text_of(node: ET.Element) -> str:
    inner = node.find("text")
    return (inner.text if inner is not None else node.text) or ""


def _file_key(node: ET.Element) -> str:
    path = (node.get("path") or "/").strip("/")
    return f"{path}/{node.get('name', '')}".lstrip("/")


class XmlTexts(RichTexts):
    def __init__(self, name: str, parsed: ParsedFile, warn: Callable[[str], None]) -> None:
        super().__init__()
        self.name, self.parsed, self.warn = name, parsed, warn

    def format_of(self, node: ET.Element | None) -> SourceFormat:
        """Moodle reads texts without a known format as its auto-format (HTML allowed)."""
        return _FORMATS.get(node.get("format", "") if node is not None else "", "moodle")

    def rich(self, parent: ET.Element, path: str) -> str:
        """Markdown of the text at `path`, its files embedded."""
        node = parent.find(path)
        return "" if node is None else self.rich_source(node, _text_of(node))

    def rich_source(self, node: ET.Element, source: str) -> str:
        """Markdown of `source`, read in the format of `node`, with the files `node` holds."""
        return self._embed(node, self.convert(source, self.format_of(node)))

    def plain(self, parent: ET.Element, path: str) -> str:
        """Plain text (names, accepted answers, choices): tags of an HTML text are dropped."""
        node = parent.find(path)
        if node is None:
            return ""
        html = node.find("text") is not None and node.get("format", "html") == "html"
        return plain_text(_text_of(node), "html" if html else "plain")

    def _embed(self, node: ET.Element, markdown: str) -> str:
        files = {_file_key(f): f for f in node.findall("file")}
        linked: set[str] = set()

        def link(found: re.Match[str]) -> str:
            key = unquote(found.group(1))
            linked.add(key)
            file = files.get(key)
            if file is None:
                return self.parsed.embed(key, b"", "the file does not hold it")
            if (file.get("encoding") or "base64") != "base64":
                return self.parsed.embed(key, b"", f"encoding {file.get('encoding')} is not base64")
            try:
                return self.parsed.embed(key, base64.b64decode("".join((file.text or "").split()), validate=True))
            except (binascii.Error, ValueError):
                return self.parsed.embed(key, b"", "not valid base64")

        markdown = _PLUGINFILE.sub(link, markdown)
        for key in sorted(set(files) - linked):
            self.lost.append(f"embedded file '{key}' left out: no text links it")
        return markdown

    def old_image(self, q: ET.Element) -> str:
        """Moodle 1.9's question image (`<image>` + `<image_base64>`), shown after the text."""
        name = (q.findtext("image") or "").strip()
        data = "".join((q.findtext("image_base64") or "").split())
        if not name or not data:
            return ""
        try:
            link = self.parsed.embed(name, base64.b64decode(data, validate=True))
        except (binascii.Error, ValueError):
            link = self.parsed.embed(name, b"", "not valid base64")
        return f"![{self.convert(name, 'plain')}]({link})"
