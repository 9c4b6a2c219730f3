"""The result CSV: the clerk's rows with 結果 and 原因 added, to fix and upload again.

UTF-8 with a BOM (Excel then opens it as UTF-8) and CRLF. Every cell that a spreadsheet would
run as a formula is written as text (columns.protect_cell); the reader undoes exactly that, and
drops the two added columns, when the file comes back.
"""

import csv
import io
from collections.abc import Callable, Iterable, Mapping, Sequence
from typing import TypeVar

from cardreg.employers.batchfile.columns import (
    COLUMN_TITLES,
    COLUMNS,
    FAILURE,
    REASON_TITLE,
    RESULT_TITLE,
    SUCCESS,
    protect_cell,
)
from cardreg.employers.batchfile.reading import SourceRow

P = TypeVar("P")

HEADER = (*COLUMN_TITLES.values(), RESULT_TITLE, REASON_TITLE)
_WIDTH = len(COLUMNS)


def write_result_csv(
    rows: Iterable[SourceRow],
    results: Mapping[int, Sequence[P]],
    describe: Callable[[P], str],
) -> bytes:
    """The result CSV of `rows`; `results` maps each row number to its problems (none: 成功).

    `describe` words one problem for the clerk (the Django layer passes translated sentences);
    a row's sentences are joined by a space. A row with more than the four columns keeps its
    extra cells after 原因, so nothing the clerk wrote is lost.
    """
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(HEADER)
    for row in rows:
        try:
            problems = results[row.number]
        except KeyError:
            raise ValueError(f"no result for row {row.number}") from None
        cells = row.cells[:_WIDTH] + ("",) * (_WIDTH - len(row.cells))
        outcome = FAILURE if problems else SUCCESS
        reason = " ".join(describe(problem) for problem in problems)
        line = (*cells, outcome, reason, *row.cells[_WIDTH:])
        writer.writerow([protect_cell(cell) for cell in line])
    return ("\ufeff" + out.getvalue()).encode("utf-8", errors="replace")
