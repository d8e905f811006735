/* Click-to-load video embeds.
 *
 * Stored posts hold a plain link inside <div class="video-embed"> (see
 * afterword/core/markdown_rules/video.py). Nothing is fetched from the video
 * site until the reader activates that link; then it is replaced by the
 * provider's privacy-friendlier player, which starts playing. Without this
 * script the link simply opens the video site.
 */
(function () {
  "use strict";

  // The page says how to name a player in its own language (base.html).
  var script = document.currentScript;
  var TITLE = (script && script.getAttribute("data-player-title")) || "{name} video player";

  var PLAYERS = {
    youtube: {
      pattern: /^[A-Za-z0-9_-]{11}$/,
      name: "YouTube",
      url: function (id) {
        return "https://www.youtube-nocookie.com/embed/" + id + "?autoplay=1";
      },
    },
    vimeo: {
      pattern: /^[0-9]{1,12}$/,
      name: "Vimeo",
      url: function (id) {
        return "https://player.vimeo.com/video/" + id + "?autoplay=1";
      },
    },
  };

  function play(container) {
    var player = PLAYERS[container.getAttribute("data-provider")];
    var id = container.getAttribute("data-video-id") || "";
    // The sanitiser already checks ids; checking again keeps this script safe
    // on its own.
    if (!player || !player.pattern.test(id)) {
      return false;
    }
    var frame = document.createElement("iframe");
    frame.src = player.url(id);
    frame.title = TITLE.replace("{name}", player.name);
    frame.allow = "autoplay; encrypted-media; fullscreen; picture-in-picture";
    frame.allowFullscreen = true;
    frame.referrerPolicy = "strict-origin-when-cross-origin";
    frame.className = "video-embed-frame";
    container.replaceChildren(frame);
    container.classList.add("is-playing");
    frame.focus();
    return true;
  }

  document.addEventListener("click", function (event) {
    if (event.button !== 0 || event.ctrlKey || event.metaKey || event.shiftKey || event.altKey) {
      return; // Let the reader open the video site in a new tab or window.
    }
    var link = event.target.closest && event.target.closest("a.video-embed-link");
    if (!link) {
      return;
    }
    var container = link.closest(".video-embed");
    if (container && play(container)) {
      event.preventDefault();
    }
  });
})();
