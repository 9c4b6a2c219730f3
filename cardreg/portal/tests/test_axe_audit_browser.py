"""The accessibility audit every browser journey runs under (cardreg/axe_audit.py) finds what it
must: a violation on a page the journey leaves at once, one that a script adds after a click,
under a Content-Security-Policy as strict as the portal's."""

from __future__ import annotations

from collections.abc import Callable

from playwright.sync_api import BrowserContext, Route

from cardreg.axe_audit import AXE_SCRIPT, AxeAudit, Violation
from cardreg.conftest import require_tool

SITE = "http://audit.test"
CSP = "default-src 'self'; script-src 'self'; img-src 'self' data:"
HEAD = '<!doctype html><html lang="en"><head><meta charset="utf-8"><title>{0}</title></head>'
PAGES = {
    "/": HEAD.format("First") + '<body><main><h1>First</h1><a href="/second">Next</a>'
    '<input id="unlabelled"></main></body></html>',
    "/second": HEAD.format("Second") + '<body><main><h1>Second</h1><button type="button">'
    'Show the picture</button></main><script src="/picture.js"></script></body></html>',
    "/picture.js": 'document.querySelector("button").addEventListener("click", () => {'
    ' const img = document.createElement("img"); img.src = "data:,";'
    ' document.querySelector("main").append(img); });',
    "/third": HEAD.format("Third") + "<body><main><h1>Third</h1></main></body></html>",
}


def serve(route: Route) -> None:
    path = route.request.url.removeprefix(SITE)
    kind = "text/javascript" if path.endswith(".js") else "text/html; charset=utf-8"
    route.fulfill(
        status=200 if path in PAGES else 404,
        headers={"Content-Type": kind, "Content-Security-Policy": CSP},
        body=PAGES.get(path, ""),
    )


def test_the_audit_finds_violations_on_pages_left_at_once_and_after_a_click(
    new_context: Callable[..., BrowserContext],
) -> None:
    require_tool(str(AXE_SCRIPT), "npm ci")
    context = new_context()
    context.route(f"{SITE}/**", serve)
    audit = AxeAudit()
    audit.attach(context)  # after the site's route: the audit's route runs first, then falls back
    page = context.new_page()

    page.goto(f"{SITE}/")
    page.get_by_role("link", name="Next").click()  # at once, before any pause
    page.get_by_role("button", name="Show the picture").click()
    page.goto(f"{SITE}/third")  # right after the script changed the page

    assert audit.finish(context) == [
        str(Violation("label", "critical", "Form elements must have labels", "/", "#unlabelled")),
        str(
            Violation(
                "image-alt", "critical", "Images must have alternative text", "/second", "img"
            )
        ),
    ]
    assert [url.removeprefix(SITE) for url in audit.audited] == [
        "/",
        "/second",
        "/second",
        "/third",
    ]
