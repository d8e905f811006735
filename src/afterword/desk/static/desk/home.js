// The desk's home: held comments are approved, marked as spam or answered
// in place. The form posts normally without this script; with it, the row
// becomes a short confirmation and focus moves there, so a keyboard user
// continues from where they were.
(function () {
  "use strict";

  function showError(form, text) {
    var box = form.querySelector("[data-held-error]");
    box.textContent = text;
    box.hidden = false;
  }

  function confirmRow(row, answer) {
    var note = document.createElement("p");
    note.className = "held-done";
    note.setAttribute("role", "status");
    note.tabIndex = -1;
    note.textContent = answer.message + " ";
    if (answer.url) {
      var link = document.createElement("a");
      link.href = answer.url;
      link.textContent = row.getAttribute("data-view-label") || "View";
      note.appendChild(link);
    }
    row.replaceChildren(note);
    note.focus();
  }

  document.addEventListener("submit", function (event) {
    var form = event.target.closest("[data-held-form]");
    if (!form || !window.Desk || !window.fetch) return;
    event.preventDefault();
    var submitter = event.submitter;
    var data = new FormData(form);
    if (submitter && submitter.name) data.append(submitter.name, submitter.value);
    var buttons = form.querySelectorAll("button");
    buttons.forEach(function (b) { b.disabled = true; });
    // Not form.action: the buttons named "action" shadow that property.
    window.Desk.post(form.getAttribute("action"), data)
      .then(function (response) {
        // A refusal from the desk's guard is a page, not JSON.
        var fallback = { message: form.getAttribute("data-refused-message") };
        return response.json().catch(function () { return fallback; }).then(function (answer) {
          if (response.ok) {
            confirmRow(form.closest("[data-held-row]"), answer);
          } else {
            showError(form, answer.message);
            buttons.forEach(function (b) { b.disabled = false; });
          }
        });
      })
      .catch(function () {
        showError(form, form.getAttribute("data-offline-message"));
        buttons.forEach(function (b) { b.disabled = false; });
      });
  });
})();
