/*
 * The post editor: live preview beside the Markdown, and images (uploaded
 * by drag-and-drop or file picker, or picked from the library) inserted at
 * the cursor in the figure syntax.
 *
 * Loaded as a file (the Content Security Policy allows no inline script);
 * endpoints come from data- attributes on .afterword-editor. Without this
 * script the field is a plain textarea and the form still saves.
 */
(function () {
  "use strict";

  var PREVIEW_DELAY_MS = 350;

  function csrfToken(element) {
    var form = element.closest("form");
    var input = form && form.querySelector("input[name=csrfmiddlewaretoken]");
    return input ? input.value : "";
  }

  function postForm(url, data, token) {
    return fetch(url, {
      method: "POST",
      body: data,
      credentials: "same-origin",
      headers: { "X-CSRFToken": token, "Accept": "application/json" }
    }).then(function (response) {
      var type = response.headers.get("Content-Type") || "";
      if (type.indexOf("application/json") === -1) {
        throw new Error("The server answered " + response.status + ". Are you still logged in?");
      }
      return response.json().then(function (payload) {
        if (!response.ok) {
          throw new Error(payload.error || "The server answered " + response.status + ".");
        }
        return payload;
      });
    });
  }

  function setUpPreview(root, textarea) {
    var url = root.dataset.previewUrl;
    var pane = root.querySelector(".afterword-editor-preview");
    var rendered = root.querySelector(".afterword-editor-rendered");
    var warnings = root.querySelector(".afterword-editor-warnings");
    if (!url || !pane) {
      return;
    }
    pane.hidden = false;
    root.classList.add("afterword-editor-live");
    var timer = null;
    var latest = 0;

    function showWarnings(list) {
      warnings.replaceChildren();
      list.forEach(function (text) {
        var item = document.createElement("li");
        item.textContent = text;
        warnings.appendChild(item);
      });
    }

    function refresh() {
      var ticket = ++latest;
      var data = new FormData();
      data.append("body", textarea.value);
      root.setAttribute("aria-busy", "true");
      postForm(url, data, csrfToken(root))
        .then(function (payload) {
          if (ticket !== latest) {
            return;  // A newer preview is on its way.
          }
          // The server sanitised this HTML with the site's one allow-list.
          rendered.innerHTML = payload.html;
          showWarnings(payload.warnings || []);
        })
        .catch(function (error) {
          if (ticket === latest) {
            showWarnings(["Preview unavailable: " + error.message]);
          }
        })
        .finally(function () {
          if (ticket === latest) {
            root.removeAttribute("aria-busy");
          }
        });
    }

    function schedule() {
      window.clearTimeout(timer);
      timer = window.setTimeout(refresh, PREVIEW_DELAY_MS);
    }

    textarea.addEventListener("input", schedule);
    refresh();
  }

  function insertBlock(textarea, block) {
    var start = textarea.selectionStart;
    var end = textarea.selectionEnd;
    var before = textarea.value.slice(0, start);
    var after = textarea.value.slice(end);
    // A figure is a paragraph of its own: blank lines around it.
    var lead = before === "" || /\n\n$/.test(before) ? "" : (/\n$/.test(before) ? "\n" : "\n\n");
    var tail = /^\n\n/.test(after) ? "" : (/^\n/.test(after) ? "\n" : "\n\n");
    var text = lead + block + tail;
    textarea.value = before + text + after;
    var cursor = before.length + text.length;
    textarea.setSelectionRange(cursor, cursor);
    textarea.focus();
    textarea.dispatchEvent(new Event("input", { bubbles: true }));
  }

  function setUpImages(root, textarea) {
    var uploadUrl = root.dataset.uploadUrl;
    var choicesUrl = root.dataset.choicesUrl;
    var figureUrl = root.dataset.figureUrl;
    var toolbar = root.querySelector(".afterword-editor-toolbar");
    var dialog = root.querySelector(".afterword-editor-dialog");
    if (!uploadUrl || !toolbar || !dialog || typeof dialog.showModal !== "function") {
      return;
    }
    toolbar.hidden = false;
    root.querySelector(".afterword-editor-hint").hidden = false;
    var picker = root.querySelector(".afterword-editor-file");
    var status = root.querySelector(".afterword-editor-status");
    var alt = dialog.querySelector(".afterword-editor-alt");
    var caption = dialog.querySelector(".afterword-editor-caption");
    var error = dialog.querySelector(".afterword-editor-dialog-error");
    var thumb = dialog.querySelector(".afterword-editor-dialog-thumb");
    var name = dialog.querySelector(".afterword-editor-dialog-name");
    var library = dialog.querySelector(".afterword-editor-library");
    var search = dialog.querySelector(".afterword-editor-library-search");
    var grid = dialog.querySelector(".afterword-editor-library-grid");
    var insertUpload = dialog.querySelector(".afterword-editor-insert");
    var insertChosen = dialog.querySelector(".afterword-editor-insert-chosen");
    // Either a file about to be uploaded or a library image's id.
    var pending = null;
    var chosen = null;
    // Where the text cursor was when the dialog opened.
    var selection = [0, 0];
    var searchTimer = null;

    function showError(message) {
      error.textContent = message;
      error.hidden = !message;
    }

    function showThumb(src) {
      thumb.replaceChildren();
      if (src) {
        var img = document.createElement("img");
        img.alt = "";
        img.src = src;
        thumb.appendChild(img);
      }
    }

    function open(mode) {
      selection = [textarea.selectionStart, textarea.selectionEnd];
      alt.value = "";
      caption.value = "";
      name.textContent = "";
      showThumb("");
      showError("");
      library.hidden = mode !== "library";
      insertUpload.hidden = mode !== "upload";
      insertChosen.hidden = mode !== "library";
      insertChosen.disabled = mode === "library";
      dialog.showModal();
    }

    function ask(file) {
      pending = file;
      chosen = null;
      open("upload");
      name.textContent = file.name + " (" + Math.round(file.size / 1024) + " KB)";
      if (/^image\//.test(file.type)) {
        var reader = new FileReader();
        reader.addEventListener("load", function () {
          showThumb(reader.result);
        });
        reader.readAsDataURL(file);
      }
      alt.focus();
    }

    function choose(image) {
      chosen = image.id;
      name.textContent = image.title + " (" + image.width + "×" + image.height + ")";
      showThumb(image.thumbnail);
      alt.value = image.alt_text;
      caption.value = image.caption;
      insertChosen.disabled = false;
      alt.focus();
    }

    function listChoices() {
      var url = choicesUrl + "?q=" + encodeURIComponent(search.value.trim());
      fetch(url, { credentials: "same-origin", headers: { "Accept": "application/json" } })
        .then(function (response) { return response.json(); })
        .then(function (payload) {
          grid.replaceChildren();
          if (payload.error) {
            showError(payload.error);
            return;
          }
          if (!payload.images.length) {
            var none = document.createElement("p");
            none.textContent = "No image matches.";
            grid.appendChild(none);
          }
          payload.images.forEach(function (image) {
            var button = document.createElement("button");
            button.type = "button";
            button.className = "afterword-editor-library-item";
            button.setAttribute("role", "listitem");
            button.setAttribute("aria-label", image.alt_text || image.title);
            var img = document.createElement("img");
            img.src = image.thumbnail;
            img.alt = "";
            button.appendChild(img);
            button.addEventListener("click", function () { choose(image); });
            grid.appendChild(button);
          });
        })
        .catch(function () {
          showError("The library could not be loaded.");
        });
    }

    function needAlt() {
      if (alt.value.trim()) {
        return false;
      }
      showError("Describe the image for people who cannot see it: alt text is required before publishing.");
      alt.focus();
      return true;
    }

    function finish(button, url, data) {
      data.append("alt_text", alt.value.trim());
      data.append("caption", caption.value.trim());
      button.disabled = true;
      postForm(url, data, csrfToken(root))
        .then(function (payload) {
          dialog.close();
          pending = null;
          chosen = null;
          textarea.setSelectionRange(selection[0], selection[1]);
          insertBlock(textarea, payload.markdown);
          status.textContent = "Image added.";
        })
        .catch(function (problem) {
          showError(problem.message);
          status.textContent = "";
        })
        .finally(function () {
          button.disabled = false;
        });
    }

    function insert() {
      if (needAlt()) {
        return;
      }
      var data = new FormData();
      if (!insertUpload.hidden && pending) {
        data.append("file", pending);
        status.textContent = "Uploading " + pending.name + "…";
        finish(insertUpload, uploadUrl, data);
      } else if (!insertChosen.hidden && chosen !== null) {
        data.append("id", chosen);
        finish(insertChosen, figureUrl, data);
      }
    }

    function firstImage(files) {
      for (var i = 0; i < files.length; i += 1) {
        if (/^image\//.test(files[i].type)) {
          return files[i];
        }
      }
      return files.length ? files[0] : null;
    }

    root.querySelector(".afterword-editor-pick").addEventListener("click", function () {
      picker.click();
    });
    var openLibrary = root.querySelector(".afterword-editor-library-open");
    if (choicesUrl && figureUrl) {
      openLibrary.addEventListener("click", function () {
        pending = null;
        chosen = null;
        open("library");
        search.value = "";
        listChoices();
        search.focus();
      });
      search.addEventListener("input", function () {
        window.clearTimeout(searchTimer);
        searchTimer = window.setTimeout(listChoices, 250);
      });
    } else {
      openLibrary.hidden = true;
    }
    picker.addEventListener("change", function () {
      if (picker.files.length) {
        ask(picker.files[0]);
      }
      picker.value = "";
    });
    insertUpload.addEventListener("click", insert);
    insertChosen.addEventListener("click", insert);
    [alt, caption, search].forEach(function (field) {
      field.addEventListener("keydown", function (event) {
        if (event.key === "Enter") {
          event.preventDefault();  // Never submit the post form from here.
          if (field !== search) {
            insert();
          }
        }
      });
    });
    dialog.querySelector(".afterword-editor-cancel").addEventListener("click", function () {
      pending = null;
      chosen = null;
      dialog.close();
    });

    textarea.addEventListener("dragover", function (event) {
      if (event.dataTransfer && Array.prototype.indexOf.call(event.dataTransfer.types, "Files") !== -1) {
        event.preventDefault();
        textarea.classList.add("afterword-editor-dropping");
      }
    });
    textarea.addEventListener("dragleave", function () {
      textarea.classList.remove("afterword-editor-dropping");
    });
    textarea.addEventListener("drop", function (event) {
      textarea.classList.remove("afterword-editor-dropping");
      var files = event.dataTransfer ? event.dataTransfer.files : [];
      if (!files.length) {
        return;  // Dropped text: let the browser insert it.
      }
      event.preventDefault();
      var file = firstImage(files);
      if (file) {
        ask(file);
      }
    });
  }

  function setUp(root) {
    var textarea = root.querySelector("textarea");
    if (!textarea) {
      return;
    }
    setUpPreview(root, textarea);
    setUpImages(root, textarea);
  }

  function start() {
    document.querySelectorAll(".afterword-editor").forEach(setUp);
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
