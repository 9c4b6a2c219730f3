"""Local copies of outside registers: household register (戶政), insured roster (在保), and the
official list of administrative divisions (行政區) the household address is chosen from."""

from django.db import models
from django.utils import timezone


class Village(models.Model):
    """One row of the official 村里 list (內政部 村里代碼), with its township and county.

    The list is small (about 7,800 villages) and always read top-down (county → township →
    village), so it is kept flat, as the official file is; names are what the household register
    and the registration form use, codes give the official order.
    """

    county_code = models.CharField(max_length=16)  # 縣市代碼, e.g. 63000
    county = models.CharField(max_length=16)  # 縣市名稱, e.g. 臺北市
    township_code = models.CharField(max_length=16)  # 鄉鎮市區代碼, e.g. 63000050
    township = models.CharField(max_length=16)  # 鄉鎮市區名稱, e.g. 中正區
    code = models.CharField(max_length=16, unique=True)  # 村里代碼, e.g. 63000050017
    name = models.CharField(max_length=16)  # 村里名稱, e.g. 黎明里

    class Meta:
        # Also the index behind the cascading choices (filter by county, then township).
        constraints = (
            models.UniqueConstraint(
                fields=["county", "township", "name"], name="registry_village_unique_name"
            ),
        )

    def __str__(self) -> str:
        return f"{self.county}{self.township}{self.name}"


class HouseholdMember(models.Model):
    """One person's entry in the household register, as the 戶政 check compares it."""

    national_id = models.CharField(max_length=10, unique=True)
    household_no = models.CharField(max_length=16)  # 戶號
    county = models.CharField(max_length=16)  # 縣市
    township = models.CharField(max_length=16)  # 鄉鎮市區
    village = models.CharField(max_length=16)  # 村里
    neighbourhood = models.PositiveSmallIntegerField()  # 鄰
    # Set by import_households to one timestamp per run: it tells a row written earlier in the
    # same run (a duplicate in the file) from an older one, and which rows --replace removes.
    imported_at = models.DateTimeField(default=timezone.now)

    def __str__(self) -> str:
        return f"Household {self.household_no}"


class RosterEntry(models.Model):
    """A period in which a person is insured through an insurance unit (投保單位)."""

    unit_code = models.CharField(max_length=16)
    national_id = models.CharField(max_length=10)
    insured_from = models.DateField()
    insured_until = models.DateField(null=True, blank=True)  # empty: still insured

    class Meta:
        indexes = (models.Index(fields=["unit_code", "national_id"]),)

    def __str__(self) -> str:
        return f"Roster {self.unit_code}"
