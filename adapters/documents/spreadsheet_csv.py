"""CSV for people who open it in a spreadsheet: a text cell that a spreadsheet would run as a
formula (it starts with =, +, -, @, a tab or a carriage return) gets a leading apostrophe, so a
display name such as =HYPERLINK(...) shows as text instead of a live link (OWASP's advice).
Numbers stay numbers; every CSV export goes through `write_csv`."""

from __future__ import annotations

import polars as pl

_FORMULA_START = r"^[=+\-@\t\r]"


def write_csv(frame: pl.DataFrame) -> str:
    text_columns = [name for name, dtype in frame.schema.items() if dtype == pl.String]
    if text_columns:
        frame = frame.with_columns(
            pl.when(pl.col(name).str.contains(_FORMULA_START)).then("'" + pl.col(name)).otherwise(pl.col(name))
            .alias(name) for name in text_columns
        )
    return frame.write_csv()
