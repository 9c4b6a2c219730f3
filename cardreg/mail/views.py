"""The demo mailbox: what the outbox holds, readable in the browser. Only in demo mode."""

from __future__ import annotations

from html.parser import HTMLParser

from django.conf import settings
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils.http import content_disposition_header

from cardreg.mail.models import OutboxAttachment, OutboxMessage

PER_PAGE = 50


def _require_demo_mode() -> None:
    if not settings.CARDREG_DEMO:
        raise Http404


def demo_mailbox(request: HttpRequest) -> HttpResponse:
    _require_demo_mode()
    messages = OutboxMessage.objects.order_by("-created_at", "-id").only(
        "created_at", "recipient", "subject", "status"
    )
    page = Paginator(messages, PER_PAGE).get_page(request.GET.get("page"))
    return render(request, "mail/demo/mailbox.html", {"page": page})


def demo_message(request: HttpRequest, message_id: int) -> HttpResponse:
    _require_demo_mode()
    message = get_object_or_404(OutboxMessage, pk=message_id)
    context = {
        "message": message,
        # Links open in a new, unsandboxed tab: the pages they lead to need their scripts.
        "srcdoc": '<base target="_blank">' + message.html,
        "links": links_in_html(message.html),
        "attachments": message.attachments.only("filename", "content_type"),
    }
    return render(request, "mail/demo/message.html", context)


def demo_attachment(request: HttpRequest, message_id: int, attachment_id: int) -> HttpResponse:
    _require_demo_mode()
    attachment = get_object_or_404(OutboxAttachment, pk=attachment_id, message_id=message_id)
    response = HttpResponse(bytes(attachment.content), content_type=attachment.content_type)
    response["Content-Disposition"] = content_disposition_header(True, attachment.filename)
    return response


class _LinkCollector(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.links: list[tuple[str, str]] = []
        self._href: str | None = None
        self._text: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "a":
            self._href, self._text = dict(attrs).get("href"), []

    def handle_data(self, data: str) -> None:
        if self._href is not None:
            self._text.append(data)

    def handle_endtag(self, tag: str) -> None:
        if tag == "a" and self._href is not None:
            if self._href.startswith(("https://", "http://")):
                self.links.append((self._href, " ".join("".join(self._text).split())))
            self._href = None


def links_in_html(html: str) -> list[tuple[str, str]]:
    """(address, text) of every web link in a mail, so the page can offer them as real links."""
    collector = _LinkCollector()
    collector.feed(html)
    collector.close()
    return collector.links
