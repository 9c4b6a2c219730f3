"""Test-only: axe-core audits every page a browser journey visits (see ``cardreg/conftest.py``).

axe-core comes from the npm registry (``package.json``, installed by ``npm ci``). It enters each
document through an init script, which the pages' Content-Security-Policy does not govern, so the
journeys keep running under the real policy. A page audits itself once it has loaded and again
whenever its content changed (a script filled in a result, a message appeared), and reports to
the test through a binding. The browser may not leave a page before its last state is audited:
the page's navigation request waits for that report, so a page the journey clicks through at once
is audited too. (Playwright cannot evaluate in a page whose navigation is pending, hence the page
audits itself.)
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from playwright.sync_api import BrowserContext, Page, Route

AXE_SCRIPT = Path(__file__).resolve().parent.parent / "node_modules" / "axe-core" / "axe.min.js"
BINDING = "__cardregAxe"
SETTLE_MS = 300  # a page changing in several steps is audited once, after the last one
AUDIT_TIMEOUT_SECONDS = 20.0

# Runs in every top-level http(s) document before the page's own scripts. axe.run() may not
# overlap itself: a change during an audit marks the page dirty again and queues another.
_RUNNER = """
(() => {
  if (window.top !== window || !/^https?:$/.test(location.protocol)) return;
  const report = (message) => window.BINDING(message);
  let dirty = false, running = false, timer = null;
  function touch(delay) {
    if (!dirty) { dirty = true; report({ state: "dirty" }); }
    clearTimeout(timer);
    timer = setTimeout(audit, delay);
  }
  async function audit() {
    if (running) return;
    running = true;
    dirty = false;
    const message = { url: location.href };
    try {
      const results = await axe.run(document, { resultTypes: ["violations"] });
      message.violations = results.violations.map((v) => ({
        id: v.id, impact: v.impact, help: v.help,
        targets: v.nodes.map((n) => n.target.join(" ")),
      }));
    } catch (error) {
      message.error = String(error);
    }
    running = false;
    if (dirty) touch(SETTLE_MS);
    report({ ...message, state: dirty ? "dirty" : "clean" });
  }
  touch(60000);  // dirty from the start; the audit itself waits for the load event
  addEventListener("load", () => {
    new MutationObserver(() => touch(SETTLE_MS)).observe(document.documentElement,
      { subtree: true, childList: true, attributes: true, characterData: true });
    touch(0);
  });
})();
""".replace("BINDING", BINDING).replace("SETTLE_MS", str(SETTLE_MS))


@dataclass(frozen=True)
class Violation:
    rule: str
    impact: str
    help: str
    path: str  # the page's path: the same page under several tokens or queries counts once
    target: str

    def __str__(self) -> str:
        return f"{self.rule} ({self.impact}) on {self.path}: {self.target} — {self.help}"


@dataclass
class AxeAudit:
    """Audits every top-level page of one browser context and collects the violations."""

    violations: list[Violation] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)  # audits that could not run or finish
    audited: list[str] = field(default_factory=list)  # URLs, in order
    _dirty: dict[Page, bool] = field(default_factory=dict)

    def attach(self, context: BrowserContext) -> None:
        context.expose_binding(BINDING, self._report)
        context.add_init_script(path=AXE_SCRIPT)
        context.add_init_script(script=_RUNNER)
        context.route("**/*", self._before_request)

    def finish(self, context: BrowserContext) -> list[str]:
        """Waits for the open pages' last audits; returns every violation and problem."""
        for page in context.pages:
            self._wait_until_audited(page)
        return [str(v) for v in self.violations] + self.problems

    def _before_request(self, route: Route) -> None:
        request = route.request
        if request.is_navigation_request() and request.frame.parent_frame is None:
            self._wait_until_audited(request.frame.page)
        route.fallback()

    def _wait_until_audited(self, page: Page) -> None:
        deadline = time.monotonic() + AUDIT_TIMEOUT_SECONDS
        while self._dirty.get(page) and not page.is_closed():
            if time.monotonic() > deadline:
                self.problems.append(f"the audit of {urlsplit(page.url).path} did not finish")
                self._dirty[page] = False
                return
            page.wait_for_timeout(20)  # lets the page's report come in

    def _report(self, source: dict[str, Any], message: dict[str, Any]) -> None:
        self._dirty[source["page"]] = message["state"] == "dirty"
        if "url" not in message:
            return
        self.audited.append(message["url"])
        path = urlsplit(message["url"]).path or "/"
        if "error" in message:
            self.problems.append(f"axe-core failed on {path}: {message['error']}")
        for found in message.get("violations", []):
            for target in found["targets"]:
                violation = Violation(found["id"], found["impact"], found["help"], path, target)
                if violation not in self.violations:
                    self.violations.append(violation)
