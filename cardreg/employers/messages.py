"""Every user-facing sentence of the employers app (繁體中文 source, English in the .po files)."""

from __future__ import annotations

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from cardreg.employers.actions import Refusal, Refused
from cardreg.employers.models import ROLE_DESCRIPTION_MAX_LENGTH, ROLE_NAME_MAX_LENGTH
from cardreg.problems import ID_PROBLEMS

REFUSALS: dict[Refusal, Promise] = {
    Refusal.ROLE_NAME_REQUIRED: _("請輸入角色名稱。"),
    Refusal.ROLE_NAME_TOO_LONG: _("角色名稱最多 %(max)s 個字。"),
    Refusal.ROLE_NAME_TAKEN: _("本單位已有同名的角色,請換一個角色名稱。"),
    Refusal.ROLE_DESCRIPTION_TOO_LONG: _("角色說明最多 %(max)s 個字。"),
    Refusal.ROLE_NO_RIGHTS: _("請至少勾選一項權限:健保卡註冊上傳、健保卡註冊查詢。"),
    Refusal.CLERK_NOT_REGISTERED: _(
        "此身分證號尚未完成健保卡網路服務註冊。承辦人須先以健保卡完成註冊並啟用帳號,才能授予角色。"
    ),
    Refusal.ALREADY_GRANTED: _("此承辦人已擁有這個角色。"),
    Refusal.NOT_GRANTED: _("此承辦人沒有這個角色。"),
    Refusal.NO_UPLOAD_RIGHT: _(
        "此身分證號在本單位沒有「健保卡註冊上傳」權限(須為投保單位管理者,或擁有含此權限的角色),"
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
