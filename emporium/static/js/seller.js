// Seller center: a "tick all" box for the item list; everything else works without script.
document.addEventListener("change", (event) => {
  const box = event.target;
  if (!box.matches("[data-select-all]")) return;
  for (const row of box.closest("table").querySelectorAll('tbody input[type="checkbox"]')) {
    row.checked = box.checked;
  }
});
