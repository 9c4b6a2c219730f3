// Cascading choices (縣市 → 鄉鎮市區 → 村里): choosing one loads the next list from the server.
"use strict";

(function () {
  const order = ["county", "township", "village"];
  // Per list, the number of its newest request: arrowing through 縣市 sends one request per
  // option, and their answers may arrive in any order; only the newest may fill the list.
  const latest = new WeakMap();

  function clear(select) {
    latest.set(select, (latest.get(select) || 0) + 1); // an answer still on its way is now stale
    select.length = 1; // keep the 「請選擇」 option
    const next = document.getElementById(select.dataset.target || "");
    if (next) clear(next);
  }

  async function fill(source) {
    const target = document.getElementById(source.dataset.target);
    clear(target);
    if (!source.value) return;
    const ticket = latest.get(target);
    const params = new URLSearchParams();
    for (const name of order) {
      const select = source.form.elements[name];
      params.set(name, select.value);
      if (select === source) break;
    }
    const response = await fetch(`${source.dataset.cascade}?${params}`, { credentials: "same-origin" });
    if (!response.ok || latest.get(target) !== ticket) return;
    const body = await response.json();
    if (latest.get(target) !== ticket) return;
    target.length = 1; // replace the options, never add to another answer's
    for (const item of body.items) {
      const option = new Option(item.label, item.value);
      option.selected = item.value === target.dataset.selected;
      target.add(option);
    }
    target.dataset.selected = "";
    if (target.dataset.cascade && target.value) await fill(target);
  }

  document.querySelectorAll("select[data-cascade]").forEach(function (select) {
    select.addEventListener("change", () => fill(select));
  });
  const first = document.querySelector("select[data-cascade]");
  if (first && first.value) fill(first);
})();
