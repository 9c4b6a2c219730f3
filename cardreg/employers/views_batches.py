"""健保卡註冊申請整批資料上傳 and 健保卡註冊申請上傳紀錄查詢: upload → preview → submit → status,
the history, and the downloads (log, result CSV)."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.utils.datastructures import MultiValueDict
from django.utils.http import content_disposition_header
from django.utils.translation import get_language
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt, csrf_protect
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from cardreg.accounts.access import current_account
from cardreg.employers import batch_pages, upload_limit
from cardreg.employers.access import UnitAccess
from cardreg.employers.batches import (
    Uploader,
    UploadProblem,
    accept_upload,
    discard_draft,
    get_own_draft,
    get_visible_batch,
    preview,
    submit,
)
from cardreg.employers.batchlog import log_download
from cardreg.employers.forms import UploadForm
from cardreg.employers.history import PAGE_SIZES, query_history
from cardreg.employers.messages import ALREADY_SUBMITTED, UPLOAD_CANCELLED
from cardreg.employers.models import Batch
from cardreg.employers.page_access import require_batch_right, unit_page
from cardreg.employers.upload_limit import BodyLimit
from cardreg.employers.wording import too_large_message

UPLOADER_NAME_MAX = 20  # Batch.uploader_name


def _upload_page(
    request: HttpRequest, access: UnitAccess, form: UploadForm, status: int = 200
) -> HttpResponse:
    context = {
        "access": access,
        "form": form,
        "rules": batch_pages.upload_rules(access.unit),
        "example_rows": batch_pages.example_rows(access.unit),
    }
    return render(request, "employers/upload.html", context, status=status)


def _attachment(content: bytes, content_type: str, file_name: str) -> HttpResponse:
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = content_disposition_header(True, file_name)
    return response


def _visible_batch(request: HttpRequest, access: UnitAccess, pk: int) -> Batch:
    require_batch_right(access)
    return get_visible_batch(access, current_account(request).national_id, pk)


@csrf_exempt  # checked by _upload once the body limit is in place (CSRF reads request.POST)
@require_http_methods(["GET", "POST"])
@unit_page("upload")
def upload(request: HttpRequest, access: UnitAccess) -> HttpResponse:
    if request.method == "GET":
        account = current_account(request)
        initial = {"contact_name": account.person.name, "contact_email": account.email}
        return _upload_page(request, access, UploadForm(initial=initial))
    if upload_limit.declared_too_large(request):
        return _too_large(request, access)  # before a byte of the body is read
    return _upload(request, access, upload_limit.install(request))


@csrf_protect
def _upload(request: HttpRequest, access: UnitAccess, body_limit: BodyLimit) -> HttpResponse:
    account = current_account(request)
    form = UploadForm(request.POST, request.FILES)
    if body_limit.exceeded:
        return _too_large(request, access)
    if not form.is_valid():
        return _upload_page(request, access, form, status=400)
    data = form.cleaned_data
    uploader = Uploader(
        national_id=account.national_id,
        name=account.person.name[:UPLOADER_NAME_MAX],
        contact_name=data["contact_name"].strip(),
        contact_email=data["contact_email"],
        language=get_language() or settings.LANGUAGE_CODE,
    )
    # One byte over the limit is enough for accept_upload to refuse it: never read more.
    content = data["file"].read(settings.CARDREG_BATCH_MAX_BYTES + 1)
    try:
        batch = accept_upload(access.unit, uploader, file_name=data["file"].name, data=content)
    except UploadProblem as problem:
        form.add_error("file", problem.message)  # shown with the file field, like its others
        return _upload_page(request, access, form, status=400)
    return redirect("employers:preview", code=access.unit.code, pk=batch.pk)


def _too_large(request: HttpRequest, access: UnitAccess) -> HttpResponse:
    """413 with the limit in words; the body is not read, so the form starts afresh."""
    account = current_account(request)
    initial = {"contact_name": account.person.name, "contact_email": account.email}
    form = UploadForm(initial, MultiValueDict())
    form.full_clean()
    form.errors.pop("file", None)  # not "required": too large
    form.add_error("file", too_large_message())
    return _upload_page(request, access, form, status=413)


@require_GET
@unit_page("upload")
def example(request: HttpRequest, access: UnitAccess) -> HttpResponse:
    """The example file, under the name an upload today must have: it uploads unchanged."""
    name = batch_pages.upload_rules(access.unit).expected_name
    return _attachment(batch_pages.example_csv(access.unit), "text/csv; charset=utf-8", name)


@require_GET
@unit_page("upload")
def preview_page(request: HttpRequest, access: UnitAccess, pk: int) -> HttpResponse:
    national_id = current_account(request).national_id
    try:
        batch = get_own_draft(access, national_id, pk)
    except Http404:
        # Back after 確認送出 lands here: the batch is no longer a draft, show where it stands.
        batch = get_visible_batch(access, national_id, pk)
        return redirect("employers:batch", code=access.unit.code, pk=batch.pk)
    context = {"access": access, "batch": batch, "preview": preview(batch)}
    return render(request, "employers/preview.html", context)


@require_POST
@unit_page("upload")
def submit_upload(request: HttpRequest, access: UnitAccess, pk: int) -> HttpResponse:
    """確認送出; sent twice (a double click), it leads to the same status page."""
    national_id = current_account(request).national_id
    try:
        batch = get_own_draft(access, national_id, pk)
    except Http404:
        batch = get_visible_batch(access, national_id, pk)
        messages.info(request, ALREADY_SUBMITTED)
    else:
        submit(batch)
    return redirect("employers:batch", code=access.unit.code, pk=batch.pk)


@require_POST
@unit_page("upload")
def cancel_upload(request: HttpRequest, access: UnitAccess, pk: int) -> HttpResponse:
    batch = get_own_draft(access, current_account(request).national_id, pk)
    discard_draft(batch)
    messages.info(request, UPLOAD_CANCELLED)
    return redirect("employers:upload", code=access.unit.code)


@require_GET
@unit_page()
def batch_status(request: HttpRequest, access: UnitAccess, pk: int) -> HttpResponse:
    batch = _visible_batch(request, access, pk)
    context = {
        "access": access,
        "batch": batch,
        "progress": batch_pages.progress(batch),
        "finished": batch_pages.is_finished(batch),
        "failure_reason": batch_pages.failure_reason(batch),
    }
    return render(request, "employers/batch.html", context)


@never_cache
@require_GET
@unit_page()
def batch_progress(request: HttpRequest, access: UnitAccess, pk: int) -> JsonResponse:
    return JsonResponse(batch_pages.progress(_visible_batch(request, access, pk)))


@require_GET
@unit_page()
def batch_log(request: HttpRequest, access: UnitAccess, pk: int) -> HttpResponseBase:
    batch = _visible_batch(request, access, pk)
    if not batch.log_name or batch.log is None:
        raise Http404
    return log_download(batch)


@require_GET
@unit_page()
def batch_results(request: HttpRequest, access: UnitAccess, pk: int) -> HttpResponse:
    batch = _visible_batch(request, access, pk)
    if not batch_pages.is_finished(batch):
        raise Http404
    name = batch_pages.result_csv_name(batch)
    return _attachment(batch_pages.result_csv(batch), "text/csv; charset=utf-8", name)


@require_GET
@unit_page("query")
def history(request: HttpRequest, access: UnitAccess) -> HttpResponse:
    found = query_history(access, current_account(request).national_id, request.GET)
    context = {"access": access, "history": found, "page_sizes": PAGE_SIZES}
    status = 200 if found.page is not None else 400
    return render(request, "employers/history.html", context, status=status)
