// Sortable tables: any table inside <div class="sortable">. Click a heading to sort
// by that column; click again to reverse. Numbers sort as numbers.
(function () {
  "use strict";

  function key(cell) {
    var text = cell.textContent.trim();
    var number = parseFloat(text.replace(",", "."));
    return isNaN(number) || !/^[\d.,]/.test(text) ? { text: text.toLowerCase() } : { number: number };
  }

  function compare(a, b) {
    if ("number" in a && "number" in b) return a.number - b.number;
    if ("number" in a) return -1;
    if ("number" in b) return 1;
    return a.text.localeCompare(b.text);
  }

  function sortBy(table, column, header) {
    var body = table.tBodies[0];
    var ascending = header.getAttribute("aria-sort") !== "ascending";
    var rows = Array.prototype.slice.call(body.rows);
    rows.sort(function (r1, r2) {
      var order = compare(key(r1.cells[column]), key(r2.cells[column]));
      return ascending ? order : -order;
    });
    table.querySelectorAll("th").forEach(function (th) { th.removeAttribute("aria-sort"); });
    header.setAttribute("aria-sort", ascending ? "ascending" : "descending");
    rows.forEach(function (row) { body.appendChild(row); });
  }

  function setUp() {
    document.querySelectorAll(".sortable table").forEach(function (table) {
      if (table.dataset.sortable) return;
      table.dataset.sortable = "1";
      table.querySelectorAll("thead th").forEach(function (header, column) {
        header.tabIndex = 0;
        header.setAttribute("role", "button");
        header.title = (document.documentElement.lang || "en").slice(0, 2) === "fr" ? "Trier selon cette colonne" : "Sort by this column";
        header.addEventListener("click", function () { sortBy(table, column, header); });
        header.addEventListener("keydown", function (event) {
          if (event.key === "Enter" || event.key === " ") { event.preventDefault(); sortBy(table, column, header); }
        });
      });
    });
  }

  if (typeof document$ !== "undefined") document$.subscribe(setUp);
  else document.addEventListener("DOMContentLoaded", setUp);
})();
