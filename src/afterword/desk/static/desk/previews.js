// The preview-link screen: "Copy link" puts the address on the clipboard
// and says so; where the clipboard is refused, the address is selected.
(function () {
  "use strict";
  document.addEventListener("click", function (event) {
    var button = event.target.closest("[data-copy]");
    if (!button) return;
    var field = document.getElementById(button.getAttribute("data-copy"));
    if (!field) return;
    var label = button.textContent;
    function done(text) {
      button.textContent = text;
      setTimeout(function () { button.textContent = label; }, 2000);
    }
    field.select();
    if (navigator.clipboard && navigator.clipboard.writeText) {
      navigator.clipboard.writeText(field.value).then(
        function () { done(button.getAttribute("data-copied") || "Copied"); },
        function () { field.focus(); }
      );
    } else {
      field.focus();
    }
  });
})();
