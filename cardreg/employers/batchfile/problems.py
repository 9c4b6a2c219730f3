"""What can be wrong with an uploaded file as a whole, and the limits; the Django layer words
each problem and states the limits on the upload page."""

import enum

MIB = 1024 * 1024
MAX_BYTES = 20 * MIB
MAX_ROWS = 200_000  # data rows, blank rows not counted
# A zip can unpack to far more than it weighs; a real 200,000-row sheet unpacks to 50–80 MiB.
MAX_XLSX_UNPACKED_BYTES = 200 * MIB
# Python's csv module refuses a longer field (csv.field_size_limit()'s default, left alone because
# it is process-wide); no real e-mail or phone number comes near it.
MAX_CELL_CHARS = 131_072


class FileProblem(enum.StrEnum):
    """Why a file is refused. `UploadRefused.params` holds the values named after each member."""

    EMPTY = "empty"  # no bytes, or only blank lines
    TOO_LARGE = "too_large"  # limit_mib: over MAX_BYTES
    TOO_LARGE_UNPACKED = "too_large_unpacked"  # limit_mib: an .xlsx unpacking to over that
    TOO_MANY_ROWS = "too_many_rows"  # limit: over MAX_ROWS data rows
    HEADER_ONLY = "header_only"  # the header row and no data row
    WRONG_CONTENT = "wrong_content"  # kind (ContentKind), expected (FileFormat): e.g. a renamed PDF
    ENCODING = "encoding"  # line: not UTF-8, CP950 or Big5-HKSCS text from that line on
    CSV_SYNTAX = "csv_syntax"  # line: a quote opened there is never closed or is followed by text
    # line, limit: a cell of the record starting on that line has over MAX_CELL_CHARS characters
    # (usually a quote left open that swallows the lines after it)
    CELL_TOO_LONG = "cell_too_long"
    DAMAGED_XLSX = "damaged_xlsx"  # an .xlsx that cannot be read
    TOO_MANY_COLUMNS = "too_many_columns"  # limit: an .xlsx with a value past that column
    # an .xlsx holding far more empty cells than values (a zip bomb of `<c/>`)
    TOO_MANY_EMPTY_CELLS = "too_many_empty_cells"
    TOO_SLOW = "too_slow"  # limit: an .xlsx that takes longer than that many seconds to read
    NOT_BATCH_FORMAT = "not_batch_format"  # expected, found: most rows have `found` columns


class UploadRefused(ValueError):
    """The file cannot be used at all; `problem` and `params` say why, for the clerk."""

    def __init__(self, problem: FileProblem, **params: str | int) -> None:
        super().__init__(f"upload refused: {problem}")
        self.problem = problem
        self.params: dict[str, str | int] = params
