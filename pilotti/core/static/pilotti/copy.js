/* Copy buttons: <button data-copy="#field-id" hidden> beside a read-only field. Without
   JavaScript the button stays hidden and the field is selected and copied by hand; with it the
   button shows, copies the field's value to the clipboard and says what happened in the
   button's live region (data-copied / data-copy-failed hold the texts in the page's language).
   No inline script: the Content-Security-Policy forbids it. */
(function () {
  "use strict";

  function announce(button, text) {
    var status = document.getElementById(button.getAttribute("aria-describedby") || "");
    if (status) {
      status.textContent = "";
      window.setTimeout(function () { status.textContent = text; }, 50);
    }
  }

  function copyByHand(field) {
    field.focus();
    field.select();
    try {
      return document.execCommand("copy");
    } catch (error) {
      return false;
    }
  }

  function copy(button) {
    var field = document.querySelector(button.getAttribute("data-copy"));
    if (!field) {
      return;
    }
    var done = function () { announce(button, button.getAttribute("data-copied")); };
    var failed = function () {
      field.focus();
      field.select();
      announce(button, button.getAttribute("data-copy-failed"));
    };
    if (navigator.clipboard && window.isSecureContext) {
      navigator.clipboard.writeText(field.value).then(done, function () {
        if (copyByHand(field)) { done(); } else { failed(); }
      });
    } else if (copyByHand(field)) {
      done();
    } else {
      failed();
    }
  }

  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll("button[data-copy]").forEach(function (button) {
      button.hidden = false;
      button.addEventListener("click", function () { copy(button); });
    });
    // Without a button a click on the field selects the whole address at once.
    document.querySelectorAll("input[data-select-on-focus]").forEach(function (field) {
      field.addEventListener("focus", function () { field.select(); });
    });
  });
})();
