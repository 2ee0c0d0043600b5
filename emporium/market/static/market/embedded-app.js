/* The embedded app's frame in the seller center takes the height the app asks for (docs/blocks.md),
 * so the seller never scrolls inside a scrolling page. Only a message from that frame's window
 * and the app's own origin counts. */
(function () {
  "use strict";

  var frame = document.querySelector("iframe.embedded-app[data-origin]");
  if (!frame) return;
  var MIN_HEIGHT = 200;
  var MAX_HEIGHT = 20000;

  window.addEventListener("message", function (event) {
    if (event.source !== frame.contentWindow || event.origin !== frame.dataset.origin) return;
    var data = event.data;
    if (!data || typeof data !== "object" || data.emporium !== 1 || data.type !== "resize") return;
    var height = Number(data.height);
    if (!isFinite(height)) return;
    frame.style.height = Math.min(MAX_HEIGHT, Math.max(MIN_HEIGHT, Math.ceil(height))) + "px";
  });

  // An app page that loaded before this deferred script ran has sent its height to no one: ask
  // again. Should the frame still be loading, its own load-time height reaches the listener above.
  if (frame.contentWindow) {
    frame.contentWindow.postMessage({ emporium: 1, type: "size-request" }, frame.dataset.origin);
  }
})();
