"""Demo data: fictitious people with virtual cards, their household records and an employer.

Everything here is made up. The people are fixed (so a demo guide can name them); the card keys
are made fresh on every load and their private halves go only to the card agent's wallet.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

from cardreg.cards.models import CardStatus
from cardreg.lib.national_id import make_national_id
from cardreg.lib.roc_date import format_roc_compact
from cardreg.registry.roster import insured_now

DEMO_UNIT_CODE = "133397421"
DEMO_UNIT_NAME = "示範科技股份有限公司"

# Names chosen to exercise the card record: 2- to 4-character names, compound surnames and
# characters only Big5-HKSCS has (堃 喆 峯), or only CP950 has (碁 銹 裏 恒), or whose second
# Big5 byte is a backslash (許 功 蓋).
_NAMES = [
    ("王小明", "M"),
    ("林堃喆", "M"),
    ("陳喆瑜", "F"),
    ("歐陽娜娜", "F"),
    ("司馬中原", "M"),
    ("張簡美玲", "F"),
    ("范姜峯宇", "M"),
    ("李淑芬", "F"),
    ("黃志明", "M"),
    ("吳美惠", "F"),
    ("劉建宏", "M"),
    ("蔡宗翰", "M"),
    ("楊雅婷", "F"),
    ("許功蓋", "M"),
    ("鄭家豪", "M"),
    ("謝佳穎", "F"),
    ("郭俊傑", "M"),
    ("洪淑娟", "F"),
    ("曾國城", "M"),
    ("邱怡君", "F"),
    ("廖文彬", "M"),
    ("賴冠宇", "M"),
    ("周芷若", "F"),
    ("徐碁銹", "M"),
    ("葉裏恒", "F"),
    ("莊淑華", "F"),
    ("呂秀蓮", "F"),
    ("江春男", "M"),
    ("何美玲", "F"),
    ("高堃", "M"),
    ("潘喆", "F"),
    ("簡峯", "M"),
    ("朱家瑩", "F"),
    ("諸葛孔明", "M"),
    ("羅志祥", "M"),
    ("彭于晏", "M"),
]
_COUNTIES = [
    ("臺北市", "中正區", "黎明里"),
    ("新北市", "板橋區", "留侯里"),
    ("臺中市", "西屯區", "福安里"),
    ("高雄市", "苓雅區", "五權里"),
    ("花蓮縣", "花蓮市", "民勤里"),
]


@dataclass(frozen=True)
class DemoPerson:
    national_id: str
    name: str
    sex: str
    birth_date: dt.date
    card_number: str
    issue_date: dt.date
    card_status: CardStatus
    household_no: str
    county: str
    township: str
    village: str
    neighbourhood: int
    works_for_demo_unit: bool

    @property
    def birth_date_roc(self) -> str:
        return format_roc_compact(self.birth_date)

    @property
    def issue_date_roc(self) -> str:
        return format_roc_compact(self.issue_date)


def _status(index: int) -> CardStatus:
    # Two cards that must be refused, so the demo can show what a lost or replaced card does.
    return {34: CardStatus.LOST, 35: CardStatus.REPLACED}.get(index, CardStatus.ACTIVE)


def demo_people() -> list[DemoPerson]:
    people = []
    for i, (name, sex) in enumerate(_NAMES):
        county, township, village = _COUNTIES[(i // 2) % len(_COUNTIES)]  # two per household
        letter = "ABEFHKMNPT"[i % 10]
        second = "1" if sex == "M" else "2"
        people.append(
            DemoPerson(
                national_id=make_national_id(
                    letter, second, f"{(1234567 + i * 7919) % 10_000_000:07d}"
                ),
                name=name,
                sex=sex,
                # Births from 民國50 to 民國101 (after 民國100, where naive parsers break).
                birth_date=dt.date(1961 + (i * 7) % 52, 1 + i % 12, 1 + (i * 3) % 28),
                card_number=f"{100000000000 + 7310 + i * 13:012d}",
                issue_date=dt.date(2016 + i % 9, 1 + (i * 5) % 12, 1 + i % 28),
                card_status=_status(i),
                household_no=f"{'FHKAB'[(i // 2) % 5]}{3012000 + i // 2:07d}",
                county=county,
                township=township,
                village=village,
                neighbourhood=1 + (i // 2) % 24,
                works_for_demo_unit=i % 3 != 2,
            )
        )
    return people


def insured_by_demo_unit(people: Sequence[DemoPerson], on: dt.date) -> set[str]:
    """The IDs among `people` that the roster has insured by the demo unit on `on`: the check a
    batch upload makes, so the demo page marks exactly whom the unit can register."""
    return insured_now(DEMO_UNIT_CODE, [person.national_id for person in people], on)
