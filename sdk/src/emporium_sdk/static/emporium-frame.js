/* emporium-frame.js — the app side of Emporium's frames (docs/blocks.md), for item-page blocks and
 * embedded seller-center pages. No dependencies; include it in the framed page:
 *
 *   <script src="/static/emporium-frame.js" data-platform="https://emporium.example"></script>
 *   EmporiumFrame.onContext(function (token) { ... send it to your server, which verifies it ... });
 *
 * It sends the page's height to the platform whenever it changes ({emporium: 1, type: "resize"}),
 * and again when the platform's page asks ({type: "size-request"}), addressed to the platform's origin only; and it accepts a message only when it comes from the
 * parent window AND the platform's origin, so no other page can feed it a context. */
(function () {
  "use strict";

  var script = document.currentScript;
  var platform = (script && script.dataset.platform) || "";
  var listeners = [];
  var lastHeight = -1;

  function post(message) {
    if (!platform || window.parent === window) return;
    message.emporium = 1;
    window.parent.postMessage(message, platform);
  }

  function height() {
    var doc = document.documentElement;
    return Math.ceil(Math.max(doc.scrollHeight, document.body ? document.body.scrollHeight : 0));
  }

  function resize() {
    var now = height();
    if (now !== lastHeight) {
      lastHeight = now;
      post({ type: "resize", height: now });
    }
  }

  window.addEventListener("message", function (event) {
    if (event.source !== window.parent || event.origin !== platform) return;
    var data = event.data;
    if (!data || data.emporium !== 1) return;
    if (data.type === "size-request") {
      // The platform's page asks when its own script starts: a height sent before it listened is lost.
      lastHeight = -1;
      resize();
      return;
    }
    if (data.type !== "context" || typeof data.context !== "string") return;
    listeners.forEach(function (listener) { listener(data.context); });
  });

  window.EmporiumFrame = {
    /** Call `listener(token)` with every fresh context the platform sends (another SKU chosen). */
    onContext: function (listener) { listeners.push(listener); },
    /** Ask the platform for a fresh context (the current one expires after 5 minutes). */
    requestContext: function () { post({ type: "context-request" }); },
    /** Send the height now (it is also sent on load and whenever the page's size changes). */
    resize: resize,
    setPlatform: function (origin) { platform = origin; resize(); },
  };

  if (typeof ResizeObserver === "function") {
    new ResizeObserver(resize).observe(document.documentElement);
  }
  window.addEventListener("load", resize);
  if (document.readyState !== "loading") resize();
  else document.addEventListener("DOMContentLoaded", resize);
})();
