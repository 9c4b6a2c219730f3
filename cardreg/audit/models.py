from django.db import models


class AuditEvent(models.Model):
    """One state change: who, what, when, from where. Never a full ID, password or token."""

    created_at = models.DateTimeField(auto_now_add=True, db_index=True)
    action = models.CharField(max_length=64)
    actor = models.CharField(max_length=32, blank=True)  # masked national ID or operator name
    ip = models.GenericIPAddressField(null=True, blank=True)
    subject = models.CharField(max_length=64, blank=True)  # masked card number, batch id, ...
    detail = models.JSONField(default=dict, blank=True)

    class Meta:
        indexes = (models.Index(fields=["action", "created_at"]),)

    def __str__(self) -> str:
        return f"{self.created_at:%Y-%m-%d %H:%M:%S} {self.action} {self.actor}"
