"""The sentences of the employer portal's pages (多憑證網路承保作業); 繁體中文 source, English in
the .po files. The actions' refusals are in messages.py, the batch file's problems in wording.py.
"""

from __future__ import annotations

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from cardreg.employers.access import Right
from cardreg.employers.models import BatchStatus

# BatchStatus' own labels are plain Chinese (a model choice); the pages show these.
STATUS_LABELS: dict[str, Promise] = {
    BatchStatus.DRAFT: _("預覽中"),
    BatchStatus.WAITING: _("已上傳,等待入檔"),
    BatchStatus.PROCESSING: _("處理中"),
    BatchStatus.DONE: _("入檔完畢"),
    BatchStatus.FAILED: _("失敗"),
}
RIGHT_NAMES: dict[Right, Promise] = {
    "upload": _("健保卡註冊上傳"),
    "query": _("健保卡註冊查詢"),
    "administer": _("角色管理(投保單位管理者)"),
}

REQUIRED = _("此欄必填。")
CONTACT_EMAIL_INVALID = _("聯絡人E-Mail格式不正確,例如 name@example.com。")
CONTACT_NAME_TOO_LONG = _("聯絡人最多 %(limit_value)s 個字。")
FILE_REQUIRED = _("請按「瀏覽檔案」選擇要上傳的檔案。")
UPLOAD_CANCELLED = _("已取消這次上傳,資料未送出。")
ALREADY_SUBMITTED = _("這個檔案已經送出,不會重複處理。")

ROLE_SAVED = _("角色「%(name)s」已儲存。")
ROLE_DELETED = _("角色「%(name)s」已刪除。")
ROLE_GRANTED = _("已將角色「%(name)s」授予 %(clerk)s。")
ROLE_REVOKED = _("已取消 %(clerk)s 的角色「%(name)s」。")

DATE_FROM_AFTER_TO = _("上傳日期的起日不可晚於迄日,請對調或修改。")
NOT_PROCESSED = _("未處理(處理中止),請重新上傳此筆資料。")
