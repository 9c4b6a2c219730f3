"""The employers app's sentences: the actions' refusals and the portal pages' words (繁體中文
source, English in the .po files). The batch file's problems are worded in wording.py."""

from __future__ import annotations

from django.conf import settings
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from cardreg.employers.access import Right, Rights
from cardreg.employers.actions import Refusal, Refused
from cardreg.employers.models import (
    ROLE_DESCRIPTION_MAX_LENGTH,
    ROLE_NAME_MAX_LENGTH,
    BatchStatus,
)
from cardreg.lists import join_names
from cardreg.problems import ID_PROBLEMS

REFUSALS: dict[Refusal, Promise] = {
    Refusal.ROLE_NAME_REQUIRED: _("請輸入角色名稱。"),
    Refusal.ROLE_NAME_TOO_LONG: _("角色名稱最多 %(max)s 個字。"),
    Refusal.ROLE_NAME_TAKEN: _("本單位已有同名的角色，請換一個角色名稱。"),
    Refusal.ROLE_DESCRIPTION_TOO_LONG: _("角色說明最多 %(max)s 個字。"),
    Refusal.ROLE_NO_RIGHTS: _("請至少勾選一項權限：健保卡註冊上傳、健保卡註冊查詢。"),
    Refusal.CLERK_NOT_REGISTERED: _(
        "此身分證號尚未完成健保卡網路服務註冊。承辦人須先以健保卡完成註冊並啟用帳號，才能授予角色。"
    ),
    Refusal.ALREADY_GRANTED: _("此承辦人已擁有這個角色。"),
    Refusal.NOT_GRANTED: _("此承辦人沒有這個角色。"),
    Refusal.NO_UPLOAD_RIGHT: _(
        "此身分證號在本單位沒有「健保卡註冊上傳」權限(須為投保單位管理者，或擁有含此權限的角色)，"
        "無法發給API金鑰。"
    ),
}
_LIMITS = {
    Refusal.ROLE_NAME_TOO_LONG: ROLE_NAME_MAX_LENGTH,
    Refusal.ROLE_DESCRIPTION_TOO_LONG: ROLE_DESCRIPTION_MAX_LENGTH,
}


def refusal_message(refused: Refused) -> str:
    """The sentence a page or the API shows for a refused action, in the active language."""
    if refused.id_problem is not None:
        return str(ID_PROBLEMS[refused.id_problem])
    return str(REFUSALS[refused.refusal]) % {"max": _LIMITS.get(refused.refusal, "")}


# BatchStatus' own labels are plain Chinese (a model choice); the pages show these.
STATUS_LABELS: dict[str, Promise] = {
    BatchStatus.DRAFT: _("預覽中"),
    BatchStatus.WAITING: _("已上傳，等待入檔"),
    BatchStatus.PROCESSING: _("處理中"),
    BatchStatus.DONE: _("入檔完畢"),
    BatchStatus.FAILED: _("失敗"),
}
RIGHT_NAMES: dict[Right, Promise] = {
    "upload": _("健保卡註冊上傳"),
    "query": _("健保卡註冊查詢"),
    "administer": _("角色管理(投保單位管理者)"),
}
ALL_RIGHTS = _("投保單位管理者(全部權限)")


def rights_text(rights: Rights) -> str:
    """The rights one holds in a unit, as the unit list shows them."""
    if rights.is_administrator:
        return str(ALL_RIGHTS)
    held = [RIGHT_NAMES[right] for right in ("upload", "query") if rights.has(right)]
    return join_names(held)


# A clerk refused a right is told who can give it. 角色管理 is the administrator's alone (no role
# holds it), so that refusal says so instead of asking for a role nobody can grant.
MISSING_RIGHT = _(
    "您在這個投保單位沒有「%(right)s」權限。如需使用，請洽%(administrator)s，"
    "在「角色管理」將含此權限的角色授予您。"
)
ADMINISTRATOR_ONLY = _(
    "「角色管理」只有%(administrator)s可以使用，無法以角色授予其他人。"
    "如需更換貴單位的投保單位管理者，請洽健保署免付費客服專線 %(toll_free)s。"
)
YOUR_ADMINISTRATOR = _("貴單位的投保單位管理者")
YOUR_ADMINISTRATOR_NAMED = _("貴單位的投保單位管理者（%(name)s）")


def missing_right_message(right: Right, administrator_name: str) -> str:
    """Which right the clerk lacks and whom to ask (the administrator by name when known)."""
    who = str(YOUR_ADMINISTRATOR)
    if administrator_name:
        who = str(YOUR_ADMINISTRATOR_NAMED) % {"name": administrator_name}
    if right == "administer":
        return str(ADMINISTRATOR_ONLY) % {
            "administrator": who,
            "toll_free": settings.CARDREG_TOLL_FREE,
        }
    return str(MISSING_RIGHT) % {"right": RIGHT_NAMES[right], "administrator": who}


REQUIRED = _("此欄必填。")
CONTACT_EMAIL_INVALID = _("聯絡人E-Mail格式不正確，例如 name@example.com。")
CONTACT_NAME_TOO_LONG = _("聯絡人最多 %(limit_value)s 個字。")
FILE_REQUIRED = _("請按「瀏覽檔案」選擇要上傳的檔案。")
UPLOAD_CANCELLED = _("已取消這次上傳，資料未送出。")
ALREADY_SUBMITTED = _("這個檔案已經送出，不會重複處理。")

ROLE_SAVED = _("角色「%(name)s」已儲存。")
ROLE_DELETED = _("角色「%(name)s」已刪除。")
ROLE_GRANTED = _("已將角色「%(name)s」授予 %(clerk)s。")
ROLE_REVOKED = _("已取消 %(clerk)s 的角色「%(name)s」。")

DATE_FROM_AFTER_TO = _("上傳日期的起日不可晚於迄日，請對調或修改。")
NOT_PROCESSED = _("未處理(處理中止)，請重新上傳此筆資料。")
