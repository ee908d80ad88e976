/* accord vendor report: filters, copy buttons, print expansion. The page is complete without it;
   it reads only the DOM (no data is ever interpolated into this script). */
(function () {
  "use strict";
  var doc = document;
  var form = doc.getElementById("filters");
  var clauses = Array.prototype.slice.call(doc.querySelectorAll("article.clause"));
  var sections = Array.prototype.slice.call(doc.querySelectorAll("section.docsec"));

  function apply() {
    var allowed = {};
    form.querySelectorAll("input[name=verdict]").forEach(function (box) { allowed[box.value] = box.checked; });
    var section = form.elements.section.value;
    var level = form.elements.level.value;
    var shown = 0;
    clauses.forEach(function (c) {
      var ok = allowed[c.dataset.verdict] === true &&
        (!section || c.dataset.section === section) && (!level || c.dataset.level === level);
      c.hidden = !ok;
      if (ok) { shown += 1; }
    });
    sections.forEach(function (s) { s.hidden = !s.querySelector("article.clause:not([hidden])"); });
    doc.getElementById("shown").textContent = shown + " of " + clauses.length + " clauses shown";
    doc.getElementById("empty-filter").hidden = shown > 0;
  }

  if (form) {
    form.hidden = false;
    form.addEventListener("submit", function (ev) { ev.preventDefault(); });
    form.addEventListener("change", apply);
    form.querySelectorAll("button[data-only]").forEach(function (btn) {
      btn.addEventListener("click", function () {
        var only = btn.getAttribute("data-only").split(" ").filter(Boolean);
        form.querySelectorAll("input[name=verdict]").forEach(function (box) {
          box.checked = only.length === 0 || only.indexOf(box.value) >= 0;
        });
        apply();
      });
    });
    apply();
  }

  function copied(btn, text) {
    btn.textContent = text;
    setTimeout(function () { btn.textContent = "Copy"; }, 1600);
  }

  function fallbackCopy(text, btn) {
    var area = doc.createElement("textarea");
    area.value = text;
    area.setAttribute("readonly", "");
    area.style.position = "fixed";
    area.style.opacity = "0";
    doc.body.appendChild(area);
    area.select();
    var ok = false;
    try { ok = doc.execCommand("copy"); } catch (e) { ok = false; }
    doc.body.removeChild(area);
    copied(btn, ok ? "Copied" : "Select and copy");
  }

  doc.querySelectorAll("button.copy").forEach(function (btn) {
    btn.hidden = false;
    btn.addEventListener("click", function () {
      var pre = btn.closest(".curl").querySelector("pre.curl-cmd");
      var text = pre ? pre.textContent : "";
      if (navigator.clipboard && window.isSecureContext) {
        navigator.clipboard.writeText(text).then(function () { copied(btn, "Copied"); },
          function () { fallbackCopy(text, btn); });
      } else {
        fallbackCopy(text, btn);
      }
    });
  });

  /* Printing: open the evidence of failing clauses, so paper shows what the screen folds away. */
  var opened = [];
  window.addEventListener("beforeprint", function () {
    doc.querySelectorAll("article.c-fail details:not([open]), article.c-error details:not([open])")
      .forEach(function (d) { d.open = true; opened.push(d); });
  });
  window.addEventListener("afterprint", function () {
    opened.forEach(function (d) { d.open = false; });
    opened = [];
  });
}());
