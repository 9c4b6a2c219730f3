"""A small, real-looking list of divisions for the demo and the tests.

It covers every place of the demo people (cardreg.portal.demo) and a few more, so the cascading
choices have something to cascade. Names are real; codes follow the official pattern (縣市代碼
5 digits, 鄉鎮市區代碼 = 縣市代碼 + 3, 村里代碼 = 鄉鎮市區代碼 + 3) but are not all official.
A real deployment imports the official list instead (``manage.py import_divisions``).
"""

from __future__ import annotations

from django.db import transaction

from cardreg.registry.division_import import DivisionRow
from cardreg.registry.models import Village

# (鄉鎮市區代碼, 縣市, 鄉鎮市區, "村里代碼後3碼 村里 ...")
_TOWNSHIPS = (
    ("63000030", "臺北市", "大安區", "001 錦安里 002 龍安里 003 古莊里"),
    ("63000050", "臺北市", "中正區", "001 建國里 002 光復里 017 黎明里 022 東門里 026 南門里"),
    ("65000010", "新北市", "板橋區", "010 留侯里 011 流芳里 012 赤松里 013 黃石里"),
    ("68000010", "桃園市", "桃園區", "001 文化里 002 中山里"),
    ("66000060", "臺中市", "西屯區", "001 西屯里 005 何厝里 020 福安里 021 福林里"),
    ("66000080", "臺中市", "北屯區", "001 北屯里 030 大坑里"),
    ("64000080", "高雄市", "苓雅區", "015 苓雅里 031 五權里 040 林富里"),
    ("67000370", "臺南市", "中西區", "010 赤嵌里 011 郡王里"),
    ("10015010", "花蓮縣", "花蓮市", "008 民勤里 009 民意里 020 國強里"),
    ("10015050", "花蓮縣", "吉安鄉", "001 吉安村 006 慶豐村"),
    ("09020010", "金門縣", "金城鎮", "001 東門里 002 南門里 003 西門里 004 北門里"),
)


def demo_divisions() -> list[DivisionRow]:
    rows = []
    for township_code, county, township, listed in _TOWNSHIPS:
        words = listed.split()
        for suffix, name in zip(words[::2], words[1::2], strict=True):
            rows.append(
                DivisionRow(
                    county_code=township_code[:5],
                    county=county,
                    township_code=township_code,
                    township=township,
                    code=township_code + suffix,
                    name=name,
                )
            )
    return rows


def load_demo_divisions() -> int:
    """Add the demo villages that are missing; an imported official list stays as it is."""
    with transaction.atomic():
        Village.objects.bulk_create(
            [Village(**vars(row)) for row in demo_divisions()], ignore_conflicts=True
        )
    return Village.objects.count()
