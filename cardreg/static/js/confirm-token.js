// The confirmation link carries its token after "#": move it into the form and out of the
// address bar, so it never reaches a server log, the history or a Referer header.
"use strict";

(function () {
  const token = window.location.hash.slice(1);
  if (token) {
    document.getElementById("id_token").value = token;
    history.replaceState(null, "", window.location.pathname);
  }
})();
