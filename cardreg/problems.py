"""Translated sentences for the problems the pure helpers in ``cardreg.lib`` report.

Every form and every upload explains an ID, phone or date problem in the same words.
"""

from __future__ import annotations

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from cardreg.lib.national_id import IdProblem
from cardreg.lib.phones import PhoneError, PhoneProblem
from cardreg.lib.roc_date import RocDateProblem

ID_PROBLEMS: dict[IdProblem, Promise] = {
    IdProblem.EMPTY: _("請輸入身分證號。"),
    IdProblem.FULL_WIDTH: _("身分證號含有全形字元，請切換為半形後重新輸入。"),
    IdProblem.SPACES: _("身分證號中不可有空白，請刪除空白。"),
    IdProblem.LOWER_CASE: _("身分證號的英文字母須為大寫。"),
    IdProblem.LENGTH: _("身分證號應為10碼(1個英文字母加9個數字或字母)。"),
    IdProblem.FIRST_LETTER: _("身分證號第1碼應為英文字母(A–Z)。"),
    IdProblem.SECOND_CHAR: _("身分證號第2碼應為1、2(身分證)、8、9(新式居留證)或A–D(舊式居留證)。"),
    IdProblem.NOT_DIGITS: _("身分證號第3至10碼應為數字。"),
    IdProblem.CHECKSUM: _("身分證號檢查碼不正確，請核對後重新輸入。"),
}

PHONE_PROBLEMS: dict[PhoneProblem, Promise] = {
    PhoneProblem.EMPTY: _("請輸入電話號碼。"),
    PhoneProblem.BAD_CHARACTERS: _("電話號碼只能包含數字、「-」、空白與括號。"),
    PhoneProblem.FOREIGN_NUMBER: _("只接受臺灣的電話號碼(+886)。"),
    PhoneProblem.LEADING_ZERO_DROPPED: _(
        "號碼開頭的0不見了(Excel會把電話號碼當成數字而刪去開頭的0)，"
        "您要填的是否為 %(suggestion)s?請在Excel中將該欄設為「文字」格式。"
    ),
    PhoneProblem.NOT_MOBILE: _("手機號碼應為09開頭的10位數字，例如0912-345-678。"),
    PhoneProblem.NOT_LANDLINE: _("這是手機號碼，請填在行動電話欄位。"),
    PhoneProblem.MISSING_AREA_CODE: _("請在市話號碼前加上區碼，例如02-2345-6789。"),
    PhoneProblem.UNKNOWN_AREA_CODE: _(
        "區碼不正確；市話區碼為02、03、037、04、049、05、06、07、08、082、0826、0836、089。"
    ),
    PhoneProblem.LENGTH: _("號碼位數不正確：手機為10碼；市話依區碼而定(例如02後8碼、037後6碼)。"),
    PhoneProblem.BAD_EXTENSION: _("分機應為1至6位數字，寫在「#」之後，且只有市話可加分機。"),
}

ROC_DATE_PROBLEMS: dict[RocDateProblem, Promise] = {
    RocDateProblem.EMPTY: _("請輸入日期。"),
    RocDateProblem.FORMAT: _(
        "日期格式不正確，請以民國年輸入，例如1050713、105/07/13或民國105年7月13日。"
    ),
    RocDateProblem.INVALID_DATE: _("這個日期不存在(例如2月30日)，請核對。"),
    RocDateProblem.BEFORE_ROC: _("民國年須為1年以後。"),
    RocDateProblem.AD_YEAR: _(
        "這看起來是西元年，請改填民國年(西元年減1911，例如2016年請填105年)。"
    ),
}


def phone_message(error: PhoneError) -> str:
    return str(PHONE_PROBLEMS[error.problem]) % {"suggestion": error.suggestion or ""}


# A number typed into a web form lost no 0 to a spreadsheet: say what the number looks like,
# with the number meant.
TYPED_ZERO_DROPPED: dict[bool, Promise] = {
    True: _("行動電話應以09開頭，共10碼，例如 0912345678。您是不是要輸入 %(suggestion)s？"),
    False: _("市話請以0開頭的區碼輸入，例如 02-2345-6789。您是不是要輸入 %(suggestion)s？"),
}


def typed_phone_message(error: PhoneError, *, mobile: bool) -> str:
    """``phone_message`` for a phone field of a web form (``mobile``: the 行動電話 field)."""
    if error.problem is PhoneProblem.LEADING_ZERO_DROPPED:
        return str(TYPED_ZERO_DROPPED[mobile]) % {"suggestion": error.suggestion}
    return phone_message(error)
