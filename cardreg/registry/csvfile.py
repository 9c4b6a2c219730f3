"""Reading an operator's CSV file: its encoding, its header, its rows with their line numbers.

Files come from Excel on a Traditional-Chinese Windows (CP950, i.e. Big5) as often as in UTF-8,
with or without a BOM. The encoding is decided on the *whole* file before it is split into rows:
a file whose first 10,000 rows are plain ASCII may still hold Big5 names on row 10,001. The
file is decoded block by block, twice (once to choose, once to read), so a file of millions of
rows never sits in memory.
"""

from __future__ import annotations

import codecs
import csv
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

# Tried in this order: UTF-8 first (a Big5 file is almost never valid UTF-8), then Big5 as
# Windows writes it, then Hong Kong's superset for the rare characters CP950 lacks.
ENCODINGS = ("utf-8-sig", "cp950", "big5hkscs")
_BLOCK = 1 << 20


class ImportFileError(ValueError):
    """A problem in the file, with its line (1 = the header) and column."""

    def __init__(self, line: int, column: str, problem: str) -> None:
        super().__init__(f"line {line}, {column}: {problem}")
        self.line, self.column, self.problem = line, column, problem


@dataclass(frozen=True)
class Record:
    line: int
    values: dict[str, str]


def _first_bad_line(path: Path, encoding: str) -> int | None:
    """The line of the first byte `encoding` cannot decode, or None if the whole file decodes."""
    decoder = codecs.getincrementaldecoder(encoding)()
    lines_before = 0
    with path.open("rb") as handle:
        while True:
            block = handle.read(_BLOCK)
            try:
                decoder.decode(block, final=not block)
            except UnicodeDecodeError as exc:
                return lines_before + exc.object[: exc.start].count(b"\n") + 1
            if not block:
                return None
            lines_before += block.count(b"\n")


def detect_encoding(path: Path) -> str:
    """The first of ENCODINGS that decodes the whole file; ImportFileError if none does."""
    furthest = 1
    for encoding in ENCODINGS:
        bad_line = _first_bad_line(path, encoding)
        if bad_line is None:
            return encoding
        furthest = max(furthest, bad_line)
    # The encoding that read furthest is most likely the intended one: its bad line is the one
    # the operator should look at.
    raise ImportFileError(
        furthest, "file", "is neither UTF-8 nor Big5 (CP950); save it again as 'CSV UTF-8'"
    )


def read_records(
    path: Path, encoding: str, columns: Sequence[str], *, extra_columns: bool = False
) -> Iterator[Record]:
    """The rows as {column: stripped value}, after checking the header names `columns`.

    With `extra_columns`, the header may hold other columns too, in any order (they are ignored);
    without it, the header must be exactly `columns`.
    """
    with path.open(encoding=encoding, newline="") as handle:
        reader = csv.DictReader(handle)
        header = [name.strip() for name in reader.fieldnames or []]
        _check_header(header, columns, extra_columns)
        reader.fieldnames = header
        for row in reader:
            if None in row or None in row.values():
                raise ImportFileError(reader.line_num, "row", f"must have {len(header)} columns")
            yield Record(reader.line_num, {name: row[name].strip() for name in columns})


def _check_header(header: list[str], columns: Sequence[str], extra_columns: bool) -> None:
    if extra_columns:
        missing = [name for name in columns if name not in header]
        if missing:
            raise ImportFileError(1, "header", f"missing column(s): {','.join(missing)}")
    elif header != list(columns):
        raise ImportFileError(1, "header", f"must be exactly: {','.join(columns)}")
