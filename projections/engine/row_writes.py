"""Set-based handler writes: a handler hands the engine one row statement per row it changes,
the engine sends a batch's statements of the same kind as ONE statement over arrays (`unnest`).

A `RowStatement` is written as the plain per-row INSERT ... VALUES or UPDATE ... WHERE with %s
placeholders and the SQL types of its parameters; its set-based form is derived from it. The
contract: it reads and writes only the row of its own table named by the `key` the handler gives
(the table's primary key value), or, with key=WHOLE_TABLE, any rows of that table.

Order is kept where it matters: each statement is placed one round after the last earlier
statement on the same row (or on the whole table), so two statements on one row are never in the
same set-based statement and run in the order the events came; statements on different rows
commute. A batch of n events thus costs (longest chain of writes on one row) x (kinds of
statement) statements instead of n. Live following and rebuilds use the same path, so they
build the same tables whatever the batch size.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from operator import attrgetter
from typing import Any

import psycopg

WHOLE_TABLE = object()  # the key of a statement that may touch any row of its table

_INSERT = re.compile(r"\s*INSERT INTO (?P<table>\w+)\s*\((?P<columns>[^)]*)\)\s*VALUES\s*\(", re.I | re.S)
_UPDATE = re.compile(r"\s*UPDATE (?P<table>\w+) SET (?P<set>.*?) WHERE (?P<where>.*)", re.I | re.S)


def _closing(text: str, start: int) -> int:
    """The index of the parenthesis closing the one opened just before `start`."""
    depth = 1
    for i in range(start, len(text)):
        depth += {"(": 1, ")": -1}.get(text[i], 0)
        if depth == 0:
            return i
    raise ValueError(f"unbalanced parentheses in {text!r}")


def _numbered(fragment: str, first: int) -> tuple[str, int]:
    """Replace each %s by the matching unnest column (v.p<n>); returns the text and the next n."""
    parts = fragment.split("%s")
    out = parts[0]
    for i, part in enumerate(parts[1:]):
        out += f"v.p{first + i}" + part
    return out, first + len(parts) - 1


@dataclass(frozen=True, eq=False)  # compared and hashed by identity: a dict key on every add
class RowStatement:
    sql: str
    types: tuple[str, ...]
    table: str = field(init=False)
    set_based: str = field(init=False)
    _encoders: tuple[Callable[[Any], str], ...] = field(init=False, repr=False)

    def __post_init__(self) -> None:
        if self.sql.count("%s") != len(self.types):
            raise ValueError(f"{len(self.types)} types for {self.sql.count('%s')} parameters: {self.sql!r}")
        arrays = ", ".join(f"%s::{'text' if t.endswith('[]') else t}[]" for t in self.types)
        object.__setattr__(self, "_encoders", tuple(_encoder(t) for t in self.types))
        columns = ", ".join(f"p{i}" for i in range(len(self.types)))
        source = f"unnest({arrays}) AS v({columns})"
        if m := _INSERT.match(self.sql):
            end = _closing(self.sql, m.end())
            values, _ = _numbered(self.sql[m.end():end], 0)
            rest = self.sql[end + 1:]
            table, text = m["table"], f"INSERT INTO {m['table']} ({m['columns']}) SELECT {values} FROM {source}{rest}"
        elif m := _UPDATE.match(self.sql):
            assignments, n = _numbered(m["set"], 0)
            where, _ = _numbered(m["where"], n)
            table, text = m["table"], f"UPDATE {m['table']} SET {assignments} FROM {source} WHERE {where}"
        else:
            raise ValueError(f"a row statement is INSERT INTO t (...) VALUES (...) or UPDATE t SET ... WHERE: {self.sql!r}")
        # Array-typed parameters travel as array literals in a text[] and are cast back per row.
        for i, t in enumerate(self.types):
            if t.endswith("[]"):
                text = re.sub(rf"\bv\.p{i}\b", f"v.p{i}::{t}", text)
        object.__setattr__(self, "table", table)
        object.__setattr__(self, "set_based", text)


def row_statement(sql: str, types: str) -> RowStatement:
    """`types`: the SQL types of the %s parameters in order, separated by spaces."""
    return RowStatement(sql, tuple(types.split()))


# A column goes to PostgreSQL as ONE array literal built here: psycopg's list dumper, element by
# element in Python, took most of a rebuild's time.
def _quoted(value: Any) -> str:
    return '"' + str(value).replace("\\", "\\\\").replace('"', '\\"') + '"'


def _array_literal(values: Any) -> str:
    return "{" + ",".join("NULL" if v is None else _quoted(v) for v in values) + "}"


_PLAIN = {"int", "integer", "bigint", "smallint", "numeric", "real", "float8", "double precision"}
_TIMES = {"date", "time", "timetz"}
_UUID_HEX = attrgetter("hex")  # 32 hex digits, which uuid input accepts: faster than str(uuid)


def _encoder(sql_type: str) -> Callable[[Any], str]:
    """How one value of the type is written inside an array literal."""
    if sql_type.endswith("[]"):
        return lambda v: _quoted(_array_literal(v))
    if sql_type == "uuid":
        return _UUID_HEX
    if sql_type in _PLAIN:
        return str
    if sql_type in ("timestamptz", "timestamp"):
        return datetime.isoformat
    if sql_type in _TIMES:
        return lambda v: v.isoformat()
    return _quoted


def _column(values: tuple[Any, ...], encode: Callable[[Any], str]) -> str:
    return "{" + ",".join([encode(v) if v is not None else "NULL" for v in values]) + "}"


class Writes:
    """The set-based writes of one batch; `cursor` gives the batch's cursor for anything else,
    after sending what was queued (so every write before it happens first)."""

    def __init__(self, cur: psycopg.Cursor) -> None:
        self._cur = cur
        self._reset()

    def _reset(self) -> None:
        self._rounds: list[dict[RowStatement, list[tuple[Any, ...]]]] = []
        self._row_round: dict[tuple[str, Any], int] = {}
        self._table_round: dict[str, int] = {}  # the last WHOLE_TABLE statement's round
        self._last_round: dict[str, int] = {}  # the last round of any statement on the table

    def add(self, statement: RowStatement, key: Any, *params: Any) -> None:
        table = statement.table
        if key is WHOLE_TABLE:
            at = self._last_round.get(table, -1) + 1
            self._table_round[table] = at
        else:
            at = max(self._row_round.get((table, key), -1), self._table_round.get(table, -1)) + 1
            self._row_round[(table, key)] = at
        self._last_round[table] = max(at, self._last_round.get(table, -1))
        if at == len(self._rounds):
            self._rounds.append(defaultdict(list))
        self._rounds[at][statement].append(params)

    @property
    def cursor(self) -> psycopg.Cursor:
        self.flush()
        return self._cur

    def flush(self) -> None:
        for statements in self._rounds:
            for statement, rows in statements.items():
                columns = zip(*rows, strict=True)
                self._cur.execute(statement.set_based, [
                    _column(c, encode) for c, encode in zip(columns, statement._encoders, strict=True)])
        self._reset()
