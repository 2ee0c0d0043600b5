/* Spatial navigation for a remote: move the focus to the nearest focusable in the arrow's direction.
   Why our own ~50 lines and not a library: see docs/tv.md ("Spatial navigation"). */
(function () {
  "use strict";
  function centre(r) { return { x: r.left + r.width / 2, y: r.top + r.height / 2 }; }

  // Distance along the arrow plus twice the offset across it, so that a card straight below
  // wins over a closer one diagonally (what a remote user expects in rows and grids).
  function score(dir, from, to) {
    var a = centre(from), b = centre(to), along, across;
    if (dir === "left") { along = from.left - to.right; across = Math.abs(a.y - b.y); }
    else if (dir === "right") { along = to.left - from.right; across = Math.abs(a.y - b.y); }
    else if (dir === "up") { along = from.top - to.bottom; across = Math.abs(a.x - b.x); }
    else { along = to.top - from.bottom; across = Math.abs(a.x - b.x); }
    if (along < -from.width / 2 && (dir === "left" || dir === "right")) return null;
    if (along < -from.height / 2 && (dir === "up" || dir === "down")) return null;
    var beyond = dir === "left" ? b.x < a.x - 1 : dir === "right" ? b.x > a.x + 1 :
      dir === "up" ? b.y < a.y - 1 : b.y > a.y + 1;
    if (!beyond) return null;
    return Math.max(along, 0) + 2 * across;
  }

  function candidates(root) {
    return Array.prototype.filter.call(root.querySelectorAll(".f"), function (el) {
      return !el.disabled && el.offsetParent !== null;
    });
  }

  /* Move from `current` (or the first focusable) in `dir` inside `root`; returns the new element. */
  function move(dir, root, current) {
    var all = candidates(root);
    if (!current || !root.contains(current)) return all[0] || null;
    var from = current.getBoundingClientRect(), best = null, bestScore = Infinity;
    for (var i = 0; i < all.length; i++) {
      if (all[i] === current) continue;
      var s = score(dir, from, all[i].getBoundingClientRect());
      if (s !== null && s < bestScore) { best = all[i]; bestScore = s; }
    }
    return best;
  }

  window.Spatial = { move: move, candidates: candidates };
})();
