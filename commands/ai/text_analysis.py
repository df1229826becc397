"""What a lesson or course text is about, computed offline with libraries made for it: key
concepts (yake), reading level and reading time (textstat), suggested skills and tags weighted
by how rare their words are in the language (wordfreq). Nothing downloads at run time: yake,
textstat (pinned below 0.7.9, see pyproject.toml) and wordfreq ship their data."""

from __future__ import annotations

import html
import re
from dataclasses import dataclass

from segtok.segmenter import split_single

from adapters.documents.rich_text import render_html

# yake, textstat and wordfreq are imported where used: together they take about 3 s to import
# and load, which every process (and test run) would pay at start-up for a feature few call.

ANALYSER_VERSION = "text-analysis-v1"
_SUPPORTED = {"en", "de", "es", "fr", "it", "nl", "pt"}  # languages yake, textstat and wordfreq all know
_BLOCK_END = re.compile(r"</(?:p|h[1-6]|li|pre|blockquote|tr|td|th)>", re.IGNORECASE)
_TAG = re.compile(r"<[^>]+>")
_WORD = re.compile(r"[^\W\d_][\w'-]*", re.UNICODE)
COMMON_ZIPF = 6.5  # "from" is 6.6, "water" 5.5: at and above this, a word is a function word
TAG_SHAPE = re.compile(r"^[a-z0-9][a-z0-9 +#._-]{0,39}$")  # the catalog's tag rule (commands/catalog/course_content.py)


def plain_text(markdown: str) -> str:
    """The words a reader sees: Markdown rendered, tags dropped, each block ending a sentence."""
    marked = _BLOCK_END.sub(". ", render_html(markdown))
    text = html.unescape(_TAG.sub(" ", marked))
    return re.sub(r"\s*\.(\s*\.)+", ".", re.sub(r"[ \t]+", " ", text)).strip()


def language_of(tag: str) -> str:
    primary = tag.split("-")[0].lower()
    return primary if primary in _SUPPORTED else "en"


def sentences(text: str) -> list[str]:
    return [s.strip() for s in split_single(text) if len(_WORD.findall(s)) >= 3]


def _function_words(phrase: str, language: str) -> bool:
    """Whether the phrase holds a word as common as "and", "of" or "from" (yake keeps them inside)."""
    import wordfreq

    return any(wordfreq.zipf_frequency(w, language) >= COMMON_ZIPF for w in _WORD.findall(phrase.lower()))


def _holds_shorter(phrase: str, phrases: list[str]) -> bool:
    """"calvin cycle fixes" when "calvin cycle" is a concept too: the shorter one names it."""
    padded = f" {phrase.lower()} "
    return any(q != phrase and f" {q.lower()} " in padded for q in phrases)


def key_concepts(text: str, language: str, top: int = 12) -> list[tuple[str, float]]:
    """Key phrases (1-3 words), best first, with a relevance from 1 (best) down to 0."""
    import yake

    if not _WORD.search(text):
        return []
    found = yake.KeywordExtractor(lan=language, n=3, dedupLim=0.7, top=top * 2).extract_keywords(text)
    found = [(p, float(score)) for p, score in found if not _function_words(p, language)]
    found = [(p, score) for p, score in found if not _holds_shorter(p, [q for q, _ in found])][:top]
    if not found:
        return []
    worst = max(score for _, score in found) or 1.0
    return [(phrase, round(1 - score / (worst * 1.01), 4)) for phrase, score in found]


def rarity(phrase: str, language: str) -> float:
    """0 for the commonest words, 1 for words the language hardly uses (wordfreq's Zipf scale)."""
    import wordfreq

    words = _WORD.findall(phrase.lower())
    if not words:
        return 0.0
    return sum(max(0.0, 8.0 - wordfreq.zipf_frequency(w, language)) / 8.0 for w in words) / len(words)


@dataclass(frozen=True)
class Analysis:
    key_concepts: list[dict[str, float | str]]
    reading_level: dict[str, float | str]
    reading_minutes: float
    word_count: int
    suggested_skills: list[str]
    suggested_tags: list[str]
    language: str
    analyser_version: str = ANALYSER_VERSION


def analyse(markdown: str, language_tag: str) -> Analysis:
    import textstat

    language = language_of(language_tag)
    text = plain_text(markdown)
    concepts = key_concepts(text, language)
    weighted = sorted(((relevance * (0.5 + rarity(p, language)), p) for p, relevance in concepts), reverse=True)
    skills = [p.lower() for _, p in weighted if len(p.split()) <= 3][:5]
    words = {w.lower() for p, _ in concepts for w in _WORD.findall(p)}
    tags = sorted((w for w in words if len(w) > 3 and TAG_SHAPE.match(w)), key=lambda w: -rarity(w, language))[:8]
    textstat.set_lang(language)
    words_in_text = len(_WORD.findall(text))
    return Analysis(
        key_concepts=[{"phrase": p, "relevance": r} for p, r in concepts],
        reading_level={
            "flesch_reading_ease": round(float(textstat.flesch_reading_ease(text)), 1) if words_in_text else 0.0,
            "grade": round(float(textstat.text_standard(text, float_output=True)), 1) if words_in_text else 0.0,
        },
        reading_minutes=round(textstat.reading_time(text) / 60, 1) if words_in_text else 0.0,
        word_count=words_in_text,
        suggested_skills=skills,
        suggested_tags=tags,
        language=language,
    )
