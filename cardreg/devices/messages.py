"""Every user-facing sentence of the devices app, in one place (繁體中文; English in .po)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

# 行動裝置認證 (binding)
BIND_TITLE = _("行動裝置認證")
RECENT_CARD_FOR_BIND = _(
    "為保護您的帳號，綁定行動裝置前請再讀取一次健保卡（登入或讀卡已超過 %(minutes)s 分鐘）。"
)
NAME_REQUIRED = _("請輸入裝置名稱，例如「我的手機」。")
NAME_TOO_LONG = _("裝置名稱最多 %(limit_value)d 個字。")
LIMIT_REACHED = _(
    "您已綁定 %(max)s 個行動裝置，已達上限。"
    "請先到「行動裝置管理作業」移除不再使用的裝置，再綁定新的裝置。"
)
UNSUPPORTED = _(
    "這個瀏覽器或裝置不支援通行密鑰(passkey)，無法綁定。"
    "請使用已設定螢幕鎖定的手機或平板，並更新到最新版的 Chrome、Safari、Edge 或 Firefox。"
)
BIND_CANCELLED = _(
    "您已取消，或逾時未完成裝置上的驗證(指紋、臉部辨識或螢幕鎖定)，裝置尚未綁定。"
    "要綁定請再按一次「綁定此裝置」。"
)
BIND_FAILED = _(
    "裝置驗證失敗，裝置尚未綁定。請再試一次；如仍無法綁定，請撥免付費客服專線 %(toll_free)s。"
)
ALREADY_BOUND = _("這台裝置已經綁定在您的帳號，不必再綁定。")
CHALLENGE_EXPIRED = _("驗證已逾時或已使用過，請重新操作一次。")
BOUND = _("已綁定行動裝置「%(name)s」。以後可以在登入頁選擇「以行動裝置登入」。")
WORKING = _("請依照瀏覽器或裝置的指示，以指紋、臉部辨識或螢幕鎖定完成驗證…")
CHECKING = _("驗證中，請稍候…")
SERVER_UNREACHABLE = _("無法連線到本系統，請檢查網路後再試一次。")

# 以行動裝置登入 (sign-in): one neutral answer for unknown, revoked and inactive.
SIGNIN_REFUSED = _("無法以此行動裝置登入，請改用健保卡登入")
SIGNIN_WAIT = _("登入失敗次數太多，請在 %(seconds)s 秒後再試，或改用健保卡登入。")
SIGNIN_CANCELLED = _(
    "您已取消，或這台裝置上沒有已綁定的通行密鑰。"
    "請再試一次，或改用健保卡登入(綁定方式：以健保卡登入後選擇「行動裝置認證」)。"
)
SIGNIN_UNSUPPORTED = _("這個瀏覽器或裝置不支援通行密鑰(passkey)，請改用健保卡登入。")
SESSION_ENDED = _("您用來登入的行動裝置已被移除，請重新登入。")

# 行動裝置管理作業
RENAMED = _("裝置名稱已變更為「%(name)s」。")
REVOKED = _("已移除行動裝置「%(name)s」，這台裝置不能再用來登入。")
