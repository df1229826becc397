"""@name mentions in Markdown text.

A person's handle is their display name with its spaces as underscores, in lower case ("Ada
Lovelace" is `@ada_lovelace`, `@Ada_Lovelace` too). A mention is `@` and a handle in the text
itself: not in a code span or block, not in a link's text or address, and not inside a word or an
e-mail address (`ada@example.com` mentions nobody). Display names a handle cannot spell (with
brackets, say) cannot be mentioned.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from uuid import UUID

from markdown_it.token import Token

_HANDLE = r"\w(?:[\w.'-]*\w)?"
_MENTION = re.compile(rf"(?<![\w@.+-])@({_HANDLE})")
_WHOLE_HANDLE = re.compile(rf"{_HANDLE}")
MAX_MENTIONS = 20
PERSON_PATH = "/people/"  # the web client's page of a person: what a mention links to


def handle_of(display_name: str) -> str | None:
    """The handle that mentions a person, or None if their name cannot be written as one."""
    handle = "_".join(display_name.split()).lower()
    return handle if _WHOLE_HANDLE.fullmatch(handle) else None


def person_link(person_id: UUID) -> str:
    return f"{PERSON_PATH}{person_id}"


def _plain_text(tokens: list[Token]) -> Iterator[Token]:
    """The text tokens of a parsed document outside links (code spans and blocks are tokens of
    their own kinds, so they never come out of here)."""
    for block in tokens:
        in_link = 0
        for token in block.children or ():
            if token.type == "link_open":
                in_link += 1
            elif token.type == "link_close":
                in_link -= 1
            elif token.type == "text" and not in_link:
                yield token


def names_in(tokens: list[Token]) -> list[str]:
    """The handles a parsed document mentions, lower case, each once, in order."""
    found = (m.lower() for t in _plain_text(tokens) for m in _MENTION.findall(t.content))
    return list(dict.fromkeys(found))


def link_mentions(tokens: list[Token], people: Mapping[str, UUID]) -> None:
    """Turn each mention of a handle in `people` into a link to that person (in place)."""
    for block in tokens:
        if not block.children:
            continue
        linked: list[Token] = []
        in_link = 0
        for token in block.children:
            in_link += {"link_open": 1, "link_close": -1}.get(token.type, 0)
            linked.extend(_split(token, people) if token.type == "text" and not in_link else [token])
        block.children = linked


def _split(token: Token, people: Mapping[str, UUID]) -> list[Token]:
    parts: list[Token] = []
    at = 0
    for m in _MENTION.finditer(token.content):
        person_id = people.get(m.group(1).lower())
        if person_id is None:
            continue
        parts.append(Token("text", "", 0, content=token.content[at:m.start()]))
        parts.append(Token("link_open", "a", 1, attrs={"href": person_link(person_id)}))
        parts.append(Token("text", "", 0, content=m.group(0)))
        parts.append(Token("link_close", "a", -1))
        at = m.end()
    if not parts:
        return [token]
    parts.append(Token("text", "", 0, content=token.content[at:]))
    return parts
