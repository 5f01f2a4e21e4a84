// The label page's print button (no inline script under the CSP).
document.addEventListener("DOMContentLoaded", function () {
  var button = document.querySelector("[data-print]");
  if (button) {
    button.addEventListener("click", function () {
      window.print();
    });
  }
});
