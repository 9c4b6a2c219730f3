// 電腦環境檢測: asks the local card agent for its state, reads the card, has the card sign the
// server's challenge and shows, row by row, the recommended and the current state.
"use strict";

(function () {
  const config = JSON.parse(document.getElementById("envcheck-config").textContent);
  const T = config.texts;
  const english = document.documentElement.lang.startsWith("en");
  const csrf = document.querySelector("input[name=csrfmiddlewaretoken]").value;
  const agent = config.agentUrl.replace(/\/$/, "");

  class CheckError extends Error {
    constructor(text) { super(text); this.text = text; }
  }

  function fill(template, values) {
    return template.replace(/\{(\w+)\}/g, (_, key) => values[key] ?? "");
  }

  function describe(body) {
    // Agent errors carry both languages; the server's are already in the page's language.
    const message = body && body.message;
    const text = typeof message === "string" ? message : message && (english ? message.en : message["zh-Hant"]);
    return body && body.code ? `[${body.code}] ${text}` : String(text);
  }

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

  async function call(url, options, unreachableText) {
    let response;
    try {
      response = await fetch(url, options);
    } catch (error) {
      throw new CheckError(unreachableText);
    }
    const body = await response.json().catch(() => null);
    if (!response.ok) throw new CheckError(describe(body));
    return body;
  }

  const agentCall = (path, options) => call(agent + path, options, T.agentMissing);
  const serverPost = (url, data) => call(url, {
    method: "POST",
    credentials: "same-origin",
    headers: { "Content-Type": "application/json", "X-CSRFToken": csrf },
    body: JSON.stringify(data || {}),
  }, T.serverUnreachable);

  function versionAtLeast(version, minimum) {
    const a = String(version).split(".").map(Number);
    const b = String(minimum).split(".").map(Number);
    for (let i = 0; i < Math.max(a.length, b.length); i++) {
      if ((a[i] || 0) !== (b[i] || 0)) return (a[i] || 0) > (b[i] || 0);
    }
    return true;
  }

  function describeEnvironment() {
    const ua = navigator.userAgent;
    const os = /Windows/.test(ua) ? "Windows" : /Mac OS X/.test(ua) ? "macOS" : /Android/.test(ua) ? "Android"
      : /iPhone|iPad/.test(ua) ? "iOS" : /Linux/.test(ua) ? "Linux" : ua;
    const match = ua.match(/(Edg|Firefox|Chrome|Version)\/(\d+)/);
    const names = { Edg: "Edge", Firefox: "Firefox", Chrome: "Chrome", Version: "Safari" };
    document.getElementById("env-os").textContent = os;
    document.getElementById("env-browser").textContent = match ? `${names[match[1]]} ${match[2]}` : ua;
    const modern = typeof fetch === "function" && typeof Promise === "function" && "TextEncoder" in window;
    show("browser", modern, modern ? T.browserOk : T.browserOld, modern ? "" : T.browserFix);
  }

  async function checkAgent() {
    let status;
    try {
      status = await agentCall("/v1/status");
    } catch (error) {
      show("agent", false, error.text, T.agentFix);
      throw error;
    }
    const current = versionAtLeast(status.version, config.minVersion);
    show("agent", current, fill(current ? T.agentRunning : T.agentOld, { version: status.version }),
      current ? "" : T.agentUpdateFix);
    return status;
  }

  function checkReader(status) {
    if (status.error) {
      show("reader", false, describe(status.error), T.readerFix);
      throw new CheckError(describe(status.error));
    }
    const found = status.readers && status.readers.length > 0;
    show("reader", found, found ? fill(T.readerFound, { names: status.readers.join("、") }) : T.readerMissing,
      found ? "" : T.readerFix);
    if (!found) throw new CheckError(T.readerMissing);
  }

  async function checkCard() {
    try {
      await agentCall("/v1/card");
    } catch (error) {
      show("card", false, error.text, T.cardFix);
      throw error;
    }
    show("card", true, T.cardPresent, "");
  }

  async function checkProof() {
    try {
      const issued = await serverPost(config.challengeUrl);
      const signed = await agentCall("/v1/sign", {
        method: "POST",
        headers: { "Content-Type": "application/json" },
        body: JSON.stringify({ challenge: issued.challenge, origin: issued.origin }),
      });
      const result = await serverPost(config.verifyUrl, {
        challenge: issued.challenge, origin: issued.origin,
        card_number: signed.card_number, signature: signed.signature,
      });
      show("proof", true, fill(T.verified, { name: result.holder.name, id: result.holder.national_id }), "");
    } catch (error) {
      show("proof", false, error.text || String(error), T.verifyFix);
      throw error;
    }
  }

  async function run() {
    const button = document.getElementById("recheck");
    const summary = document.getElementById("check-summary");
    button.disabled = true;
    summary.className = "notice";
    summary.textContent = T.checking;
    for (const item of ["agent", "reader", "card", "proof"]) show(item, null, T.checking, "");
    describeEnvironment();
    const steps = [checkAgent, checkReader, checkCard, checkProof];
    const items = ["agent", "reader", "card", "proof"];
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
