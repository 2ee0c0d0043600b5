/* Behaviour every page shares, bound here rather than in on…="" attributes, which the
 * Content-Security-Policy refuses (lib/csp.py).
 *   <select data-autosubmit>              submits its form when changed
 *   <select data-autosubmit="get">        … as a GET (a choice that changes nothing)
 *   <form data-confirm="Are you sure?">   asks before it is sent
 *   <time data-countdown data-seconds="N">  counts down from the server's N seconds; at zero it
 *                                         says data-ended-text and shows the [data-countdown-ended]
 *                                         notices of its [data-flash] box */
(function () {
  "use strict";
  document.addEventListener("change", function (event) {
    var field = event.target.closest("[data-autosubmit]");
    if (!field || !field.form) return;
    if (field.dataset.autosubmit === "get") field.form.method = "get";
    field.form.submit();
  });
  document.addEventListener("submit", function (event) {
    var form = event.target.closest("form[data-confirm]");
    if (form && !window.confirm(form.dataset.confirm)) event.preventDefault();
  });

  // Deadlines are kept per element, from the seconds the server sent when it drew it, so a part
  // swapped in later (htmx) counts from its own fresh figure and the visitor's clock never matters.
  function pad(n) { return (n < 10 ? "0" : "") + n; }
  function tick() {
    var now = Date.now();
    document.querySelectorAll("[data-countdown]").forEach(function (node) {
      if (node.dataset.ended) return;
      if (!node.deadline) node.deadline = now + Number(node.dataset.seconds) * 1000;
      var left = Math.max(0, Math.round((node.deadline - now) / 1000));
      if (left === 0) {
        node.dataset.ended = "yes";
        node.textContent = node.dataset.endedText;
        var box = node.closest("[data-flash]");
        if (box) box.querySelectorAll("[data-countdown-ended]").forEach(function (n) { n.hidden = false; });
        return;
      }
      var days = Math.floor(left / 86400);
      var rest = left % 86400;
      var text = pad(Math.floor(rest / 3600)) + ":" + pad(Math.floor(rest % 3600 / 60)) + ":" + pad(rest % 60);
      node.textContent = days ? days + node.dataset.day + " " + text : text;
    });
  }
  document.addEventListener("DOMContentLoaded", function () {
    if (!document.querySelector("[data-countdown]")) return;
    tick();
    window.setInterval(tick, 1000);
  });
})();
