// The follow box is part of cached pages, which must be the same for every
// reader, so it carries no form token. When someone starts filling in the
// form, fetch a fresh signed token for it (pages cost no extra request until
// then). Without JavaScript the form is refused once, politely, and shown
// again with a token.
(function () {
  "use strict";
  document.querySelectorAll("form.follow-form").forEach(function (form) {
    var input = form.querySelector("input[data-follow-token]");
    if (!input || input.value || !window.fetch) {
      return;
    }
    form.addEventListener("focusin", function () {
      fetch(form.getAttribute("data-token-url"), { credentials: "omit", cache: "no-store" })
        .then(function (response) { return response.ok ? response.json() : null; })
        .then(function (data) {
          if (data && data.token) {
            input.value = data.token;
          }
        })
        .catch(function () {});
    }, { once: true });
  });
})();
