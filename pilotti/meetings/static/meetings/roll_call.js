/* The roll call's taps: each row saves itself with htmx (hx-post on its button); this file
   only shows what happens to a save and tries a failed one again, so that no tap is lost.
   Without JavaScript the roll call is a plain form (radio groups and a Save button).
   No inline script: the Content-Security-Policy forbids it. */
(function () {
  "use strict";

  var RETRY_MS = [2000, 4000, 8000, 15000, 30000];

  function rowOf(elt) {
    return elt && elt.closest ? elt.closest("[data-roll-call-row]") : null;
  }

  function formOf(elt) {
    return elt.closest("[data-roll-call]");
  }

  function show(row, state, text) {
    row.setAttribute("data-state", state);
    row.classList.toggle("is-failed", state === "failed");
    var label = row.querySelector("[data-state-text]");
    if (label && text) {
      label.textContent = text;
    }
  }

  function isRow(xhr) {
    return xhr && xhr.getResponseHeader("X-Pilotti-Row") === "1";
  }

  function retryLater(elt) {
    var row = rowOf(elt);
    if (!row || elt.getAttribute("data-retry-pending")) {
      return;
    }
    var attempt = Number(elt.getAttribute("data-attempt") || "0");
    elt.setAttribute("data-attempt", String(attempt + 1));
    elt.setAttribute("data-retry-pending", "1");
    show(row, "failed", formOf(elt).getAttribute("data-retrying"));
    window.setTimeout(function () {
      elt.removeAttribute("data-retry-pending");
      if (document.body.contains(elt)) {
        window.htmx.trigger(elt, elt.tagName === "INPUT" ? "change" : "click");
      }
    }, RETRY_MS[Math.min(attempt, RETRY_MS.length - 1)]);
  }

  // The element that made the request: events about a swap are sent to its target instead.
  function source(event) {
    var config = event.detail && event.detail.requestConfig;
    return (config && config.elt) || (event.detail && event.detail.elt);
  }

  function inRollCall(event) {
    var elt = source(event);
    return elt && elt.closest && formOf(elt);
  }

  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll("[data-roll-call]").forEach(function (form) {
      var section = form.closest(".roll-call") || form;
      section.classList.add("roll-call--js");
    });
  });

  // The row is replaced by the server's answer and its button is disabled while saving, so the
  // keyboard focus would fall back to the top of the page: it is put back on the row's new button.
  var refocus = null;

  document.addEventListener("htmx:beforeRequest", function (event) {
    if (!inRollCall(event)) {
      return;
    }
    var elt = source(event);
    var focused = document.activeElement;
    if (elt.id && (focused === elt || focused === document.body || focused === null)) {
      refocus = elt.id;
    }
    var row = rowOf(elt);
    if (row) {
      show(row, "saving", formOf(elt).getAttribute("data-saving"));
    }
  });

  // Only when the focus is nowhere (on the page's body, or on the replaced button): a person who
  // has moved on meanwhile keeps their place.
  function focusAgain() {
    var again = refocus && document.getElementById(refocus);
    var focused = document.activeElement;
    if (again && (!focused || focused === document.body || focused === again || !document.body.contains(focused))) {
      refocus = null;
      again.focus();
    }
  }

  // htmx:load is sent by the new row itself (the old one, the swap's target, has left the page);
  // the timeout catches a browser that moves the focus only after the swap has settled.
  document.addEventListener("htmx:load", focusAgain);
  document.addEventListener("htmx:afterSettle", function () {
    focusAgain();
    window.setTimeout(focusAgain, 0);
  });

  document.addEventListener("htmx:beforeSwap", function (event) {
    if (!inRollCall(event)) {
      return;
    }
    var xhr = event.detail.xhr;
    if (xhr.status === 400 && isRow(xhr)) {
      // Refused, with a reason: show the row with its message; trying again would not help.
      event.detail.shouldSwap = true;
      event.detail.isError = false;
    } else if (xhr.status < 400 && !isRow(xhr)) {
      // Not our row (e.g. the sign-in page after the session ended): keep the row, try again.
      event.detail.shouldSwap = false;
      retryLater(source(event));
    }
  });

  function failed(event) {
    if (!inRollCall(event)) {
      return;
    }
    var xhr = event.detail.xhr;
    if (xhr && xhr.status >= 400 && xhr.status < 500 && xhr.status !== 408 && xhr.status !== 429) {
      // Forbidden or gone: another try gives the same answer.
      var row = rowOf(source(event));
      if (row) {
        show(row, "failed", formOf(source(event)).getAttribute("data-failed"));
      }
      return;
    }
    retryLater(source(event));
  }

  document.addEventListener("htmx:responseError", failed);
  document.addEventListener("htmx:sendError", failed);
  document.addEventListener("htmx:timeout", failed);

  // A tap still being saved or waiting for another try: warn before leaving the page.
  window.addEventListener("beforeunload", function (event) {
    if (document.querySelector('[data-roll-call-row][data-state="saving"], [data-roll-call-row][data-state="failed"]')) {
      event.preventDefault();
      event.returnValue = "";
    }
  });
})();
