"""Rich text (adapters/documents/rich_text.py): conversions into Markdown name what they lose, and rendering
gives HTML that runs nothing, whatever the Markdown holds."""

from __future__ import annotations

import re
from html.parser import HTMLParser
from uuid import uuid4

import pytest

from adapters.documents.rich_text import (
    linked_media,
    media_link,
    render_html,
    to_markdown,
)


@pytest.mark.parametrize("text, fmt, markdown, lost", [
    ("<p>One <b>bold</b> and <i>italic</i>.</p><p>Two<br />lines</p>", "html", "One **bold** and *italic*.\n\nTwo\\\nlines", ()),
    ("<ul><li>a</li><li>b</li></ul><ol><li>c</li></ol>", "html", "- a\n- b\n\n1. c", ()),
    ('<a href="https://example.org/x" title="X">see</a> <img src="/i.png" alt="pic" />', "html",
     '[see](https://example.org/x "X") ![pic](/i.png)', ()),
    ('<span style="font-weight: bold; color: red">x</span>', "html", "**x**", ("inline style left out (color: red)",)),
    ('<img src="a.png" alt="a" width="5" height="5" />', "html", "![a](a.png)", ("image size left out (Markdown images have none)",)),
    ("H<sub>2</sub>O<script>alert(1)</script>", "html", "H2O",
     ("subscript left out (Markdown has none)", "<script> element left out")),
    ('<audio controls><source src="/a.mp3" /></audio>', "html", "[audio](/a.mp3)", ()),
    ("Done.<br /><br />", "html", "Done.", ()),  # no stray backslash at the end
    ("1. not a list, *not* <b>bold</b> & x_y", "plain", "1\\. not a list, \\*not\\* \\<b\\>bold\\</b\\> \\& x\\_y", ()),
    ("Two\nlines with <b>HTML</b>", "moodle", "Two\\\nlines with **HTML**", ()),
    ("  **kept** as it is  ", "markdown", "**kept** as it is", ()),
])
def test_conversions_into_markdown(text, fmt, markdown, lost):
    converted = to_markdown(text, fmt)
    assert (converted.markdown, converted.lost) == (markdown, lost)


def test_plain_text_shows_as_typed():
    typed = "2 * 3 < 7 and [x](y) # not a heading"
    assert render_html(to_markdown(typed, "plain").markdown) == "<p>2 * 3 &lt; 7 and [x](y) # not a heading</p>"


def test_markdown_renders_to_html():
    assert render_html("**a** *b* `c`\n\n- d\n\n| h |\n| - |\n| v |") == (
        "<p><strong>a</strong> <em>b</em> <code>c</code></p>\n<ul>\n<li>d</li>\n</ul>\n"
        "<table>\n<thead>\n<tr>\n<th>h</th>\n</tr>\n</thead>\n<tbody>\n<tr>\n<td>v</td>\n</tr>\n</tbody>\n</table>")
    assert render_html("[a](/api/v1/media/x/content \"t\") ![i](https://example.org/i.png)") == (
        '<p><a href="/api/v1/media/x/content" title="t" rel="noopener noreferrer nofollow">a</a>'
        ' <img src="https://example.org/i.png" alt="i"></p>')


# Known ways to run script through a Markdown or HTML sanitiser.
INJECTIONS = [
    "<script>alert(1)</script>",
    "<img src=x onerror=alert(1)>",
    '<a href="javascript:alert(1)">x</a>',
    "[x](javascript:alert(1))",
    "[x](JaVaScRiPt:alert(1))",
    "[x](java\tscript:alert(1))",
    "[x](&#106;avascript:alert(1))",
    "[x](vbscript:msgbox(1))",
    "[x](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)",
    "![x](javascript:alert(1))",
    "![x](data:image/svg+xml;base64,PHN2ZyBvbmxvYWQ9YWxlcnQoMSk+)",
    '![x](x.png "a" onerror="alert(1))',
    "<svg onload=alert(1)>",
    "<svg><script>alert(1)</script></svg>",
    '<iframe src="https://evil.example"></iframe>',
    '<object data="x.swf"></object><embed src="x.swf">',
    '<p style="background:url(javascript:alert(1))">x</p>',
    '<div style="width: expression(alert(1))">x</div>',
    "<scr<script>ipt>alert(1)</script>",
    "<<script>script>alert(1)//<</script>/script>",
    '<a href="&#x6A;avascript:alert(1)">x</a>',
    "`<script>` and\n\n    <script>alert(1)</script>",
    "[x]: javascript:alert(1)\n\n[y][x]",
    '<math><mtext><table><mglyph><style><img src=x onerror=alert(1)>',
    "<form action=javascript:alert(1)><button>x</button></form>",
    '<body onload=alert(1)>', '<meta http-equiv="refresh" content="0;url=javascript:alert(1)">',
]


_TAGS = {"p", "br", "hr", "strong", "em", "del", "s", "code", "pre", "blockquote", "a", "img", "ul", "ol", "li",
         "h1", "h2", "h3", "h4", "h5", "h6", "table", "thead", "tbody", "tr", "th", "td"}
_ATTRIBUTES = {"href", "title", "src", "alt", "rel", "start"}


class _Elements(HTMLParser):
    """Every element and attribute of rendered HTML, as a browser's parser would see them."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.found: list[tuple[str, list[tuple[str, str | None]]]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.found.append((tag, attrs))


def _assert_harmless(rendered: str, source: str) -> None:
    parser = _Elements()
    parser.feed(rendered)
    for tag, attrs in parser.found:
        assert tag in _TAGS, (source, rendered)
        for name, value in attrs:
            assert name in _ATTRIBUTES, (source, rendered)
            if name in ("href", "src"):
                scheme = re.match(r"^\s*([a-zA-Z][a-zA-Z0-9+.-]*):", value or "")
                assert scheme is None or scheme.group(1).lower() in ("http", "https", "mailto"), (source, rendered)


@pytest.mark.parametrize("markdown", INJECTIONS)
def test_rendering_never_lets_script_through(markdown):
    _assert_harmless(render_html(markdown), markdown)


@pytest.mark.parametrize("markdown", INJECTIONS)
def test_imported_html_converts_to_markdown_that_renders_safely(markdown):
    """The same vectors arriving as HTML from an import: converted, then rendered."""
    _assert_harmless(render_html(to_markdown(markdown, "html").markdown), markdown)


def test_media_links():
    media_id = uuid4()
    text = f"![a]({media_link(media_id)}) and [b](/api/v1/media/not-a-uuid/content)"
    assert linked_media(text) == {media_id}


def test_the_harmlessness_check_catches_what_it_should():
    for bad in ('<img src="x" onerror="alert(1)">', '<a href="javascript:alert(1)">x</a>', "<script>x</script>",
                '<img src="data:image/png;base64,AA">'):
        with pytest.raises(AssertionError):
            _assert_harmless(bad, bad)
