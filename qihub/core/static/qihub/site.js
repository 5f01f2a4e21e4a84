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
  var row = last.cloneNode(true);
  row.querySelectorAll("input").forEach(function (input) { input.value = ""; });
  row.querySelectorAll("select").forEach(function (select) { select.selectedIndex = 0; });
  body.appendChild(row);
});
