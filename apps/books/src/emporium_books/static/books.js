// The books' pages: the profit-and-loss chart (ECharts, served by the app) and the entry form's
// keyboard flow. No inline script: the pages work under a strict content security policy.
(function () {
  "use strict";
  function chart() {
    var box = document.getElementById("pnl-chart");
    if (!box || !window.echarts) return;
    var data = JSON.parse(box.dataset.chart), labels = JSON.parse(box.dataset.labels);
    var view = window.echarts.init(box);
    view.setOption({
      tooltip: { trigger: "axis" },
      legend: { data: [labels.income, labels.expenses, labels.profit] },
      xAxis: { type: "category", data: data.months },
      yAxis: { type: "value" },
      series: [
        { name: labels.income, type: "bar", data: data.income.map(Number) },
        { name: labels.expenses, type: "bar", data: data.expenses.map(Number) },
        { name: labels.profit, type: "line", data: data.profit.map(Number) }
      ]
    });
    box.dataset.drawn = "1";
    window.addEventListener("resize", function () { view.resize(); });
  }
  function pie() {
    var box = document.getElementById("spending-chart");
    if (!box || !window.echarts) return;
    var data = JSON.parse(box.dataset.pie).map(function (d) { return { name: d.name, value: Number(d.value) }; });
    var view = window.echarts.init(box);
    view.setOption({
      tooltip: { trigger: "item" },
      series: [{ type: "pie", radius: ["35%", "65%"], data: data }]
    });
    box.dataset.drawn = "1";
    window.addEventListener("resize", function () { view.resize(); });
  }
  function entry() {
    // Enter in any field of the expense form saves it (selects too), Escape clears the amount.
    var form = document.querySelector("form.entry");
    var amount = document.getElementById("amount");
    if (!form || !amount) return;
    form.addEventListener("keydown", function (event) {
      if (event.key === "Enter" && event.target.tagName === "SELECT") {
        event.preventDefault();
        form.requestSubmit();
      } else if (event.key === "Escape") {
        amount.value = "";
        amount.focus();
      }
    });
    // The skip link (the frame's first Tab stop) lands in the amount box, ready to type.
    var skip = document.querySelector("a.skip");
    if (skip) skip.addEventListener("click", function (event) {
      event.preventDefault();
      amount.focus();
    });
    if (location.hash === "#amount" || document.querySelector(".entry [aria-invalid]")) {
      // Saved (or refused): the amount box (or the wrong field) again, so the next one starts at
      // once. Inside the seller center's frame `autofocus` is ignored (a cross-origin frame), so
      // it is focused here, once the page is shown.
      var field = document.querySelector(".entry [aria-invalid]") || amount;
      field.focus();
      if (document.activeElement !== field) window.addEventListener("focus", function () { field.focus(); }, { once: true });
    }
  }
  function backfill() {
    // The history being read: the count and the bar follow /backfill.json (the platform does
    // not say how many movements there are, so the bar stays indeterminate unless it does);
    // done, the page reloads with the figures (or offers to, while the seller is typing);
    // failed, the reason and a retry are shown and the asking goes on (the app retries too).
    var box = document.getElementById("backfill-box");
    if (!box || !window.fetch) return;
    var bar = document.getElementById("backfill"), seen = box.querySelector("[data-figure=seen]");
    var failed = document.getElementById("backfill-failed"), done = document.getElementById("backfill-done");
    function typing() {
      var active = document.activeElement;
      return Array.prototype.some.call(document.querySelectorAll("form.entry input:not([type=hidden])"),
        function (field) { return field.type !== "checkbox" && field.type !== "date" && field.value; }) ||
        (active && /^(INPUT|SELECT|TEXTAREA)$/.test(active.tagName) && active.closest("form.entry") && active.value);
    }
    function ask() {
      fetch(box.dataset.status, { headers: { accept: "application/json" }, cache: "no-store" })
        .then(function (response) { return response.ok ? response.json() : null; })
        .then(function (status) {
          if (!status) return setTimeout(ask, 5000);
          seen.textContent = status.seen;
          box.dataset.state = status.state;
          if (status.total) { bar.max = status.total; bar.value = status.seen; }
          if (status.state === "done") {
            bar.max = 1; bar.value = 1;
            if (typing()) { done.hidden = false; failed.hidden = true; } else { location.reload(); }
            return;
          }
          failed.hidden = status.state !== "failed";
          bar.hidden = status.state === "failed";
          if (status.error) failed.querySelector("[data-figure=backfill-error]").textContent = status.error;
          setTimeout(ask, status.state === "failed" ? 5000 : 1500);
        })
        .catch(function () { setTimeout(ask, 5000); });
    }
    setTimeout(ask, 1000);
  }
  // A category of the other book switches "paid from" to that book's Alipay (or its first
  // account), unless the seller chose the paying account herself: each book pays its own.
  function payFromFollowsBook() {
    var account = document.getElementById("account");
    var payFrom = document.getElementById("pay_from");
    if (!account || !payFrom) return;
    var chosen = false;
    payFrom.addEventListener("change", function () { chosen = true; });
    function bookOf(option) { return option && option.parentNode.dataset.book; }
    account.addEventListener("change", function () {
      var book = bookOf(account.selectedOptions[0]);
      if (chosen || !book || bookOf(payFrom.selectedOptions[0]) === book) return;
      var same = Array.prototype.filter.call(payFrom.options, function (o) { return bookOf(o) === book; });
      var alipay = same.filter(function (o) { return /:Alipay$/.test(o.value); })[0];
      if (alipay || same[0]) payFrom.value = (alipay || same[0]).value;
    });
  }
  document.addEventListener("DOMContentLoaded", function () {
    chart();
    pie();
    entry();
    backfill();
    payFromFollowsBook();
  });
})();
