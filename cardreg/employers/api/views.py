"""The endpoints of /api/v1/: upload a batch, follow it, read its results and its log.

Each view parses the request, and calls what the upload and history pages call
(cardreg.employers.batches); the gate has checked the token and the rights already. Who sees
which upload is visible_batches()'s decision, exactly as on the history page: the unit
administrator all of the unit's, a clerk his own; anything else is a 404.
"""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import SuspiciousOperation, ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.core.validators import validate_email
from django.http import Http404, HttpRequest, HttpResponse, UnreadablePostError
from django.http.multipartparser import MultiPartParserError
from django.http.response import HttpResponseBase
from django.urls import reverse
from django.utils import translation

from cardreg.accounts.models import Account
from cardreg.employers import upload_limit
from cardreg.employers.api.errors import (
    CONTACT_EMAIL_INVALID,
    CONTACT_NAME_TOO_LONG,
    CONTACT_REQUIRED,
    FILE_REQUIRED,
    NOT_FINISHED,
    UNREADABLE_REQUEST,
    file_too_large,
    json_response,
    upload_refused,
)
from cardreg.employers.api.gate import READ, UPLOAD, Caller, api_view, public_view
from cardreg.employers.api.shapes import BATCHES_PAGE, RESULTS_PAGE, Page, batch_json, result_json
from cardreg.employers.batches import (
    Uploader,
    UploadProblem,
    accept_upload,
    get_visible_batch,
    submit,
    visible_batches,
)
from cardreg.employers.batchlog import log_download
from cardreg.employers.models import Batch, BatchResult, BatchStatus
from cardreg.employers.openapi import schema
from cardreg.lib.text import to_half_width

CONTACT_NAME_MAX = 50  # Batch.contact_name
EMAIL_MAX = 254
UPLOADER_NAME_MAX = 20  # Batch.uploader_name
_MAX_ID = 2**63 - 1  # a larger number in the URL is no batch (and no database error)
_FINISHED = (BatchStatus.DONE, BatchStatus.FAILED)


@api_view({"GET": READ, "POST": UPLOAD})
def batches(request: HttpRequest, caller: Caller) -> HttpResponse:
    """GET: the visible uploads, newest first, paged. POST: upload a file (202, waiting)."""
    if request.method == "POST":
        return _upload(request, caller)
    page = Page.of(request, BATCHES_PAGE)
    visible = visible_batches(caller.access, caller.national_id)
    items = [batch_json(batch) for batch in visible[page.offset : page.end]]
    return json_response(page.envelope(request, visible.count(), "batches", items))


@api_view({"GET": READ})
def batch(request: HttpRequest, caller: Caller, batch_id: int) -> HttpResponse:
    return json_response(batch_json(_visible(caller, batch_id)))


@api_view({"GET": READ})
def results(request: HttpRequest, caller: Caller, batch_id: int) -> HttpResponse:
    """One result per data row, by row; the rows processed so far while the batch runs. Paged
    by OFFSET in the database, as tuples: a 200,000-row batch is never loaded whole."""
    found = _visible(caller, batch_id)
    page = Page.of(request, RESULTS_PAGE)
    count = found.processed  # the rows with a result (they commit together)
    rows = (
        BatchResult.objects.filter(batch=found)
        .order_by("row")
        .values_list("row", "national_id_masked", "ok", "reason", "reason_en")
    )
    items = [result_json(*row) for row in rows[page.offset : min(page.end, count)]]
    return json_response(page.envelope(request, count, "results", items))


@api_view({"GET": READ})
def log(request: HttpRequest, caller: Caller, batch_id: int) -> HttpResponseBase:
    """The result log (入檔結果) as mailed to the clerk; 409 until the batch has finished."""
    found = _visible(caller, batch_id)
    if found.status not in _FINISHED or found.log is None:
        raise NOT_FINISHED.error(409, "not_finished")
    return log_download(found)


@public_view("GET")
def openapi(request: HttpRequest) -> HttpResponse:
    return json_response(schema())


def _visible(caller: Caller, batch_id: int) -> Batch:
    if batch_id > _MAX_ID:
        raise Http404
    return get_visible_batch(caller.access, caller.national_id, batch_id)


def _upload(request: HttpRequest, caller: Caller) -> HttpResponse:
    uploaded = _uploaded_file(request)
    uploader = _uploader(request, caller)
    unit, name, data = caller.access.unit, uploaded.name or "", uploaded.read()
    try:
        with translation.override("zh-hant"):
            accepted = accept_upload(unit, uploader, file_name=name, data=data, via_api=True)
    except UploadProblem as problem:
        raise upload_refused(problem) from None
    submit(accepted)
    location = request.build_absolute_uri(reverse("api:batch", args=[accepted.pk]))
    body = {"id": accepted.pk, "status": accepted.status}
    return json_response(body, status=202, headers={"Location": location})


def _uploaded_file(request: HttpRequest) -> UploadedFile[bytes]:
    """The ``file`` field, refused with 413 before it is read if the body is too large."""
    limit = settings.CARDREG_BATCH_MAX_BYTES
    if upload_limit.declared_too_large(request):
        raise file_too_large()
    body_limit = upload_limit.install(request)
    try:
        uploaded = request.FILES.get("file")
    except (MultiPartParserError, SuspiciousOperation, UnreadablePostError):
        raise UNREADABLE_REQUEST.error(400, "unreadable_request") from None
    if body_limit.exceeded:
        raise file_too_large()
    if uploaded is None:
        raise FILE_REQUIRED.error(400, "file_required")
    if uploaded.size is not None and uploaded.size > limit:
        raise file_too_large()
    return uploaded


def _uploader(request: HttpRequest, caller: Caller) -> Uploader:
    """上傳人員 and 聯絡人: the contact fields, or else the token person's account, as the upload
    page fills them in."""
    account = (
        Account.objects.select_related("person").filter(national_id=caller.national_id).first()
    )
    name = request.POST.get("contact_name", "").strip()
    email = to_half_width(request.POST.get("contact_email", "")).strip()
    if account is not None:
        name, email = name or account.person.name, email or account.email
    for field, value in (("contact_name", name), ("contact_email", email)):
        if not value:
            raise CONTACT_REQUIRED.error(400, "contact_required", field=field)
    if len(name) > CONTACT_NAME_MAX:
        raise CONTACT_NAME_TOO_LONG.error(400, "invalid_contact_name", max=CONTACT_NAME_MAX)
    if not _is_email(email):
        raise CONTACT_EMAIL_INVALID.error(400, "invalid_contact_email")
    uploader_name = account.person.name if account is not None else name
    language = translation.get_language() or settings.LANGUAGE_CODE  # for the clerk's mail
    return Uploader(caller.national_id, uploader_name[:UPLOADER_NAME_MAX], name, email, language)


def _is_email(value: str) -> bool:
    if len(value) > EMAIL_MAX:
        return False
    try:
        validate_email(value)
    except ValidationError:
        return False
    return True
