"""@name mentions in Markdown: what counts as one, and how they become links."""

from __future__ import annotations

from uuid import UUID

from adapters.documents.mentions import handle_of
from adapters.documents.rich_text import mentioned_names, render_html

ADA = UUID(int=1)


def test_a_handle_is_the_display_name_with_underscores_in_lower_case():
    assert handle_of("Ada  Lovelace") == "ada_lovelace"
    assert handle_of("Jean-Luc O'Brien") == "jean-luc_o'brien"
    assert handle_of("Zoë") == "zoë"
    assert handle_of("Anne (TA)") is None  # cannot be written after an @


def test_mentions_are_in_the_text_never_in_code_links_words_or_addresses():
    text = ("Hi @Ada_Lovelace, @bob. Mail ada@example.com, `@code` and [@linked](https://x.example)\n\n"
            "    @indented\n\n```\n@fenced\n```\n\n- @carol-x and @Ada_lovelace again")
    assert mentioned_names(text) == ["ada_lovelace", "bob", "carol-x"]
    assert mentioned_names("no at sign") == []


def test_only_resolved_mentions_become_links_and_raw_html_stays_text():
    html = render_html("@ada_lovelace, @unknown and `@ada_lovelace` <b onclick=x>@ADA_LOVELACE</b>",
                       (("ada_lovelace", ADA),))
    link = f'<a href="/people/{ADA}" rel="noopener noreferrer nofollow">'
    assert html.count(link) == 2
    assert f"{link}@ada_lovelace</a>" in html and f"{link}@ADA_LOVELACE</a>" in html
    assert "@unknown" in html and "<code>@ada_lovelace</code>" in html and "<b" not in html
