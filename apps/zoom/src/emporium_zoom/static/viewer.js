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
    // A tile lost on a busy network is fetched again instead of leaving a hole in the picture.
    tileRetryMax: 3,
    tileRetryDelay: 500,
    visibilityRatio: 1,
    constrainDuringPan: true,
    gestureSettingsTouch: { pinchToZoom: true, dblClickToZoom: true, flickEnabled: true },
    gestureSettingsMouse: { dblClickToZoom: true, clickToZoom: false },
  });
  // The navigator is a viewer of its own that OpenSeadragon builds without our retry settings.
  if (viewer.navigator) {
    viewer.navigator.tileRetryMax = viewer.navigator.imageLoader.tileRetryMax = viewer.tileRetryMax;
    viewer.navigator.imageLoader.tileRetryDelay = viewer.tileRetryDelay;
  }
  // The controls stay on the picture, also in full screen (OpenSeadragon keeps its own controls).
  viewer.addControl(bar, { anchor: OpenSeadragon.ControlAnchor.TOP_LEFT });
  window.zoomViewer = viewer; // for the browser tests and the curious

  // OpenSeadragon learns its size from a ResizeObserver; one that fires while the frame is still
  // being laid out (the platform sizes the frame after it loads) can leave it drawing for a 1 × 1
  // box, with the picture never sharp. Compare now and then, and make it measure again.
  function keepSize() {
    var known = viewer.viewport && viewer.viewport.getContainerSize();
    if (known && osd.clientWidth && osd.clientHeight &&
        (known.x !== osd.clientWidth || known.y !== osd.clientHeight)) {
      viewer.forceResize();
    }
  }
  setInterval(keepSize, 1000);

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
  viewer.addHandler("open", function () { viewer.canvas.focus(); keepSize(); resize(); });
  // Start on the first picture worth zooming (the close-up is often the last one).
  var first = sources.findIndex(function (s) { return s.zoom; });
  show(first < 0 ? 0 : first);
})();
