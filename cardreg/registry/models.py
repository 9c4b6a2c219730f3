"""Local copies of outside registers: household register (戶政) and insured roster (在保)."""

from django.db import models


class HouseholdMember(models.Model):
    """One person's entry in the household register, as the 戶政 check compares it."""

    national_id = models.CharField(max_length=10, unique=True)
    household_no = models.CharField(max_length=16)  # 戶號
    county = models.CharField(max_length=16)  # 縣市
    township = models.CharField(max_length=16)  # 鄉鎮市區
    village = models.CharField(max_length=16)  # 村里
    neighbourhood = models.PositiveSmallIntegerField()  # 鄰

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
