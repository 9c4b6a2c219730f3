// The error summary of a failed submit (templates/forms/error_summary.html): focused when the
// page opens, so a screen reader reads it first; its links put the cursor into their field.
"use strict";

document.addEventListener("DOMContentLoaded", function () {
  const summary = document.querySelector("[data-error-summary]");
  if (!summary) return;
  summary.focus();
  summary.addEventListener("click", function (event) {
    const link = event.target.closest("a[href^='#']");
    const field = link && document.getElementById(link.hash.slice(1));
    if (!field) return;
    event.preventDefault();
    // The label (or the group's legend) says what the field is: show it above the field.
    const label = document.querySelector(`label[for="${field.id}"]`) || field.closest("fieldset");
    (label || field).scrollIntoView();
    field.focus({ preventScroll: true });
  });
});
