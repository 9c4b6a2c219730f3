"""Insurance units (投保單位), who may act for them, and the API tokens of their HR systems.

People are recorded by national ID, not by account: the operator provisions an administrator
who may not have registered yet, and the rights are looked up the same way for a page request
(the logged-in account's ID) and an API request (the token's ID). The checksum of an ID is
checked by the actions; the tables hold its shape only.
"""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.utils import timezone

from cardreg.dbfields import RowIdAutoField

UNIT_CODE_LENGTH = 9
UNIT_NAME_MAX_LENGTH = 100
ROLE_NAME_MAX_LENGTH = 50
ROLE_DESCRIPTION_MAX_LENGTH = 200

_UNIT_CODE_SHAPE = r"^[0-9]{9}$"
# Letter + 1/2/8/9 or A–D + 8 digits (cardreg.lib.national_id has the whole rule).
_NATIONAL_ID_SHAPE = r"^[A-Z][1289A-D][0-9]{8}$"


def is_unit_code(value: str) -> bool:
    """A 投保單位代號: exactly 9 ASCII digits."""
    return len(value) == UNIT_CODE_LENGTH and value.isascii() and value.isdigit()


def _id_shape(model: str) -> models.CheckConstraint:
    return models.CheckConstraint(
        condition=Q(national_id__regex=_NATIONAL_ID_SHAPE),
        name=f"employers_{model}_national_id_shape",
    )


class InsuranceUnit(models.Model):
    """投保單位: its 投保單位代號 (9 digits) and name, as the NHI knows them."""

    code = models.CharField(max_length=UNIT_CODE_LENGTH, unique=True)
    name = models.CharField(max_length=UNIT_NAME_MAX_LENGTH)

    class Meta:
        constraints = (
            models.CheckConstraint(
                condition=Q(code__regex=_UNIT_CODE_SHAPE), name="employers_unit_code_9_digits"
            ),
            models.CheckConstraint(condition=~Q(name=""), name="employers_unit_name_not_empty"),
        )

    def __str__(self) -> str:
        return f"{self.code} {self.name}"


class UnitAdministrator(models.Model):
    """The unit's administrator (投保單位管理者): every right in the unit. One per unit; the
    operator replaces him with ``create_unit``."""

    unit = models.OneToOneField(
        InsuranceUnit, on_delete=models.CASCADE, related_name="administrator"
    )
    national_id = models.CharField(max_length=10, db_index=True)

    class Meta:
        constraints = (_id_shape("administrator"),)

    def __str__(self) -> str:
        return f"Administrator of {self.unit.code}"


class Role(models.Model):
    """角色: a named set of rights the administrator grants to clerks (角色管理)."""

    unit = models.ForeignKey(InsuranceUnit, on_delete=models.CASCADE, related_name="roles")
    name = models.CharField(max_length=ROLE_NAME_MAX_LENGTH)  # 角色名稱
    description = models.CharField(max_length=ROLE_DESCRIPTION_MAX_LENGTH, blank=True)
    can_upload = models.BooleanField(default=False)  # 健保卡註冊上傳
    can_query = models.BooleanField(default=False)  # 健保卡註冊查詢

    class Meta:
        constraints = (
            models.UniqueConstraint(fields=["unit", "name"], name="employers_role_unique_name"),
            models.CheckConstraint(condition=~Q(name=""), name="employers_role_name_not_empty"),
        )

    def __str__(self) -> str:
        return f"Role {self.name} of {self.unit_id}"


class RoleGrant(models.Model):
    """A role held by a clerk (承辦人). Revoking deletes the row; the audit log keeps the story."""

    role = models.ForeignKey(Role, on_delete=models.CASCADE, related_name="grants")
    national_id = models.CharField(max_length=10, db_index=True)
    granted_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = (
            models.UniqueConstraint(
                fields=["role", "national_id"], name="employers_grant_once_per_role"
            ),
            _id_shape("grant"),
        )

    def __str__(self) -> str:
        return f"Grant of role {self.role_id}"


class ApiTokenQuerySet(models.QuerySet["ApiToken"]):
    def active(self) -> ApiTokenQuerySet:
        return self.filter(revoked_at__isnull=True)


class ApiToken(models.Model):
    """A bearer token an HR system uses to act for one person in one unit. Only its SHA-256 is
    stored; the token is shown once. It carries no rights of its own: every request checks the
    person's current rights in the unit."""

    unit = models.ForeignKey(InsuranceUnit, on_delete=models.CASCADE, related_name="api_tokens")
    national_id = models.CharField(max_length=10)
    digest = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(default=timezone.now)
    last_used_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    objects = ApiTokenQuerySet.as_manager()

    class Meta:
        indexes = (models.Index(fields=["unit", "national_id"]),)
        constraints = (_id_shape("api_token"),)

    def __str__(self) -> str:
        return f"ApiToken {self.digest[:8]} of {self.unit_id}"


class BatchStatus(models.TextChoices):
    DRAFT = "draft", "預覽中"  # uploaded for the preview, not submitted: in no history
    WAITING = "waiting", "已上傳,等待入檔"
    PROCESSING = "processing", "處理中"
    DONE = "done", "入檔完畢"
    FAILED = "failed", "失敗"


class Batch(models.Model):
    """One upload of 健保卡註冊申請整批資料上傳 and its processing (健保卡註冊申請上傳紀錄).

    The background worker owns a batch while ``claim_token`` is its own and ``lease_until`` lies
    ahead; a batch whose lease ran out is taken over and goes on after its last committed chunk
    (``processed`` rows have their results). The file stays on the batch for the result CSV,
    the log for the history: mail attachments are deleted once delivered.
    """

    unit = models.ForeignKey(InsuranceUnit, on_delete=models.CASCADE, related_name="batches")
    uploaded_by = models.CharField(max_length=10)  # 上傳人員, by national ID
    uploader_name = models.CharField(max_length=20)
    contact_name = models.CharField(max_length=50)  # 聯絡人
    contact_email = models.EmailField(max_length=254)  # 聯絡人E-Mail: the result mail goes here
    language = models.CharField(max_length=16)  # the clerk's, for his mail
    via_api = models.BooleanField(default=False)
    file_name = models.CharField(max_length=255)  # 上傳檔名
    content = models.BinaryField()
    encoding = models.CharField(max_length=16, blank=True)  # a CSV's, as found at upload
    status = models.CharField(max_length=16, choices=BatchStatus.choices, default=BatchStatus.DRAFT)
    created_at = models.DateTimeField(default=timezone.now)
    submitted_at = models.DateTimeField(null=True, blank=True)  # 上傳時間
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    total = models.PositiveIntegerField(default=0)  # 上傳筆數
    processed = models.PositiveIntegerField(default=0)  # rows with a result so far
    succeeded = models.PositiveIntegerField(default=0)  # 成功筆數
    failed = models.PositiveIntegerField(default=0)  # 失敗筆數
    failure_reason = models.CharField(max_length=200, blank=True)  # status failed: why
    failure_reason_en = models.CharField(max_length=200, blank=True)
    runs = models.PositiveIntegerField(default=0)  # claims: a batch that kills workers gives up
    lease_until = models.DateTimeField(null=True, blank=True)
    claim_token = models.CharField(max_length=32, blank=True)
    log_name = models.CharField(max_length=64, blank=True)
    log = models.BinaryField(null=True, blank=True)  # zipped: cardreg.employers.batchlog

    class Meta:
        indexes = (
            models.Index(fields=["unit", "submitted_at"]),
            models.Index(fields=["status", "lease_until"]),
        )
        constraints = (
            models.CheckConstraint(
                condition=Q(processed__lte=models.F("total")), name="employers_batch_processed"
            ),
        )

    def __str__(self) -> str:
        return f"Batch {self.pk} of {self.unit_id} {self.status}"


class BatchChunk(models.Model):
    """Rows committed together: results ``[start, end)`` (by position among the data rows),
    with their registrations and mails, at ``done_at`` (the log's time for those rows)."""

    id = RowIdAutoField(primary_key=True)
    # The unique (batch, start) index serves as the index. No database constraint: see results.
    batch = models.ForeignKey(
        Batch, on_delete=models.CASCADE, related_name="chunks", db_index=False, db_constraint=False
    )
    start = models.PositiveIntegerField()
    end = models.PositiveIntegerField()
    done_at = models.DateTimeField()

    class Meta:
        constraints = (
            models.UniqueConstraint(fields=["batch", "start"], name="employers_chunk_once"),
        )

    def __str__(self) -> str:
        return f"BatchChunk {self.batch_id} [{self.start}, {self.end})"


class BatchResult(models.Model):
    """The one result of one data row (第N筆資料). Reasons are kept worded in both languages, as
    the log and the result CSV show them."""

    id = RowIdAutoField(primary_key=True)
    # The unique (batch, row) index serves as the index. No database constraint: PostgreSQL
    # checks one per row at commit, a quarter of a batch's time, for a batch the writing
    # transaction holds locked; Django deletes the results with their batch.
    batch = models.ForeignKey(
        Batch, on_delete=models.CASCADE, related_name="results", db_index=False, db_constraint=False
    )
    row = models.PositiveIntegerField()  # 第N筆資料: 1 = the row after the header
    national_id_masked = models.CharField(max_length=16)
    ok = models.BooleanField()
    reason = models.CharField(max_length=500, blank=True)
    reason_en = models.CharField(max_length=500, blank=True)

    class Meta:
        constraints = (
            models.UniqueConstraint(fields=["batch", "row"], name="employers_result_once_per_row"),
        )

    def __str__(self) -> str:
        return f"BatchResult {self.batch_id} row {self.row}"
