"""The result log of a batch, in the seed's format (SPEC §2.4), e.g. for four rows:

    2016/7/13 上午 11:56:45 第1筆資料: A23084**** 非該單位在保保險對象,不入檔!
    ...
    2016/7/13 上午 11:56:45 結束執行
    2016/7/13 上午 11:56:45總共上傳4筆,成功註冊0筆,失敗4筆

Name: ``<unit><ROC date>.<ROC date><HHMMSS>.log``: the uploaded file's name without extension,
then the upload's date and time. Times are Asia/Taipei in the Windows 繁體中文 style (yyyy/M/d,
上午/下午, hh:mm:ss); a row's time is when its chunk was committed. Always Chinese, like the
seed's; UTF-8 with a BOM (Notepad and Excel read it as UTF-8) and CRLF line ends. Kept zipped on
the batch (Batch.log), unzipped for downloads and small attachments.
"""

from __future__ import annotations

import datetime as dt
import io
import zipfile
from collections.abc import Iterator

from django.db import connection
from django.http import StreamingHttpResponse
from django.utils import timezone, translation
from django.utils.http import content_disposition_header

from cardreg.employers.models import Batch, BatchChunk, BatchResult, BatchStatus
from cardreg.employers.wording import NOT_FILED, SUCCESS_TEXT
from cardreg.lib.roc_date import format_roc_compact

_ROWS_PER_FETCH = 10_000
_LINES_PER_WRITE = 1000
_DOWNLOAD_BLOCK = 256 * 1024


def _results(batch: Batch) -> Iterator[tuple[int, str, bool, str]]:
    """The batch's results in row order, fetched in chunks (the ORM's per-value converters cost
    a third of the log's time for 100,000 rows)."""
    table = connection.ops.quote_name(BatchResult._meta.db_table)
    query = (
        f"SELECT row, national_id_masked, ok, reason FROM {table}"  # noqa: S608
        " WHERE batch_id = %s ORDER BY row"
    )
    # A server-side cursor on PostgreSQL (a million rows would otherwise all arrive at once).
    with connection.chunked_cursor() as cursor:
        cursor.execute(query, [batch.pk])
        while rows := cursor.fetchmany(_ROWS_PER_FETCH):
            yield from rows


def log_time(moment: dt.datetime) -> str:
    """`2016/7/13 上午 11:56:45` (Asia/Taipei)."""
    local = timezone.localtime(moment)
    half = "上午" if local.hour < 12 else "下午"
    hour = local.hour % 12 or 12
    return f"{local.year}/{local.month}/{local.day} {half} {hour:02d}:{local:%M:%S}"


def log_file_name(batch: Batch) -> str:
    """e.g. `1333974211050713.1050713104533.log`."""
    stem = batch.file_name.rpartition(".")[0] or batch.file_name
    uploaded = timezone.localtime(batch.submitted_at or batch.created_at)
    return f"{stem}.{format_roc_compact(uploaded.date())}{uploaded:%H%M%S}.log"


def write_log(batch: Batch, status: str, reason: str, now: dt.datetime) -> bytes:
    """The log, zipped (one member, named log_file_name(batch)): a million-row log is ~90 MB of
    text and ~9 MB zipped, and it is written as a stream, never held whole. Rows are read from
    the results in chunks, in row order."""
    with translation.override("zh-hant"):
        success, not_filed = str(SUCCESS_TEXT), str(NOT_FILED)
    chunks = list(
        BatchChunk.objects.filter(batch=batch).order_by("start").values_list("end", "done_at")
    )
    times = [(end, log_time(done_at)) for end, done_at in chunks]
    archive = io.BytesIO()
    with (
        zipfile.ZipFile(archive, "w", zipfile.ZIP_DEFLATED) as zipped,
        zipped.open(log_file_name(batch), "w", force_zip64=True) as out,
    ):
        out.write("\ufeff".encode())
        lines: list[str] = []
        chunk_index = 0
        for position, (row, masked, ok, row_reason) in enumerate(_results(batch)):
            while chunk_index < len(times) - 1 and position >= times[chunk_index][0]:
                chunk_index += 1
            stamp = times[chunk_index][1] if times else log_time(now)
            outcome = success if ok else row_reason.rstrip("。") + not_filed
            lines.append(f"{stamp} 第{row}筆資料: {masked} {outcome}\r\n")
            if len(lines) == _LINES_PER_WRITE:
                out.write("".join(lines).encode("utf-8"))
                lines.clear()
        end = log_time(now)
        if status == BatchStatus.FAILED:
            unprocessed = batch.total - batch.processed
            lines.append(f"{end} 處理中止,未處理{unprocessed}筆:{reason}\r\n")
        lines.append(f"{end} 結束執行\r\n")
        lines.append(
            f"{end}總共上傳{batch.total}筆,成功註冊{batch.succeeded}筆,失敗{batch.failed}筆\r\n"
        )
        out.write("".join(lines).encode("utf-8"))
    return archive.getvalue()


def _member(archive: bytes) -> tuple[zipfile.ZipFile, zipfile.ZipInfo]:
    zipped = zipfile.ZipFile(io.BytesIO(archive))
    return zipped, zipped.infolist()[0]


def log_size(archive: bytes) -> int:
    """The size of the log itself, unzipped."""
    return _member(archive)[1].file_size


def read_log(archive: bytes) -> bytes:
    """The whole log (for a mail attachment of a small log, and for tests)."""
    zipped, member = _member(archive)
    return zipped.read(member)


def log_download(batch: Batch) -> StreamingHttpResponse:
    """The log as a download, unzipped while it is sent."""
    if batch.log is None:
        raise ValueError("the batch has no log yet")
    zipped, member = _member(bytes(batch.log))
    stream = zipped.open(member)
    response = StreamingHttpResponse(
        iter(lambda: stream.read(_DOWNLOAD_BLOCK), b""), content_type="text/plain; charset=utf-8"
    )
    response["Content-Length"] = str(member.file_size)
    response["Content-Disposition"] = content_disposition_header(True, batch.log_name)
    return response
