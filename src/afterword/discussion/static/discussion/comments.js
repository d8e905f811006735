// Comments: fresh form token, remembered details, in-place replies and posting.
// Everything here is an enhancement: the form works without it.
(function () {
  "use strict";
  // Cached pages carry old tokens: every protected form asks for a fresh one.
  Array.prototype.forEach.call(document.querySelectorAll("form[data-token-url]"), function (f) {
    fetch(f.dataset.tokenUrl, { credentials: "same-origin", cache: "no-store" })
      .then(function (r) { return r.ok ? r.json() : null; })
      .then(function (data) { if (data && data.token) { f.elements.token.value = data.token; } })
      .catch(function () {});
  });

  var form = document.getElementById("commentform");
  if (!form) { return; }
  var status = form.querySelector(".form-status");
  var parentInput = form.querySelector("input[name=parent]");
  var respond = document.getElementById("respond");
  var home = respond && respond.parentNode;
  var homeNext = respond && respond.nextSibling;
  var cancel = document.getElementById("cancel-reply");
  var thread = document.querySelector(".comment-thread");

  function say(message, isError) {
    status.textContent = message;
    status.setAttribute("role", isError ? "alert" : "status");
  }

  // "Remember my details": the cookie is only ever read here, never by the server's pages.
  var match = document.cookie.match(/(?:^|; )afterword_remember=([^;]*)/);
  if (match && form.elements.name) {
    try {
      var details = JSON.parse(decodeURIComponent(match[1]));
      ["name", "email", "url"].forEach(function (field) {
        if (details[field] && !form.elements[field].value) { form.elements[field].value = details[field]; }
      });
      form.elements.remember.checked = true;
    } catch (error) { /* a damaged cookie just means an empty form */ }
  }

  function replyTo(link) {
    var item = document.getElementById("comment-" + link.dataset.parent);
    if (!item) { return; }
    parentInput.value = link.dataset.parent;
    item.querySelector(".comment-body").after(respond);
    cancel.hidden = false;
    form.elements.body.focus();
  }

  function cancelReply() {
    parentInput.value = "";
    home.insertBefore(respond, homeNext);
    cancel.hidden = true;
  }

  document.addEventListener("click", function (event) {
    var link = event.target.closest(".comment-reply-link");
    if (link) { event.preventDefault(); replyTo(link); }
    if (event.target === cancel) { event.preventDefault(); cancelReply(); }
  });

  function insertComment(data) {
    var holder = document.createElement("div");
    holder.innerHTML = data.html;
    var item = holder.firstElementChild;
    var list;
    if (data.parent) {
      var parentItem = document.getElementById("comment-" + data.parent);
      list = parentItem && parentItem.querySelector(":scope > ol.children");
      if (parentItem && !list) {
        list = document.createElement("ol");
        list.className = "children";
        parentItem.appendChild(list);
      }
    }
    if (!list) {
      list = thread.querySelector(":scope > ol.comment-list");
      if (!list) {
        list = document.createElement("ol");
        list.className = "comment-list";
        thread.appendChild(list);
      }
    }
    list.appendChild(item);
    return item;
  }

  form.addEventListener("submit", function (event) {
    event.preventDefault();
    var button = form.querySelector("button[type=submit]");
    button.disabled = true;
    say(form.dataset.sayPosting || "Posting your comment…", false);
    fetch(form.action, {
      method: "POST",
      body: new FormData(form),
      credentials: "same-origin",
      headers: { Accept: "application/json" }
    }).then(function (response) {
      return response.json().then(function (data) { return { ok: response.ok, data: data }; });
    }).then(function (result) {
      var data = result.data;
      if (data.token) { form.elements.token.value = data.token; }
      if (!result.ok) { say(data.message, true); return; }
      var item = insertComment(data);
      form.elements.body.value = "";
      cancelReply();
      say(data.message, false);
      item.scrollIntoView({ block: "nearest" });
    }).catch(function () {
      say(form.dataset.sayFailed || "Your comment could not be sent. Please check your connection and try again.", true);
    }).then(function () { button.disabled = false; });
  });
})();
