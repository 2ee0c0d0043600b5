/* Storefront customer events (docs/customer-events.md): page views, engaged time, add-to-cart
 * and checkout, sent to /collect. No cookie: the server derives an anonymous daily visitor id;
 * only a random per-tab session id is kept, in sessionStorage. */
(function () {
  "use strict";

  var configNode = document.getElementById("customer-events-config");
  if (!configNode || !window.JSON) return;
  var config = JSON.parse(configNode.textContent);
  var SESSION_KEY = "emporium.ce.session";
  var SESSION_IDLE_MS = 30 * 60 * 1000;
  var MAX_ENGAGED_MS = 86400000;
  var queue = [];
  var flushTimer = null;

  function randomId() {
    var bytes = new Uint8Array(12);
    window.crypto.getRandomValues(bytes);
    return Array.prototype.map.call(bytes, function (b) { return (b + 256).toString(16).slice(1); }).join("");
  }

  function sessionId() {
    // A visit ends after 30 idle minutes, as in most analytics tools; storage may be refused.
    try {
      var now = Date.now();
      var saved = JSON.parse(window.sessionStorage.getItem(SESSION_KEY) || "null");
      var id = saved && now - saved.last < SESSION_IDLE_MS ? saved.id : randomId();
      window.sessionStorage.setItem(SESSION_KEY, JSON.stringify({ id: id, last: now }));
      return id;
    } catch (e) {
      return undefined;
    }
  }

  function pageInfo() {
    var page = { type: config.page.type, path: window.location.pathname.slice(0, 300) };
    ["shop_id", "item_id", "category_id", "shop_category_id", "search"].forEach(function (key) {
      if (config.page[key] !== undefined && config.page[key] !== null) page[key] = config.page[key];
    });
    return page;
  }

  function utm() {
    var params = new URLSearchParams(window.location.search);
    var found = null;
    ["source", "medium", "campaign", "term", "content"].forEach(function (key) {
      var value = params.get("utm_" + key);
      if (value) {
        found = found || {};
        found[key] = value.slice(0, 100);
      }
    });
    return found;
  }

  var pageViewId = randomId();

  function push(event) {
    event.page_view_id = pageViewId;
    event.session_id = sessionId();
    event.page = pageInfo();
    queue.push(event);
    // Events made in one task (a page view and its checkout) travel in one request.
    if (flushTimer === null) flushTimer = window.setTimeout(flush, 0);
  }

  function flush() {
    if (flushTimer !== null) window.clearTimeout(flushTimer);
    flushTimer = null;
    while (queue.length) {
      var body = JSON.stringify({ events: queue.splice(0, 50) });
      // sendBeacon outlives the page (pagehide, a form's navigation); a string goes as
      // text/plain, which needs no CORS preflight.
      var sent = navigator.sendBeacon && navigator.sendBeacon(config.endpoint, body);
      if (!sent && window.fetch) {
        window.fetch(config.endpoint, { method: "POST", body: body, keepalive: true,
          headers: { "Content-Type": "text/plain" }, credentials: "same-origin" }).catch(function () {});
      }
    }
  }

  function pageViewed() {
    var event = { type: "page_viewed", referrer: document.referrer ? document.referrer.slice(0, 1000) : null };
    var campaign = utm();
    if (campaign) event.utm = campaign;
    push(event);
  }

  // Engaged time: only while the page is visible AND focused, summed over the page's life and
  // reported when it is hidden or left — so the last page of a visit gets its time too.
  var engagedMs = 0;
  var since = null;
  var left = false; // after pagehide, until the page is shown again from the back/forward cache

  function active() {
    return !left && document.visibilityState === "visible" && document.hasFocus();
  }

  function settle() {
    var now = performance.now();
    if (since !== null) engagedMs += now - since;
    since = active() ? now : null;
  }

  function reportEngaged() {
    settle();
    var ms = Math.min(Math.round(engagedMs), MAX_ENGAGED_MS);
    if (ms >= 1) {
      engagedMs = 0;
      push({ type: "engaged_time", engaged_ms: ms });
    }
    flush();
  }

  window.addEventListener("focus", settle);
  window.addEventListener("blur", settle);
  document.addEventListener("visibilitychange", function () {
    if (document.visibilityState === "hidden") reportEngaged();
    else settle();
  });
  window.addEventListener("pagehide", function () {
    settle();
    left = true; // a page being left may still say "visible": stop the clock here
    reportEngaged();
  });
  window.addEventListener("pageshow", function (event) {
    if (!event.persisted) return;
    // Back from the back/forward cache: the same document, but a new view of it.
    pageViewId = randomId();
    engagedMs = 0;
    since = null;
    left = false;
    settle();
    pageViewed();
  });

  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (!(form instanceof HTMLFormElement) || !/\/cart\/add\/$/.test(form.action)) return;
    var data = new FormData(form);
    var sku = parseInt(data.get("sku"), 10);
    var quantity = parseInt(data.get("quantity") || "1", 10);
    if (!config.page.item_id || !(sku > 0) || !(quantity > 0)) return;
    push({ type: "added_to_cart", item_id: config.page.item_id, sku_id: sku, quantity: quantity });
    flush(); // before the form's navigation starts
  });

  settle();
  pageViewed();
  (config.checkout || []).forEach(function (order) {
    push({ type: "checkout_completed", order_id: order.order_id, total: order.total, currency: order.currency });
  });
})();
