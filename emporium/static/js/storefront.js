/* Storefront enhancements: the item gallery, the SKU picker and self-submitting filter menus.
 * Every page works without this file; it only makes picking quicker. */
(function () {
  "use strict";

  function initGallery(root) {
    var main = root.querySelector("[data-gallery-main]");
    var link = root.querySelector("[data-gallery-link]");
    if (!main || !link) return;
    root.querySelectorAll("a.thumb").forEach(function (thumb) {
      thumb.addEventListener("click", function (event) {
        event.preventDefault();
        main.src = thumb.dataset.medium;
        link.href = thumb.dataset.large;
        root.querySelectorAll("a.thumb.active").forEach(function (t) { t.classList.remove("active"); });
        thumb.classList.add("active");
      });
    });
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
    var stockCount = form.querySelector("[data-stock-count]");
    var inStock = form.querySelector("[data-in-stock]");
    var soldOut = form.querySelector("[data-sold-out]");
    var hint = form.querySelector("[data-choose-hint]");
    var quantity = form.querySelector("[data-quantity]");
    var submit = form.querySelector("[data-add-button]");
    var chosen = {};

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
      stockCount.textContent = stock;
      inStock.hidden = stock === 0;
      soldOut.hidden = stock !== 0;
      hint.hidden = complete;
      if (sku) quantity.max = Math.max(1, Math.min(sku.stock, 999));
      submit.disabled = !(sku && sku.stock > 0);
    }

    buttons.forEach(function (button) {
      button.addEventListener("click", function () {
        var name = button.dataset.option;
        // A second click on the picked value un-picks it.
        if (chosen[name] === button.dataset.value) delete chosen[name];
        else chosen[name] = button.dataset.value;
        refresh();
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
