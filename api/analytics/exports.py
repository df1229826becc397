"""One report, three formats: JSON for the dashboards, CSV for spreadsheets (through
adapters/documents/spreadsheet_csv.py), Parquet for the data team."""

from __future__ import annotations

import io
from enum import StrEnum
from typing import Annotated, Any

import polars as pl
from fastapi import Query, Response

from adapters.documents.spreadsheet_csv import write_csv
from api.platform.media_types import CSV, PARQUET, answers


class Format(StrEnum):
    JSON = "json"
    CSV = "csv"
    PARQUET = "parquet"


FormatQuery = Annotated[Format, Query(description="json (default), csv or parquet")]
FILES = answers(CSV, PARQUET)  # `responses=` of every route taking a FormatQuery


def export(frame: pl.DataFrame, fmt: Format, name: str, extra: dict[str, Any] | None = None) -> Any:
    """JSON: `{...extra, "rows": [...]}`; files are the rows alone, named `name`."""
    if fmt == Format.JSON:
        return {**(extra or {}), "rows": frame.to_dicts()}
    if fmt == Format.CSV:
        # A spreadsheet cell holds no list: reasons and the like become "a; b".
        flat = frame.with_columns(pl.col(c).list.join("; ") for c, t in frame.schema.items() if isinstance(t, pl.List))
        return Response(write_csv(flat), media_type="text/csv",
                        headers={"Content-Disposition": f'attachment; filename="{name}.csv"'})
    buffer = io.BytesIO()
    frame.write_parquet(buffer)
    return Response(buffer.getvalue(), media_type="application/vnd.apache.parquet",
                    headers={"Content-Disposition": f'attachment; filename="{name}.parquet"'})
