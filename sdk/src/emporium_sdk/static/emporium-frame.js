/* emporium-frame.js — the app side of Emporium's frames (docs/blocks.md), for item-page blocks and
 * embedded seller-center pages. No dependencies; include it in the framed page:
 *
 *   <script src="/static/emporium-frame.js" data-platform="https://emporium.example"></script>
 *   EmporiumFrame.onContext(function (token) { ... send it to your server, which verifies it ... });
 *
 * It sends the page's height to the platform whenever it changes ({emporium: 1, type: "resize"}),
 * and again when the platform's page asks ({type: "size-request"}), addressed to the platform's origin only; and it accepts a message only when it comes from the
 * parent window AND the platform's origin, so no other page can feed it a context.
 *
 * The height is the content's, not the frame's: a frame shrinks when its page does. Content sized
 * by the frame itself (100vh) is not followed past the frame's own growth (docs/blocks.md). */
(function () {
  "use strict";

  var script = document.currentScript;
  var platform = (script && script.dataset.platform) || "";
  var listeners = [];
  var sent = -1; // the height last sent
  var measured = -1; // the height last measured, sent or not
  var viewport = window.innerHeight; // the frame's own height at that measurement
  var echo = false; // whether that measurement only echoed the frame's own resize

  function post(message) {
    if (!platform || window.parent === window) return;
    message.emporium = 1;
    window.parent.postMessage(message, platform);
  }

  function px(element, property) {
    return parseFloat(getComputedStyle(element)[property]) || 0;
  }

  function measure() {
    var html = document.documentElement;
    var body = document.body;
    // html's box holds body with its margins, also those collapsed with its children's.
    var height = html.getBoundingClientRect().height;
    if (!body) return height;
    // What overflows body (an absolutely placed menu) counts; a position: fixed element never does.
    var top = body.getBoundingClientRect().top + window.scrollY + px(body, "borderTopWidth");
    return Math.max(height, top + body.scrollHeight + px(body, "borderBottomWidth") + px(body, "marginBottom"));
  }

  // A page may stretch html and body to the frame (height: 100%, min-height: 100vh): measured so,
  // it would be as tall as the frame, which could then grow but never shrink. So while measuring,
  // they take the height of what they hold (through the CSSOM: a CSP may forbid style attributes).
  var UNSTRETCHED = { height: "auto", "min-height": "0" };

  function measureUnstretched() {
    var saved = [document.documentElement, document.body].map(function (element) {
      var had = element.hasAttribute("style");
      var style = element.style;
      var old = Object.keys(UNSTRETCHED).map(function (name) {
        return [name, style.getPropertyValue(name), style.getPropertyPriority(name)];
      });
      Object.keys(UNSTRETCHED).forEach(function (name) {
        style.setProperty(name, UNSTRETCHED[name], "important");
      });
      return { element: element, had: had, old: old };
    });
    try {
      return measure();
    } finally {
      saved.forEach(function (was) {
        was.old.forEach(function (old) {
          was.element.style.removeProperty(old[0]);
          if (old[1]) was.element.style.setProperty(old[0], old[1], old[2]);
        });
        if (!was.had) was.element.removeAttribute("style");
      });
    }
  }

  function height() {
    // Only a page exactly as tall as the frame can be stretched to it.
    var html = document.documentElement.getBoundingClientRect().height;
    var fits = Math.abs(html - window.innerHeight) < 1;
    return Math.ceil(fits && document.body ? measureUnstretched() : measure());
  }

  function resize(always) {
    var frame = window.innerHeight;
    if (frame === 0) return; // a frame not laid out yet, or hidden: its page has no height to tell
    var now = height();
    var change = now - measured;
    var moved = frame - viewport;
    var fresh = change !== 0;
    if (fresh || moved !== 0) {
      // Content sized by the frame (100vh, a chart as tall as the window) changes with the frame
      // as much or more: following it would grow the frame without end. A change that comes with
      // the frame taking the height sent is such an echo: it is not sent, also when asked again.
      echo = measured >= 0 && Math.abs(frame - sent) < 1 && change * moved > 0 &&
        Math.abs(change) >= Math.abs(moved) - 1;
    }
    measured = now;
    viewport = frame;
    if (echo) now = sent;
    if (always || (fresh && now !== sent)) {
      sent = now;
      post({ type: "resize", height: now });
    }
  }

  window.addEventListener("message", function (event) {
    if (event.source !== window.parent || event.origin !== platform) return;
    var data = event.data;
    if (!data || data.emporium !== 1) return;
    if (data.type === "size-request") {
      // The platform's page asks when its own script starts: a height sent before it listened is lost.
      resize(true);
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
    resize: function () { resize(true); },
    setPlatform: function (origin) { platform = origin; resize(true); },
  };

  function changed() { resize(false); }

  // html's box follows the content; when a page stretches html and body to the frame, only body's
  // children do. The frame's own resize is measured too, so that an echo of it is recognised.
  function watch() {
    if (typeof ResizeObserver !== "function") return;
    var sizes = new ResizeObserver(changed);
    var observe = function () {
      sizes.disconnect();
      sizes.observe(document.documentElement);
      if (!document.body) return;
      sizes.observe(document.body);
      Array.prototype.forEach.call(document.body.children, function (child) { sizes.observe(child); });
    };
    observe();
    if (document.body) new MutationObserver(observe).observe(document.body, { childList: true });
  }

  window.addEventListener("resize", changed);
  window.addEventListener("load", changed);
  if (document.readyState !== "loading") {
    watch();
    changed();
  } else {
    document.addEventListener("DOMContentLoaded", function () { watch(); changed(); });
  }
})();
