"""HTML, as Moodle's and other editors write it, converted to Markdown (markdownify), naming what
Markdown cannot hold instead of dropping it silently: inline styles, image sizes, underline,
sub- and superscript, fonts, and elements that are no text (scripts, frames, forms). Audio and
video elements become links to their file, so the file is kept."""

from __future__ import annotations

import re
from typing import Any

from markdownify import MarkdownConverter

# Elements whose content is no text a student should see, or that Markdown cannot show.
_LEFT_OUT = {"script", "style", "iframe", "frame", "object", "embed", "applet", "form", "input", "button",
             "select", "textarea", "svg", "math", "canvas", "noscript", "template"}
_FORMATTING = {"u": "underline", "ins": "underline", "sub": "subscript", "sup": "superscript", "font": "font",
               "mark": "highlighting", "big": "font size", "small": "font size"}
_PRESENTATION = ("align", "color", "bgcolor", "face", "size", "border")
# A hard line break (markdownify writes <br> as a backslash at the end of the line) that ends a
# paragraph or the text would show as a backslash.
_DANGLING_BREAK = re.compile(r"(?:(?<!\\)\\\n)+(?=\n)")
_TRAILING_BREAK = re.compile(r"(?:(?<!\\)\\\s*)+$")


class _Converter(MarkdownConverter):
    def __init__(self, lost: list[str]) -> None:
        super().__init__(heading_style="ATX", bullets="-", escape_misc=True, newline_style="backslash",
                         autolinks=False, strip_document="strip")
        self.lost = lost

    def _note(self, what: str) -> None:
        if what not in self.lost:
            self.lost.append(what)

    def process_tag(self, node: Any, parent_tags: set[str] | None = None) -> str:
        name = (node.name or "").lower()
        if name in _LEFT_OUT:
            self._note(f"<{name}> element left out")
            return ""
        if name in _FORMATTING:
            self._note(f"{_FORMATTING[name]} left out (Markdown has none)")
        attrs = getattr(node, "attrs", None) or {}
        if left := _style_left(name, str(attrs.get("style", ""))):
            self._note(f"inline style left out ({left[:80]})")
        if name == "img" and ("width" in attrs or "height" in attrs):
            self._note("image size left out (Markdown images have none)")
        if found := [a for a in _PRESENTATION if a in attrs]:
            self._note(f"<{name}> {', '.join(found)} left out")
        return super().process_tag(node, parent_tags)

    def convert_span(self, el: Any, text: str, parent_tags: set[str]) -> str:
        """Moodle's editor writes italics and bold as spans with a style."""
        declared = _declarations(str(el.attrs.get("style", "")))
        if declared.get("font-weight") in ("bold", "bolder", "700", "800", "900"):
            text = self.convert_strong(el, text, parent_tags)
        if declared.get("font-style") == "italic":
            text = self.convert_em(el, text, parent_tags)
        return text

    def convert_img(self, el: Any, text: str, parent_tags: set[str]) -> str:
        # markdownify shows only the alt text of images in table cells and headings; keep the image.
        alt, src = el.attrs.get("alt") or "", el.attrs.get("src") or ""
        title = el.attrs.get("title") or ""
        return f"![{alt}]({src}" + (' "{}"'.format(title.replace('"', '\\"')) if title else "") + ")"

    def convert_audio(self, el: Any, text: str, parent_tags: set[str]) -> str:
        return self._media_link(el, text or "audio")

    def convert_video(self, el: Any, text: str, parent_tags: set[str]) -> str:
        return self._media_link(el, text or "video")

    def _media_link(self, el: Any, label: str) -> str:
        source = el.find("source", attrs={"src": True})
        src = el.attrs.get("src") or (source.attrs.get("src") if source is not None else "")
        return f"[{label.strip()}]({src})" if src else label


def _declarations(style: str) -> dict[str, str]:
    pairs = (part.split(":", 1) for part in style.split(";") if ":" in part)
    return {name.strip().lower(): " ".join(value.split()).lower() for name, value in pairs}


def _style_left(tag: str, style: str) -> str:
    """The declarations of a style attribute the conversion does not carry over."""
    declared = _declarations(style)
    if tag == "span":
        declared = {k: v for k, v in declared.items() if k not in ("font-weight", "font-style")}
    return "; ".join(f"{k}: {v}" for k, v in declared.items())


def html_to_markdown(html: str, lost: list[str]) -> str:
    """Markdown for the HTML; each kind of loss is appended to `lost` once."""
    text = _Converter(lost).convert(html)
    text = _DANGLING_BREAK.sub("\n", text.strip())
    return _TRAILING_BREAK.sub("", text).rstrip()
