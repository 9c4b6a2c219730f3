"""Every error the API answers with: ``{"error": {"code", "message", "message_en"}}``.

The Chinese sentences are gettext msgids, as everywhere else; ``message_en`` is their English
from the .po files (a test requires every msgid translated).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from functools import partial

from django.http import JsonResponse
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from cardreg.employers.batches import UploadProblem
from cardreg.employers.batchfile import FileNameProblem, FileProblem, UploadRefused
from cardreg.employers.wording import both, file_message, too_large_message


class ApiError(Exception):
    """Raised anywhere below a view; the gate answers with its JSON."""

    def __init__(
        self,
        status: int,
        code: str,
        message: str,
        message_en: str,
        headers: Mapping[str, str] | None = None,
    ) -> None:
        super().__init__(code)
        self.status, self.code = status, code
        self.message, self.message_en = message, message_en
        self.headers = dict(headers or {})

    def response(self) -> JsonResponse:
        body = {"code": self.code, "message": self.message, "message_en": self.message_en}
        return json_response({"error": body}, status=self.status, headers=self.headers)


def json_response(
    data: object, *, status: int = 200, headers: Mapping[str, str] | None = None
) -> JsonResponse:
    """UTF-8 JSON with the Chinese as it is (not \\u escapes)."""
    return JsonResponse(
        data, status=status, headers=headers, safe=False, json_dumps_params={"ensure_ascii": False}
    )


@dataclass(frozen=True)
class Sentence:
    zh: Promise  # a gettext msgid; the English is the .po's

    def error(
        self,
        status: int,
        code: str,
        headers: Mapping[str, str] | None = None,
        **params: str | int,
    ) -> ApiError:
        zh, en = both(lambda: str(self.zh) % params)
        return ApiError(status, code, zh, en, headers)


MISSING_TOKEN = Sentence(
    _("缺少API金鑰：請在 Authorization 標頭傳送「Bearer API金鑰」。"),
)
INVALID_TOKEN = Sentence(
    _("API金鑰無效或已撤銷。請洽投保單位管理者申請新的金鑰。"),
)
NO_ACCESS = Sentence(
    _("此API金鑰的使用者已不是本投保單位的管理者或承辦人。"),
)
NEEDS_UPLOAD = Sentence(
    _("需要「健保卡註冊上傳」權限。請洽投保單位管理者。"),
)
NEEDS_READ = Sentence(
    _("需要「健保卡註冊上傳」或「健保卡註冊查詢」權限。請洽投保單位管理者。"),
)
NOT_FOUND = Sentence(
    _("查無此資料。上傳紀錄保留3個月；承辦人只能查詢自己上傳的資料。"),
)
METHOD_NOT_ALLOWED = Sentence(
    _("此網址不接受 %(method)s 請求，可用：%(allowed)s。"),
)
NOT_FINISHED = Sentence(
    _("此批次尚未入檔完畢，入檔結果檔在處理完成後才能下載。"),
)
UNREADABLE_REQUEST = Sentence(
    _("無法讀取請求內容。請以 multipart/form-data 傳送，檔案放在 file 欄位。"),
)
FILE_REQUIRED = Sentence(
    _("請上傳檔案：以 multipart/form-data 傳送，檔案放在 file 欄位。"),
)
CONTACT_REQUIRED = Sentence(
    _("請填寫 %(field)s：此API金鑰的使用者尚未註冊帳號，無法代入聯絡人與聯絡人E-Mail。"),
)
CONTACT_NAME_TOO_LONG = Sentence(
    _("聯絡人(contact_name)最多 %(max)s 個字。"),
)
CONTACT_EMAIL_INVALID = Sentence(
    _("聯絡人E-Mail(contact_email)格式不正確，例如 name@example.com。"),
)
BAD_PARAMETER = Sentence(
    _("參數 %(name)s 須為 %(low)s 到 %(high)s 的整數。"),
)
INTERNAL = Sentence(
    _("系統發生錯誤，請稍後再試；若持續發生，請洽客服專線。"),
)


def _file_error(refused: UploadRefused) -> ApiError:
    zh, en = both(partial(file_message, refused))
    if refused.problem is FileProblem.TOO_LARGE:
        return ApiError(413, "file_too_large", zh, en)
    return ApiError(400, "invalid_file", zh, en)


def file_too_large() -> ApiError:
    zh, en = both(too_large_message)
    return ApiError(413, "file_too_large", zh, en)


def upload_refused(problem: UploadProblem) -> ApiError:
    """The error for a file accept_upload() refused."""
    if isinstance(problem.cause, FileNameProblem):
        return ApiError(400, "invalid_file_name", problem.message_zh, problem.message_en)
    if problem.cause is FileProblem.TOO_LARGE:
        return ApiError(413, "file_too_large", problem.message_zh, problem.message_en)
    return ApiError(400, "invalid_file", problem.message_zh, problem.message_en)
