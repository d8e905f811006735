// The desk's shared behaviour: the light/dark switch (remembered per
// browser) and POST buttons that answer in place. Screens add their own files.
(function () {
  "use strict";
  var root = document.documentElement;
  var stored = null;
  try { stored = localStorage.getItem("desk-theme"); } catch (e) { /* private mode */ }
  if (stored === "dark" || stored === "light") root.setAttribute("data-theme", stored);

  function isDark() {
    var chosen = root.getAttribute("data-theme");
    if (chosen === "dark") return true;
    if (chosen === "light") return false;
    return window.matchMedia && window.matchMedia("(prefers-color-scheme: dark)").matches;
  }

  document.addEventListener("DOMContentLoaded", function () {
    var toggle = document.querySelector("[data-theme-toggle]");
    if (!toggle) return;
    toggle.setAttribute("aria-pressed", String(isDark()));
    toggle.addEventListener("click", function () {
      var next = isDark() ? "light" : "dark";
      root.setAttribute("data-theme", next);
      try { localStorage.setItem("desk-theme", next); } catch (e) { /* private mode */ }
      toggle.setAttribute("aria-pressed", String(next === "dark"));
    });
  });

  // Helpers screens share: the CSRF token and a JSON POST.
  window.Desk = {
    csrfToken: function () {
      var field = document.querySelector("input[name=csrfmiddlewaretoken]");
      if (field) return field.value;
      var match = document.cookie.match(/(?:^|; )csrftoken=([^;]+)/);
      return match ? decodeURIComponent(match[1]) : "";
    },
    post: function (url, data) {
      var body = data instanceof FormData ? data : new URLSearchParams(data || {});
      return fetch(url, {
        method: "POST",
        body: body,
        credentials: "same-origin",
        headers: { "X-CSRFToken": window.Desk.csrfToken(), "X-Requested-With": "fetch" },
      });
    },
  };
})();
