// Forms marked data-confirm ask before an action that is hard to undo.
document.addEventListener("submit", function (event) {
  var message = event.target.getAttribute && event.target.getAttribute("data-confirm");
  if (message && !window.confirm(message)) {
    event.preventDefault();
  }
});

// Row editors (scope lines): "添加一行" copies the last row of the named table body, emptied.
document.addEventListener("click", function (event) {
  var button = event.target.closest && event.target.closest("[data-add-row]");
  if (!button) {
    return;
  }
  var body = document.getElementById(button.getAttribute("data-add-row"));
  var last = body && body.lastElementChild;
  if (!last) {
    return;
  }
  var count = button.getAttribute("data-count");
  var max = parseInt(button.getAttribute("data-max") || "0", 10);
  if (max && body.children.length >= max) {
    return;
  }
  var row = last.cloneNode(true);
  row.querySelectorAll("input").forEach(function (input) { input.value = ""; });
  row.querySelectorAll("textarea").forEach(function (area) { area.value = ""; });
  row.querySelectorAll("select").forEach(function (select) { select.selectedIndex = 0; });
  if (count) {
    renumber(row, body.children.length + 1);
    document.getElementById(count).value = body.children.length + 1;
  }
  body.appendChild(row);
});

// Numbered blocks (several qualifications): the n-th block's fields are named name_n (the
// first keeps the bare name), so a copied block takes the next number; what the copied block
// showed of its own (errors, held files) is not the new one's.
function renumber(row, number) {
  var rename = function (value) { return value.replace(/_\d+$/, "") + "_" + number; };
  row.querySelectorAll("[name]").forEach(function (element) {
    element.name = rename(element.name);
    if (element.id) {
      element.id = rename(element.id);
    }
  });
  row.querySelectorAll("label[for]").forEach(function (label) {
    label.htmlFor = rename(label.htmlFor);
  });
  row.querySelectorAll("[data-held], .field-error").forEach(function (element) { element.remove(); });
  row.querySelectorAll(".has-error").forEach(function (element) { element.classList.remove("has-error"); });
  row.querySelectorAll("[data-item-number]").forEach(function (element) { element.textContent = number; });
}

// The SMS code button waits out its resend interval once a code was sent (data-sent in the
// answer htmx swapped in), counting down on the button.
document.addEventListener("htmx:afterSwap", function (event) {
  var target = event.detail && event.detail.target;
  if (!target || !target.querySelector("[data-sent]")) {
    return;
  }
  var button = document.querySelector("[data-countdown]");
  if (!button) {
    return;
  }
  var label = button.textContent;
  var left = parseInt(button.getAttribute("data-countdown"), 10);
  button.disabled = true;
  var tick = function () {
    if (left <= 0) {
      button.disabled = false;
      button.textContent = label;
      return;
    }
    button.textContent = left + " 秒后可重新获取";
    left -= 1;
    window.setTimeout(tick, 1000);
  };
  tick();
});

// Fields marked data-show-when="control:value,value" show only while the form's `control` holds
// one of the values (a complaint's target, the staff forms' kind of client). Without script every
// field shows, and the server still checks only the fields of the chosen kind.
function applyShowWhen(form) {
  form.querySelectorAll("[data-show-when]").forEach(function (field) {
    var rule = field.getAttribute("data-show-when").split(":");
    var control = form.elements[rule[0]];
    if (!control) {
      return;
    }
    var box = field.closest(".mb-3") || field;
    box.hidden = rule[1].split(",").indexOf(control.value) < 0;
  });
}
document.addEventListener("change", function (event) {
  if (event.target.form) {
    applyShowWhen(event.target.form);
  }
});
document.addEventListener("DOMContentLoaded", function () {
  document.querySelectorAll("form").forEach(applyShowWhen);
});
