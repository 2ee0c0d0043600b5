// The buyer's fitting room, inside a sandboxed frame (opaque origin: no cookies, no storage).
// State lives here and on the app's server, keyed by a session token that dies within 10 min.
(function () {
  "use strict";
  var context = document.body.dataset.context;
  var words = JSON.parse(document.getElementById("words").textContent);
  var el = function (id) { return document.getElementById(id); };
  var state = { model: null, session: null, build: null };

  if (window.EmporiumFrame) {
    EmporiumFrame.onContext(function (token) { context = token; });
    setInterval(function () { EmporiumFrame.requestContext(); }, 4 * 60 * 1000);
  }

  function showError(message) {
    el("error").textContent = message || "";
    el("error").hidden = !message;
  }

  function answer(response) {
    return response.json().then(function (body) {
      if (!response.ok) { throw new Error(body.message || body.error || response.status); }
      return body;
    });
  }

  function form(fields) {
    var data = new URLSearchParams();
    Object.keys(fields).forEach(function (k) { if (fields[k] != null) data.append(k, fields[k]); });
    return data;
  }

  // A sandboxed frame without allow-forms never submits a form (not even to script): a button.
  function findModels() {
    var f = el("build");
    state.build = { height: f.height.value, weight: f.weight.value, shape: f.shape.value };
    showError("");
    fetch("/block/models", { method: "POST", body: form(Object.assign({ context: context }, state.build)) })
      .then(answer).then(showModels).catch(function (e) { showError(e.message); });
  }
  el("find").addEventListener("click", findModels);
  el("build").addEventListener("keydown", function (event) {
    if (event.key === "Enter") { event.preventDefault(); findModels(); }
  });

  function showModels(body) {
    var list = el("models");
    list.textContent = "";
    if (!body.models.length) { showError(words.no_models); return; }
    body.models.forEach(function (model, i) {
      var li = document.createElement("li");
      li.className = "model" + (i === 0 ? " closest" : "");
      li.dataset.testid = "model";
      li.setAttribute("data-testid", "model");
      var img = document.createElement("img");
      img.src = model.photo; img.alt = model.name; img.loading = "lazy";
      var text = document.createElement("p");
      text.textContent = model.name + " · " + model.height_cm + " " + words.cm + " · " +
        model.weight_kg + " " + words.kg + " · " + words.wears + " " + model.size;
      li.appendChild(img); li.appendChild(text);
      if (i === 0) {
        var tag = document.createElement("strong");
        tag.textContent = words.closest; li.appendChild(tag);
      }
      var button = document.createElement("button");
      button.type = "button"; button.textContent = words.choose;
      button.setAttribute("data-testid", "choose-model");
      button.addEventListener("click", function () { choose(model, li); });
      li.appendChild(button);
      list.appendChild(li);
    });
  }

  function choose(model, li) {
    state.model = model;
    Array.prototype.forEach.call(document.querySelectorAll(".model"), function (m) {
      m.classList.toggle("chosen", m === li);
    });
    el("photo").hidden = false;
    if (state.session) { tryAgain(); }
  }

  el("agree").addEventListener("change", function () {
    el("file").disabled = !el("agree").checked;
    el("make").disabled = !el("agree").checked;
  });

  function busy(on) { el("working").hidden = !on; el("make").disabled = on || !el("agree").checked; }

  el("make").addEventListener("click", function () {
    var file = el("file").files[0];
    if (!file || !state.model) { return; }
    showError(""); busy(true);
    var query = form(Object.assign({ context: context, model: state.model.id }, state.build));
    // The photo goes as the raw body: the app reads it into memory, never into a temp file.
    fetch("/block/photo?" + query.toString(), {
      method: "POST", body: file, headers: { "Content-Type": file.type || "application/octet-stream" }
    }).then(answer).then(show).catch(function (e) { showError(e.message); })
      .then(function () { busy(false); });
  });

  function tryAgain() {
    showError(""); busy(true);
    var fields = Object.assign({ context: context, session: state.session, model: state.model.id }, state.build);
    fetch("/block/try", { method: "POST", body: form(fields) })
      .then(answer).then(show).catch(function (e) { state.session = null; el("result").hidden = true; showError(e.message); })
      .then(function () { busy(false); });
  }

  function show(body) {
    state.session = body.session;
    el("original").src = body.original;
    el("mine").src = body.result;
    el("size").textContent = body.reason;
    el("result").hidden = false;
  }

  el("forget").addEventListener("click", function () {
    if (!state.session) { return; }
    fetch("/block/forget", { method: "POST", body: form({ context: context, session: state.session }) })
      .then(function () {
        state.session = null; el("result").hidden = true; el("mine").removeAttribute("src");
        el("file").value = ""; showError(words.forgotten);
      });
  });
})();
