// The comments screen: moderation buttons, replies and "Apply to selected"
// answer in place (the forms still work without this file), and WordPress's
// keyboard shortcuts: j/k select, a u s t act, r replies, x ticks, ? lists them.
(function () {
  "use strict";

  var list, statusLine, selected = null;

  function rows() {
    return Array.prototype.slice.call(list.querySelectorAll("tr.comment-row"));
  }

  function say(text, link) {
    if (!statusLine) return;
    statusLine.textContent = "";
    // Written anew each time, so the same words are announced again.
    window.setTimeout(function () {
      statusLine.textContent = text;
      if (!link) return;
      var anchor = document.createElement("a");
      anchor.href = link;
      anchor.textContent = list.getAttribute("data-see-reply");
      statusLine.appendChild(document.createTextNode(" "));
      statusLine.appendChild(anchor);
    }, 30);
  }

  function select(row, focus) {
    if (selected) selected.classList.remove("is-selected");
    selected = row || null;
    if (!selected) return;
    selected.classList.add("is-selected");
    if (focus !== false) selected.focus({ preventScroll: true });
    selected.scrollIntoView({ block: "nearest" });
  }

  function updateCounts(counts) {
    Object.keys(counts || {}).forEach(function (key) {
      var badge = document.querySelector('[data-count="' + key + '"]');
      if (badge) badge.textContent = String(counts[key]);
    });
  }

  function showEmpty() {
    if (rows().length) return;
    var body = list.querySelector("tbody");
    var row = document.createElement("tr");
    var cell = document.createElement("td");
    row.className = "comment-empty";
    cell.colSpan = 3;
    cell.textContent = list.getAttribute("data-empty") || "";
    row.appendChild(cell);
    body.appendChild(row);
  }

  // Put the server's answer on the page: rows changed, rows gone, counts.
  function apply(answer) {
    var wasSelected = selected && selected.getAttribute("data-comment");
    Object.keys(answer.rows || {}).forEach(function (id) {
      var row = document.getElementById("comment-row-" + id);
      if (!row) return;
      var html = answer.rows[id];
      if (html === null) {
        var after = rows()[rows().indexOf(row) + 1] || rows()[rows().indexOf(row) - 1];
        row.remove();
        if (wasSelected === id) select(after || null);
        return;
      }
      var holder = document.createElement("tbody");
      holder.innerHTML = html;
      var fresh = holder.querySelector("tr");
      row.replaceWith(fresh);
      if (wasSelected === id) select(fresh);
    });
    updateCounts(answer.counts);
    showEmpty();
  }

  function send(form, submitter) {
    var data = new FormData(form);
    if (submitter && submitter.name) data.append(submitter.name, submitter.value);
    var buttons = form.querySelectorAll("button");
    buttons.forEach(function (b) { b.disabled = true; });
    // Not form.action: the buttons named "action" shadow that property.
    return window.Desk.post(form.getAttribute("action"), data)
      .then(function (response) {
        return response.json().catch(function () {
          return { ok: false, message: list.getAttribute("data-failed") };
        });
      })
      .then(function (answer) {
        apply(answer);
        say(answer.message, answer.reply_url);
        return answer;
      })
      .catch(function () {
        say(list.getAttribute("data-failed"));
      })
      .finally(function () {
        buttons.forEach(function (b) { if (b.isConnected) b.disabled = false; });
      });
  }

  function onSubmit(event) {
    var form = event.target;
    if (!form.matches("[data-row-action], [data-row-reply], [data-bulk]")) return;
    event.preventDefault();
    if (form.matches("[data-bulk]") && !list.querySelector("input[name=ids]:checked")) {
      say(list.getAttribute("data-none-selected"));
      return;
    }
    send(form, event.submitter).then(function () {
      var all = document.querySelector("[data-select-all]");
      if (form.matches("[data-bulk]") && all) all.checked = false;
    });
  }

  // Letters typed into a field are text, not shortcuts.
  function typing(target) {
    if (!target) return false;
    if (target.isContentEditable) return true;
    if (target.tagName === "TEXTAREA" || target.tagName === "SELECT") return true;
    if (target.tagName !== "INPUT") return false;
    return !/^(checkbox|radio|button|submit|reset)$/.test(target.type);
  }

  function press(verb) {
    if (!selected) return;
    var button = selected.querySelector('button[name=action][value="' + verb + '"]');
    if (button) button.click();
  }

  function onKey(event) {
    if (event.ctrlKey || event.metaKey || event.altKey) return;
    if (typing(event.target)) return;
    var dialog = document.querySelector("[data-shortcuts]");
    if (dialog && dialog.open) return;
    var all = rows();
    var at = selected ? all.indexOf(selected) : -1;
    switch (event.key) {
      case "j": select(all[Math.min(at + 1, all.length - 1)]); break;
      case "k": select(all[Math.max(at - 1, 0)]); break;
      case "a": press("approve"); break;
      case "u": press("unapprove"); break;
      case "s": press("spam"); break;
      case "t": press("trash"); break;
      case "x":
        if (selected) selected.querySelector("input[name=ids]").click();
        break;
      case "r":
        if (!selected) return;
        var reply = selected.querySelector("[data-reply]");
        if (!reply) return;
        reply.open = true;
        reply.querySelector("textarea").focus();
        break;
      case "?":
        if (dialog) dialog.showModal();
        break;
      default:
        return;
    }
    event.preventDefault();
  }

  document.addEventListener("DOMContentLoaded", function () {
    list = document.querySelector("[data-comments]");
    if (!list) return;
    statusLine = document.querySelector("[data-comments-status]");
    document.addEventListener("submit", onSubmit);
    document.addEventListener("keydown", onKey);
    list.addEventListener("click", function (event) {
      var row = event.target.closest("tr.comment-row");
      if (row && row !== selected) select(row, false);
    });
    var all = document.querySelector("[data-select-all]");
    if (all) {
      all.addEventListener("change", function () {
        list.querySelectorAll("input[name=ids]").forEach(function (box) {
          box.checked = all.checked;
        });
      });
    }
    var open = document.querySelector("[data-shortcuts-open]");
    var dialog = document.querySelector("[data-shortcuts]");
    if (open && dialog) {
      open.hidden = false;
      open.addEventListener("click", function () { dialog.showModal(); });
    }
  });
})();
