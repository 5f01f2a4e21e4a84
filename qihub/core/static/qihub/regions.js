// The region picker (qihub/core/region_field.py): picking a province or a city fills the next
// select from /regions/children/?code=… (cached by the browser); the server already filled the
// selects for the bound value, so without this file the form still works, one level per submit.
(function () {
  "use strict";
  var ORDER = ["province", "city", "county"];

  function clear(select) {
    while (select.options.length > 1) {
      select.remove(1);
    }
    select.value = "";
  }

  function fill(picker, select, code) {
    var url = picker.getAttribute("data-children-url") + "?code=" + encodeURIComponent(code);
    select.disabled = true;
    fetch(url, { credentials: "same-origin", headers: { Accept: "application/json" } })
      .then(function (response) {
        return response.ok ? response.json() : [];
      })
      .then(function (rows) {
        clear(select);
        rows.forEach(function (row) {
          select.add(new Option(row[1], row[0]));
        });
        // A division with nothing below it (东莞市, 香港) is a complete choice.
        select.disabled = rows.length === 0;
      })
      .catch(function () {
        select.disabled = false;
      });
  }

  function onChange(event) {
    var select = event.target;
    var picker = select.closest && select.closest("[data-region-picker]");
    if (!picker || select.tagName !== "SELECT") {
      return;
    }
    var index = ORDER.indexOf(select.getAttribute("data-level"));
    for (var i = index + 1; i < ORDER.length; i++) {
      var below = picker.querySelector('select[data-level="' + ORDER[i] + '"]');
      if (below) {
        clear(below);
        below.disabled = false;
        if (i === index + 1 && select.value) {
          fill(picker, below, select.value);
        }
      }
    }
  }

  document.addEventListener("change", onChange);
})();
