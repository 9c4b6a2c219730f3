// The batch status page: polls its progress endpoint until the batch has finished, updating the
// counts in place and then showing the result downloads instead of the waiting note
// (templates/employers/batch.html).
"use strict";

(function () {
  const POLL_MS = 2000;

  function show(progress) {
    document.getElementById("status-label").textContent = progress.status_label;
    for (const key of ["processed", "total", "succeeded", "failed"]) {
      document.getElementById(key).textContent = String(progress[key]);
    }
    const bar = document.getElementById("progress-bar");
    bar.max = progress.total;
    bar.value = progress.processed;
  }

  function start(box) {
    const url = box.dataset.progressUrl;
    const interval = Number(box.dataset.interval) || POLL_MS;

    async function poll() {
      let progress = null;
      try {
        const response = await fetch(url, { credentials: "same-origin", cache: "no-store" });
        if (response.ok) progress = await response.json();
      } catch (error) {
        progress = null; // a lost connection: try again at the next tick
      }
      if (progress === null) {
        window.setTimeout(poll, interval * 2);
        return;
      }
      show(progress);
      if (!progress.done) {
        window.setTimeout(poll, interval);
        return;
      }
      // Finished: the page no longer updates itself, so it must stop saying it does.
      const note = document.getElementById("waiting-note");
      if (note) note.remove();
      if (progress.status === "failed") {
        window.location.reload(); // the page then says why it failed
      } else {
        document.getElementById("batch-results").hidden = false;
      }
    }

    window.setTimeout(poll, interval);
  }

  document.addEventListener("DOMContentLoaded", function () {
    const box = document.getElementById("batch-progress");
    if (box && box.dataset.finished !== "1") start(box);
  });
})();
