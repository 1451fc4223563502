// The language menu leads to the same page in the other language (overrides/partials/alternate.html); this keeps
// the place on it too: the address's #anchor (a section, or the planner's #plan=…) follows the reader.
(function () {
  "use strict";

  function keepAnchor() {
    document.querySelectorAll(".md-select__link[hreflang]").forEach(function (link) {
      var target = new URL(link.getAttribute("href"), window.location.href);
      target.hash = window.location.hash;
      link.href = target.href;
    });
  }

  window.addEventListener("hashchange", keepAnchor);
  // the planner changes the address with history.replaceState, which fires no event: read it when the menu is used
  document.addEventListener("pointerdown", keepAnchor, true);
  document.addEventListener("focusin", keepAnchor, true);
  if (typeof document$ !== "undefined") document$.subscribe(keepAnchor);
  else document.addEventListener("DOMContentLoaded", keepAnchor);
})();
