// The embedded decoration app: album, template gallery, editor with live previews, descriptions.
// Every call carries the view pass; nothing of the seller's is ever put in the page as HTML.
(() => {
  const root = document.getElementById("app");
  if (!root) return;
  const PASS = root.dataset.pass, LANG = root.dataset.lang;
  const T = JSON.parse(document.getElementById("words").textContent);
  const $ = (id) => document.getElementById(id);
  const el = (tag, props = {}, ...children) => {
    const node = Object.assign(document.createElement(tag), props);
    for (const child of children) node.append(child);
    return node;
  };

  async function call(path, { method = "GET", body, form } = {}) {
    const headers = { "x-view-pass": PASS };
    let payload;
    if (form) payload = form;
    else if (body !== undefined) { headers["content-type"] = "application/json"; payload = JSON.stringify(body); }
    const answer = await fetch(path, { method, headers, body: payload });
    const data = await answer.json().catch(() => ({}));
    if (!answer.ok) {
      const error = new Error(data.error || answer.statusText);
      error.status = answer.status; error.field = data.field;
      throw error;
    }
    return data;
  }
  const say = (text, bad = false) => { const n = $("notice"); n.textContent = text; n.className = bad ? "bad" : "good"; };
  const guard = (fn) => async (...args) => { try { await fn(...args); } catch (e) { say(e.field ? `${e.field}: ${e.message}` : e.message, true); } };

  // --- tabs -------------------------------------------------------------------------------
  const loaders = {};
  for (const tab of document.querySelectorAll("[role=tab]")) {
    tab.addEventListener("click", () => openTab(tab.dataset.tab));
  }
  function openTab(name) {
    for (const tab of document.querySelectorAll("[role=tab]")) tab.setAttribute("aria-selected", String(tab.dataset.tab === name));
    for (const panel of document.querySelectorAll(".panel")) panel.hidden = panel.id !== `panel-${name}`;
    if (loaders[name]) guard(loaders[name])();
  }

  // --- album ------------------------------------------------------------------------------
  let pictures = [];
  const selected = () => [...document.querySelectorAll("#pictures input:checked")].map((box) => box.value);

  function showPictures(list) {
    const grid = $("pictures");
    grid.replaceChildren();
    if (!list.length) grid.append(el("p", { textContent: T.empty_album }));
    for (const p of list) {
      const box = el("input", { type: "checkbox", value: p.id });
      box.setAttribute("aria-label", p.name);
      const caption = el("figcaption", {}, box, " ", p.name);
      const meta = [p.folder, p.colour, ...p.tags].filter(Boolean).join(" · ");
      const figure = el("figure", { className: "pic" }, el("img", { src: p.thumbnail_url, alt: p.name, loading: "lazy" }), caption, el("small", { textContent: meta }));
      figure.dataset.id = p.id;
      grid.append(figure);
    }
  }

  async function loadAlbum() {
    const form = new FormData($("find"));
    const params = new URLSearchParams();
    for (const [k, v] of form) if (v && !(k === "folder" && v === "*")) params.set(k, v);
    if (form.get("folder") === "") params.set("folder", "");
    const data = await call(`/api/album?${params}`);
    pictures = data.pictures;
    const filter = $("folder-filter"), chosen = filter.value;
    filter.replaceChildren(el("option", { value: "*", textContent: T.any }), ...data.folders.map((f) => el("option", { value: f, textContent: f || "/" })));
    filter.value = chosen || "*";
    showPictures(pictures);
  }
  loaders.album = loadAlbum;
  $("find").addEventListener("submit", (e) => { e.preventDefault(); guard(loadAlbum)(); });

  // Uploads: one file at a time, a progress bar, failures kept for "Retry"; files already sent
  // (same name, size and date — a page reloaded after a failure) are skipped, not sent twice.
  let failed = [];
  const fingerprint = (f) => `${f.name}:${f.size}:${f.lastModified}`;
  async function upload(files) {
    if (!files.length) return;
    const bar = $("upload-progress"), count = $("upload-count");
    bar.hidden = false; bar.max = files.length; bar.value = 0; failed = [];
    const done = (await call("/api/album/uploaded", { method: "POST", body: { fingerprints: files.map(fingerprint) } })).uploaded;
    let ok = 0;
    for (const file of files) {
      if (!done[fingerprint(file)]) {
        const form = new FormData();
        form.append("image", file); form.append("name", file.name);
        form.append("folder", $("upload-folder").value); form.append("tags", $("upload-tags").value);
        form.append("fingerprint", fingerprint(file));
        try { await call("/api/album/upload", { method: "POST", form }); ok += 1; }
        catch (e) { failed.push(file); say(`${file.name}: ${e.message}`, true); }
      } else ok += 1;
      bar.value += 1;
      count.textContent = `${ok} ${T.uploaded}` + (failed.length ? ` · ${failed.length} ${T.failed}` : "");
    }
    $("retry").hidden = !failed.length;
    await loadAlbum();
  }
  $("files").addEventListener("change", (e) => guard(upload)([...e.target.files]));
  $("retry").addEventListener("click", guard(() => upload(failed)));
  const drop = $("drop");
  drop.addEventListener("dragover", (e) => { e.preventDefault(); drop.classList.add("over"); });
  drop.addEventListener("dragleave", () => drop.classList.remove("over"));
  drop.addEventListener("drop", (e) => { e.preventDefault(); drop.classList.remove("over"); guard(upload)([...e.dataTransfer.files]); });

  $("dups").addEventListener("click", guard(async () => {
    const groups = (await call("/api/album/duplicates")).groups;
    showPictures(groups.flat());
    say(`${groups.length} × ${T.duplicates}`);
  }));
  $("move").addEventListener("click", guard(async () => {
    await call("/api/album/move", { method: "POST", body: { ids: selected(), folder: $("move-folder").value } });
    await loadAlbum();
  }));
  $("tag").addEventListener("click", guard(async () => {
    await call("/api/album/tag", { method: "POST", body: { ids: selected(), tags: $("tag-text").value } });
    await loadAlbum();
  }));
  $("delete").addEventListener("click", guard(async () => {
    const ids = selected();
    if (!ids.length || !confirm(T.confirm_delete)) return;
    let result = await call("/api/album/delete", { method: "POST", body: { ids, confirmed: false } });
    if (result.in_use.length) {
      const where = result.in_use.map((p) => `${p.name}: ${p.where.join(", ")}`).join("\n");
      if (confirm(`${T.in_use}\n\n${where}`)) {
        await call("/api/album/delete", { method: "POST", body: { ids: result.in_use.map((p) => p.id), confirmed: true } });
      }
    }
    if (result.kept.length) say(`${T.kept} ${result.kept.map((p) => p.name).join(", ")}`);
    await loadAlbum();
  }));

  // --- templates ----------------------------------------------------------------------------
  loaders.templates = async () => {
    const data = await call(`/api/templates?lang=${LANG}`);
    const select = $("template-category");
    if (!select.options.length) select.append(...data.categories.map((c) => el("option", { value: c, textContent: c })));
    const gallery = $("gallery");
    gallery.replaceChildren();
    for (const t of data.templates) {
      const button = el("button", { type: "button", textContent: t.locked ? T.locked : T.use_template, disabled: t.locked });
      button.addEventListener("click", guard(async () => {
        const draft = await call("/api/templates/fill", { method: "POST", body: { template: t.id, category: select.value, lang: LANG } });
        history.length = 0;
        design = draft.sections;
        say(T.filled);
        openTab("editor");
        await preview();
      }));
      const card = el("article", { className: "card" }, el("h3", { textContent: t.name }), el("p", { textContent: t.moment }), el("small", { textContent: t.sections.join(" · ") }), button);
      card.style.borderTopColor = t.accent;
      card.dataset.template = t.id;
      gallery.append(card);
    }
  };

  // --- editor --------------------------------------------------------------------------------
  let design = null;
  const history = [];
  const change = (fn) => { history.push(JSON.stringify(design)); fn(); drawSections(); };
  const TEXT = ["heading", "subheading", "caption"];

  function pictureField(settings, name) {
    const current = pictures.find((p) => p.key === settings[name]);
    const img = el("img", { className: "slot", alt: name, src: current ? current.thumbnail_url : "" });
    const button = el("button", { type: "button", textContent: T.pick_picture });
    button.addEventListener("click", guard(async () => {
      if (!pictures.length) await loadAlbum();
      const key = await pick(T.pick_picture, pictures.map((p) => ({ value: p.key, label: p.name, thumb: p.thumbnail_url })), false);
      if (key) change(() => { settings[name] = key; });
    }));
    return el("span", { className: "field" }, img, button);
  }

  function drawSections() {
    const list = $("sections");
    list.replaceChildren();
    $("empty-design").hidden = Boolean(design && design.length);
    (design || []).forEach((section, index) => {
      const item = el("li", { draggable: true, className: "section" });
      item.dataset.index = index; item.dataset.type = section.type;
      const up = el("button", { type: "button", textContent: "↑", title: T.move_up });
      up.addEventListener("click", () => index > 0 && change(() => design.splice(index - 1, 0, design.splice(index, 1)[0])));
      const down = el("button", { type: "button", textContent: "↓", title: T.move_down });
      down.addEventListener("click", () => index < design.length - 1 && change(() => design.splice(index + 1, 0, design.splice(index, 1)[0])));
      const remove = el("button", { type: "button", textContent: "×", title: T.remove });
      remove.addEventListener("click", () => change(() => design.splice(index, 1)));
      item.append(el("strong", { textContent: `${index + 1}. ${section.type}` }), " ", up, down, remove);
      const settings = section.settings;
      for (const name of TEXT) {
        if (name in settings) {
          const input = el("input", { value: settings[name] || "" });
          input.setAttribute("aria-label", `${T.section} ${index + 1} ${name}`);
          input.addEventListener("change", () => settings[name] !== input.value && change(() => { settings[name] = input.value; }));
          item.append(el("label", {}, name, " ", input));
        }
      }
      if ("picture" in settings || ["banner", "picture_text"].includes(section.type)) item.append(pictureField(settings, "picture"));
      for (const block of section.blocks || []) if (block.type === "slide") item.append(pictureField(block.settings, "picture"));
      if (section.type === "item_grid") {
        const button = el("button", { type: "button", textContent: `${T.pick_items} (${(settings.items || []).length})` });
        button.addEventListener("click", guard(async () => {
          const items = (await call("/api/items")).items;
          const chosen = await pick(T.pick_items, items.map((i) => ({ value: i.id, label: i.title, thumb: i.thumbnail_url, on: (settings.items || []).includes(i.id) })), true);
          if (chosen) change(() => { settings.items = chosen; settings.rule = chosen.length ? "hand_picked" : "newest"; });
        }));
        item.append(button);
      }
      item.addEventListener("dragstart", (e) => e.dataTransfer.setData("text/plain", String(index)));
      item.addEventListener("dragover", (e) => e.preventDefault());
      item.addEventListener("drop", (e) => {
        e.preventDefault();
        const from = Number(e.dataTransfer.getData("text/plain"));
        if (from !== index) change(() => design.splice(index, 0, design.splice(from, 1)[0]));
      });
      list.append(item);
    });
  }

  function pick(title, options, many) {
    return new Promise((resolve) => {
      const dialog = $("picker"), body = $("picker-body");
      $("picker-title").textContent = title;
      body.replaceChildren();
      for (const option of options) {
        const input = el("input", { type: many ? "checkbox" : "radio", name: "pick", value: option.value, checked: Boolean(option.on) });
        body.append(el("label", { className: "pic" }, el("img", { src: option.thumb || "", alt: "" }), input, " ", option.label));
      }
      dialog.onclose = () => {
        const values = [...body.querySelectorAll("input:checked")].map((i) => i.value);
        resolve(dialog.returnValue === "ok" ? (many ? values : values[0]) : null);
      };
      dialog.showModal();
    });
  }

  // Saves run one after another, so an older save's answer never lands after a newer one's; and
  // the server's tidied sections replace the editor's only when the seller changed nothing while
  // the save was on its way, so an edit made meanwhile is kept (and goes with the next save).
  let saving = Promise.resolve();
  function preview() {
    const run = saving.then(saveAndPreview);
    saving = run.catch(() => {});
    return run;
  }
  async function saveAndPreview() {
    if (design === null) return;
    const sent = JSON.stringify(design);
    const saved = await call("/api/design/draft", { method: "PUT", body: { sections: design } });
    if (JSON.stringify(design) === sent && JSON.stringify(saved.sections) !== sent) {
      design = saved.sections;
      drawSections();
    }
    const link = await call("/api/design/preview", { method: "POST" });
    $("preview-phone").src = link.url;
    $("preview-desktop").src = link.url;
    say(T.saved);
  }
  async function loadVersions() {
    const data = await call("/api/design/versions");
    const list = $("versions");
    list.replaceChildren();
    for (const v of data.versions) {
      const row = el("li", {}, `#${v.number} · ${new Date(v.published_at).toLocaleString(LANG)} · ${v.source}${v.live ? ` · ${T.live}` : ""} `);
      row.dataset.version = v.number;
      if (!v.live) {
        const back = el("button", { type: "button", textContent: T.rollback });
        back.addEventListener("click", guard(async () => {
          const made = await call(`/api/design/versions/${v.id}/rollback`, { method: "POST" });
          say(`${T.published} ${made.number}`);
          await loadVersions();
        }));
        row.append(back);
      }
      list.append(row);
    }
    for (const s of data.schedules) list.append(el("li", { textContent: `${T.scheduled}: ${new Date(s.starts_at).toLocaleString(LANG)} (${s.status})` }));
  }
  loaders.editor = async () => {
    if (design === null) { design = (await call("/api/design/draft")).sections; if (!pictures.length) await loadAlbum(); }
    drawSections();
    await loadVersions();
  };
  $("undo").addEventListener("click", () => { if (history.length) { design = JSON.parse(history.pop()); drawSections(); } });
  $("save").addEventListener("click", guard(preview));
  $("publish").addEventListener("click", guard(async () => {
    await preview();
    const made = await call("/api/design/publish", { method: "POST", body: { key: crypto.randomUUID() } });
    say(`${T.published} ${made.number}`);
    await loadVersions();
  }));
  $("schedule").addEventListener("click", guard(async () => {
    await preview();
    const iso = (v) => (v ? new Date(v).toISOString() : null);
    await call("/api/design/schedule", { method: "POST", body: { starts_at: iso($("starts").value), ends_at: iso($("ends").value) } });
    say(T.scheduled);
    await loadVersions();
  }));

  // --- descriptions -----------------------------------------------------------------------------
  let job = null;
  loaders.descriptions = async () => {
    const [data, itemData] = await Promise.all([call(`/api/descriptions?lang=${LANG}`), call("/api/items")]);
    if (!pictures.length) await loadAlbum();
    const template = $("desc-template");
    if (!template.options.length) {
      template.append(...data.templates.map((t) => el("option", { value: t.id, textContent: t.name })));
      $("desc-header").append(...pictures.filter((p) => p.source === "space").map((p) => el("option", { value: p.url, textContent: p.name })));
      const categories = [...new Set(itemData.items.map((i) => i.category))].sort();
      $("desc-category").append(...categories.map((c) => el("option", { value: c, textContent: c })));
      for (const i of itemData.items) {
        const option = el("option", { value: i.id, textContent: i.title });
        option.dataset.category = i.category;
        $("desc-items").append(option);
      }
    }
    showJobs(data.jobs);
  };
  function showJobs(jobs) {
    $("jobs").replaceChildren(...jobs.map((j) => el("li", { textContent: `${new Date(j.created_at).toLocaleString(LANG)} · ${j.template} · ${j.state}` })));
  }
  function request() {
    const form = new FormData($("desc"));
    const options = { lang: LANG };
    for (const name of ["header_url", "size_chart", "wash_care", "related"]) options[name] = form.get(name);
    const items = [...$("desc-items").selectedOptions].map((o) => o.value);
    const byItems = form.get("scope") === "items";
    return { template: form.get("template"), options, item_ids: byItems ? items : [], category: byItems ? "" : $("desc-category").value };
  }
  $("dry-run").addEventListener("click", guard(async () => {
    const body = request();
    const first = body.item_ids[0] || [...$("desc-items").options].find((o) => o.dataset.category === body.category)?.value;
    const result = await call("/api/descriptions/dry-run", { method: "POST", body: { ...body, item_id: first } });
    $("diff").textContent = `${result.item}\n\n${result.diff.join("\n")}`;
  }));
  async function follow(jobId, undo) {
    const bar = $("job-progress"), count = $("job-count");
    bar.hidden = false;
    for (;;) {
      const status = await call(`/api/descriptions/jobs/${jobId}`);
      bar.max = status.total || 1;
      bar.value = undo ? status.undone : status.applied + status.failed;
      count.textContent = `${bar.value} / ${status.total}` + (status.failed ? ` · ${status.failed} ${T.failed}` : "");
      if (["done", "undone", "failed"].includes(status.state)) { count.dataset.state = status.state; break; }
      await new Promise((r) => setTimeout(r, 400));
    }
    $("undo-job").hidden = undo;
    showJobs((await call(`/api/descriptions?lang=${LANG}`)).jobs);
  }
  $("apply").addEventListener("click", guard(async () => {
    job = (await call("/api/descriptions/apply", { method: "POST", body: request() })).job_id;
    $("job-count").dataset.state = "running";
    await follow(job, false);
  }));
  $("undo-job").addEventListener("click", guard(async () => {
    await call(`/api/descriptions/jobs/${job}/undo`, { method: "POST" });
    $("job-count").dataset.state = "undoing";
    await follow(job, true);
  }));

  guard(loadAlbum)();
})();
