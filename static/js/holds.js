// Counts down each slot hold on the book (bookings.holds) and hides it when it ends:
// the server drew it with its expiry; an expired hold blocks nothing, so it leaves the book.
(function () {
  "use strict";
  function tick() {
    var now = Date.now();
    document.querySelectorAll("[data-hold-expires]").forEach(function (block) {
      var left = Math.max(0, Math.round((Date.parse(block.dataset.holdExpires) - now) / 1000));
      var label = block.querySelector("[data-hold-countdown]");
      if (label) label.textContent = Math.floor(left / 60) + ":" + String(left % 60).padStart(2, "0");
      block.classList.toggle("is-expired", left === 0);
    });
  }
  tick();
  setInterval(tick, 1000);
})();
