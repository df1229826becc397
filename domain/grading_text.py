"""Grading what students type: short text (accepted answers, case, regular expressions) and
numbers (tolerance, units). Cloze blanks use the same rules, hence their own entry point.

Each accepted answer carries a credit (1 = full marks; 0 = an expected wrong answer with its
feedback); the best matching one counts. A number or text none of them matches gets the
question's `other_feedback` (Moodle's `*` catch-all).
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import Any

import re2

# "12", "-1.5", "1,5" (decimal comma), ".5", "6.02e23", then an optional unit.
_NUMBER = re.compile(r"^\s*([-+]?(?:\d+(?:[.,]\d*)?|[.,]\d+)(?:[eE][-+]?\d+)?)\s*(.*?)\s*$")


def normalize(text: str, case_sensitive: bool) -> str:
    """Spacing never matters; case only when the author says so."""
    text = " ".join(text.split())
    return text if case_sensitive else text.casefold()


def _options(case_sensitive: bool) -> re2.Options:
    options = re2.Options()
    options.case_sensitive, options.log_errors = case_sensitive, False
    return options


def pattern_error(pattern: str) -> str | None:
    """Why RE2 cannot take a teacher's pattern (backreferences, lookaround), or None."""
    try:
        re2.compile(pattern, options=_options(True))
    except re2.error as e:
        return e.args[0].decode() if e.args and isinstance(e.args[0], bytes) else str(e)
    return None


@lru_cache(maxsize=1024)
def _pattern(pattern: str, case_sensitive: bool) -> Any:
    """Teachers' patterns run on RE2, in time linear in the answer whatever the pattern: Python's
    re backtracks exponentially on some (such as (a+)+b), and one answer could stall grading.
    A pattern saved before RE2 that RE2 cannot compile keeps Python's meaning."""
    try:
        return re2.compile(pattern, options=_options(case_sensitive))
    except re2.error:
        return re.compile(pattern, 0 if case_sensitive else re.IGNORECASE)


def _matches(accepted: dict[str, Any], given: str, case_sensitive: bool) -> bool:
    if accepted.get("regex"):
        try:
            return _pattern(accepted["text"], case_sensitive).fullmatch(given) is not None
        except UnicodeEncodeError:  # a lone surrogate is not text (the API refuses it earlier)
            return False
    return normalize(accepted["text"], case_sensitive) == given


def _best(spec: dict[str, Any], candidates: list[dict[str, Any]]) -> tuple[float, str]:
    if not candidates:
        return 0.0, spec.get("other_feedback", "")
    best = max(candidates, key=lambda c: c.get("credit", 1.0))
    return best.get("credit", 1.0), best.get("feedback", "")


def text_credit(spec: dict[str, Any], text: str) -> tuple[float, str]:
    case_sensitive = spec.get("case_sensitive", False)
    given = normalize(text, case_sensitive)
    return _best(spec, [a for a in spec["answers"] if _matches(a, given, case_sensitive)])


def parse_number(text: str) -> tuple[float, str] | None:
    found = _NUMBER.match(text)
    if found is None:
        return None
    return float(found.group(1).replace(",", ".")), found.group(2)


def numeric_credit(spec: dict[str, Any], text: str) -> tuple[float, str]:
    """The number is converted to the base unit (multiplier 1) before the tolerance check:
    with units m (1) and cm (100), "150 cm" is 1.5."""
    parsed = parse_number(text)
    if parsed is None:
        return 0.0, "That is not a number."
    value, unit = parsed
    units = {u["unit"]: u["multiplier"] for u in spec.get("units", [])}
    if unit:
        if unit not in units:
            return 0.0, f"The unit '{unit}' is not accepted here."
        value /= units[unit]
    elif units and spec.get("unit_required", False):
        return 0.0, "Give the unit with your number."
    relative = spec.get("tolerance_mode", "absolute") == "relative"
    hits = []
    for accepted in spec["answers"]:
        allowed = accepted.get("tolerance", 0.0) * (abs(accepted["value"]) if relative else 1.0)
        # A little slack for binary floating point: 0.1 + 0.2 is 0.1 + 0.2.
        if abs(value - accepted["value"]) <= allowed + 1e-9 * max(1.0, abs(accepted["value"])):
            hits.append(accepted)
    return _best(spec, hits)


def blank_credit(blank: dict[str, Any], given: str) -> tuple[float, str]:
    if blank["kind"] == "short_text":
        return text_credit(blank, given)
    if blank["kind"] == "numeric":
        return numeric_credit(blank, given)
    option = next(o for o in blank["options"] if o["id"] == given)
    return (1.0 if option["correct"] else 0.0), option.get("feedback", "")
