"""Moodle GIFT and XML: the sample files in tests/fixtures, export -> import round trips that
lose nothing they do not name (Markdown, expected wrong answers and catch-all feedback included),
embedded files, and mangled files that never crash the parsers. The re-creations of Moodle's
own fixtures are golden tests through the API (tests/api/assessment/test_moodle_golden.py)."""

from __future__ import annotations

import random
from pathlib import Path
from uuid import uuid4

import pytest
from pydantic import ValidationError

from adapters.moodle.gift import parse_gift
from adapters.moodle.gift_export import render_gift
from adapters.moodle.question_texts import EmbeddedFile
from adapters.moodle.xml import parse_moodle_xml
from adapters.moodle.xml_export import render_moodle_xml
from commands.assessment.question_specs import validate_content
from domain.errors import InvalidInput
from domain.grading import mark
from tests.assessment_samples import SAMPLES

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"


def contents(parsed) -> list[dict]:
    return [validate_content(raw) for _, raw in parsed.questions]


def test_gift_sample_file():
    parsed = parse_gift((FIXTURES / "moodle_questions.gift").read_text())
    found = {q["title"]: q for q in contents(parsed)}
    assert [q["type"] for q in found.values()] == [
        "single_choice", "single_choice", "multiple_choice", "true_false", "short_text", "matching",
        "numeric", "numeric", "numeric", "essay"]
    assert parsed.unsupported == [{"index": 11, "name": "Section intro", "type": "description",
                                   "reason": "a description without answers is not a question"}]
    france = found["Capital of France"]
    assert france["skills"] == ["Geography/Capitals"] and france["general_feedback"].startswith("Capitals")
    assert mark(france, {"option_id": "a"}).feedback[0].startswith("Correct, Paris")
    assert found["Gandhi holiday"]["prompt"].endswith("holiday on _____ of October.")
    assert mark(found["Nordic capitals"], {"option_ids": ["a", "b"]}).fraction == 1.0
    assert mark(found["Nordic capitals"], {"option_ids": ["a", "c"]}).fraction == 0.0
    assert found["Sydney is the capital"]["correct"] is False
    assert mark(found["Largest ocean"], {"text": "pacific ocean"}).fraction == 0.5
    assert mark(found["Boiling range"], {"text": "100.9"}).fraction == 1.0
    assert mark(found["Gravity"], {"text": "9.7"}).fraction == 0.5
    assert found["Speed of a walker"]["skills"] == ["Physics/Kinematics"]
    assert any("default rubric" in w for w in parsed.warnings)


def test_moodle_xml_sample_file():
    parsed = parse_moodle_xml((FIXTURES / "moodle_questions.xml").read_bytes())
    found = {q["title"]: q for q in contents(parsed)}
    assert sorted(q["type"] for q in found.values()) == sorted(
        ["single_choice", "multiple_choice", "true_false", "short_text", "numeric", "matching", "cloze", "essay", "ordering"])
    assert [(u["index"], u["type"]) for u in parsed.unsupported] == [(10, "calculatedsimple"), (11, "description"), (12, "cloze")]
    assert "MULTIRESPONSE" in parsed.unsupported[2]["reason"]
    gold = found["Symbol for gold"]
    assert (gold["prompt"], gold["skills"], gold["tags"]) == (
        "What is the chemical symbol for **gold**?", ["Chemistry/Elements", "Latin roots"], ["metals"])
    assert mark(found["Lightest element"], {"text": "H2"}).fraction == 0.5  # "H*" wildcard
    assert mark(found["Molar mass of water"], {"text": "0.018 kg/mol"}).fraction == 1.0
    assert mark(found["Element symbols"], {"matches": {"s1": "c1", "s2": "c2", "s3": "c3"}}).fraction == 1.0
    assert len(found["Element symbols"]["choices"]) == 4  # "Ir" is a distractor
    cloze = found["Water facts"]
    assert cloze["prompt"].startswith("Water is made of {{1}} and oxygen.")
    assert mark(cloze, {"blanks": {"1": "Hydrogen", "2": "100.5", "3": "a"}}).fraction == 1.0
    assert found["Order by atomic number"]["items"][0]["text"] == "Hydrogen"
    assert found["Why the periodic table works"]["grader_info"] == "Look for valence electrons."


@pytest.mark.parametrize("bad", ["<quiz><question type='truefalse'>", "<notaquiz/>", "plain text"])
def test_unreadable_xml_is_a_value_error(bad):
    with pytest.raises(ValueError):
        parse_moodle_xml(bad)


def _all_samples() -> list[dict]:
    return [validate_content({**s["question"], "skills": ["Science/Basics"], "tags": ["sample"]}) for s in SAMPLES.values()]


def _variant(kind: str, title: str, **change) -> dict:
    return validate_content({**SAMPLES[kind]["question"], "title": title, **change})


# What the samples do not show: wildcards, stars, all-or-nothing, distractors, a required unit,
# several skills and tags, no skills after some, cloze blanks Moodle cannot say, essay extras.
VARIANTS = [
    _variant("short_text", "Wildcards", answers=[{"text": "H.*", "regex": True}, {"text": "2*3"},
                                                 {"text": ".*oxide", "regex": True, "credit": 0.5}]),
    _variant("short_text", "Cased", case_sensitive=True, skills=["Chemistry", "Latin roots"], tags=["metals", "hard"]),
    _variant("multiple_choice", "Strict primes", scoring="all_or_nothing"),
    _variant("matching", "Strict capitals", scoring="all_or_nothing"),
    _variant("numeric", "Unit needed", unit_required=True, tolerance_mode="relative"),
    _variant("cloze", "Lab", prompt="Gas {{g}} weighs {{w}}.", blanks=[
        {"id": "g", "kind": "short_text", "answers": [{"text": "He.*", "regex": True}, {"text": "(Ne|Ar)", "regex": True}]},
        {"id": "w", "kind": "numeric", "answers": [{"value": 4}], "units": [{"unit": "g", "multiplier": 1}]}]),
    _variant("essay", "Essay extras", grader_info="Look for sources.", response_template="I think...", rubric=[
        {"id": "r", "title": "Reasoning", "levels": [{"id": "no", "label": "None", "points": 0},
                                                     {"id": "yes", "label": "Sound", "points": 2, "description": "All steps"}]}]),
    # Markdown in every text, expected wrong answers (credit 0) and feedback for any other answer.
    _variant("single_choice", "Formatted", prompt="Which is **bold**?\\\nPick *one*: `code` & <tags>", options=[
        {"id": "a", "text": "**this**", "correct": True, "feedback": "Yes: `**` makes it _bold_."},
        {"id": "b", "text": "*that*", "feedback": "No, that is *italic*."}], general_feedback="1. Markdown\n2. HTML"),
    _variant("short_text", "Anticipated", answers=[{"text": "Paris"}, {"text": "Lyon", "credit": 0, "feedback": "Third city."}],
             other_feedback="Try **again**."),
    _variant("numeric", "Wrong numbers", answers=[{"value": 1.5}, {"value": 3, "credit": 0, "feedback": "Twice too much."}],
             units=[], other_feedback="Measure *again*."),
    _variant("cloze", "Catch-all blanks", prompt="Gas {{1}} has {{2}} protons.", blanks=[
        {"id": "1", "kind": "short_text", "answers": [{"text": "Helium"}, {"text": "Hydrogen", "credit": 0, "feedback": "One."}],
         "other_feedback": "Not a *noble* gas."},
        {"id": "2", "kind": "numeric", "answers": [{"value": 2}], "other_feedback": "Count again."}]),
]


def _differences(before: dict, after: dict | None) -> set[str]:
    if after is None:
        return {"(the whole question)"}
    return {k for k in set(before) | set(after) if before.get(k) != after.get(k)}


@pytest.mark.parametrize("fmt", ["gift", "moodle_xml"])
def test_an_export_loses_nothing_it_does_not_name(fmt):
    """Exported and imported again, a question comes back the same, or the export named what
    it lost (warnings, or not exported at all)."""
    render, parse = {"gift": (render_gift, parse_gift), "moodle_xml": (render_moodle_xml, parse_moodle_xml)}[fmt]
    originals = _all_samples() + VARIANTS
    written = render(originals)
    again = {q["title"]: q for q in contents(parse(written.text))}
    named = {w.split("': ")[0][1:] for w in written.warnings} | {n["title"] for n in written.not_exported}
    for before in originals:
        changed = _differences(before, again.get(before["title"]))
        assert not changed or before["title"] in named, (before["title"], changed)
    assert {n["title"] for n in written.not_exported} == (
        {"Planets", "Water", "Lab", "Catch-all blanks"} if fmt == "gift" else set())
    for title in ("Formatted", "Anticipated", "Wrong numbers") + (("Catch-all blanks",) if fmt == "moodle_xml" else ()):
        assert again[title] == next(q for q in originals if q["title"] == title), title


def _warned(written, title: str) -> list[str]:
    return [w.split("': ", 1)[1] for w in written.warnings if w.startswith(f"'{title}': ")]


def test_moodle_xml_carries_wildcards_rubrics_units_and_all_or_nothing():
    written = render_moodle_xml(_all_samples() + VARIANTS)
    again = {q["title"]: q for q in contents(parse_moodle_xml(written.text))}
    assert again["Wildcards"]["answers"] == VARIANTS[0]["answers"]  # back to the same regular expressions
    assert "<text>2\\*3</text>" in written.text and "<text>H*</text>" in written.text
    assert again["Strict primes"]["scoring"] == "all_or_nothing" and 'type="multichoiceset"' in written.text
    assert again["Unit needed"]["unit_required"] is True
    assert mark(again["Unit needed"], {"text": "1.5"}).fraction == 0.0  # without its unit
    assert mark(again["Unit needed"], {"text": "150 cm"}).fraction == 1.0
    essay = again["Essay extras"]
    assert (essay["grader_info"], essay["response_template"]) == ("Look for sources.", "I think...")
    assert [lv["points"] for lv in essay["rubric"][0]["levels"]] == [0, 2] and essay["rubric"][0]["title"] == "Reasoning"
    assert again["Why learn"]["rubric"] == _all_samples()[-1]["rubric"]
    assert again["Cased"]["skills"] == ["Chemistry", "Latin roots"] and again["Cased"]["tags"] == ["metals", "hard"]
    assert again["Lab"]["blanks"][0]["answers"] == [{"text": "He.*", "regex": True, "credit": 1.0, "feedback": ""}]
    assert _warned(written, "Lab") == ["blank ids g, w written as 1, 2 (Moodle numbers blanks in order)",
                                       "regular-expression answer of blank g left out: (Ne|Ar)",
                                       "units of blank w left out (cloze numbers have none): g"]
    assert _warned(written, "Strict capitals") == ["all-or-nothing scoring left out: Moodle scores each match"]
    assert "rubric level descriptions left out" in _warned(written, "Essay extras")
    assert "<!-- regular-expression answer left out: (william )?shakespeare -->" in written.text


def test_gift_carries_tags_skills_wildcards_and_distractors_and_names_the_rest():
    written = render_gift(_all_samples() + VARIANTS)
    again = {q["title"]: q for q in contents(parse_gift(written.text))}
    assert again["Cased"]["skills"] == ["Chemistry", "Latin roots"] and again["Cased"]["tags"] == ["metals", "hard"]
    assert "// [tag:metals] [tag:hard] [tag:skill:Latin roots]" in written.text
    assert again["Capital of France"]["tags"] == ["sample"] and again["Capital of France"]["skills"] == ["Science/Basics"]
    assert again["Wildcards"]["answers"] == VARIANTS[0]["answers"]
    assert len(again["Capitals"]["choices"]) == 5  # the distractor Oslo travels as "= -> Oslo"
    for title in ("Capital of France", "Primes", "Earth is flat", "Capitals"):
        original = next(q for q in _all_samples() if q["title"] == title)
        assert mark(again[title], SAMPLES[original["type"]]["right"]).fraction == 1.0
    assert _warned(written, "Length") == ["units left out (GIFT numbers have none): m, cm"]
    assert "case-sensitive matching left out (GIFT answers ignore case)" in _warned(written, "Cased")
    assert _warned(written, "Unit needed") == ["units left out (GIFT numbers have none): m, cm",
                                               "relative tolerance written as absolute (grades the same)"]
    assert _warned(written, "Strict primes") == ["all-or-nothing scoring left out: GIFT weights score right minus wrong"]
    assert _warned(written, "Essay extras") == [
        "rubric left out (GIFT essays have none; imported again, the essay gets the default rubric)",
        "grader information left out", "response template left out"]
    assert written.not_exported[0] == {"index": 7, "title": "Planets", "type": "ordering",
                                       "reason": "GIFT cannot express ordering questions (use Moodle XML)"}
    assert "// not exported: 'Water': GIFT cannot express cloze questions (use Moodle XML)" in written.text
    assert "// units left out (GIFT numbers have none): m, cm" in written.text


def test_uneven_moodle_weights_are_named_on_import():
    gift = parse_gift("::Gases::Which are noble? {~%70%Neon ~%30%Argon ~%-100%Nitrogen}\n\n"
                      "::Even::Which are noble? {~%50%Neon ~%50%Argon ~%-100%Nitrogen}")
    assert [w for w in gift.warnings if "weights" in w] == [
        "'Gases': answer weights (70%, 30%, -100%) imported as right minus wrong: each right option 50%, each wrong one -100%"]
    xml = parse_moodle_xml('<quiz><question type="multichoice"><name><text>Free wrong</text></name>'
                           '<questiontext><text>Which?</text></questiontext><single>false</single>'
                           '<answer fraction="50"><text>a</text></answer><answer fraction="50"><text>b</text></answer>'
                           '<answer fraction="0"><text>c</text></answer></question></quiz>')
    assert xml.warnings == ["'Free wrong': answer weights (50%, 50%, 0%) imported as right minus wrong: each right"
                            " option 50%, each wrong one -100%"]


_TOKENS = ["{", "}", "~", "=", "#", ":", "::", "->", "%", "%50%", "%-100%", "..", "\\", "\n\n", "T", "FALSE", "*",
           "1e999", "nan", "", "<", ">", "&#0;", "\x00", "{1:NUMERICAL:=x}", "{1:MULTICHOICE:}", "{:SA:}",
           "$CATEGORY: ", "// [tag:x]", "[html]", "####", "]]>", "<text>", "</text>", 'fraction="x"', "Rubric:\n- a"]


def _mutated(rng: random.Random, text: str) -> str:
    chars = list(text)
    for _ in range(rng.randint(1, 8)):
        at = rng.randrange(len(chars) + 1)
        if (pick := rng.random()) < 0.5:
            chars[at:at] = list(rng.choice(_TOKENS))
        elif pick < 0.8:
            del chars[at:at + rng.randint(1, 20)]
        else:
            chars[at:at] = chars[rng.randrange(len(chars)):][:rng.randint(1, 40)]
    return "".join(chars)


@pytest.mark.parametrize("seed", range(4))
def test_mangled_files_are_read_or_refused_never_crash(seed):
    """Parsers raise ValueError (a 422) or list what they could not read; questions validate or
    are refused with ValidationError/InvalidInput; whatever validates exports again."""
    rng = random.Random(seed)
    samples = {"gift": (FIXTURES / "moodle_questions.gift").read_text(), "xml": (FIXTURES / "moodle_questions.xml").read_text()}
    for _ in range(150):
        for fmt, parse in (("gift", parse_gift), ("xml", parse_moodle_xml)):
            try:
                parsed = parse(_mutated(rng, samples[fmt]))
            except ValueError:
                continue
            valid = []
            for _, raw in parsed.questions:
                try:
                    valid.append(validate_content(raw))
                except (ValidationError, InvalidInput):
                    pass
            render_gift(valid)
            render_moodle_xml(valid)


def _variant_named(title: str) -> dict:
    return next(q for q in VARIANTS if q["title"] == title)


def test_expected_wrong_answers_and_feedback_for_any_other_answer():
    anticipated, numbers = _variant_named("Anticipated"), _variant_named("Wrong numbers")
    assert (mark(anticipated, {"text": "lyon"}).fraction, mark(anticipated, {"text": "lyon"}).feedback) == (0.0, ("Third city.",))
    assert mark(anticipated, {"text": "Rome"}).feedback == ("Try **again**.",)
    assert mark(anticipated, {"text": "paris"}).fraction == 1.0
    assert mark(numbers, {"text": "3"}).feedback == ("Twice too much.",)
    assert mark(numbers, {"text": "9"}).feedback == ("Measure *again*.",)
    assert mark(numbers, {"text": "nine"}).feedback == ("That is not a number.",)
    blanks = mark(_variant_named("Catch-all blanks"), {"blanks": {"1": "Neon", "2": "3"}})
    assert blanks.feedback == ("Not a *noble* gas.", "Count again.")


def test_moodle_xml_embeds_linked_files_and_names_those_it_cannot():
    kept, refused = uuid4(), uuid4()
    question = validate_content({**SAMPLES["true_false"]["question"], "title": "Pictures",
                                 "prompt": f"![a](/api/v1/media/{kept}/content) ![b](/api/v1/media/{refused}/content)"})
    files = {kept: EmbeddedFile("a.png", b"\x89PNG bytes"), refused: EmbeddedFile("", b"", "too large")}
    written = render_moodle_xml([question], files.__getitem__)
    assert '<file name="a.png" path="/" encoding="base64">' in written.text
    assert _warned(written, "Pictures") == [f"linked file {refused} not embedded (too large); the link points at SkillHub"]
    parsed = parse_moodle_xml(written.text)
    assert parsed.files[0].data == b"\x89PNG bytes"
    assert parsed.questions[0][1]["prompt"] == f"![a](skillhub-file:0) ![b](/api/v1/media/{refused}/content)"


def test_gift_markers_leave_accepted_answers_and_choices_too():
    parsed = parse_gift("::Frog::[html]Which <b>amphibian</b>? {=[plain]Frog =%0%[html]<i>Toad</i>#[html]<b>No</b>"
                        " =%0%*#[markdown]Try *again*}")
    assert contents(parsed)[0] == {
        "title": "Frog", "prompt": "Which **amphibian**?", "general_feedback": "", "skills": [], "tags": [],
        "type": "short_text", "case_sensitive": False, "other_feedback": "Try *again*", "answers": [
            {"text": "Frog", "regex": False, "credit": 1.0, "feedback": ""},
            {"text": "Toad", "regex": False, "credit": 0.0, "feedback": "**No**"}]}
