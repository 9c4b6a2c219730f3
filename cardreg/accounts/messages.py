"""Every user-facing sentence of the accounts app, in one place (繁體中文; English in .po)."""

from __future__ import annotations

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from cardreg.accounts.passwords import PasswordProblem

PASSWORD_PROBLEMS: dict[PasswordProblem, Promise] = {
    PasswordProblem.TOO_SHORT: _("註冊密碼太短,至少需要 %(min)s 碼。"),
    PasswordProblem.TOO_LONG: _("註冊密碼太長,最多 %(max)s 碼。"),
    PasswordProblem.WHITESPACE_ENDS: _("註冊密碼的開頭或結尾不可以是空白。"),
    PasswordProblem.MISMATCH: _("兩次輸入的註冊密碼不一致,請重新輸入。"),
    PasswordProblem.COMMON: _("這個密碼太常見,很容易被猜到,請換一個。"),
    PasswordProblem.CONTAINS_ID: _("註冊密碼不可包含您的身分證號。"),
    PasswordProblem.CONTAINS_BIRTH_DATE: _("註冊密碼不可包含您的出生日期。"),
    PasswordProblem.CONTAINS_CARD_NUMBER: _("註冊密碼不可包含您的健保卡號。"),
}

STRENGTH_LABELS = (_("弱"), _("中"), _("中強"), _("強"))

MICROSOFT_MAIL_WARNING = _(
    "因與微軟郵件伺服器連線異常,建議不要填寫微軟e-mail信箱(如hotmail, livemail),"
    "以免無法收到本署寄發的信件"
)
MOBILE_HINT = _("本項行動電話將作為未來行動裝置之認證使用,請務必輸入")
PASSWORD_LENGTH_NOTICE = _("註冊密碼長度必需%(min)s-%(max)s碼。")

CARD_PROOF_NEEDED = _("請先插入健保卡並按「讀取」。")
CARD_PROOF_EXPIRED = _("讀卡已超過5分鐘,請重新按「讀取」。")
ALREADY_ACTIVE = _("這張健保卡的持卡人已完成註冊,請直接登入。")
ALREADY_PENDING = _(
    "您已申請註冊,尚未完成電子信箱認證。請開啟確認信中的連結;沒有收到確認信請使用「重寄確認信」。"
)
HOUSEHOLD_TOO_MANY = _(
    "今天戶籍資料比對失敗的次數已達上限,為保護您的資料,請明天再試,或洽 0800-030598。"
)
REGISTRATIONS_TOO_MANY = _("此網路位址送出的申請太多,請稍後再試。")
STEP_OUT_OF_ORDER = _("請依序完成每一個步驟。")
TERMS_NOT_ACCEPTED = _("請勾選「我已閱讀完畢,並瞭解相關規定」後再按下一步。")
FLOW_EXPIRED = _("申請作業已逾時,請從頭再申請一次。")
SUBMITTED = _("您已完成申請並將在數分鐘後收到E-Mail確認信,請開啟確認信中的連結啟用帳號,謝謝!!")

REQUIRED = _("此欄必填。")
EMAIL_INVALID = _("E-Mail格式不正確,例如 name@example.com。")
EMAIL_SAME_AS_PRIMARY = _("備用E-Mail不可與主要E-Mail相同。")
NEIGHBOURHOOD_INVALID = _("鄰請輸入1到99的數字。")
HOUSEHOLD_NO_INVALID = _("戶號請依戶口名簿輸入,例如 F1234567。")
CHOICE_INVALID = _("請從清單中選擇。")

LOGIN_FAILED = _("登入失敗:註冊密碼錯誤,或此健保卡尚未註冊。")
LOGIN_WAIT = _("登入失敗次數太多,為保護您的帳號,請在 %(seconds)s 秒後再試。")
LOGIN_PENDING = _("您的帳號尚未啟用:請開啟確認信中的連結完成電子信箱認證。")

CONFIRM_DONE = _("電子信箱認證成功!您的帳號已經啟用,完成通知信已寄出。")
CONFIRM_ALREADY = _("此帳號已經完成認證,請直接登入。")
CONFIRM_EXPIRED = _("此認證連結已超過5天有效期限。請到登入頁使用「重寄確認信」取得新的連結。")
CONFIRM_SUPERSEDED = _("此認證連結已被較新的確認信取代,請開啟最新一封確認信中的連結。")
CONFIRM_INVALID = _("此認證連結無效。請確認您開啟的是確認信中完整的連結。")
CONFIRM_WRONG_CARD = _("插入的健保卡與申請人不符,請插入申請註冊時使用的健保卡。")
