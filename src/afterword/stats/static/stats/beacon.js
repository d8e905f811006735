/* Counts one view of this page: no cookie, no storage, nothing about the
   reader. Sends the page's signed name (from the script tag) and the bare
   domain of the site the reader came from, if another one. */
(function () {
  "use strict";
  var tag = document.querySelector("script[data-stats-page]");
  if (!tag || !tag.dataset.statsPage || !navigator.sendBeacon) {
    return;
  }
  var data = new URLSearchParams();
  data.set("page", tag.dataset.statsPage);
  if (document.referrer) {
    try {
      var host = new URL(document.referrer).hostname;
      if (host && host !== location.hostname) {
        data.set("ref", host);
      }
    } catch (error) {
      /* an unreadable referrer is simply not sent */
    }
  }
  navigator.sendBeacon(tag.dataset.statsTo, data);
})();
