// The desk's editor: autosave (and restore), live preview, the settings
// panel's search-as-you-type pickers, image upload, word count, focus mode
// and keyboard shortcuts. Without JavaScript the form still saves.
//
// Requests to the server go one at a time through `queue`: the editor never
// has two in flight, so a save never races an autosave.
(function () {
  "use strict";

  var AUTOSAVE_EVERY = 5000;
  var PREVIEW_DELAY = 600;
  var WORDS_PER_MINUTE = 230;

  var form, title, body, excerpt, baseRevision, statusLine;
  var dirty = false;
  var submitting = false;
  var busy = 0;
  var chain = Promise.resolve();

  function queue(task) {
    busy += 1;
    var run = chain.then(task);
    chain = run.catch(function () {}).then(function () { busy -= 1; });
    return run;
  }

  function csrf() { return window.Desk.csrfToken(); }

  function postForm(url, data) {
    return queue(function () {
      return window.Desk.post(url, data).then(function (response) {
        return response.json().catch(function () { return {}; }).then(function (json) {
          json._status = response.status;
          return json;
        });
      });
    });
  }

  function text(key) { return form.getAttribute("data-" + key + "-text") || ""; }

  // Word count and reading time ---------------------------------------------
  function countWords(source) {
    var plain = source
      .replace(/!\[([^\]]*)\]\([^)]*\)/g, " ")
      .replace(/\[([^\]]*)\]\([^)]*\)/g, "$1")
      .replace(/[#>*_`~|=-]+/g, " ");
    var words = plain.match(/[\p{L}\p{N}][\p{L}\p{N}'’.-]*/gu);
    return words ? words.length : 0;
  }

  function updateCount() {
    var words = countWords(body.value);
    var minutes = Math.max(1, Math.ceil(words / WORDS_PER_MINUTE));
    document.getElementById("editor-count").textContent = text("words")
      .replace("%(words)s", words.toLocaleString())
      .replace("%(minutes)s", minutes);
  }

  // Autosave ------------------------------------------------------------------
  function autosaveData() {
    var data = new FormData();
    data.append("csrfmiddlewaretoken", csrf());
    data.append("post", form.getAttribute("data-post") || "");
    data.append("base_revision", baseRevision.value || "");
    data.append("title", title.value);
    data.append("body", body.value);
    data.append("excerpt", excerpt ? excerpt.value : "");
    return data;
  }

  function markChanged() {
    dirty = true;
    statusLine.textContent = text("unsaved");
  }

  function autosave() {
    if (!dirty || submitting) return Promise.resolve();
    dirty = false;
    return postForm(form.getAttribute("data-autosave-url"), autosaveData()).then(function (answer) {
      if (answer.error || answer._status >= 400) {
        dirty = true;
        statusLine.textContent = answer.error || text("error");
        return;
      }
      if (answer.skipped) return;
      if (answer.created) becomeEditPage(answer);
      statusLine.textContent = answer.saved_label;
      var warning = document.getElementById("editor-live-conflict");
      if (answer.conflict) {
        warning.textContent = answer.conflict;
        warning.hidden = false;
      }
    }, function () {
      dirty = true;
      statusLine.textContent = text("error");
    });
  }

  function becomeEditPage(answer) {
    form.setAttribute("data-post", answer.post);
    form.action = answer.edit_url;
    if (answer.base_revision) baseRevision.value = answer.base_revision;
    if (window.history && history.replaceState) history.replaceState(null, "", answer.edit_url);
  }

  function sendOnLeaving() {
    // The page is going away: a beacon survives it where a fetch may not.
    if (!dirty || submitting || !form.getAttribute("data-post")) return;
    if (navigator.sendBeacon(form.getAttribute("data-autosave-url"), autosaveData())) {
      dirty = false;
    }
  }

  function setUpAutosave() {
    [title, body, excerpt].forEach(function (field) {
      if (field) field.addEventListener("input", markChanged);
    });
    window.setInterval(autosave, AUTOSAVE_EVERY);
    document.addEventListener("visibilitychange", function () {
      if (document.visibilityState !== "hidden") return;
      if (form.getAttribute("data-post")) sendOnLeaving();
      else autosave();
    });
    window.addEventListener("pagehide", sendOnLeaving);
    form.addEventListener("submit", function (event) {
      if (busy) {
        // Let the autosave in flight finish first, then send the form.
        event.preventDefault();
        var submitter = event.submitter;
        chain.then(function () { form.requestSubmit(submitter); });
        return;
      }
      submitting = true;
      dirty = false;
    });
  }

  function setUpRestore() {
    var banner = document.getElementById("editor-restore");
    if (!banner) return;
    var data = JSON.parse(document.getElementById("editor-unsaved-data").textContent);
    banner.querySelector("[data-restore]").addEventListener("click", function () {
      title.value = data.title;
      body.value = data.body;
      if (excerpt) excerpt.value = data.excerpt;
      banner.hidden = true;
      markChanged();
      updateCount();
      body.focus();
    });
    banner.querySelector("[data-dismiss-restore]").addEventListener("click", function () {
      banner.hidden = true;
      title.focus();
    });
  }

  // Preview -------------------------------------------------------------------
  var previewTimer = null;

  function refreshPreview() {
    var pane = document.getElementById("editor-preview");
    if (pane.hidden) return;
    var data = new URLSearchParams();
    data.append("body", body.value);
    postForm(form.getAttribute("data-preview-url"), data).then(function (answer) {
      var warnings = document.getElementById("editor-preview-warnings");
      warnings.textContent = "";
      if (answer.error) {
        var item = document.createElement("li");
        item.textContent = answer.error;
        warnings.appendChild(item);
        return;
      }
      // The pipeline's own sanitised HTML, exactly what saving stores.
      document.getElementById("editor-preview-body").innerHTML = answer.html;
      (answer.warnings || []).forEach(function (warning) {
        var item = document.createElement("li");
        item.textContent = warning;
        warnings.appendChild(item);
      });
    });
  }

  function togglePreview() {
    var pane = document.getElementById("editor-preview");
    var button = document.querySelector("[data-toggle-preview]");
    pane.hidden = !pane.hidden;
    button.setAttribute("aria-pressed", String(!pane.hidden));
    document.getElementById("editor-columns").classList.toggle("with-preview", !pane.hidden);
    refreshPreview();
  }

  // Panel, focus mode, help ----------------------------------------------------
  function togglePanel() {
    var panel = document.getElementById("editor-panel");
    var button = document.querySelector("[data-toggle-panel]");
    panel.hidden = !panel.hidden;
    button.setAttribute("aria-expanded", String(!panel.hidden));
    document.getElementById("editor-columns").classList.toggle("with-panel", !panel.hidden);
    if (!panel.hidden) panel.querySelector("h2").focus();
  }

  function setFocusMode(on) {
    document.body.classList.toggle("editor-focus-mode", on);
    document.querySelector("[data-toggle-focus]").setAttribute("aria-pressed", String(on));
    if (on) body.focus();
  }

  function showHelp() {
    var dialog = document.getElementById("editor-help");
    if (!dialog.open) dialog.showModal();
  }

  function isTyping(target) {
    return target && (target.isContentEditable || /^(INPUT|TEXTAREA|SELECT)$/.test(target.tagName));
  }

  function setUpShortcuts() {
    document.addEventListener("keydown", function (event) {
      var mod = event.ctrlKey || event.metaKey;
      var key = event.key.toLowerCase();
      if (mod && !event.shiftKey && key === "s") {
        event.preventDefault();
        form.requestSubmit(form.querySelector("[data-save]"));
      } else if (mod && event.shiftKey && key === "p") {
        event.preventDefault();
        togglePreview();
      } else if (mod && event.shiftKey && key === "f") {
        event.preventDefault();
        setFocusMode(!document.body.classList.contains("editor-focus-mode"));
      } else if (mod && key === ".") {
        event.preventDefault();
        togglePanel();
      } else if (key === "escape" && document.body.classList.contains("editor-focus-mode")) {
        if (!document.querySelector("dialog[open]")) setFocusMode(false);
      } else if (event.key === "?" && !mod && !isTyping(event.target)) {
        event.preventDefault();
        showHelp();
      }
    });
    document.querySelector("[data-toggle-preview]").addEventListener("click", togglePreview);
    document.querySelector("[data-toggle-panel]").addEventListener("click", togglePanel);
    document.querySelector("[data-toggle-focus]").addEventListener("click", function () {
      setFocusMode(!document.body.classList.contains("editor-focus-mode"));
    });
    document.querySelector("[data-show-help]").addEventListener("click", showHelp);
  }

  // Pickers: search as you type, choose, create -----------------------------
  function fillRow(picker, id, label) {
    var template = picker.querySelector("template[data-row]");
    var row = template.content.firstElementChild.cloneNode(true);
    [row].concat(Array.prototype.slice.call(row.querySelectorAll("*"))).forEach(function (el) {
      Array.prototype.forEach.call(el.attributes, function (attr) {
        if (attr.value.indexOf("__ID__") !== -1) el.setAttribute(attr.name, attr.value.split("__ID__").join(id));
      });
      if (el.hasAttribute("data-label")) el.textContent = label;
    });
    return row;
  }

  function choose(picker, item) {
    var chosen = picker.querySelector("[data-chosen]");
    if (chosen.querySelector('[data-id="' + item.id + '"]')) return;
    if (picker.hasAttribute("data-single")) chosen.textContent = "";
    var row = fillRow(picker, item.id, item.label);
    chosen.appendChild(row);
    var first = row.querySelector("input:not([type=hidden])");
    if (first) first.focus();
  }

  function setUpPicker(picker) {
    var input = picker.querySelector("[role=combobox]");
    var list = picker.querySelector("[role=listbox]");
    var createUrl = picker.getAttribute("data-create");
    var timer = null;
    var options = [];
    var active = -1;
    var asked = "";

    function close() {
      list.hidden = true;
      input.setAttribute("aria-expanded", "false");
      input.removeAttribute("aria-activedescendant");
      active = -1;
    }

    function highlight(index) {
      options.forEach(function (option, n) {
        option.element.setAttribute("aria-selected", String(n === index));
      });
      active = index;
      if (index >= 0) input.setAttribute("aria-activedescendant", options[index].element.id);
      else input.removeAttribute("aria-activedescendant");
    }

    function pick(option) {
      close();
      var name = input.value.trim();
      input.value = "";
      if (option.create) {
        var data = new URLSearchParams();
        data.append("name", name);
        postForm(createUrl, data).then(function (answer) {
          if (answer.error) { window.alert(answer.error); return; }
          choose(picker, answer);
          markChanged();
        });
      } else {
        choose(picker, option.item);
        markChanged();
      }
    }

    function show(results, query) {
      list.textContent = "";
      options = [];
      results.forEach(function (item) { options.push({ item: item, label: item.label }); });
      var exact = results.some(function (item) { return item.label.toLowerCase() === query.toLowerCase(); });
      if (createUrl && !exact) options.push({ create: true, label: text("create").replace("%s", query) });
      if (!options.length) options.push({ none: true, label: text("none") });
      options.forEach(function (option, n) {
        var element = document.createElement("li");
        element.id = input.id + "-option-" + n;
        element.setAttribute("role", "option");
        element.setAttribute("aria-selected", "false");
        element.className = "picker-option" + (option.create ? " picker-create" : "");
        element.textContent = option.label;
        if (!option.none) {
          element.addEventListener("mousedown", function (event) { event.preventDefault(); });
          element.addEventListener("click", function () { pick(option); });
        }
        option.element = element;
        list.appendChild(element);
      });
      options = options.filter(function (option) { return !option.none; });
      list.hidden = false;
      input.setAttribute("aria-expanded", "true");
    }

    function search() {
      var query = input.value.trim();
      asked = query;
      if (!query) { close(); return; }
      var url = picker.getAttribute("data-lookup") + "?q=" + encodeURIComponent(query);
      queue(function () {
        return fetch(url, { credentials: "same-origin" }).then(function (r) { return r.json(); });
      }).then(function (answer) {
        if (asked !== query || input.value.trim() !== query) return;
        show(answer.results || [], query);
      });
    }

    input.addEventListener("input", function () {
      window.clearTimeout(timer);
      timer = window.setTimeout(search, 200);
    });
    input.addEventListener("keydown", function (event) {
      if (event.key === "ArrowDown" && options.length) {
        event.preventDefault();
        highlight((active + 1) % options.length);
      } else if (event.key === "ArrowUp" && options.length) {
        event.preventDefault();
        highlight(active <= 0 ? options.length - 1 : active - 1);
      } else if (event.key === "Enter") {
        event.preventDefault();
        if (active >= 0) pick(options[active]);
        else if (options.length === 1) pick(options[0]);
      } else if (event.key === "Escape" && !list.hidden) {
        event.preventDefault();
        event.stopPropagation();
        close();
      }
    });
    input.addEventListener("blur", function () { window.setTimeout(close, 150); });
    picker.addEventListener("click", function (event) {
      var remove = event.target.closest("[data-remove]");
      if (!remove) return;
      remove.closest(".picker-item").remove();
      input.focus();
      markChanged();
    });
    picker.addEventListener("change", markChanged);
  }

  // Images ---------------------------------------------------------------------
  function insertAtCursor(snippet) {
    var start = body.selectionStart, end = body.selectionEnd;
    var before = body.value.slice(0, start), after = body.value.slice(end);
    var lead = before && !/\n\n$/.test(before) ? (/\n$/.test(before) ? "\n" : "\n\n") : "";
    var tail = after && !/^\n\n/.test(after) ? (/^\n/.test(after) ? "\n" : "\n\n") : "\n";
    body.value = before + lead + snippet + tail + after;
    var cursor = (before + lead + snippet + tail).length;
    body.setSelectionRange(cursor, cursor);
    body.focus();
    markChanged();
    updateCount();
    refreshPreview();
  }

  function setUpImages() {
    var dialog = document.getElementById("editor-image");
    var open = document.querySelector("[data-insert-image]");
    if (!dialog || !open) return;
    var error = document.getElementById("image-error");
    open.addEventListener("click", function () {
      error.textContent = "";
      dialog.showModal();
      document.getElementById("image-file").focus();
    });
    dialog.querySelector("[data-close-dialog]").addEventListener("click", function () { dialog.close(); });
    dialog.querySelector("[data-upload]").addEventListener("click", function () {
      var file = document.getElementById("image-file").files[0];
      if (!file) { error.textContent = document.querySelector("label[for=image-file]").textContent + "?"; return; }
      var data = new FormData();
      data.append("file", file);
      data.append("alt_text", document.getElementById("image-alt").value);
      data.append("caption", document.getElementById("image-caption").value);
      postForm(form.getAttribute("data-upload-url"), data).then(function (answer) {
        if (answer.error || !answer.markdown) { error.textContent = answer.error || text("error"); return; }
        dialog.close();
        ["image-file", "image-alt", "image-caption"].forEach(function (id) { document.getElementById(id).value = ""; });
        insertAtCursor(answer.markdown);
      }, function () { error.textContent = text("error"); });
    });
  }

  // Small things: the password field shows when it is used; counts follow.
  function setUpFields() {
    var visibility = form.querySelector("[name=visibility]");
    var password = form.querySelector("[data-password-field]");
    function showPassword() { password.hidden = visibility.value !== "password"; }
    if (visibility && password) {
      visibility.addEventListener("change", showPassword);
      showPassword();
    }
    body.addEventListener("input", function () {
      updateCount();
      window.clearTimeout(previewTimer);
      previewTimer = window.setTimeout(refreshPreview, PREVIEW_DELAY);
    });
  }

  document.addEventListener("DOMContentLoaded", function () {
    form = document.getElementById("editor-form");
    if (!form) return;
    title = form.querySelector("[name=title]");
    body = form.querySelector("[name=body]");
    excerpt = form.querySelector("[name=excerpt]");
    baseRevision = form.querySelector("[name=base_revision]");
    statusLine = document.getElementById("editor-autosave");
    var interval = parseInt(form.getAttribute("data-autosave-every") || "", 10);
    if (interval > 0) AUTOSAVE_EVERY = interval;
    document.getElementById("editor-panel").querySelector("h2").tabIndex = -1;
    setUpAutosave();
    setUpRestore();
    setUpShortcuts();
    setUpImages();
    setUpFields();
    Array.prototype.forEach.call(form.querySelectorAll("[data-picker]"), setUpPicker);
    updateCount();
    if (form.querySelector("#editor-panel .errorlist")) togglePanel();
    if (form.querySelector(".errorlist") || document.querySelector(".message-error")) {
      // A refused save stored nothing: keep the text as an autosave.
      markChanged();
    }
  });
})();
