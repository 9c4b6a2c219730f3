"""Browser: the pages fit every screen from a small phone (320 px) to a wide desktop (1920 px).
The page never scrolls sideways (a wide table scrolls inside its own box), the header stays
compact, and no table header breaks inside a word (Chinese text breaks between any two
characters unless told not to: 上傳筆數 came out one character per line). Screenshots of each
page at each width are kept in the test's temporary directory for a person to look at."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from django.test import Client
from playwright.sync_api import Page, expect

from cardreg.accounts.tests.conftest import HOUSEHOLD, walk_to_details
from cardreg.cards.testing import make_signed_card
from cardreg.employers import processing
from cardreg.employers.testing import (
    add_people,
    add_roster,
    batch_rows,
    csv_bytes,
    national_ids,
    submitted_batch,
)
from cardreg.employers.tests.conftest import ADMIN_ID, make_unit
from cardreg.employers.tests.pages import employer_login, registered
from cardreg.registry.demo import load_demo_divisions
from cardreg.registry.models import HouseholdMember

pytestmark = pytest.mark.django_db(transaction=True)
# px: the widths, each with the most its header may take (the site name stood one character per
# line in a 350 px header at 390 px)
HEADER_LIMITS = {320: 180, 390: 160, 1280: 100, 1920: 100}
HEIGHT = 800
CELL_LINES = 3  # more means a column squeezed to a few characters (a name one per line)
DESKTOP = 1280  # px: from this width on every table fits without scrolling

# What the user sees of the layout, measured in the page. A "line" is a distinct line box of
# the element's visible text (visually hidden text, read only by screen readers, left out).
MEASURE = """() => {
  function visibleTexts(element) {
    const texts = [];
    const walker = document.createTreeWalker(element, NodeFilter.SHOW_TEXT);
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
      if (node.textContent.trim() && !node.parentElement.closest(".visually-hidden")) {
        texts.push(node);
      }
    }
    return texts;
  }
  function lines(element) {
    const tops = new Set();
    for (const node of visibleTexts(element)) {
      const range = document.createRange();
      range.selectNodeContents(node);
      for (const rect of range.getClientRects()) {
        if (rect.width > 0) tops.add(Math.round(rect.top / 4));
      }
    }
    return tops.size;
  }
  const words = (element) =>
    visibleTexts(element).map((n) => n.textContent).join(" ").trim().split(/\\s+/).length;
  return {
    header: document.querySelector(".site-header").getBoundingClientRect().height,
    siteName: lines(document.querySelector(".site-name")),
    pageWidth: document.documentElement.scrollWidth,
    viewport: window.innerWidth,
    looseTables: document.querySelectorAll("table:not(.table-scroll > table)").length,
    scrollingTables: Array.from(document.querySelectorAll(".table-scroll"))
      .filter((box) => box.scrollWidth > box.clientWidth).length,
    headers: Array.from(document.querySelectorAll("thead th"), (th) => ({
      text: th.textContent.trim(), words: words(th), lines: lines(th),
    })),
    cells: Array.from(document.querySelectorAll("td"), (td) => ({
      text: td.textContent.trim(), lines: lines(td),
    })),
  };
}"""


@dataclass
class Shots:
    page: Page
    url: str
    folder: Path

    def check(self, path: str, name: str) -> None:
        """Opens ``path`` at each width and asserts that the layout fits it."""
        for width, header_limit in HEADER_LIMITS.items():
            self.page.set_viewport_size({"width": width, "height": HEIGHT})
            self.page.goto(f"{self.url}{path}")
            expect(self.page.get_by_role("main")).to_be_visible()
            self.page.screenshot(path=self.folder / f"{name}-{width}.png", full_page=True)
            fit: dict[str, Any] = self.page.evaluate(MEASURE)
            where = f"{name} at {width} px"
            assert fit["pageWidth"] <= fit["viewport"], f"{where}: the page scrolls sideways"
            assert fit["header"] <= header_limit, f"{where}: header {fit}"
            assert fit["siteName"] <= 2, f"{where}: the site name wraps over {fit['siteName']}"
            assert fit["looseTables"] == 0, f"{where}: a table outside a scrolling box"
            if width >= DESKTOP:
                assert fit["scrollingTables"] == 0, f"{where}: a table scrolls sideways"
            for cell in fit["cells"]:
                assert cell["lines"] <= CELL_LINES, f"{where}: a squeezed cell: {cell}"
            for header in fit["headers"]:
                assert header["lines"] <= header["words"], f"{where}: header broken: {header}"


@pytest.fixture
def shots(page: Page, live_server: Any, tmp_path: Path) -> Shots:
    return Shots(page, live_server.url, tmp_path)


def take_session(page: Page, client: Client, url: str) -> None:
    """The browser continues the session the test client started (card proof and all)."""
    cookie = client.cookies["sessionid"].value
    page.context.add_cookies([{"name": "sessionid", "value": cookie, "url": url}])


def test_home_page_fits_every_width(shots: Shots) -> None:
    shots.check("/", "home")


def test_home_page_fits_every_width_in_english(shots: Shots) -> None:
    # English words are longer than their Chinese originals: the header must still fit.
    shots.page.context.add_cookies([{"name": "django_language", "value": "en", "url": shots.url}])
    shots.check("/", "home-en")
    expect(shots.page.get_by_role("button", name="繁體中文")).to_be_visible()


def test_registration_details_fit_every_width(shots: Shots) -> None:
    load_demo_divisions()
    card = make_signed_card(name="歐陽娜娜")
    fields = {k: v for k, v in HOUSEHOLD.items() if k != "neighbourhood"}
    HouseholdMember.objects.create(national_id=card.person.national_id, neighbourhood=3, **fields)
    client = Client()
    walk_to_details(client, card)
    take_session(shots.page, client, shots.url)
    shots.check("/account/register/details", "register-details")
    expect(shots.page.get_by_role("heading", name="註冊資料")).to_be_visible()


def test_employer_upload_and_history_fit_every_width(shots: Shots) -> None:
    unit = make_unit()
    admin = registered(ADMIN_ID, name="歐陽承辦")
    ids = national_ids(3, letter="K")
    add_people(ids)
    add_roster(unit.code, ids[:2])
    submitted_batch(unit, csv_bytes(batch_rows(ids)))
    processing.process_next()  # one finished upload with a log, one still waiting
    submitted_batch(unit, csv_bytes(batch_rows(ids[:1])))
    take_session(shots.page, employer_login(admin), shots.url)
    shots.check(f"/employer/{unit.code}/upload", "employer-upload")
    shots.check(f"/employer/{unit.code}/batches", "employer-history")
    expect(shots.page.locator("#history-table tbody tr")).to_have_count(2)
