// Talking to the local card agent and proving the card to the server: shared by every page that
// reads the card (environment check, registration, confirmation, login).
"use strict";

window.CardProof = (function () {
  class CheckError extends Error {
    constructor(text) { super(text); this.text = text; }
  }

  function create(config) {
    const T = config.texts;
    const english = document.documentElement.lang.startsWith("en");
    const agent = config.agentUrl.replace(/\/$/, "");
    const csrfInput = document.querySelector("input[name=csrfmiddlewaretoken]");

    function describe(body) {
      // Agent errors carry both languages; the server's are already in the page's language.
      const message = body && body.message;
      const text = typeof message === "string" ? message : message && (english ? message.en : message["zh-Hant"]);
      return body && body.code ? `[${body.code}] ${text}` : String(text);
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
      headers: { "Content-Type": "application/json", "X-CSRFToken": csrfInput ? csrfInput.value : "" },
      body: JSON.stringify(data || {}),
    }, T.serverUnreachable);

    // The server's challenge, signed by the card through the agent, checked by the server.
    async function prove() {
      const issued = await serverPost(config.challengeUrl);
      const signed = await agentCall("/v1/sign", {
        method: "POST",
        headers: { "Content-Type": "application/json" },
        body: JSON.stringify({ challenge: issued.challenge, origin: issued.origin }),
      });
      return serverPost(config.verifyUrl, {
        challenge: issued.challenge, origin: issued.origin,
        card_number: signed.card_number, signature: signed.signature,
      });
    }

    return {
      T,
      CheckError,
      describe,
      status: () => agentCall("/v1/status"),
      readCard: () => agentCall("/v1/card"),
      prove,
      fill: (template, values) => template.replace(/\{(\w+)\}/g, (_, key) => values[key] ?? ""),
    };
  }

  // A card form (templates/accounts/_card_reader.html): its submit button, clicked or reached by
  // Enter in a field, reads and proves the card, shows the outcome, and only then sends the
  // form. Every submit is caught here, so the form never leaves without a card proof; the
  // button is disabled in the page until this script is ready, so an early press is never lost.
  function bindCardForm(button) {
    const config = JSON.parse(document.getElementById("cardproof-config").textContent);
    const flow = create(config);
    const output = document.getElementById(button.dataset.output);
    const form = button.form;
    let busy = false;
    form.addEventListener("submit", async function (event) {
      event.preventDefault();
      if (busy) return;
      if (form.dataset.needsPassword && !form.reportValidity()) return;
      busy = button.disabled = true;
      output.className = "notice";
      output.textContent = flow.T.reading;
      try {
        const result = await flow.prove();
        output.textContent = flow.fill(flow.T.verified, { name: result.holder.name, id: result.holder.national_id });
        form.submit(); // fires no submit event: this handler does not run again
      } catch (error) {
        output.className = "notice error";
        output.textContent = error.text || String(error);
        busy = button.disabled = false;
      }
    });
    // Back to this page from the next one (the back/forward cache): ready for another read.
    window.addEventListener("pageshow", function (event) {
      if (event.persisted) busy = button.disabled = false;
    });
    button.disabled = false;
  }

  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll("button[data-card-read]").forEach(bindCardForm);
  });

  return { create };
})();
