"""Hostile and large .xlsx files built in memory, for the tests and benchmarks/xlsx.py."""

import io
import zipfile

from cardreg.employers.batchfile.problems import MIB

_CONTENT_TYPES = (
    '<?xml version="1.0" encoding="UTF-8"?>'
    '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    '<Default Extension="xml" ContentType="application/xml"/>'
    '<Default Extension="rels" '
    'ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
    '<Override PartName="/xl/workbook.xml" ContentType="application/'
    'vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
    '<Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/'
    'vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
    "</Types>"
)
_ROOT_RELS = (
    '<?xml version="1.0" encoding="UTF-8"?>'
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    '<Relationship Id="rId1" Target="xl/workbook.xml" Type="http://schemas.openxmlformats.org/'
    'officeDocument/2006/relationships/officeDocument"/></Relationships>'
)
_WORKBOOK = (
    '<?xml version="1.0" encoding="UTF-8"?>'
    '<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
    'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">'
    '<sheets><sheet name="Sheet1" sheetId="1" r:id="rId1"/></sheets></workbook>'
)
_WORKBOOK_RELS = (
    '<?xml version="1.0" encoding="UTF-8"?>'
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    '<Relationship Id="rId1" Target="worksheets/sheet1.xml" Type="http://schemas.'
    'openxmlformats.org/officeDocument/2006/relationships/worksheet"/></Relationships>'
)
_SHEET_START = (
    b'<?xml version="1.0" encoding="UTF-8"?>'
    b'<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>'
    b'<row><c t="inlineStr"><is><t>ID</t></is></c><c t="inlineStr"><is><t>Email</t></is></c>'
    b"</row>"
)
_SHEET_END = b"</sheetData></worksheet>"


def workbook(rows_xml: bytes | list[bytes], *, repeat: int = 1) -> bytes:
    """A one-sheet workbook (no <dimension>) whose sheet holds a header row, then ``rows_xml``
    written ``repeat`` times, deflated as it is written."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
        archive.writestr("[Content_Types].xml", _CONTENT_TYPES)
        archive.writestr("_rels/.rels", _ROOT_RELS)
        archive.writestr("xl/workbook.xml", _WORKBOOK)
        archive.writestr("xl/_rels/workbook.xml.rels", _WORKBOOK_RELS)
        with archive.open("xl/worksheets/sheet1.xml", "w", force_zip64=True) as sheet:
            sheet.write(_SHEET_START)
            chunks = rows_xml if isinstance(rows_xml, list) else [rows_xml]
            for _ in range(repeat):
                for chunk in chunks:
                    sheet.write(chunk)
            sheet.write(_SHEET_END)
    return out.getvalue()


def empty_cell_bomb(unpacked_mib: int = 190, *, cells_per_row: int = 0) -> bytes:
    """~unpacked_mib MiB of `<c/>`: in one row (cells_per_row=0) or in rows of that many."""
    if cells_per_row:
        block = (b"<row>" + b"<c/>" * cells_per_row + b"</row>") * 1000
    else:
        block = b"<c/>" * (MIB // 4)
    repeat = unpacked_mib * MIB // len(block)
    if not cells_per_row:
        return workbook([b"<row>", *[block] * repeat, b"</row>"])
    return workbook(block, repeat=repeat)


def employees_workbook(rows: int) -> bytes:
    """A plain batch sheet of ``rows`` valid-looking rows, strings inline as some programs
    write them, numbers for the phones as Excel stores a "General" cell."""
    out = []
    for index in range(rows):
        out.append(
            b'<row><c t="inlineStr"><is><t>A1%08d</t></is></c>'
            b'<c t="inlineStr"><is><t>p%d@example.com.tw</t></is></c>'
            b"<c><v>9%08d</v></c><c><v>2%07d</v></c></row>"
            % (index, index, index, index % 10_000_000)
        )
    return workbook(out)
