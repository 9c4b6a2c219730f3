"""Every user-facing sentence of the accounts app, in one place (繁體中文; English in .po)."""

from __future__ import annotations

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from cardreg.accounts.passwords import PasswordProblem

PASSWORD_PROBLEMS: dict[PasswordProblem, Promise] = {
    PasswordProblem.TOO_SHORT: _("註冊密碼太短，至少需要 %(min)s 碼。"),
    PasswordProblem.TOO_LONG: _("註冊密碼太長，最多 %(max)s 碼。"),
    PasswordProblem.WHITESPACE_ENDS: _("註冊密碼的開頭或結尾不可以是空白。"),
    PasswordProblem.MISMATCH: _("兩次輸入的註冊密碼不一致，請重新輸入。"),
    PasswordProblem.COMMON: _("這個密碼太常見，很容易被猜到，請換一個。"),
    PasswordProblem.CONTAINS_ID: _("註冊密碼不可包含您的身分證號。"),
    PasswordProblem.CONTAINS_BIRTH_DATE: _("註冊密碼不可包含您的出生日期。"),
    PasswordProblem.CONTAINS_CARD_NUMBER: _("註冊密碼不可包含您的健保卡號。"),
}

STRENGTH_LABELS = (_("弱"), _("中"), _("中強"), _("強"))

PASSWORD_LENGTH_NOTICE = _("註冊密碼長度必須%(min)s-%(max)s碼。")

# The submit button of each page that reads the card first (templates/accounts/_card_reader.html)
# says what it does; the messages below name it.
CARD_BUTTONS: dict[str, Promise] = {
    "accounts/login.html": _("登入"),
    "employers/login.html": _("登入"),
    "accounts/register_card.html": _("讀取健保卡並繼續"),
    "accounts/card_again.html": _("讀取健保卡並繼續"),
    "accounts/confirm.html": _("讀取健保卡並完成認證"),
    "accounts/activate.html": _("讀取健保卡並完成認證"),
    "accounts/resend.html": _("讀取健保卡並重寄確認信"),
    "accounts/delete.html": _("讀取健保卡並查看申請"),
    "accounts/forgot.html": _("讀取健保卡並寄出重設連結"),
    "accounts/reset.html": _("讀取健保卡並重設密碼"),
}
CARD_PROOF_NEEDED = _("健保卡尚未讀取，請插入健保卡後再按「%(button)s」。")
CARD_PROOF_EXPIRED = _("讀卡已超過5分鐘，請再按一次「%(button)s」。")
ALREADY_ACTIVE = _("這張健保卡的持卡人已完成註冊，請直接登入。")
# %(resend)s: the link to 重寄確認信, named by its page's title.
ALREADY_PENDING = _(
    "您已申請註冊，尚未完成電子信箱認證。請開啟確認信中的連結；沒有收到確認信請使用「%(resend)s」。"
)
HOUSEHOLD_TOO_MANY = _(
    "今天戶籍資料比對失敗的次數已達上限，為保護您的資料，請明天再試，或洽 0800-030598。"
)
REGISTRATIONS_TOO_MANY = _("此網路位址送出的申請太多，請稍後再試。")
STEP_OUT_OF_ORDER = _("請依序完成每一個步驟。")
TERMS_NOT_ACCEPTED = _("請勾選「我已閱讀完畢，並瞭解相關規定」後再按下一步。")
FLOW_EXPIRED = _("申請作業已逾時，請從頭再申請一次。")

REQUIRED = _("此欄必填。")
EMAIL_INVALID = _("E-Mail格式不正確，例如 name@example.com。")
EMAIL_SAME_AS_PRIMARY = _("備用E-Mail不可與主要E-Mail相同。")
NEIGHBOURHOOD_INVALID = _("鄰請輸入1到99的數字。")
HOUSEHOLD_NO_INVALID = _("戶號請依戶口名簿輸入，例如 F1234567。")

LOGIN_FAILED = _("登入失敗：註冊密碼錯誤，或此健保卡尚未註冊。")
LOGIN_WAIT = _("登入失敗次數太多，為保護您的帳號，請在 %(seconds)s 秒後再試。")
# One answer for both kinds of pending account: one applied himself (確認信), one his employer
# registered (認證信).
LOGIN_PENDING = _(
    "您的帳號尚未啟用：尚未完成認證。請依確認信或認證信中的連結完成認證，"
    "或使用「重寄確認信/認證信」取得新的連結。"
)

CONFIRM_ALREADY = _("此帳號已經完成認證，請直接登入。")
CONFIRM_EXPIRED = _("此認證連結已超過5天有效期限。請到登入頁使用「重寄確認信」取得新的連結。")
CONFIRM_SUPERSEDED = _("此認證連結已被較新的確認信取代，請開啟最新一封確認信中的連結。")
CONFIRM_INVALID = _("此認證連結無效。請確認您開啟的是確認信中完整的連結。")
CONFIRM_WRONG_CARD = _("插入的健保卡與申請人不符，請插入申請註冊時使用的健保卡。")

# --- 健保卡註冊認證作業: an account an employer registered (SPEC §2.4) ------
ACTIVATE_DONE = _(
    "認證完成!您的帳號已經啟用，完成通知信已寄出。請以健保卡及您剛設定的註冊密碼登入。"
)
ACTIVATE_ALREADY = _("此帳號已經完成認證，請以健保卡及您設定的註冊密碼直接登入。")
ACTIVATE_EXPIRED = _(
    "此認證連結已超過 %(days)s 天有效期限。連結失效後 %(resend_days)s 天內，"
    "請到登入頁使用「重寄確認信/認證信」取得新的認證信；超過後本次申請即失效，須重新申請。"
)
ACTIVATE_SUPERSEDED = _(
    "此認證連結已被較新的認證信取代，請開啟最新一封認證信中的連結，或使用「重寄確認信/認證信」。"
)
ACTIVATE_INVALID = _(
    "此認證連結無效。請確認您開啟的是認證信中完整的連結，或使用「重寄確認信/認證信」取得新的連結。"
)
ACTIVATE_WRONG_CARD = _(
    "插入的健保卡與投保單位為其申請註冊的人不符，請插入您本人的健保卡後再試一次。"
)

# --- before login: 重寄確認信, 刪除註冊申請, 忘記註冊密碼 --------------------
# 忘記註冊密碼 answers the same whether or not the card has an account, so that a card read there
# does not tell whether its holder registered. 重寄確認信 tells its card holder whether a mail went
# (a page that says "sent" when nothing will come strands him), but one answer covers a card that
# never applied, one whose application was void and deleted, and a registered one.
RESENT_CONFIRMATION = _(
    "新的確認信已寄出，請在 %(days)s 天內開啟信中的連結；先前寄出的確認信連結就不能再使用了。"
)
RESENT_ACTIVATION = _(
    "新的認證信已寄出，請在 %(days)s 天內開啟信中的連結，進行「健保卡註冊認證作業」；"
    "先前寄出的認證信連結就不能再使用了。"
)
RESEND_NOTHING = _(
    "沒有寄出任何信件：這張健保卡沒有可以重寄確認信或認證信的註冊申請。"
    "如您的申請已超過期限或查無申請，請重新申請：個人請使用「首次登入請先申請」，"
    "由投保單位申請者請洽投保單位重新上傳。"
)
REQUIRED_FOR_NEW_EMAIL = _("更正E-Mail時此欄必填。")
# After the household mismatch (or the daily limit) when 重寄確認信 corrects the e-mail: the way
# for one without a household record (an employer may register him), never saying he has none.
RESEND_NO_HOUSEHOLD = _(
    "沒有戶籍資料者（例如外籍人士）無法在此更正E-Mail，請洽投保單位，"
    "或撥免付費客服專線 %(phone)s。不更正E-Mail時請將新的E-Mail留空，信件會寄到原來的E-Mail。"
)
RESEND_IF_ACTIVE = _("如您已完成註冊，請直接登入；忘記註冊密碼請使用「忘記註冊密碼」。")
FORGOT_DONE = _(
    "如您的帳號已啟用，重設註冊密碼的連結已寄到您註冊時填寫的主要E-Mail，"
    "請在 %(hours)s 小時內開啟信中的連結。"
)
FORGOT_OTHER_CASES = _(
    "如您尚未完成電子信箱認證，請使用「重寄確認信」；如您尚未申請，請先「首次登入請先申請」。"
)
MAIL_REQUESTS_PER_CARD = _(
    "這張健保卡今天要求寄信的次數已達上限，為避免信箱被大量寄信，請明天再試。"
    "如需協助，請撥免付費客服專線 %(phone)s。"
)
MAIL_REQUESTS_PER_IP = _("此網路位址要求寄信的次數太多，請過一小時後再試。")

DELETE_NOTHING = _(
    "這張健保卡沒有待認證的註冊申請，不需要刪除。如要申請，請使用「首次登入請先申請」。"
)
DELETE_ACTIVE = _(
    "這張健保卡的持卡人已完成註冊，已啟用的帳號不能在這裡刪除。"
    "要修改資料或密碼，請登入後使用「帳號資料異動」或「註冊密碼變更」；忘記密碼請使用「忘記註冊密碼」。"
)
DELETE_READ_CARD_FIRST = _("請先讀取健保卡，確認是您本人的申請。")
DELETE_DONE = _(
    "您的註冊申請已刪除，通知信已寄到申請時填寫的E-Mail。如需使用網路服務，請重新申請。"
)

RESET_DONE = _(
    "註冊密碼已重設，通知信已寄到您的E-Mail。為保護您的帳號，所有登入中的連線都已登出，"
    "請以健保卡及新的註冊密碼重新登入。"
)
RESET_INVALID = _(
    "此重設密碼連結無效。請確認您開啟的是信中完整的連結，或使用「忘記註冊密碼」重新申請。"
)
RESET_USED = _("此重設密碼連結已經使用過。如需再次重設，請使用「忘記註冊密碼」重新申請。")
RESET_EXPIRED = _("此重設密碼連結已超過有效期限(%(hours)s 小時)。請使用「忘記註冊密碼」重新申請。")
RESET_SUPERSEDED = _(
    "此重設密碼連結已被較新的一封信取代，請開啟最新一封信中的連結，或使用「忘記註冊密碼」重新申請。"
)
RESET_WRONG_CARD = _("插入的健保卡不是這個帳號持有人的健保卡。請插入您本人的健保卡後再試一次。")

# --- after login: 註冊密碼變更, 帳號資料異動 ------------------------------
CURRENT_PASSWORD_WRONG = _("目前的註冊密碼不正確，請重新輸入。")
PASSWORD_CHANGED = _(
    "註冊密碼已變更，通知信已寄到您的E-Mail。其他電腦或瀏覽器上的登入都已登出，這台電腦仍保持登入。"
)

CHANGE_DATA_TITLE = _("帳號資料異動")
RECENT_CARD_NEEDED = _(
    "為保護您的資料，變更帳號資料前請再讀取一次健保卡（登入或讀卡已超過 %(minutes)s 分鐘）。"
)
CARD_NOT_YOURS = _("插入的健保卡不是您本人的健保卡，請插入您登入時使用的健保卡。")
DATA_UNCHANGED = _("資料沒有變更。")
CONTACT_CHANGED = _("聯絡資料已更新，通知信已寄到您的主要E-Mail。")
EMAIL_CHANGE_SENT = _(
    "確認信已寄到新的主要E-Mail，請在 %(days)s 天內開啟信中的連結，新的E-Mail才會生效；"
    "在那之前，通知仍寄到原來的E-Mail。"
)
EMAIL_CHANGE_DONE = _("主要E-Mail已變更，之後的通知都會寄到新的E-Mail。")
EMAIL_CHANGE_INVALID = _(
    "此E-Mail變更連結無效。請確認您開啟的是信中完整的連結，或登入後在「帳號資料異動」重新申請。"
)
EMAIL_CHANGE_USED = _("此E-Mail變更連結已經使用過，主要E-Mail已變更完成。")
EMAIL_CHANGE_EXPIRED = _(
    "此E-Mail變更連結已超過 %(days)s 天有效期限。請登入後在「帳號資料異動」重新申請。"
)
EMAIL_CHANGE_SUPERSEDED = _("此E-Mail變更連結已被較新的一封信取代，請開啟最新一封確認信中的連結。")

# Names of the changed items in the notice mail of 帳號資料異動.
CONTACT_FIELDS: dict[str, Promise] = {
    "phone": _("聯絡電話"),
    "mobile": _("行動電話"),
    "email_backup": _("備用E-Mail"),
}
