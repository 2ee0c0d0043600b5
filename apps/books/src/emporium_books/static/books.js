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
    if (location.hash === "#amount" || document.querySelector(".entry [aria-invalid]")) {
      (document.querySelector(".entry [aria-invalid]") || amount).focus();
    }
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
    payFromFollowsBook();
  });
})();
