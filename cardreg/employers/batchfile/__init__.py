"""The upload file of 投保單位整批註冊 (SPEC §2.4): pure functions, no Django, no database.

    check_file_name(name, unit_code, today)  → FileNameProblem | None  (expected_name() to suggest)
    read_upload(data, filename)              → Upload, or raises UploadRefused(FileProblem, params)
    scan_upload(data, filename)              → the same checks, rows counted but not kept
    stream_rows(data, upload)                → the rows one at a time (bounded memory)
    validate_rows(upload)                    → one RowResult per data row (problems, or ok)
    write_result_csv(rows, results, describe) → the clerk's rows + 結果 + 原因, as CSV bytes

The Django layer words every problem (FileNameProblem, FileProblem with ContentKind,
RowProblem's codes) in the user's language; nothing here is shown to a user as is.
"""

from cardreg.employers.batchfile.columns import (
    COLUMN_TITLES,
    COLUMNS,
    FAILURE,
    FORMULA_TRIGGERS,
    SUCCESS,
    Column,
    protect_cell,
    unprotect_cell,
)
from cardreg.employers.batchfile.content import ContentKind, sniff_content
from cardreg.employers.batchfile.emails import EmailProblem, check_email
from cardreg.employers.batchfile.names import (
    FileFormat,
    FileNameProblem,
    check_file_name,
    expected_name,
    file_format,
)
from cardreg.employers.batchfile.problems import (
    MAX_BYTES,
    MAX_CELL_CHARS,
    MAX_ROWS,
    MAX_XLSX_UNPACKED_BYTES,
    FileProblem,
    UploadRefused,
)
from cardreg.employers.batchfile.reading import (
    ENCODINGS,
    SourceRow,
    Upload,
    read_upload,
    scan_upload,
    stream_rows,
)
from cardreg.employers.batchfile.result_csv import write_result_csv
from cardreg.employers.batchfile.rows import (
    ProblemCode,
    RowProblem,
    RowProblemCode,
    RowResult,
    validate_row,
    validate_rows,
)

__all__ = [
    "COLUMNS",
    "COLUMN_TITLES",
    "ENCODINGS",
    "FAILURE",
    "FORMULA_TRIGGERS",
    "MAX_BYTES",
    "MAX_CELL_CHARS",
    "MAX_ROWS",
    "MAX_XLSX_UNPACKED_BYTES",
    "SUCCESS",
    "Column",
    "ContentKind",
    "EmailProblem",
    "FileFormat",
    "FileNameProblem",
    "FileProblem",
    "ProblemCode",
    "RowProblem",
    "RowProblemCode",
    "RowResult",
    "SourceRow",
    "Upload",
    "UploadRefused",
    "check_email",
    "check_file_name",
    "expected_name",
    "file_format",
    "protect_cell",
    "read_upload",
    "scan_upload",
    "sniff_content",
    "stream_rows",
    "unprotect_cell",
    "validate_row",
    "validate_rows",
    "write_result_csv",
]
