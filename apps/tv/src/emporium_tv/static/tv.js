/* The TV mall's page: screens, remote keys (arrows, OK, every Back), pairing, ordering, attract mode. */
(function () {
  "use strict";
  var W = JSON.parse(document.getElementById("words").textContent);
  var screen = document.getElementById("screen"), modal = document.getElementById("modal");
  var banner = document.getElementById("banner"), attract = document.getElementById("attract");
  var stack = [];            // [{name, params, focus}] — Back pops it
  var timers = [];           // polls of the current screen, stopped when it changes
  var state = { signedIn: false, name: "" };
  var BACK = { Escape: 1, Backspace: 1, GoBack: 1, BrowserBack: 1 };
  var BACK_CODES = { 10009: 1, 461: 1, 8: 1, 27: 1 };   // Tizen, webOS, Backspace, Escape
  var DIRS = { ArrowLeft: "left", ArrowRight: "right", ArrowUp: "up", ArrowDown: "down" };
  window.__tv = { keyTimes: [], ready: false };

  /* --- fitting 1920 x 1080 to the screen (a 1280 x 720 TV browser scales down) -------- */
  function fit() {
    var k = Math.min(window.innerWidth / 1920, window.innerHeight / 1080);
    document.getElementById("stage").style.transform = "scale(" + k + ")";
  }
  window.addEventListener("resize", fit); fit();

  /* --- small helpers ------------------------------------------------------------------- */
  function h(tag, attrs, kids) {
    var el = document.createElement(tag);
    Object.keys(attrs || {}).forEach(function (k) {
      if (k === "text") el.textContent = attrs[k];
      else if (k === "html") el.innerHTML = attrs[k];
      else if (k.slice(0, 2) === "on") el[k] = attrs[k];
      else el.setAttribute(k, attrs[k]);
    });
    (kids || []).forEach(function (kid) { if (kid) el.appendChild(kid); });
    return el;
  }
  function focusable(tag, attrs, kids) {
    var el = h(tag, attrs, kids);
    el.classList.add("f"); el.tabIndex = -1;
    return el;
  }
  function money(amount) { return "¥" + amount; }
  function cents(amount) { var p = String(amount).split("."); return parseInt(p[0], 10) * 100 + parseInt((p[1] || "0").padEnd(2, "0").slice(0, 2), 10); }
  function fromCents(c) { return Math.floor(c / 100) + "." + String(c % 100).padStart(2, "0"); }
  function say(text) { banner.textContent = text; banner.hidden = !text; }
  function key() { var a = new Uint8Array(16); crypto.getRandomValues(a); return Array.prototype.map.call(a, function (b) { return b.toString(16).padStart(2, "0"); }).join(""); }

  /* The platform behind the app may be down: say so plainly, keep the screen, retry. */
  function data(url, options) {
    return fetch(url, Object.assign({ credentials: "same-origin", headers: { "content-type": "application/json" } }, options || {}))
      .then(function (r) {
        return r.json().catch(function () { return {}; }).then(function (body) {
          if (r.ok) { say(""); return body; }
          var code = (body.error || {}).code || "unreachable";
          if (code === "unreachable") say(W.unreachable);
          var err = new Error(code); err.code = code; err.body = body; throw err;
        });
      }, function () { say(W.unreachable); var err = new Error("unreachable"); err.code = "unreachable"; throw err; });
  }
  /* A screen's late answers must not draw over the next screen: each render is a generation. */
  var generation = 0;
  function live(fn) { var g = generation; return function (x) { if (g === generation) return fn(x); }; }
  function retrying(url, then) {
    data(url).then(live(then), live(function (err) {
      if (err.code === "unreachable") later(function () { retrying(url, then); }, 3000);
      else if (err.code === "signed_out") { state.signedIn = false; go("pair", {}); }
      else say(err.message);
    }));
  }
  function later(fn, ms) { timers.push(setTimeout(live(fn), ms)); }
  function stopTimers() { timers.forEach(clearTimeout); timers = []; }

  /* --- screens --------------------------------------------------------------------------- */
  function current() { return stack[stack.length - 1]; }
  function go(name, params) {
    var top = current();
    if (top) top.focus = focusPath();
    stack.push({ name: name, params: params || {}, focus: null });
    render();
  }
  function back() {
    if (!modal.hidden) { closeModal(); return; }
    if (stack.length <= 1) { askLeave(); return; }
    stack.pop();
    render();
  }
  function home() { stack = stack.slice(0, 1); render(); }
  /* Back, with a message for the screen below, shown once its data is in (a data answer clears the banner). */
  function backSaying(text) {
    var below = stack[stack.length - 2];
    if (below) below.notice = text;
    back();
  }
  function render() {
    stopTimers(); say(""); generation++;
    var top = current();
    SCREENS[top.name](top.params, top);
    idle();
  }
  /* Put the screen's content in place and focus what was focused before (or the first). */
  function show(nodes, top) {
    screen.replaceChildren.apply(screen, nodes);
    // A screen with nothing to press (an empty category) still holds the focus: a Back button.
    if (!screen.querySelector(".f")) screen.appendChild(h("div", { class: "actions" }, [onOk(focusable("button", { "data-key": "back", "data-testid": "back", text: W.back }), back)]));
    var target = top && top.focus ? screen.querySelector('[data-key="' + top.focus + '"]') : null;
    place(target || screen.querySelector("[data-first]") || Spatial.candidates(screen)[0]);
    if (top && top.notice) { say(top.notice); top.notice = null; }
  }
  function focusPath() { var el = document.activeElement; return el && el.dataset ? el.dataset.key : null; }
  function place(el) {
    if (!el) return;
    el.focus({ preventScroll: true });
    el.scrollIntoView({ block: "nearest", inline: "nearest" });
  }

  function card(item, keyName) {
    var pic = item.image ? h("img", { src: item.image, alt: "" }) : h("div", { class: "noimg" });
    var price = h("p", { class: "p", text: money(item.price) });
    if (item.list_price) price.appendChild(h("s", { text: money(item.list_price) }));
    return focusable("div", {
      class: "card", "data-key": keyName, "data-item": item.id, "data-testid": "card",
      onclick: null
    }, [pic, h("p", { class: "t", text: item.title }), price]);
  }
  function onOk(el, fn) { el.__ok = fn; return el; }

  var SCREENS = {
    home: function (params, top) {
      retrying("/data/home", function (body) {
        state.signedIn = body.signed_in;
        if (body.notice) say(W[body.notice] || body.notice);
        var who = document.getElementById("who");
        who.textContent = "";
        var bar = h("div", { class: "actions" }, [
          onOk(focusable("button", { "data-key": "search", "data-testid": "go-search", text: W.search }), function () { go("search", {}); }),
          onOk(focusable("button", { "data-key": "categories", "data-testid": "go-categories", text: W.categories }), function () { go("categories", {}); }),
          state.signedIn
            ? onOk(focusable("button", { "data-key": "signout", "data-testid": "sign-out", text: W.sign_out }), function () { data("/data/sign-out", { method: "POST" }).then(render); })
            : onOk(focusable("button", { "data-key": "signin", "data-testid": "sign-in", text: W.sign_in }), function () { go("pair", {}); })
        ]);
        var rows = body.rows.map(function (row, r) {
          var strip = h("div", { class: "strip" }, row.items.map(function (item, i) {
            var c = onOk(card(item, row.key + ":" + i), function () { go("item", { id: item.id }); });
            if (r === 0 && i === 0) c.setAttribute("data-first", "");
            return c;
          }));
          if (row.category) strip.appendChild(onOk(focusable("div", { class: "card tile", "data-key": row.key + ":all", text: "→ " + row.title }), function () { go("grid", { slug: row.category, title: row.title }); }));
          return h("section", { class: "row", "data-row": row.key, "data-testid": "row-" + row.key.split(":")[0] }, [h("h2", { text: row.title || W[row.key] }), strip]);
        });
        show([bar].concat(rows), top);
        window.__tv.ready = true;
        performance.mark("home-usable");
      });
    },
    categories: function (params, top) {
      retrying("/data/categories", function (body) {
        show([h("h2", { class: "big-text", text: W.categories }), h("div", { class: "grid" }, body.categories.map(function (c) {
          return onOk(focusable("div", { class: "tile", "data-key": "cat:" + c.slug, text: c.name }), function () { go("grid", { slug: c.slug, title: c.name }); });
        }))], top);
      });
    },
    grid: function (params, top) {
      retrying("/data/categories/" + encodeURIComponent(params.slug), function (body) {
        var cards = body.items.map(function (item, i) { return onOk(card(item, "g:" + i), function () { go("item", { id: item.id }); }); });
        show([h("h2", { class: "big-text", text: params.title }), cards.length ? h("div", { class: "grid", "data-testid": "grid" }, cards) : h("p", { class: "hint", text: W.no_results })], top);
      });
    },
    search: function (params, top) {
      var words = params.q || "";
      var field = h("div", { class: "field", "data-testid": "search-field", text: words });
      var results = h("div", { class: "grid", "data-testid": "results" });
      var letters = "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789".split("");
      function typed(next) {
        words = next; params.q = words; field.textContent = words;
        stopTimers();
        later(function () {
          if (!words.trim()) { if (results.contains(document.activeElement)) place(keys[0]); results.replaceChildren(); return; }
          data("/data/search?q=" + encodeURIComponent(words)).then(live(function (body) {
            var had = results.contains(document.activeElement);
            results.replaceChildren.apply(results, body.items.length ? body.items.map(function (item, i) {
              return onOk(card(item, "r:" + i), function () { go("item", { id: item.id }); });
            }) : [h("p", { class: "hint", text: W.no_results })]);
            if (had) place(results.querySelector(".f") || keys[0]);   // the card under the focus went away
          }), function () {});
        }, 250);
      }
      var keys = letters.map(function (l) { return onOk(focusable("button", { class: "k", "data-key": "k:" + l, text: l }), function () { typed(words + l.toLowerCase()); }); });
      keys.push(onOk(focusable("button", { class: "k wide", "data-key": "k:space", text: W.space }), function () { typed(words + " "); }));
      keys.push(onOk(focusable("button", { class: "k wide", "data-key": "k:del", text: W.delete }), function () { typed(words.slice(0, -1)); }));
      keys.push(onOk(focusable("button", { class: "k wide", "data-key": "k:clear", text: W.clear }), function () { typed(""); }));
      keys[0].setAttribute("data-first", "");
      show([h("div", { class: "search" }, [h("div", {}, [field, h("div", { class: "keys" }, keys), h("p", { class: "hint", text: W.search_hint })]), results])], top);
      if (words) typed(words);
    },
    item: function (params, top) {
      retrying("/data/items/" + encodeURIComponent(params.id), function (body) {
        var item = body.item, chosen = params.chosen || {};
        item.option_names.forEach(function (n) { if (!chosen[n]) chosen[n] = (item.skus.filter(function (s) { return s.stock > 0; })[0] || item.skus[0]).options[n]; });
        params.chosen = chosen;
        function sku() { return item.skus.filter(function (s) { return item.option_names.every(function (n) { return s.options[n] === chosen[n]; }); })[0]; }
        var price = h("p", { class: "price", "data-testid": "price" });
        var stock = h("p", { class: "stock", "data-testid": "stock" });
        var buy = onOk(focusable("button", { "data-key": "buy", "data-testid": "buy", text: W.buy }), function () {
          var s = sku(); if (!s || s.stock < 1) return;
          var order = { item: item, sku: s };
          if (!state.signedIn) go("pair", { then: order }); else go("order", order);
        });
        function refresh() {
          var s = sku();
          price.replaceChildren(document.createTextNode(s ? money(s.price) : "—"));
          if (s && s.promotion) { price.appendChild(h("s", { text: money(s.list_price) })); price.appendChild(h("span", { class: "promo", text: W.deals })); }
          stock.textContent = !s || s.stock < 1 ? W.sold_out : s.stock + " " + W.in_stock;
          buy.setAttribute("aria-disabled", String(!s || s.stock < 1));   // disabled would drop the focus
          Array.prototype.forEach.call(screen.querySelectorAll(".chip"), function (c) { c.setAttribute("aria-pressed", chosen[c.dataset.option] === c.dataset.value ? "true" : "false"); });
        }
        // Choosing is the buyer's first step: the focus opens on the last option with a choice
        // (beside Order: the size, for clothes), OK on a value moves on to the next option or to
        // Order. So her size is Right, OK, and OK again orders (docs/tv.md, "Four presses").
        var valuesOf = {};
        item.option_names.forEach(function (n) {
          valuesOf[n] = [];
          item.skus.forEach(function (s) { if (valuesOf[n].indexOf(s.options[n]) < 0) valuesOf[n].push(s.options[n]); });
        });
        var choices = item.option_names.filter(function (n) { return valuesOf[n].length > 1; });
        function chipOf(n) { return screen.querySelector('.chip[data-option="' + CSS.escape(n) + '"][data-value="' + CSS.escape(chosen[n]) + '"]'); }
        var pickers = item.option_names.map(function (n) {
          return h("div", {}, [h("p", { class: "opt", text: n }), h("div", { class: "actions" }, valuesOf[n].map(function (v) {
            var chip = focusable("button", { class: "chip", "data-key": "o:" + n + ":" + v, "data-option": n, "data-value": v, "data-testid": "option", text: v });
            if (choices.length && n === choices[choices.length - 1] && v === chosen[n]) chip.setAttribute("data-first", "");
            return onOk(chip, function () {
              chosen[n] = v; refresh();
              var after = choices[choices.indexOf(n) + 1];
              place(after ? chipOf(after) : buy);
            });
          }))]);
        });
        var pic = item.pictures[0] ? h("img", { class: "big", src: item.pictures[0], alt: "" }) : h("div", { class: "noimg big" });
        if (!choices.length) buy.setAttribute("data-first", "");
        show([h("div", { class: "item", "data-testid": "item" }, [pic, h("div", {}, [h("h2", { text: item.title, "data-testid": "item-title" }), h("p", { class: "stock", text: item.shop }), price, stock].concat(pickers).concat([h("div", { class: "actions" }, [buy])]))])], top);
        refresh();
        // Back from an order whose SKU sold out meanwhile: Order would do nothing, so the focus
        // goes to the choice that can change that (her size: one press along, OK, Order).
        if (document.activeElement === buy && buy.getAttribute("aria-disabled") === "true" && choices.length) place(chipOf(choices[choices.length - 1]));
      });
    },
    pair: function (params, top) {
      var box = h("div", { "data-testid": "pair" });
      var cancel = onOk(focusable("button", { "data-key": "cancel", "data-testid": "cancel", text: W.home }), back);
      show([box, h("div", { class: "actions" }, [cancel])], top);
      function poll() {
        data("/data/pairing", { method: "POST" }).then(live(function (p) {
          if (p.state === "signed_in") {
            state.signedIn = true; state.name = p.name;
            document.getElementById("who").textContent = W.signed_in_as + " " + p.name;
            stack.pop();
            if (params.then) go("order", params.then); else render();
            return;
          }
          if (p.state === "denied") say(W.pair_denied);
          box.replaceChildren(h("div", { class: "pair" }, [h("div", { class: "qr", html: p.qr_svg || "" }), h("div", {}, [
            h("p", { class: "big-text", text: W.pair_title }), h("p", { class: "hint", text: W.pair_steps }),
            h("p", { class: "code", "data-testid": "user-code", text: p.user_code || "" }),
            h("p", { class: "uri", "data-testid": "verification-uri", text: p.verification_uri || "" }),
            h("p", { class: "hint", text: W.pair_expires })])]));
          box.dataset.complete = p.verification_uri_complete || "";
          later(poll, 1500);
        }), live(function () { later(poll, 3000); }));
      }
      poll();
    },
    order: function (params, top) {
      params.key = params.key || key();       // one key per order screen: a double press is one order
      params.quantity = params.quantity || 1;
      retrying("/data/checkout", function (body) {
        state.name = body.name;
        document.getElementById("who").textContent = W.signed_in_as + " " + body.name;
        if (!body.addresses.length) {
          show([h("p", { class: "big-text", text: W.no_address }), onOk(focusable("button", { "data-key": "home", text: W.home }), home)], top);
          return;
        }
        // Her default address unless she picks another (the platform lists it first anyway).
        params.address = params.address || (body.addresses.filter(function (a) { return a.default; })[0] || body.addresses[0]).id;
        var qty = h("span", { class: "big-text", "data-testid": "quantity", text: String(params.quantity) });
        var total = h("p", { class: "price", "data-testid": "total" });
        function refresh() {
          qty.textContent = String(params.quantity);
          total.textContent = W.total + " " + money(fromCents(cents(params.sku.price) * params.quantity));
          Array.prototype.forEach.call(screen.querySelectorAll("[data-address]"), function (c) { c.setAttribute("aria-pressed", String(c.dataset.address) === String(params.address) ? "true" : "false"); });
        }
        var place = onOk(focusable("button", { "data-key": "place", "data-testid": "place-order", text: W.order }), function () {
          if (place.dataset.busy) return;          // a double press: the key would make it one order anyway
          place.dataset.busy = "1"; say(W.ordering);
          data("/data/orders", { method: "POST", body: JSON.stringify({ item_id: params.item.id, sku_id: params.sku.id, quantity: params.quantity, address_id: params.address, key: params.key }) })
            .then(live(function (o) { say(""); stack.pop(); go("pay", o); }), live(function (err) {
              delete place.dataset.busy;
              if (err.code === "sold_out") backSaying(W.sold_out_now);   // the item shows what is left
              else if (err.code === "signed_out") { state.signedIn = false; go("pair", { then: { item: params.item, sku: params.sku } }); }
              else if (err.code !== "unreachable") say(err.message);
            }));
        });
        place.setAttribute("data-first", "");
        var opts = Object.keys(params.sku.options).map(function (n) { return n + " " + params.sku.options[n]; }).join(" · ");
        show([h("h2", { class: "big-text", text: params.item.title }), h("p", { class: "hint", text: opts }),
          h("p", { class: "opt", text: W.quantity }),
          h("div", { class: "actions" }, [
            onOk(focusable("button", { "data-key": "minus", "data-testid": "minus", text: "−" }), function () { params.quantity = Math.max(1, params.quantity - 1); refresh(); }),
            qty,
            onOk(focusable("button", { "data-key": "plus", "data-testid": "plus", text: "+" }), function () { params.quantity = Math.min(params.sku.stock, 99, params.quantity + 1); refresh(); })]),
          h("p", { class: "opt", text: W.address }),
          h("div", { class: "actions" }, body.addresses.map(function (a) {
            return onOk(focusable("button", { class: "chip", "data-key": "a:" + a.id, "data-address": a.id, text: a.text }), function () { params.address = a.id; refresh(); });
          })),
          total, h("div", { class: "actions" }, [place])], top);
        refresh();
      });
    },
    pay: function (o, top) {
      var status = h("p", { class: "status", "data-testid": "order-status", "data-status": o.status, text: W[o.status] || o.status });
      var nodes = [h("p", { class: "hint", text: W.order_number + " " + o.number + " · " + W.total + " " + money(o.total) }), status];
      if (o.status !== "paid" && o.confirmation_url) {
        nodes = [h("div", { class: "pay", "data-testid": "pay" }, [h("div", { class: "qr", html: o.qr_svg }), h("div", {}, [
          h("p", { class: "big-text", text: W.pay_title }), h("p", { class: "hint", text: W.pay_steps }),
          h("p", { class: "uri", "data-testid": "confirmation-url", text: o.confirmation_url })].concat(nodes))])];
      }
      nodes.push(h("div", { class: "actions" }, [onOk(focusable("button", { "data-key": "home", "data-testid": "home", text: W.home }), home)]));
      show(nodes, top);
      function poll() {
        data("/data/orders/" + encodeURIComponent(o.order_id)).then(live(function (s) {
          if (s.status !== status.dataset.status) { o.status = s.status; status.dataset.status = s.status; status.textContent = W[s.status] || s.status; }
          later(poll, 2000);
        }), live(function () { later(poll, 3000); }));
      }
      later(poll, 1000);
    }
  };

  /* --- leaving, from Back on the home screen ------------------------------------------------ */
  function askLeave() {
    var stay = onOk(focusable("button", { "data-testid": "stay", text: W.stay }), closeModal);
    var leave = onOk(focusable("button", { "data-testid": "leave", text: W.leave }), function () {
      if (window.tizen) try { window.tizen.application.getCurrentApplication().exit(); } catch (e) {}
      if (window.webOS && window.webOS.platformBack) window.webOS.platformBack();
      window.close();
    });
    modal.replaceChildren(h("div", { class: "box", "data-testid": "leave-dialog" }, [h("p", { text: W.leave_title }), h("div", { class: "actions" }, [stay, leave])]));
    modal.dataset.returnTo = focusPath() || "";
    modal.hidden = false;
    place(stay);
  }
  function closeModal() {
    modal.hidden = true; modal.replaceChildren();
    place(screen.querySelector('[data-key="' + modal.dataset.returnTo + '"]') || Spatial.candidates(screen)[0]);
  }

  /* --- attract mode: a minute idle on home, hot items full-screen until any key -------------- */
  var idleTimer = null, slides = null;
  function idle() {
    clearTimeout(idleTimer);
    if (current().name !== "home" || !modal.hidden) return;
    idleTimer = setTimeout(startAttract, window.TV.attractSeconds * 1000);
  }
  function startAttract() {
    var cards = Array.prototype.slice.call(screen.querySelectorAll('[data-row="hot"] .card'));
    if (!cards.length) return;
    var i = 0;
    function next() {
      var c = cards[i++ % cards.length];
      var img = c.querySelector("img");
      attract.replaceChildren(img ? h("img", { src: img.src.replace(/\/600([^/]*)$/, "/1200$1"), alt: "" }) : h("div"),
        h("p", { text: c.querySelector(".t").textContent + " · " + c.querySelector(".p").firstChild.textContent + " — " + W.attract }));
    }
    next(); attract.hidden = false; slides = setInterval(next, 5000);
  }
  function stopAttract() { clearInterval(slides); slides = null; attract.hidden = true; attract.replaceChildren(); }

  /* --- the remote ---------------------------------------------------------------------------- */
  document.addEventListener("keydown", function (e) {
    var started = performance.now();
    if (!attract.hidden) { e.preventDefault(); stopAttract(); idle(); return; }   // any key only wakes
    var root = modal.hidden ? screen : modal;
    var isBack = BACK[e.key] || BACK_CODES[e.keyCode];
    if (DIRS[e.key]) {
      e.preventDefault();
      var next = Spatial.move(DIRS[e.key], root, document.activeElement);
      if (next) place(next);
    } else if (e.key === "Enter") {
      e.preventDefault();
      var el = document.activeElement;
      if (el && el.__ok && !el.disabled) el.__ok();
      else place(Spatial.candidates(root)[0]);
    } else if (isBack) {
      e.preventDefault();
      back();
    } else return;
    // The focus is never lost: if the screen changed under it, put it on something.
    var now = modal.hidden ? screen : modal;   // the key may have opened or closed the dialog
    if (!now.contains(document.activeElement) && now.querySelector(".f")) place(Spatial.candidates(now)[0]);
    idle();
    requestAnimationFrame(function () {
      var ms = performance.now() - started;
      window.__tv.keyTimes.push(ms);
      performance.measure("key", { start: started, duration: ms });
    });
  });
  // A mouse or touch (not the remote's way) still works for a person trying the demo.
  screen.addEventListener("click", function (e) {
    var el = e.target.closest(".f"); if (el) { place(el); if (el.__ok) el.__ok(); }
  });

  stack.push({ name: "home", params: {}, focus: null });
  render();
})();
