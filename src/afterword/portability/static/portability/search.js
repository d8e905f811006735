// Client-side search for a static build: loads the prebuilt index
// (search-index.json) and lists the posts whose title or summary match
// every word of the query. No server, no third party.
(function () {
  "use strict";
  var form = document.getElementById("static-search");
  if (!form) return;
  var input = document.getElementById("static-search-q");
  var status = document.getElementById("static-search-status");
  var list = document.getElementById("static-search-results");
  var index = null;

  function words(text) {
    return text.toLowerCase().normalize("NFKD").replace(/[\u0300-\u036f]/g, "")
      .split(/[^\p{L}\p{N}]+/u).filter(Boolean);
  }

  function show(query) {
    var wanted = words(query);
    list.textContent = "";
    if (!wanted.length) { status.textContent = ""; return; }
    var hits = index.filter(function (entry) {
      var haystack = words(entry.title + " " + entry.summary).join(" ");
      return wanted.every(function (word) { return haystack.indexOf(word) !== -1; });
    });
    hits.forEach(function (entry) {
      var item = document.createElement("li");
      var link = document.createElement("a");
      link.href = entry.url;
      link.textContent = entry.title;
      item.appendChild(link);
      if (entry.summary) {
        var summary = document.createElement("p");
        summary.textContent = entry.summary;
        item.appendChild(summary);
      }
      list.appendChild(item);
    });
    // The page gives the sentence in its own language (static_search.html).
    var pattern = (hits.length === 1 ? form.dataset.resultOne : form.dataset.resultOther) ||
      "{count} results for \u201c{query}\u201d";
    status.textContent = pattern.replace("{count}", hits.length).replace("{query}", query);
  }

  fetch(form.dataset.index).then(function (response) { return response.json(); })
    .then(function (data) {
      index = data;
      var query = new URLSearchParams(window.location.search).get("q") || "";
      input.value = query;
      show(query);
    });
  form.addEventListener("submit", function (event) {
    event.preventDefault();
    if (index === null) return;
    history.replaceState(null, "", "?q=" + encodeURIComponent(input.value));
    show(input.value);
  });
})();
