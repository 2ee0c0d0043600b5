// Seller center: a "tick all" box for the item list, and selects that save themselves;
// everything else works without script.
document.addEventListener("change", (event) => {
  const box = event.target;
  if (!box.matches("[data-select-all]")) return;
  for (const row of box.closest("table").querySelectorAll('tbody input[type="checkbox"]')) {
    row.checked = box.checked;
  }
});

// A picture's "shows" choice saves itself (a plain Save button stands in without script).
document.addEventListener("change", (event) => {
  if (event.target.matches("select[data-autosubmit]")) event.target.form.submit();
});
