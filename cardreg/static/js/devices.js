// 行動裝置認證 and 以行動裝置登入: carries the server's WebAuthn options to
// navigator.credentials and the authenticator's answer back. The server makes the options and
// checks the answer; nothing here decides anything.
"use strict";

(function () {
  const configNode = document.getElementById("devices-config");
  const form = document.getElementById("device-form");
  if (!configNode || !form) return;
  const config = JSON.parse(configNode.textContent);
  const T = config.texts;
  const button = form.querySelector("button[type=submit]");
  const status = document.getElementById("device-status");
  const csrf = form.querySelector("input[name=csrfmiddlewaretoken]").value;
  const binding = config.mode === "bind";

  class Problem extends Error {
    constructor(text) { super(text); this.text = text; }
  }

  function show(text, isError) {
    status.className = isError ? "notice error" : "notice";
    status.textContent = text;
  }

  function supported() {
    return typeof window.PublicKeyCredential === "function" && !!navigator.credentials &&
      typeof navigator.credentials[binding ? "create" : "get"] === "function";
  }

  // --- base64url, for browsers without the JSON helpers of WebAuthn level 3 ---
  function fromBase64url(text) {
    const base64 = text.replace(/-/g, "+").replace(/_/g, "/");
    const binary = atob(base64 + "=".repeat((4 - base64.length % 4) % 4));
    return Uint8Array.from(binary, (c) => c.charCodeAt(0)).buffer;
  }

  function toBase64url(buffer) {
    let binary = "";
    new Uint8Array(buffer).forEach((byte) => { binary += String.fromCharCode(byte); });
    return btoa(binary).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
  }

  const descriptors = (list) => (list || []).map((c) => ({ ...c, id: fromBase64url(c.id) }));

  function creationOptions(json) {
    if (typeof PublicKeyCredential.parseCreationOptionsFromJSON === "function") {
      return PublicKeyCredential.parseCreationOptionsFromJSON(json);
    }
    return {
      ...json,
      challenge: fromBase64url(json.challenge),
      user: { ...json.user, id: fromBase64url(json.user.id) },
      excludeCredentials: descriptors(json.excludeCredentials),
    };
  }

  function requestOptions(json) {
    if (typeof PublicKeyCredential.parseRequestOptionsFromJSON === "function") {
      return PublicKeyCredential.parseRequestOptionsFromJSON(json);
    }
    return { ...json, challenge: fromBase64url(json.challenge), allowCredentials: descriptors(json.allowCredentials) };
  }

  function credentialJSON(credential) {
    if (typeof credential.toJSON === "function") return credential.toJSON();
    const r = credential.response;
    const response = { clientDataJSON: toBase64url(r.clientDataJSON) };
    if (r.attestationObject) {
      response.attestationObject = toBase64url(r.attestationObject);
      response.transports = typeof r.getTransports === "function" ? r.getTransports() : [];
    } else {
      response.authenticatorData = toBase64url(r.authenticatorData);
      response.signature = toBase64url(r.signature);
      if (r.userHandle) response.userHandle = toBase64url(r.userHandle);
    }
    return {
      id: credential.id,
      rawId: toBase64url(credential.rawId),
      type: credential.type,
      response,
      authenticatorAttachment: credential.authenticatorAttachment || null,
      clientExtensionResults: credential.getClientExtensionResults(),
    };
  }

  async function post(url, data) {
    let response;
    try {
      response = await fetch(url, {
        method: "POST",
        credentials: "same-origin",
        headers: { "Content-Type": "application/json", "X-CSRFToken": csrf },
        body: JSON.stringify(data),
      });
    } catch (error) {
      throw new Problem(T.serverUnreachable);
    }
    const body = await response.json().catch(() => null);
    // A refusal that names a page to go to (the card must be read again): go there.
    if (!response.ok && body && body.redirect) window.location.assign(body.redirect);
    if (!response.ok || !body) throw new Problem((body && body.message) || T.failed);
    return body;
  }

  // What the browser's refusal means to the user.
  function browserProblem(error) {
    switch (error && error.name) {
      case "NotAllowedError": case "AbortError": return T.cancelled;
      case "InvalidStateError": return binding ? T.alreadyBound : T.failed;
      case "NotSupportedError": return T.unsupported;
      default: return T.failed;
    }
  }

  async function ceremony() {
    const issued = await post(config.optionsUrl, binding ? { name: form.elements.name.value } : {});
    show(T.working, false);
    let credential;
    try {
      credential = binding
        ? await navigator.credentials.create({ publicKey: creationOptions(issued.options) })
        : await navigator.credentials.get({ publicKey: requestOptions(issued.options) });
    } catch (error) {
      throw new Problem(browserProblem(error));
    }
    if (!credential) throw new Problem(T.cancelled);
    show(T.checking, false);
    const done = await post(config.verifyUrl, { credential: credentialJSON(credential) });
    window.location.assign(done.redirect);
  }

  form.addEventListener("submit", async function (event) {
    event.preventDefault();
    button.disabled = true;
    try {
      await ceremony();
    } catch (error) {
      show(error instanceof Problem ? error.text : T.failed, true);
      button.disabled = false;
    }
  });

  if (supported()) {
    button.disabled = false;
  } else {
    show(T.unsupported, true);
  }
})();
