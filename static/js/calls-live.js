// Live call pages: htmx's ws extension swaps fragments by id (hx-swap-oob). This adds the
// three things it does not do: place a fragment whose element is not on the page yet (a new
// call, a new transcript line), tick durations, and tell the user when the socket drops,
// then redraw from the server once it is back (live messages are hints; the database is
// the truth).
(function () {
  "use strict";

  function place(el) {
    var listId = el.getAttribute("data-list");
    var list = listId && document.getElementById(listId);
    if (!list) return;
    var seq = el.getAttribute("data-seq");
    if (seq === null) {
      list.insertBefore(el, list.firstChild);
    } else {
      var n = parseInt(seq, 10);
      var after = Array.prototype.find.call(list.children, function (child) {
        return parseInt(child.getAttribute("data-seq"), 10) > n;
      });
      list.insertBefore(el, after || null);
    }
    if (window.htmx) window.htmx.process(el);
    tick();
  }

  document.addEventListener("htmx:oobErrorNoTarget", function (evt) {
    var el = evt.detail && evt.detail.content;
    if (el && el.getAttribute && el.getAttribute("data-list")) place(el);
  });

  function pad(n) { return n < 10 ? "0" + n : String(n); }
  function tick() {
    var now = Date.now();
    document.querySelectorAll("[data-since]").forEach(function (el) {
      if (el.closest(".stale")) return; // not live: do not count on as if it were
      var since = Date.parse(el.getAttribute("data-since"));
      if (isNaN(since)) return;
      var s = Math.max(0, Math.floor((now - since) / 1000));
      var h = Math.floor(s / 3600), m = Math.floor((s % 3600) / 60);
      el.textContent = (h ? h + ":" + pad(m) : m) + ":" + pad(s % 60);
    });
  }
  // A redrawn card arrives saying 0:00: count it at once, in the same task as the swap.
  document.addEventListener("htmx:wsAfterMessage", tick);
  document.addEventListener("htmx:afterSwap", tick);
  setInterval(tick, 1000);
  document.addEventListener("DOMContentLoaded", tick);
})();
