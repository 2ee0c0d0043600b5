/* Storefront enhancements: the item gallery, the SKU picker and self-submitting filter menus.
 * Every page works without this file; it only makes picking quicker. */
(function () {
  "use strict";

  function initGallery(root) {
    var main = root.querySelector("[data-gallery-main]");
    var link = root.querySelector("[data-gallery-link]");
    if (!main || !link) return;
    var thumbs = Array.prototype.slice.call(root.querySelectorAll("a.thumb"));
    var current = 0;

    function show(index) {
      var thumb = thumbs[index];
      if (!thumb) return;
      current = index;
      main.src = thumb.dataset.medium;
      link.href = thumb.dataset.large;
      thumbs.forEach(function (t) { t.classList.toggle("active", t === thumb); });
    }

    thumbs.forEach(function (thumb, index) {
      thumb.addEventListener("click", function (event) {
        event.preventDefault();
        show(index);
      });
    });

    // Choosing an option value (a colour) shows the picture the seller marked with it.
    document.addEventListener("emporium:option", function (event) {
      var value = event.detail.value;
      var index = thumbs.findIndex(function (t) { return t.dataset.shows === value; });
      if (index >= 0) show(index);
    });

    // The main picture opens a viewer on the page rather than the bare file.
    var viewer = buildViewer();
    link.addEventListener("click", function (event) {
      event.preventDefault();
      viewer.open(thumbs.length ? thumbs.map(function (t) { return t.dataset.large; }) : [link.href],
                  current, main.alt);
    });
  }

  function buildViewer() {
    var dialog = document.createElement("dialog");
    dialog.className = "viewer";
    dialog.setAttribute("data-testid", "picture-viewer");
    var bar = document.createElement("div");
    bar.className = "viewer-bar";
    var prev = button("‹", "previous");
    var counter = document.createElement("span");
    var next = button("›", "next");
    var close = button("×", "close");
    var image = document.createElement("img");
    bar.append(prev, counter, next, close);
    dialog.append(bar, image);
    document.body.append(dialog);
    var urls = [];
    var at = 0;

    function button(text, role) {
      var b = document.createElement("button");
      b.type = "button";
      b.textContent = text;
      b.setAttribute("aria-label", dialog.dataset[role] || role);
      b.dataset.viewer = role;
      return b;
    }
    function render() {
      image.src = urls[at];
      counter.textContent = (at + 1) + " / " + urls.length;
      prev.hidden = next.hidden = urls.length < 2;
    }
    function step(by) { at = (at + by + urls.length) % urls.length; render(); }
    prev.addEventListener("click", function () { step(-1); });
    next.addEventListener("click", function () { step(1); });
    close.addEventListener("click", function () { dialog.close(); });
    dialog.addEventListener("click", function (event) { if (event.target === dialog) dialog.close(); });
    dialog.addEventListener("keydown", function (event) {
      if (event.key === "ArrowLeft") step(-1);
      if (event.key === "ArrowRight") step(1);
    });
    return {
      open: function (list, index, alt) {
        urls = list;
        at = index;
        image.alt = alt || "";
        render();
        dialog.showModal();
      },
    };
  }

  function initSkuPicker(form) {
    var picker = form.querySelector("[data-sku-picker]");
    var dataNode = document.getElementById("sku-data");
    if (!picker || !dataNode) return;
    var data = JSON.parse(dataNode.textContent);
    var buttons = Array.prototype.slice.call(picker.querySelectorAll("button[data-option]"));
    var skuInput = picker.querySelector("[data-sku-input]");
    var select = form.querySelector("[data-sku-select]");
    var price = document.querySelector("[data-price]");
    var listPrice = document.querySelector("[data-list-price]");
    var stockCount = form.querySelector("[data-stock-count]");
    var inStock = form.querySelector("[data-in-stock]");
    var soldOut = form.querySelector("[data-sold-out]");
    var hint = form.querySelector("[data-choose-hint]");
    var quantity = form.querySelector("[data-quantity]");
    var submit = form.querySelector("[data-add-button]");
    var chosen = {};
    var lastSku = undefined;

    // Swap the plain <select> for the buttons; only one field named "sku" may be submitted.
    select.hidden = true;
    select.querySelector("select").disabled = true;
    picker.hidden = false;
    skuInput.disabled = false;

    function fits(sku, picks) {
      return data.options.every(function (name) {
        return !(name in picks) || sku.options[name] === picks[name];
      });
    }

    function refresh() {
      buttons.forEach(function (button) {
        var name = button.dataset.option;
        var picks = Object.assign({}, chosen);
        picks[name] = button.dataset.value;
        button.disabled = !data.skus.some(function (sku) { return sku.stock > 0 && fits(sku, picks); });
        button.setAttribute("aria-pressed", chosen[name] === button.dataset.value ? "true" : "false");
      });
      var complete = data.options.every(function (name) { return name in chosen; });
      var sku = complete ? data.skus.find(function (s) { return fits(s, chosen); }) : null;
      var stock = sku ? sku.stock : Number(stockCount.dataset.initial);
      skuInput.value = sku ? sku.id : "";
      price.textContent = sku ? sku.price : price.dataset.initial;
      if (listPrice) {
        // The chosen SKU's own "was" price, or none when it is not reduced.
        var was = sku ? sku.list_price : listPrice.dataset.initial;
        listPrice.textContent = was;
        listPrice.hidden = !was;
      }
      stockCount.textContent = stock;
      inStock.hidden = stock === 0;
      soldOut.hidden = stock !== 0;
      hint.hidden = complete;
      if (sku) quantity.max = Math.max(1, Math.min(sku.stock, 999));
      submit.disabled = !(sku && sku.stock > 0);
      var skuId = sku ? sku.id : null;
      // Tell the item page's app blocks (market/item-blocks.js) when the buyer's choice changes.
      if (lastSku !== undefined && skuId !== lastSku) {
        document.dispatchEvent(new CustomEvent("emporium:sku", { detail: { sku: skuId } }));
      }
      lastSku = skuId;
    }

    buttons.forEach(function (button) {
      button.addEventListener("click", function () {
        var name = button.dataset.option;
        // A second click on the picked value un-picks it.
        if (chosen[name] === button.dataset.value) delete chosen[name];
        else chosen[name] = button.dataset.value;
        refresh();
        if (chosen[name]) {
          document.dispatchEvent(new CustomEvent("emporium:option", { detail: { value: chosen[name] } }));
        }
      });
    });
    refresh();
  }

  function initAutosubmit(select) {
    select.addEventListener("change", function () { select.form.submit(); });
  }

  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll("[data-gallery]").forEach(initGallery);
    document.querySelectorAll("[data-sku-form]").forEach(initSkuPicker);
    document.querySelectorAll("select[data-autosubmit]").forEach(initAutosubmit);
  });
})();
