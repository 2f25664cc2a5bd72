// Report builder: refresh the preview and the measure's choices as soon as a choice changes.
// The page works without it: "Toon de tabel" posts the same request.
(function () {
  "use strict";
  var pending = null;

  function refresh(form, changed) {
    var data = new FormData(form);
    data.set("preview", "1");
    if (pending) {
      pending.abort();
    }
    pending = new AbortController();
    var root = document.getElementById("report-builder");
    root.setAttribute("aria-busy", "true");
    fetch(form.getAttribute("data-preview-url"), {
      method: "POST",
      body: data,
      credentials: "same-origin",
      headers: { "X-Requested-With": "fetch" },
      signal: pending.signal
    })
      .then(function (response) {
        return response.text();
      })
      .then(function (html) {
        var fresh = new DOMParser().parseFromString(html, "text/html").getElementById("report-builder");
        if (!fresh) {
          return;
        }
        root.innerHTML = fresh.innerHTML;
        root.removeAttribute("aria-busy");
        var again = changed && changed.id ? document.getElementById(changed.id) : null;
        if (again) {
          again.focus();
        }
      })
      .catch(function () {
        root.removeAttribute("aria-busy");
      });
  }

  // The name and description change nothing in the table: no request for them (a save click
  // right after typing the name would otherwise race a preview).
  var NOT_IN_TABLE = ["name", "description"];

  document.addEventListener("change", function (event) {
    var form = event.target.form;
    if (form && form.id === "report-builder-form" && NOT_IN_TABLE.indexOf(event.target.name) < 0) {
      refresh(form, event.target);
    }
  });

  document.addEventListener("submit", function (event) {
    if (event.target.id === "report-builder-form" && pending) {
      pending.abort();
    }
  });
})();
