// megaroth serve: a little progressive enhancement. The page works without it (plain forms);
// with it, an allocation shows what is left of box 1 as amounts are typed, and files can be
// dropped onto the upload box. Served from the package (no CDN), under the page's CSP.
"use strict";
(function () {
  function amount(text) {
    var cleaned = String(text || "").replace(/[$,\s]/g, "");
    if (!/^\d+(\.\d{1,2})?$/.test(cleaned)) return null;
    var parts = cleaned.split(".");
    return parseInt(parts[0], 10) * 100 + (parts[1] ? parseInt((parts[1] + "0").slice(0, 2), 10) : 0);
  }
  function dollars(cents) {
    var sign = cents < 0 ? "-" : "";
    cents = Math.abs(cents);
    var whole = String(Math.floor(cents / 100)).replace(/\B(?=(\d{3})+(?!\d))/g, ",");
    return sign + "$" + whole + "." + String(cents % 100).padStart(2, "0");
  }
  document.querySelectorAll("table.alloc[data-total]").forEach(function (table) {
    var total = amount(table.getAttribute("data-total"));
    if (total === null) return;
    var out = document.createElement("p");
    out.className = "live-sum";
    out.setAttribute("role", "status");
    out.setAttribute("aria-live", "polite");
    table.insertAdjacentElement("afterend", out);
    function update() {
      var sum = 0, bad = false;
      table.querySelectorAll("input").forEach(function (input) {
        if (!input.value.trim()) return;
        var value = amount(input.value);
        if (value === null) bad = true; else sum += value;
      });
      var left = total - sum;
      out.textContent = bad ? "One amount is not an amount (digits, a point and commas only)."
        : "Entered " + dollars(sum) + " of " + dollars(total) + (left === 0 ? ": all of box 1."
        : left > 0 ? ": " + dollars(left) + " left." : ": " + dollars(-left) + " too much.");
    }
    table.addEventListener("input", update);
    update();
  });
  var input = document.getElementById("files");
  var box = input && input.closest("fieldset");
  if (box) {
    ["dragenter", "dragover"].forEach(function (name) {
      box.addEventListener(name, function (event) { event.preventDefault(); box.classList.add("drop"); });
    });
    ["dragleave", "drop"].forEach(function (name) {
      box.addEventListener(name, function () { box.classList.remove("drop"); });
    });
    box.addEventListener("drop", function (event) {
      event.preventDefault();
      if (event.dataTransfer && event.dataTransfer.files.length) input.files = event.dataTransfer.files;
    });
  }
})();
