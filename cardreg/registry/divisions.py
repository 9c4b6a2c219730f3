"""Administrative divisions (行政區): the choices of 縣市 → 鄉鎮市區 → 村里. Counties come in the
usual north-to-south order, townships and villages in the order of their official codes.

Counties, townships and villages are named by their official names: those are what the household
register compares and what the registration form sends. The neighbourhood (鄰) has no list: it
is a number from NEIGHBOURHOOD_MIN to NEIGHBOURHOOD_MAX.
"""

from __future__ import annotations

from dataclasses import dataclass

from cardreg.registry.models import Village

NAME_MAX_LENGTH = 16
NEIGHBOURHOOD_MIN, NEIGHBOURHOOD_MAX = 1, 99


@dataclass(frozen=True)
class Division:
    code: str
    name: str


def _plausible(*names: str) -> bool:
    # A NUL character would make PostgreSQL refuse the query: answer "none" instead of failing.
    return all(0 < len(name) <= NAME_MAX_LENGTH and "\x00" not in name for name in names)


# North to south along the west coast, then the east coast, then the islands: the order people
# look for their county in. Not the 縣市代碼 order, which puts 連江縣 and 金門縣 first and the
# special municipalities after every other county.
COUNTY_ORDER = (
    "基隆市",
    "臺北市",
    "新北市",
    "桃園市",
    "新竹市",
    "新竹縣",
    "苗栗縣",
    "臺中市",
    "彰化縣",
    "南投縣",
    "雲林縣",
    "嘉義市",
    "嘉義縣",
    "臺南市",
    "高雄市",
    "屏東縣",
    "宜蘭縣",
    "花蓮縣",
    "臺東縣",
    "澎湖縣",
    "金門縣",
    "連江縣",
)
_COUNTY_RANK = {name: rank for rank, name in enumerate(COUNTY_ORDER)}


def _county_key(county: Division) -> tuple[int, str]:
    # A county the order does not know (a new or renamed one) comes last, by code.
    return _COUNTY_RANK.get(county.name, len(COUNTY_ORDER)), county.code


def counties() -> list[Division]:
    """Every county of the imported list, north to south whatever its codes or row order."""
    rows = Village.objects.values_list("county_code", "county").distinct()
    return sorted((Division(code, name) for code, name in rows), key=_county_key)


def townships(county: str) -> list[Division]:
    """The county's townships; empty for an unknown county."""
    if not _plausible(county):
        return []
    rows = Village.objects.filter(county=county).values_list("township_code", "township")
    return [Division(code, name) for code, name in rows.distinct().order_by("township_code")]


def villages(county: str, township: str) -> list[Division]:
    """The township's villages; empty for an unknown county or township."""
    if not _plausible(county, township):
        return []
    rows = Village.objects.filter(county=county, township=township).values_list("code", "name")
    return [Division(code, name) for code, name in rows.order_by("code")]


@dataclass(frozen=True)
class Places:
    """Every (county, township, village) of the list, to check many rows without a query each."""

    villages: frozenset[tuple[str, str, str]]
    townships: frozenset[tuple[str, str]]
    counties: frozenset[str]

    def problem(self, county: str, township: str, village: str) -> tuple[str, str] | None:
        """(column, problem) for the first name that is not in the list, or None."""
        if county not in self.counties:
            return "county", "is not a county in the divisions list"
        if (county, township) not in self.townships:
            return "township", f"is not a township of {county} in the divisions list"
        if (county, township, village) not in self.villages:
            return "village", f"is not a village of {county}{township} in the divisions list"
        return None


def known_places() -> Places | None:
    """The whole list, or None when no list has been loaded (then nothing can be checked)."""
    triples = frozenset(Village.objects.values_list("county", "township", "name").iterator())
    if not triples:
        return None
    return Places(
        villages=triples,
        townships=frozenset((c, t) for c, t, _ in triples),
        counties=frozenset(c for c, _, _ in triples),
    )
