// Tables of three columns or more stack on a phone (catalogue.css, table[data-stack]): each cell is shown under
// its column's name, which this script copies from the table's head into the cell's data-label (tables the build
// writes in HTML carry them already). Without JavaScript the tables scroll sideways in their region, as before.
(function () {
  "use strict";

  function setUp() {
    document.querySelectorAll(".md-typeset table").forEach(function (table) {
      var head = table.tHead && table.tHead.rows[0];
      if (!head || head.cells.length < 3 || table.closest("#production-planner")) return;
      var names = Array.prototype.map.call(head.cells, function (cell) { return cell.textContent.trim(); });
      Array.prototype.forEach.call(table.tBodies, function (body) {
        Array.prototype.forEach.call(body.rows, function (row) {
          Array.prototype.forEach.call(row.cells, function (cell, column) {
            if (!cell.hasAttribute("data-label") && names[column]) cell.setAttribute("data-label", names[column]);
          });
        });
      });
      table.setAttribute("data-stack", "");
    });
  }

  if (typeof document$ !== "undefined") document$.subscribe(setUp);
  else document.addEventListener("DOMContentLoaded", setUp);
})();
