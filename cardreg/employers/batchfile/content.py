"""What a file really is, from its first bytes: an upload's extension is only the clerk's claim."""

import enum
import io
import zipfile


class ContentKind(enum.StrEnum):
    TEXT = "text"  # what a CSV must be
    XLSX = "xlsx"  # what an .xlsx must be: a zip holding xl/workbook.xml
    ZIP = "zip"  # any other zip: .xlsb, .ods, .docx, an archive, a damaged zip
    OLE2 = "ole2"  # an old .xls or .doc, or a password-protected workbook
    PDF = "pdf"
    EXECUTABLE = "executable"
    IMAGE = "image"
    ARCHIVE = "archive"  # gzip, rar, 7z
    UTF16_TEXT = "utf16_text"  # Excel's 「Unicode 文字」: tab-separated UTF-16, not a CSV
    BINARY = "binary"  # anything else holding NUL bytes, which no text file has


_SIGNATURES = (
    (b"PK\x03\x04", ContentKind.ZIP),
    (b"PK\x05\x06", ContentKind.ZIP),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", ContentKind.OLE2),
    (b"%PDF-", ContentKind.PDF),
    (b"\x7fELF", ContentKind.EXECUTABLE),
    (b"\x89PNG\r\n\x1a\n", ContentKind.IMAGE),
    (b"\xff\xd8\xff", ContentKind.IMAGE),
    (b"GIF87a", ContentKind.IMAGE),
    (b"GIF89a", ContentKind.IMAGE),
    (b"\x1f\x8b", ContentKind.ARCHIVE),
    (b"Rar!\x1a\x07", ContentKind.ARCHIVE),
    (b"7z\xbc\xaf\x27\x1c", ContentKind.ARCHIVE),
    # No CP950 or UTF-8 text starts with FF FE or FE FF.
    (b"\xff\xfe", ContentKind.UTF16_TEXT),
    (b"\xfe\xff", ContentKind.UTF16_TEXT),
)
_WORKBOOK_PART = "xl/workbook.xml"


def sniff_content(data: bytes) -> ContentKind:
    kind = next((kind for magic, kind in _SIGNATURES if data.startswith(magic)), None)
    if kind is ContentKind.ZIP:
        return ContentKind.XLSX if _is_workbook_zip(data) else ContentKind.ZIP
    if kind is not None:
        return kind
    if b"\x00" in data:
        # A Windows program starts with "MZ", which a CSV could too; only the NULs make it binary.
        return ContentKind.EXECUTABLE if data.startswith(b"MZ") else ContentKind.BINARY
    return ContentKind.TEXT


def _is_workbook_zip(data: bytes) -> bool:
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            return _WORKBOOK_PART in archive.namelist()
    except (zipfile.BadZipFile, OSError, ValueError):
        return False
