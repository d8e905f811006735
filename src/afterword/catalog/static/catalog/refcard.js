/* Preview cards for inline catalog references (a.ref).
 *
 * On hover or keyboard focus of a reference, fetch its card
 * (/catalog/card/<kind>/<slug>.json) once, and show it in a positioned box
 * linked to the link with aria-describedby. Escape or leaving hides it.
 * Cards are built with textContent only: nothing from the server is parsed
 * as HTML.
 */
(function () {
  "use strict";
  var cache = {};
  var card = null;
  var current = null;
  var hideTimer = null;

  function box() {
    if (card) return card;
    card = document.createElement("div");
    card.className = "ref-card";
    card.id = "ref-card";
    card.setAttribute("role", "tooltip");
    card.hidden = true;
    card.addEventListener("mouseenter", function () { clearTimeout(hideTimer); });
    card.addEventListener("mouseleave", scheduleHide);
    document.body.appendChild(card);
    return card;
  }

  function fill(data) {
    var el = box();
    el.textContent = "";
    var title = document.createElement("p");
    title.className = "ref-card-title";
    title.textContent = data.title;
    el.appendChild(title);
    [data.subtitle, data.facts, data.text].forEach(function (line) {
      if (!line) return;
      var p = document.createElement("p");
      p.textContent = line;
      el.appendChild(p);
    });
  }

  function place(link) {
    var rect = link.getBoundingClientRect();
    card.style.left = Math.max(8, rect.left + window.scrollX) + "px";
    card.style.top = rect.bottom + window.scrollY + 6 + "px";
  }

  function load(link) {
    var url = "/catalog/card/" + encodeURIComponent(link.dataset.refKind) + "/" +
      encodeURIComponent(link.dataset.refSlug) + ".json";
    if (!cache[url]) {
      cache[url] = fetch(url, { headers: { Accept: "application/json" } }).then(function (r) {
        if (!r.ok) throw new Error("no card");
        return r.json();
      });
    }
    return cache[url];
  }

  function show(link) {
    clearTimeout(hideTimer);
    current = link;
    load(link).then(function (data) {
      if (current !== link) return;
      fill(data);
      place(link);
      card.hidden = false;
      link.setAttribute("aria-describedby", card.id);
    }).catch(function () { /* no card: the link still works */ });
  }

  function hide() {
    if (card) card.hidden = true;
    if (current) current.removeAttribute("aria-describedby");
    current = null;
  }

  function scheduleHide() {
    clearTimeout(hideTimer);
    hideTimer = setTimeout(hide, 150);
  }

  function refFrom(event) {
    var target = event.target;
    return target && target.closest ? target.closest("a.ref[data-ref-kind][data-ref-slug]") : null;
  }

  document.addEventListener("mouseover", function (e) { var l = refFrom(e); if (l) show(l); });
  document.addEventListener("mouseout", function (e) { if (refFrom(e)) scheduleHide(); });
  document.addEventListener("focusin", function (e) { var l = refFrom(e); if (l) show(l); });
  document.addEventListener("focusout", function (e) { if (refFrom(e)) scheduleHide(); });
  document.addEventListener("keydown", function (e) { if (e.key === "Escape") hide(); });
})();
