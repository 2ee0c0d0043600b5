// The zoom viewer block: OpenSeadragon over the item's Deep Zoom pyramids, one picture at a time;
// a picture too small to zoom is shown plainly.
(function () {
  "use strict";
  var main = document.getElementById("zoom");
  var sources = JSON.parse(document.getElementById("sources").textContent);
  var W = JSON.parse(document.getElementById("words").textContent);

  // The frame's height goes to the platform through the SDK's emporium-frame.js (docs/blocks.md).
  function resize() {
    if (window.EmporiumFrame) window.EmporiumFrame.resize();
  }
  if (!sources.length) return;

  function say(key, values) {
    return (W[key] || key).replace(/\{(\w+)\}/g, function (_, name) { return values[name]; });
  }

  var osd = document.getElementById("osd");
  var plain = document.getElementById("plain");
  var note = document.getElementById("note");
  var counter = document.getElementById("counter");
  var bar = document.getElementById("bar");
  // OpenSeadragon writes its own English tooltips over the buttons' titles: give it ours.
  OpenSeadragon.setString("Tooltips.ZoomIn", W.zoom_in);
  OpenSeadragon.setString("Tooltips.ZoomOut", W.zoom_out);
  OpenSeadragon.setString("Tooltips.Home", W.reset);
  OpenSeadragon.setString("Tooltips.FullPage", W.fullscreen);
  var viewer = OpenSeadragon({
    element: osd,
    drawer: "canvas",
    crossOriginPolicy: "Anonymous",
    showNavigator: true,
    navigatorPosition: "BOTTOM_RIGHT",
    showNavigationControl: true,
    zoomInButton: "zoom-in",
    zoomOutButton: "zoom-out",
    homeButton: "home",
    fullPageButton: "full",
    autoHideControls: false,
    maxZoomPixelRatio: 2,
    visibilityRatio: 1,
    constrainDuringPan: true,
    gestureSettingsTouch: { pinchToZoom: true, dblClickToZoom: true, flickEnabled: true },
    gestureSettingsMouse: { dblClickToZoom: true, clickToZoom: false },
  });
  // The controls stay on the picture, also in full screen (OpenSeadragon keeps its own controls).
  viewer.addControl(bar, { anchor: OpenSeadragon.ControlAnchor.TOP_LEFT });
  window.zoomViewer = viewer; // for the browser tests and the curious

  var index = 0;
  function show(i) {
    index = (i + sources.length) % sources.length;
    var source = sources[index];
    counter.textContent = say("picture_n", { n: index + 1, total: sources.length });
    document.getElementById("prev").disabled = document.getElementById("next").disabled =
      sources.length < 2;
    if (source.zoom) {
      plain.hidden = true;
      note.hidden = true;
      viewer.setVisible(true);
      viewer.open(source.tileSource);
    } else {
      viewer.close();
      plain.src = source.url;
      plain.hidden = false;
      note.hidden = false;
      note.textContent = source.why === "too_small"
        ? say("too_small", { width: source.width, height: source.height })
        : say("preparing", {});
    }
    main.dataset.picture = String(index);
    main.dataset.zoom = source.zoom ? "yes" : "no";
  }
  document.getElementById("prev").addEventListener("click", function () { show(index - 1); });
  document.getElementById("next").addEventListener("click", function () { show(index + 1); });
  viewer.addHandler("open", function () { viewer.canvas.focus(); resize(); });
  // Start on the first picture worth zooming (the close-up is often the last one).
  var first = sources.findIndex(function (s) { return s.zoom; });
  show(first < 0 ? 0 : first);
})();
