from django.db import models
from django.utils.translation import gettext_lazy as _


class Person(models.Model):
    """An insured person as the card registry knows them."""

    national_id = models.CharField(max_length=10, unique=True)
    name = models.CharField(max_length=20)
    birth_date = models.DateField()
    sex = models.CharField(max_length=1, choices=[("M", "M"), ("F", "F")])

    def __str__(self) -> str:
        return f"Person {self.national_id[:6]}****"


class CardStatus(models.TextChoices):
    ACTIVE = "active", _("有效")
    LOST = "lost", _("已報遺失")
    REPLACED = "replaced", _("已換發")
    CANCELLED = "cancelled", _("已註銷")


class Card(models.Model):
    """An issued NHI card. ``public_key_pem`` is empty for cards that cannot sign a challenge."""

    card_number = models.CharField(max_length=12, unique=True)
    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="cards")
    issue_date = models.DateField()
    status = models.CharField(max_length=16, choices=CardStatus.choices, default=CardStatus.ACTIVE)
    public_key_pem = models.TextField(blank=True)

    def __str__(self) -> str:
        return f"Card {self.card_number[:4]}****{self.card_number[-4:]}"


class Challenge(models.Model):
    """A single-use challenge the card must sign. Only its SHA-256 digest is stored."""

    digest = models.CharField(max_length=64, unique=True)
    session_key = models.CharField(max_length=64, db_index=True)
    origin = models.CharField(max_length=255)
    created_at = models.DateTimeField()
    expires_at = models.DateTimeField(db_index=True)
    used_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return f"Challenge {self.digest[:8]}"
