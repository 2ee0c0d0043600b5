/* Item-page app blocks (docs/blocks.md): each block's frame may ask for its height and for a fresh
 * signed context; picking another SKU sends every block a fresh context.
 *
 * Only messages from a block's own frame count: event.source must be that frame's window (nothing
 * else can hold it) and event.origin the opaque "null" of a scripts-only sandbox (or the block's
 * own origin). Anything else — another window, another frame — is ignored. */
(function () {
  "use strict";

  var MIN_HEIGHT = 40;
  var MAX_HEIGHT = 4000;
  var frames = Array.prototype.slice.call(document.querySelectorAll("iframe[data-item-block]"));
  if (!frames.length) return;
  var sku = frames[0].dataset.sku || null; // the SKU the page preselected, until the buyer picks

  function frameOf(event) {
    for (var i = 0; i < frames.length; i++) {
      if (frames[i].contentWindow === event.source) return frames[i];
    }
    return null;
  }

  function send(frame, message) {
    // A scripts-only sandbox has an opaque origin, so no target origin other than "*" reaches it;
    // the context is signed for the block's app, and the CSP lets the frame hold only block origins.
    frame.contentWindow.postMessage(message, "*");
  }

  function renew(frame) {
    var url = frame.dataset.contextUrl + (sku !== null ? "?sku=" + encodeURIComponent(sku) : "");
    fetch(url, { credentials: "same-origin", headers: { Accept: "application/json" } })
      .then(function (answer) { return answer.ok ? answer.json() : null; })
      .then(function (data) {
        if (data) send(frame, { emporium: 1, type: "context", context: data.context });
      })
      .catch(function () { /* the block keeps its last context */ });
  }

  window.addEventListener("message", function (event) {
    var frame = frameOf(event);
    if (!frame) return;
    if (event.origin !== "null" && event.origin !== frame.dataset.origin) return;
    var data = event.data;
    if (!data || typeof data !== "object" || data.emporium !== 1) return;
    if (data.type === "resize") {
      var height = Number(data.height);
      if (!isFinite(height)) return;
      frame.style.height = Math.min(MAX_HEIGHT, Math.max(MIN_HEIGHT, Math.ceil(height))) + "px";
    } else if (data.type === "context-request") {
      renew(frame);
    }
  });

  // A frame that loaded before this deferred script ran has sent its height to no one: ask again.
  frames.forEach(function (frame) { send(frame, { emporium: 1, type: "size-request" }); });

  document.addEventListener("emporium:sku", function (event) {
    sku = event.detail.sku;
    frames.forEach(renew);
  });
})();
