// 電腦環境檢測: asks the local card agent for its state, reads the card, has the card sign the
// server's challenge and shows, row by row, the recommended and the current state.
"use strict";

(function () {
  const config = JSON.parse(document.getElementById("cardproof-config").textContent);
  const flow = window.CardProof.create(config);
  const T = flow.T;

  function row(item) { return document.querySelector(`tr[data-item="${item}"]`); }

  function show(item, ok, text, fix) {
    const cells = row(item).lastElementChild;
    const state = cells.querySelector(".state");
    state.className = "state " + (ok === null ? "state-wait" : ok ? "state-ok" : "state-bad");
    state.textContent = (ok === null ? "" : ok ? "✔ " : "✘ ") + text;
    const fixLine = cells.querySelector(".fix");
    fixLine.hidden = !fix;
    fixLine.textContent = fix || "";
    row(item).dataset.state = ok === null ? "unknown" : ok ? "ok" : "bad";
  }

  function versionAtLeast(version, minimum) {
    const a = String(version).split(".").map(Number);
    const b = String(minimum).split(".").map(Number);
    for (let i = 0; i < Math.max(a.length, b.length); i++) {
      if ((a[i] || 0) !== (b[i] || 0)) return (a[i] || 0) > (b[i] || 0);
    }
    return true;
  }

  const ua = navigator.userAgent;
  const os = /Windows/.test(ua) ? "Windows" : /Mac OS X/.test(ua) ? "macOS" : /Android/.test(ua) ? "Android"
    : /iPhone|iPad/.test(ua) ? "iOS" : /Linux/.test(ua) ? "Linux" : ua;
  const agentFix = { Windows: T.agentFixWindows, macOS: T.agentFixMac, Linux: T.agentFixLinux }[os] || T.agentFix;

  function describeEnvironment() {
    const match = ua.match(/(Edg|Firefox|Chrome|Version)\/(\d+)/);
    const names = { Edg: "Edge", Firefox: "Firefox", Chrome: "Chrome", Version: "Safari" };
    document.getElementById("env-os").textContent = os;
    document.getElementById("env-browser").textContent = match ? `${names[match[1]]} ${match[2]}` : ua;
    const modern = typeof fetch === "function" && typeof Promise === "function" && "TextEncoder" in window;
    show("browser", modern, modern ? T.browserOk : T.browserOld, modern ? "" : T.browserFix);
  }

  // Each check shows its row and throws to stop the ones after it.
  async function checkAgent() {
    let status;
    try {
      status = await flow.status();
    } catch (error) {
      show("agent", false, error.text, agentFix);
      throw error;
    }
    const current = versionAtLeast(status.version, config.minVersion);
    show("agent", current, flow.fill(current ? T.agentRunning : T.agentOld, { version: status.version }),
      current ? "" : T.agentUpdateFix);
    return status;
  }

  // The smart-card service: the agent reports 7001 when PC/SC itself is not running.
  function checkService(status) {
    const down = status.error && status.error.code === "7001";
    if (down) {
      show("service", false, flow.describe(status.error), T.serviceFix);
      throw new flow.CheckError(flow.describe(status.error));
    }
    show("service", true, status.reader_mode === "virtual" ? T.serviceVirtual : T.serviceRunning, "");
    return status;
  }

  function checkReader(status) {
    if (status.error) {
      show("reader", false, flow.describe(status.error), T.readerFix);
      throw new flow.CheckError(flow.describe(status.error));
    }
    const found = status.readers && status.readers.length > 0;
    show("reader", found, found ? flow.fill(T.readerFound, { names: status.readers.join("、") }) : T.readerMissing,
      found ? "" : T.readerFix);
    if (!found) throw new flow.CheckError(T.readerMissing);
  }

  async function checkCard() {
    try {
      await flow.readCard();
    } catch (error) {
      show("card", false, error.text, T.cardFix);
      throw error;
    }
    show("card", true, T.cardPresent, "");
  }

  async function checkProof() {
    try {
      const result = await flow.prove();
      show("proof", true, flow.fill(T.verified, { name: result.holder.name, id: result.holder.national_id }), "");
    } catch (error) {
      show("proof", false, error.text || String(error), T.verifyFix);
      throw error;
    }
  }

  async function run() {
    const button = document.getElementById("recheck");
    const summary = document.getElementById("check-summary");
    const items = ["agent", "service", "reader", "card", "proof"];
    const steps = [checkAgent, checkService, checkReader, checkCard, checkProof];
    button.disabled = true;
    summary.className = "notice";
    summary.textContent = T.checking;
    for (const item of items) show(item, null, T.checking, "");
    describeEnvironment();
    let ok = row("browser").dataset.state === "ok";
    let previous;
    for (let i = 0; i < steps.length; i++) {
      try {
        previous = await steps[i](previous);
      } catch (error) {
        ok = false;
        for (const later of items.slice(i + 1)) show(later, null, T.notChecked, "");
        break;
      }
    }
    summary.className = ok ? "notice" : "notice error";
    summary.textContent = ok ? T.allOk : T.someBad;
    button.disabled = false;
  }

  document.getElementById("recheck").addEventListener("click", run);
  run();
})();
