// The organisation picker (qihub/accounts/org_field.py): typing part of a name, its pinyin
// initials or a USCC lists up to ten organisations under the box; choosing one puts its name in
// the box, which the form posts. Without this file the box still takes an exact name or USCC.
(function () {
  "use strict";
  if (window.qihubOrgPicker) {
    return; // each picker on a page brings this file; one set of listeners is enough
  }
  window.qihubOrgPicker = true;
  var timers = new WeakMap();
  var asked = new WeakMap();

  function parts(element) {
    var picker = element.closest && element.closest("[data-org-picker]");
    if (!picker) {
      return null;
    }
    return {
      picker: picker,
      input: picker.querySelector("input"),
      list: picker.querySelector("[role=listbox]"),
    };
  }

  function close(p) {
    p.list.hidden = true;
    p.input.setAttribute("aria-expanded", "false");
    p.input.removeAttribute("aria-activedescendant");
  }

  function choose(p, option) {
    p.input.value = option.getAttribute("data-name");
    close(p);
    p.input.focus();
  }

  function show(p, rows) {
    while (p.list.firstChild) {
      p.list.removeChild(p.list.firstChild);
    }
    rows.forEach(function (row, index) {
      var option = document.createElement("button");
      option.type = "button";
      option.id = p.list.id + "_" + index;
      option.className = "list-group-item list-group-item-action py-1";
      option.setAttribute("role", "option");
      option.setAttribute("data-name", row.name);
      option.textContent = row.name;
      if (row.place) {
        var place = document.createElement("small");
        place.className = "text-muted ms-2";
        place.textContent = row.place;
        option.appendChild(place);
      }
      p.list.appendChild(option);
    });
    if (!rows.length) {
      var none = document.createElement("div");
      none.className = "list-group-item small text-muted py-1";
      none.textContent = "没有匹配的单位";
      p.list.appendChild(none);
    }
    p.list.hidden = false;
    p.input.setAttribute("aria-expanded", "true");
  }

  function ask(p) {
    var text = p.input.value.trim();
    if (!text) {
      close(p);
      return;
    }
    var url = p.picker.getAttribute("data-suggest-url") + "&q=" + encodeURIComponent(text);
    asked.set(p.input, text);
    fetch(url, { credentials: "same-origin", headers: { Accept: "application/json" } })
      .then(function (response) {
        return response.ok ? response.json() : [];
      })
      .then(function (rows) {
        // An answer to an earlier keystroke is dropped: the box has moved on.
        if (asked.get(p.input) === text && p.input.value.trim() === text) {
          show(p, rows);
        }
      })
      .catch(function () {
        close(p);
      });
  }

  document.addEventListener("input", function (event) {
    var p = parts(event.target);
    if (!p || event.target !== p.input) {
      return;
    }
    clearTimeout(timers.get(p.input));
    timers.set(
      p.input,
      setTimeout(function () {
        ask(p);
      }, 200)
    );
  });

  document.addEventListener("click", function (event) {
    var option = event.target.closest && event.target.closest("[data-org-picker] [role=option]");
    if (option) {
      choose(parts(option), option);
      return;
    }
    document.querySelectorAll("[data-org-picker] [role=listbox]").forEach(function (list) {
      if (!list.hidden && !list.parentNode.contains(event.target)) {
        close(parts(list));
      }
    });
  });

  document.addEventListener("keydown", function (event) {
    var p = parts(event.target);
    if (!p || event.target !== p.input || p.list.hidden) {
      return;
    }
    var options = Array.prototype.slice.call(p.list.querySelectorAll("[role=option]"));
    var current = options.indexOf(document.getElementById(p.input.getAttribute("aria-activedescendant")));
    if (event.key === "ArrowDown" || event.key === "ArrowUp") {
      event.preventDefault();
      if (!options.length) {
        return;
      }
      var next = event.key === "ArrowDown" ? current + 1 : current - 1;
      next = (next + options.length) % options.length;
      options.forEach(function (option, index) {
        option.classList.toggle("active", index === next);
      });
      p.input.setAttribute("aria-activedescendant", options[next].id);
    } else if (event.key === "Enter" && current >= 0) {
      event.preventDefault(); // pick the highlighted one rather than submit the form
      choose(p, options[current]);
    } else if (event.key === "Escape") {
      close(p);
    }
  });
})();
