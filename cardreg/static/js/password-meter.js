// The live strength meter 弱 / 中 / 中強 / 強: the same rules as cardreg/accounts/passwords.py.
"use strict";

window.passwordStrength = function (password) {
  const kinds = [/[A-Z]/, /[a-z]/, /[0-9]/, /[^A-Za-z0-9]/].filter((re) => re.test(password)).length;
  const longEnough = password.length >= 8;
  if (kinds === 4 && longEnough) return 3;
  if ((kinds >= 3 && longEnough) || kinds === 4) return 2;
  if (kinds >= 2) return 1;
  return 0;
};

(function () {
  const input = document.getElementById("id_password");
  const meter = document.getElementById("strength");
  if (!input || !meter) return;
  const labels = meter.dataset.labels.split("|");
  const value = meter.querySelector("strong");
  function update() {
    const level = input.value ? window.passwordStrength(input.value) : -1;
    value.textContent = level < 0 ? "—" : labels[level];
    meter.dataset.level = String(level);
  }
  input.addEventListener("input", update);
  update();
})();
