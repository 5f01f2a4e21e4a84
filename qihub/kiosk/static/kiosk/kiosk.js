// Self-service kiosk: forget everything after idle seconds, and print pages on arrival.
// (A static file: the CSP forbids inline script.)
(function () {
  "use strict";
  var body = document.body;
  var last = Date.now();
  var leaving = false;

  function touched() {
    last = Date.now();
  }
  ["pointerdown", "keydown", "input", "touchstart", "scroll"].forEach(function (name) {
    document.addEventListener(name, touched, { passive: true, capture: true });
  });

  // Read on every tick, so a test (or a station) can shorten the wait on an open page.
  function idleLimit() {
    var seconds = parseFloat(body.getAttribute("data-idle-seconds") || "60");
    return (isNaN(seconds) || seconds <= 0 ? 60 : seconds) * 1000;
  }

  function reset() {
    if (leaving) {
      return;
    }
    leaving = true;
    // The server flushes the session; the form posts the CSRF token and lands on the start page.
    var form = document.getElementById("kiosk-reset");
    if (form) {
      form.submit();
    } else {
      window.location.assign(body.getAttribute("data-home") || "/kiosk/");
    }
  }

  window.setInterval(function () {
    // The start page keeps nothing to forget; reloading it would only flicker.
    if (body.hasAttribute("data-at-home") && !document.querySelector("input:not([type=hidden])")) {
      return;
    }
    if (Date.now() - last >= idleLimit()) {
      reset();
    }
  }, 250);

  // A keyboard-wedge scanner types into whatever has focus: with nothing focused on the report
  // page, the first key moves focus to the QR box so the code lands there.
  document.addEventListener("keydown", function () {
    var box = document.querySelector("[data-scanner]");
    if (box && (document.activeElement === body || !document.activeElement)) {
      box.focus();
    }
  });

  // Print pages: the slip or the ticket prints once when it opens; buttons print again.
  function printFrame(id) {
    var frame = document.getElementById(id);
    try {
      frame.contentWindow.focus();
      frame.contentWindow.print();
    } catch (error) {
      window.print();
    }
  }
  document.addEventListener("click", function (event) {
    var again = event.target.closest && event.target.closest("[data-print]");
    if (again) {
      window.print();
      return;
    }
    var frameButton = event.target.closest && event.target.closest("[data-print-frame]");
    if (frameButton) {
      printFrame(frameButton.getAttribute("data-print-frame"));
    }
  });
  window.addEventListener("load", function () {
    if (document.querySelector("[data-autoprint]")) {
      window.print();
    }
    var holder = document.querySelector("[data-autoprint-frame]");
    if (holder) {
      var id = holder.getAttribute("data-autoprint-frame");
      var frame = document.getElementById(id);
      // The PDF viewer needs a moment after the frame loads before it can print.
      window.setTimeout(function () {
        printFrame(id);
      }, 1500);
      if (frame) {
        frame.addEventListener("load", touched);
      }
    }
  });
})();
