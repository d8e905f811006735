"""Rendering served pages in Chromium and counting any script the payloads ran.

Every page is opened in a context that ignores the site's Content Security
Policy: the policy is a second line of defence, and with it on a payload
that slipped through the sanitiser would be blocked rather than seen. Here
the sanitiser has to hold on its own. An init script replaces ``alert``,
``confirm``, ``prompt``, ``print`` and ``window.open`` with recorders in
every frame before any of the page's scripts run; dialogs that still open
are counted too. After the page has loaded, the live DOM is scanned for
event-handler attributes, script URLs and elements that the stored HTML must
never produce.

Requests to anything but the live server are refused, so payloads that
point at other hosts reach nothing outside this machine.
"""

from __future__ import annotations

from dataclasses import dataclass, field

RECORDER = """
(() => {
  const seen = [];
  Object.defineProperty(window, "__afterwordSeen", { value: seen });
  const record = (what) => (...args) => {
    seen.push(what + ": " + String(args[0] === undefined ? "" : args[0]).slice(0, 80));
    return what === "confirm" ? false : null;
  };
  for (const name of ["alert", "confirm", "prompt", "print", "open"]) {
    try {
      Object.defineProperty(window, name, { value: record(name), writable: false });
    } catch (error) {
      window[name] = record(name);
    }
  }
  document.addEventListener("securitypolicyviolation", (event) => {
    seen.push("csp: " + event.violatedDirective + " " + event.blockedURI);
  }, true);
})();
"""

# Regions of a page that print stored, user-written HTML.
CONTENT = (
    ".post-body, .comment-content, .entry-image, .entry-summary, "
    ".search-result-snippet, .author-bio"
)
DOM_SCAN = """
(content) => {
  const found = [];
  const badScheme = /^(javascript|vbscript|livescript):|^data:text\\/html/;
  const squeeze = (value) =>
    value.replace(/[\\u0000-\\u0020\\u007f]+/g, "").toLowerCase();
  for (const element of document.querySelectorAll("*")) {
    for (const attribute of element.attributes) {
      const name = attribute.name.toLowerCase();
      if (name.startsWith("on")) found.push(`<${element.localName} ${name}>`);
      const followed = ["href", "src", "action", "formaction", "xlink:href", "data"];
      if (followed.includes(name) && badScheme.test(squeeze(attribute.value))) {
        found.push(`<${element.localName} ${name}=${attribute.value.slice(0, 60)}>`);
      }
    }
    if (element.localName === "script" && !element.nonce) {
      found.push("<script> without the page's nonce");
    }
  }
  const forbidden = "script, style, iframe, frame, object, embed, applet, form, input, "
    + "button, textarea, select, base, link, meta, svg, math, template, video, audio";
  for (const region of document.querySelectorAll(content)) {
    for (const element of region.querySelectorAll(forbidden)) {
      found.push(`<${element.localName}> inside ${region.className}`);
    }
  }
  return found;
}
"""


@dataclass
class Tally:
    """What the pages did: executions (must stay empty) and DOM escapes."""

    pages: int = 0
    executions: list[str] = field(default_factory=list)
    escapes: list[str] = field(default_factory=list)


class Renderer:
    """One browser context for a test; ``render(url)`` loads and inspects."""

    def __init__(self, browser, origin: str):
        self.origin = origin
        self.tally = Tally()
        self.context = browser.new_context(bypass_csp=True, java_script_enabled=True)
        self.context.add_init_script(RECORDER)
        self.context.route("**/*", self._only_the_site)
        self.page = self.context.new_page()
        self.page.set_default_timeout(15_000)
        self.page.on("dialog", self._dialog)

    def _only_the_site(self, route):
        if route.request.url.startswith(self.origin + "/"):
            route.continue_()
        else:
            route.abort()

    def _dialog(self, dialog):
        self.tally.executions.append(f"dialog {dialog.type}: {dialog.message[:80]}")
        dialog.dismiss()

    def render(self, path: str) -> None:
        response = self.page.goto(self.origin + path, wait_until="load")
        assert response is not None and response.status == 200, (
            f"{path} answered {response.status if response else 'nothing'}"
        )
        # Handlers of images that fail to load and timers fire after "load".
        self.page.wait_for_timeout(50)
        seen = self.page.evaluate("window.__afterwordSeen")
        self.tally.executions.extend(f"{path}: {entry}" for entry in seen)
        escapes = self.page.evaluate(DOM_SCAN, CONTENT)
        self.tally.escapes.extend(f"{path}: {entry}" for entry in escapes)
        self.tally.pages += 1

    def close(self) -> None:
        self.context.close()
