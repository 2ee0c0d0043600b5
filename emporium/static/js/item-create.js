// The seller center's "Add an item" page: a rich-text editor (Quill) whose HTML the server cleans,
// an options builder that makes the SKU grid, a category tree, and pictures dropped, ordered and
// sent with the form. Without JavaScript the plain fields underneath still work.
(function () {
  "use strict";
  const form = document.querySelector("form[data-testid=item-create]");
  if (!form) return;
  const W = JSON.parse(document.getElementById("item-create-words").textContent);

  function el(tag, attrs, text) {
    const node = document.createElement(tag);
    Object.entries(attrs || {}).forEach(([k, v]) => node.setAttribute(k, v));
    if (text !== undefined) node.textContent = text;
    return node;
  }

  // --- Description: Quill writes semantic HTML into the textarea the server reads. -------------
  const textarea = form.querySelector("textarea[name=description_html]");
  const editorBox = form.querySelector(".rich-editor");
  let quill = null;
  if (window.Quill && textarea && editorBox) {
    editorBox.hidden = false;
    textarea.hidden = true;
    quill = new window.Quill(editorBox, {
      theme: "snow",
      modules: { toolbar: [[{ header: [2, 3, false] }], ["bold", "italic", "underline", "strike"],
                           [{ list: "ordered" }, { list: "bullet" }], ["blockquote", "link"], ["clean"]] },
    });
    if (textarea.value) quill.clipboard.dangerouslyPasteHTML(textarea.value);
  }
  function descriptionHtml() {
    if (!quill) return textarea ? textarea.value : "";
    if (quill.getText().trim() === "") return "";
    // Quill 2.0 writes every space as &nbsp; in its semantic HTML; text wants ordinary spaces.
    return quill.getSemanticHTML().replace(/&nbsp;/g, " ");
  }

  // --- Category tree: the chosen path, and a filter over the leaves. ---------------------------
  const tree = form.querySelector(".category-tree");
  const chosen = tree.querySelector("[data-testid=chosen-category]");
  const filter = tree.querySelector(".category-filter");
  function showChosen() {
    const radio = tree.querySelector("input[name=category]:checked");
    chosen.textContent = radio ? radio.dataset.path : "";
    if (radio) radio.closest("details").open = true;
  }
  tree.addEventListener("change", showChosen);
  filter.hidden = false;
  filter.addEventListener("input", () => {
    const words = filter.value.trim().toLowerCase();
    tree.querySelectorAll(".tree > li").forEach((group) => {
      let any = false;
      group.querySelectorAll("li").forEach((leaf) => {
        const hit = !words || leaf.textContent.toLowerCase().includes(words) ||
          group.querySelector("summary").textContent.toLowerCase().includes(words);
        leaf.hidden = !hit;
        any = any || hit;
      });
      group.hidden = !any;
      if (words && any) group.querySelector("details").open = true;
    });
  });
  showChosen();

  // --- Options builder and SKU grid. -----------------------------------------------------------
  const builder = form.querySelector(".options-builder");
  const rowsBox = builder.querySelector(".option-rows");
  const grid = builder.querySelector(".sku-grid");
  const optionsInput = form.querySelector("[name=options]");
  const gridInput = form.querySelector("[name=sku_grid]");
  const kept = {}; // combination key → {price, stock}: typed values survive a rebuild

  function options() {
    const found = [];
    rowsBox.querySelectorAll(".option-row").forEach((row) => {
      const name = row.querySelector("[data-part=name]").value.trim();
      const values = row.querySelector("[data-part=values]").value.split(/[,，、]/)
        .map((v) => v.trim()).filter((v, i, all) => v && all.indexOf(v) === i);
      if (name && values.length) found.push([name, values]);
    });
    return found;
  }
  function combinations(opts) {
    return opts.reduce((acc, [name, values]) =>
      acc.flatMap((combo) => values.map((v) => ({ ...combo, [name]: v }))), [{}]);
  }
  function keyOf(combo) { return JSON.stringify(Object.entries(combo)); }

  function addOption(name, values) {
    const row = el("div", { class: "option-row", "data-testid": "option-row" });
    row.append(el("input", { type: "text", "data-part": "name", "aria-label": W.option_name,
                             placeholder: W.option_name, maxlength: "30" }),
               el("input", { type: "text", "data-part": "values", "aria-label": W.values,
                             placeholder: W.values }));
    const remove = el("button", { type: "button", class: "button small link danger" }, W.remove);
    remove.addEventListener("click", () => { row.remove(); rebuild(); });
    row.append(remove);
    row.querySelector("[data-part=name]").value = name || "";
    row.querySelector("[data-part=values]").value = (values || []).join(", ");
    row.addEventListener("input", rebuild);
    rowsBox.append(row);
  }

  function remember() {
    grid.querySelectorAll("tbody tr").forEach((tr) => {
      kept[tr.dataset.key] = { price: tr.querySelector("[data-col=price]").value,
                               stock: tr.querySelector("[data-col=stock]").value };
    });
  }

  function rebuild() {
    remember();
    const opts = options();
    const head = el("tr");
    opts.forEach(([name]) => head.append(el("th", { scope: "col" }, name)));
    if (!opts.length) head.append(el("th", { scope: "col" }, W.default_sku));
    head.append(el("th", { scope: "col", class: "num" }, W.price), el("th", { scope: "col", class: "num" }, W.stock));
    grid.tHead.replaceChildren(head);
    const body = grid.tBodies[0];
    body.replaceChildren();
    combinations(opts).forEach((combo) => {
      const key = keyOf(combo);
      const tr = el("tr", { "data-key": key, "data-testid": "sku-row" });
      tr.dataset.options = JSON.stringify(combo);
      const label = Object.values(combo).join(" / ") || W.default_sku;
      Object.values(combo).forEach((v) => tr.append(el("td", {}, v)));
      if (!opts.length) tr.append(el("td", {}, W.default_sku));
      const was = kept[key] || {};
      const price = el("input", { type: "number", step: "0.01", min: "0.01", class: "money",
                                  "data-col": "price", "aria-label": label + " · " + W.price });
      const stock = el("input", { type: "number", step: "1", min: "0", class: "count",
                                  "data-col": "stock", "aria-label": label + " · " + W.stock });
      price.value = was.price || "";
      stock.value = was.stock || "";
      const p = el("td", { class: "num" }); p.append(price);
      const s = el("td", { class: "num" }); s.append(stock);
      tr.append(p, s);
      body.append(tr);
    });
    optionsInput.value = opts.map(([name, values]) => name + ": " + values.join(", ")).join("\n");
  }

  builder.hidden = false;
  form.querySelector(".plain-options").hidden = true;
  builder.querySelector("[data-action=add-option]").addEventListener("click", () => {
    addOption();
    rowsBox.lastElementChild.querySelector("input").focus();
  });
  builder.querySelector("[data-action=fill]").addEventListener("click", () => {
    const price = builder.querySelector("[data-fill=price]").value;
    const stock = builder.querySelector("[data-fill=stock]").value;
    grid.querySelectorAll("tbody tr").forEach((tr) => {
      if (price) tr.querySelector("[data-col=price]").value = price;
      if (stock) tr.querySelector("[data-col=stock]").value = stock;
    });
  });
  // Options typed before (a refused form coming back) start the builder.
  (optionsInput.value || "").split("\n").forEach((line) => {
    const at = line.indexOf(":");
    if (at > 0) addOption(line.slice(0, at).trim(), line.slice(at + 1).split(",").map((v) => v.trim()));
  });
  rebuild();

  // --- Pictures: dropped or chosen, shown in order, reordered, sent in that order. -------------
  const zone = form.querySelector(".drop-zone");
  const fileInput = form.querySelector("input[type=file][name=pictures]");
  const queue = form.querySelector(".picture-queue");
  const max = Number(zone.dataset.max || 10);
  let files = [];

  function sync() {
    const transfer = new DataTransfer();
    files.forEach((f) => transfer.items.add(f));
    fileInput.files = transfer.files;
    queue.replaceChildren();
    files.forEach((file, i) => {
      const li = el("li", { "data-testid": "queued-picture", "data-name": file.name });
      const img = el("img", { alt: file.name, width: "96", height: "96" });
      img.src = URL.createObjectURL(file);
      li.append(img);
      if (i === 0) li.append(el("span", { class: "badge" }, W.main));
      const earlier = el("button", { type: "button", class: "button small", "aria-label": W.earlier + ": " + file.name, "data-move": "-1" }, "←");
      const later = el("button", { type: "button", class: "button small", "aria-label": W.later + ": " + file.name, "data-move": "1" }, "→");
      const remove = el("button", { type: "button", class: "button small link danger", "data-remove": "" }, W.remove);
      [earlier, later, remove].forEach((b) => b.addEventListener("click", () => {
        if (b.dataset.move) move(i, i + Number(b.dataset.move)); else { files.splice(i, 1); sync(); }
      }));
      li.append(earlier, later, remove);
      queue.append(li);
    });
  }
  function move(from, to) {
    if (to < 0 || to >= files.length) return;
    const [file] = files.splice(from, 1);
    files.splice(to, 0, file);
    sync();
  }
  function take(list) {
    const pictures = Array.from(list).filter((f) => f.type.startsWith("image/"));
    if (files.length + pictures.length > max) window.alert(W.too_many);
    files = files.concat(pictures).slice(0, max);
    sync();
  }
  fileInput.addEventListener("change", () => {
    // The input's own choice joins the queue (the input then holds the whole queue again).
    const chosenNow = Array.from(fileInput.files).filter((f) => !files.includes(f));
    take(chosenNow);
  });
  ["dragenter", "dragover"].forEach((type) => zone.addEventListener(type, (e) => {
    e.preventDefault();
    zone.classList.add("over");
  }));
  ["dragleave", "drop"].forEach((type) => zone.addEventListener(type, () => zone.classList.remove("over")));
  zone.addEventListener("drop", (e) => {
    e.preventDefault();
    take(e.dataTransfer.files);
  });
  if (window.Sortable) {
    window.Sortable.create(queue, {
      animation: 150,
      onEnd: (e) => move(e.oldIndex, e.newIndex),
    });
  }

  // --- Submit: the grid and the description travel in the fields the server reads. -----------
  form.addEventListener("submit", () => {
    if (textarea) textarea.value = descriptionHtml();
    const rows = Array.from(grid.querySelectorAll("tbody tr")).map((tr) => ({
      options: JSON.parse(tr.dataset.options),
      price: tr.querySelector("[data-col=price]").value,
      stock: tr.querySelector("[data-col=stock]").value === "" ? null : Number(tr.querySelector("[data-col=stock]").value),
    }));
    gridInput.value = JSON.stringify(rows);
  });
})();
