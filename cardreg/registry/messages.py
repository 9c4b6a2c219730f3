"""Every user-facing sentence of the registry app (繁體中文 source, English in the .po files)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

HOUSEHOLD_UNAVAILABLE = _("戶政資料查詢暫時無法使用，請稍後再試")
# Deliberately does not say which field is wrong (see cardreg.registry.household).
HOUSEHOLD_MISMATCH = _("您輸入的戶號或戶籍地址與戶政資料不符，請依戶口名簿重新輸入。")

COUNTY_REQUIRED = _("請選擇縣市。")
COUNTY_UNKNOWN = _("查無此縣市，請重新選擇。")
TOWNSHIP_REQUIRED = _("請選擇鄉鎮市區。")
TOWNSHIP_UNKNOWN = _("查無此鄉鎮市區，請重新選擇。")
