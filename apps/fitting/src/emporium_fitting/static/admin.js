// The seller's model list: shows the face the app found, or lets the seller mark it by dragging
// a box and five points (eyes, nose tip, mouth corners) when detection failed or was wrong.
(function () {
  "use strict";
  var pass = document.body.dataset.pass;

  function draggable(node, onMove) {
    node.addEventListener("pointerdown", function (down) {
      down.preventDefault(); down.stopPropagation();
      node.setPointerCapture(down.pointerId);
      var last = { x: down.clientX, y: down.clientY };
      function move(event) {
        onMove(event.clientX - last.x, event.clientY - last.y);
        last = { x: event.clientX, y: event.clientY };
      }
      node.addEventListener("pointermove", move);
      node.addEventListener("pointerup", function up() {
        node.removeEventListener("pointermove", move); node.removeEventListener("pointerup", up);
      });
    });
  }

  function setUp(thumb) {
    var img = thumb.querySelector("img");
    var natural = Number(thumb.dataset.width);
    var face = JSON.parse(thumb.dataset.face || "null");
    var scale = img.clientWidth / natural;
    var box = face ? face.box.slice() : [natural * 0.35, natural * 0.08, natural * 0.3, natural * 0.3];
    var points = face ? face.key_points.map(function (p) { return p.slice(); }) : [
      [0.35, 0.4], [0.65, 0.4], [0.5, 0.58], [0.38, 0.75], [0.62, 0.75]
    ].map(function (p) { return [box[0] + p[0] * box[2], box[1] + p[1] * box[3]]; });
    var frame = document.createElement("div");
    frame.className = "facebox" + (face ? "" : " missing");
    var handle = document.createElement("span"); handle.className = "handle";
    frame.appendChild(handle); thumb.appendChild(frame);
    var dots = points.map(function () {
      var dot = document.createElement("span"); dot.className = "pt"; thumb.appendChild(dot); return dot;
    });
    function draw() {
      frame.style.left = box[0] * scale + "px"; frame.style.top = box[1] * scale + "px";
      frame.style.width = box[2] * scale + "px"; frame.style.height = box[3] * scale + "px";
      dots.forEach(function (dot, i) {
        dot.style.left = points[i][0] * scale + "px"; dot.style.top = points[i][1] * scale + "px";
      });
    }
    function editing() { thumb.classList.add("marking"); thumb.closest("tr").querySelector(".save-face").hidden = false; }
    draggable(frame, function (dx, dy) {
      box[0] += dx / scale; box[1] += dy / scale;
      points.forEach(function (p) { p[0] += dx / scale; p[1] += dy / scale; });
      editing(); draw();
    });
    draggable(handle, function (dx, dy) {
      box[2] = Math.max(20, box[2] + dx / scale); box[3] = Math.max(20, box[3] + dy / scale); editing(); draw();
    });
    dots.forEach(function (dot, i) {
      draggable(dot, function (dx, dy) { points[i][0] += dx / scale; points[i][1] += dy / scale; editing(); draw(); });
    });
    thumb.closest("tr").querySelector(".save-face").addEventListener("click", function () {
      fetch("/app/models/" + thumb.dataset.id + "/face", {
        method: "POST", headers: { "Content-Type": "application/json" },
        body: JSON.stringify({ pass: pass, box: box, points: points })
      }).then(function (r) { if (r.ok) { location.reload(); } });
    });
    draw();
  }

  Array.prototype.forEach.call(document.querySelectorAll(".thumb"), function (thumb) {
    var img = thumb.querySelector("img");
    if (img.complete && img.naturalWidth) { setUp(thumb); } else { img.addEventListener("load", function () { setUp(thumb); }); }
  });
})();
