// The seller's admin page: re-tile buttons and a progress bar that follows the tiling.
(function () {
  "use strict";
  var main = document.getElementById("admin");
  var PASS = main.dataset.pass;
  var W = JSON.parse(document.getElementById("words").textContent);
  // The page's height reaches the seller center through the SDK's emporium-frame.js.

  function reload() {
    var q = new URLSearchParams({ pass: PASS, locale: main.dataset.lang });
    window.location.replace("/app?" + q.toString());
  }

  document.querySelectorAll("[data-retile]").forEach(function (button) {
    button.addEventListener("click", function () {
      var body = new FormData();
      body.set("pass", PASS);
      if (button.dataset.retile) body.set("sha256", button.dataset.retile);
      button.disabled = true;
      fetch("/admin/retile", { method: "POST", body: body }).then(reload);
    });
  });

  var bar = document.getElementById("progress");
  if (!bar) return;
  var seen = bar.value + "/" + bar.max;
  function poll() {
    fetch("/admin/status", { headers: { "x-pass": PASS } })
      .then(function (answer) { return answer.json(); })
      .then(function (data) {
        var now = data.done + "/" + (data.total || 1);
        bar.max = data.total || 1;
        bar.value = data.done;
        document.getElementById("progress-text").textContent =
          W.progress.replace("{done}", data.done).replace("{total}", data.total);
        var settled = data.done + data.failed >= data.total;
        if (now !== seen && settled) reload(); // all tiled or refused: show the new states
        if (!settled) window.setTimeout(poll, 2000);
      })
      .catch(function () { window.setTimeout(poll, 5000); });
  }
  if (Number(bar.value) < Number(bar.max)) window.setTimeout(poll, 1000);
})();
