"""Questions drafted offline from a lesson's text, no model to download: for each key concept
(yake) the first sentence that states it becomes a cloze (the concept blanked), a single choice
(the concept among distractors) or a true/false statement (true as written, or false with a
distractor swapped in). Distractors are key concepts of the course's other lessons (and of this
one) that share no word with the answer, the closest in length and word rarity first, so they
are plausible. Each draft keeps the sentence it came from; every draft is a valid question
(commands/assessment/question_specs.py) that a teacher still has to approve."""

from __future__ import annotations

import re
import zlib
from dataclasses import dataclass
from typing import Any

from commands.ai.text_analysis import key_concepts, plain_text, rarity, sentences
from commands.assessment.question_specs import validate_content

GENERATOR = "offline-v1"
KINDS = ("cloze", "single_choice", "true_false")
_WORDS = re.compile(r"[^\W_][\w'-]*", re.UNICODE)


@dataclass(frozen=True)
class Drafted:
    content: dict[str, Any]
    source_sentence: str


def _words(phrase: str) -> set[str]:
    return {w.lower() for w in _WORDS.findall(phrase)}


def distractors(answer: str, pool: list[str], language: str, count: int = 3) -> list[str]:
    """Concepts like the answer (length, rarity) that share none of its words."""
    taken, chosen = _words(answer), []
    target_rarity, target_len = rarity(answer, language), len(answer.split())
    candidates = {p.lower(): p for p in pool if _words(p) and not _words(p) & taken}
    ranked = sorted(candidates.values(), key=lambda p: (abs(len(p.split()) - target_len) * 2
                                                        + abs(rarity(p, language) - target_rarity) * 4, p.lower()))
    for phrase in ranked:
        if not any(_words(phrase) & _words(c) for c in chosen):
            chosen.append(phrase)
        if len(chosen) == count:
            break
    return chosen


def _stating(concept: str, text_sentences: list[str], used: set[str]) -> tuple[str, re.Match[str]] | None:
    pattern = re.compile(rf"(?<!\w){re.escape(concept)}(?!\w)", re.IGNORECASE)
    for sentence in text_sentences:
        if sentence in used or "{{" in sentence or "}}" in sentence:
            continue
        match = pattern.search(sentence)
        if match and len(sentence.split()) >= len(concept.split()) + 4:
            return sentence, match
    return None


def _cloze(concept: str, sentence: str, match: re.Match[str]) -> dict[str, Any]:
    prompt = sentence[:match.start()] + "{{b1}}" + sentence[match.end():]
    return {"type": "cloze", "title": f"Fill the gap: {concept}"[:200], "prompt": prompt,
            "blanks": [{"id": "b1", "kind": "short_text", "answers": [{"text": match.group(0)}]}]}


def _choice(concept: str, sentence: str, match: re.Match[str], wrong: list[str]) -> dict[str, Any]:
    gap = sentence[:match.start()] + "_____" + sentence[match.end():]
    answers = [match.group(0), *wrong]
    turn = zlib.crc32(sentence.encode()) % len(answers)  # the right answer's place, stable per sentence
    answers = answers[turn:] + answers[:turn]
    options = [{"id": chr(97 + n), "text": a, "correct": a == match.group(0)} for n, a in enumerate(answers)]
    return {"type": "single_choice", "title": f"Which term fits: {concept}"[:200],
            "prompt": f"Which term completes the sentence?\n\n> {gap}", "options": options}


def _true_false(concept: str, sentence: str, match: re.Match[str], wrong: list[str]) -> dict[str, Any]:
    true = not wrong or zlib.crc32(sentence.encode()) % 2 == 0
    statement = sentence if true else sentence[:match.start()] + wrong[0] + sentence[match.end():]
    return {"type": "true_false", "title": f"True or false: {concept}"[:200],
            "prompt": f"True or false?\n\n> {statement}", "correct": true,
            "feedback_false" if true else "feedback_true": f"The lesson says: {sentence}"}


def draft_questions(lesson_markdown: str, related_markdown: list[str], language: str, limit: int = 10) -> list[Drafted]:
    text = plain_text(lesson_markdown)
    text_sentences = sentences(text)
    concepts = [p for p, _ in key_concepts(text, language, top=limit * 2)]
    pool = concepts + [p for other in related_markdown for p, _ in key_concepts(plain_text(other), language, top=10)]
    drafted: list[Drafted] = []
    used: set[str] = set()
    for concept in concepts:
        found = _stating(concept, text_sentences, used)
        if found is None:
            continue
        sentence, match = found
        wrong = distractors(match.group(0), [p for p in pool if p.lower() != concept.lower()], language)
        kind = KINDS[len(drafted) % len(KINDS)]
        if kind == "single_choice" and len(wrong) >= 2:
            content = _choice(concept, sentence, match, wrong)
        elif kind == "true_false":
            content = _true_false(concept, sentence, match, wrong)
        else:
            content = _cloze(concept, sentence, match)
        content.update(skills=[concept.lower()], tags=["generated"])
        drafted.append(Drafted(validate_content(content), sentence))
        used.add(sentence)
        if len(drafted) == limit:
            break
    return drafted
