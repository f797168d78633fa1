// Keyboard navigation for lagebild's pages: no framework, no network, nothing inline.
// j / k: next / previous item of a list (stories, hits, articles); Enter or o: open it;
// "/": focus the search field; Escape: leave a field. Links and forms work without it.
(function () {
  "use strict";
  var current = -1;

  function items() {
    return Array.prototype.slice.call(document.querySelectorAll("[data-nav]"));
  }

  function select(index) {
    var list = items();
    if (!list.length) return;
    current = Math.max(0, Math.min(index, list.length - 1));
    list.forEach(function (el, i) { el.classList.toggle("kbd-current", i === current); });
    var link = list[current].querySelector("a");
    if (link) link.focus({ preventScroll: true });
    list[current].scrollIntoView({ block: "nearest" });
  }

  function typing(target) {
    var tag = target && target.tagName;
    return tag === "INPUT" || tag === "TEXTAREA" || tag === "SELECT" || (target && target.isContentEditable);
  }

  document.addEventListener("keydown", function (event) {
    if (event.ctrlKey || event.metaKey || event.altKey) return;
    if (typing(event.target)) {
      if (event.key === "Escape") event.target.blur();
      return;
    }
    if (event.key === "j") { select(current + 1); event.preventDefault(); }
    else if (event.key === "k") { select(current - 1); event.preventDefault(); }
    else if (event.key === "o" && current >= 0) {
      var link = items()[current].querySelector("a");
      if (link) link.click();
    } else if (event.key === "/") {
      var field = document.querySelector("input[type=search]");
      if (field) { field.focus(); field.select(); event.preventDefault(); }
    }
  });
})();
