// The appointment book. htmx does the talking; this adds what it does not do:
// booking by tapping a free time, moving an appointment by dragging it (mouse or touch),
// the line at the current time, and redrawing from the server after the socket was down
// (live messages are hints; the database is the truth).
(function () {
  "use strict";

  function configure() {
    // Form errors come back as 400/409/422 with the form to show: swap them in.
    if (!window.htmx) return;
    window.htmx.config.responseHandling = [
      { code: "204", swap: false },
      { code: "[23]..", swap: true },
      { code: "(400|409|422)", swap: true, error: false },
      { code: "[45]..", swap: false, error: true },
    ];
  }
  configure();

  function grid() { return document.getElementById("book-grid"); }
  function panel() { return document.getElementById("panel"); }
  function pad(n) { return n < 10 ? "0" + n : String(n); }
  function hhmm(minute) { return pad(Math.floor(minute / 60)) + ":" + pad(minute % 60); }
  function geometry() {
    var g = grid();
    var start = parseInt(g.getAttribute("data-day-start"), 10) || 0;
    var len = parseInt(g.getAttribute("data-day-len"), 10) || 1440;
    var interval = parseInt(g.getAttribute("data-interval"), 10) || 15;
    return { start: start, len: len, interval: interval };
  }
  // The minute of the local day at a viewport y inside a column.
  function minuteAt(col, clientY, snap) {
    var geo = geometry();
    var rect = col.getBoundingClientRect();
    var minute = geo.start + ((clientY - rect.top) / rect.height) * geo.len;
    minute = snap(minute / geo.interval) * geo.interval;
    return Math.max(0, Math.min(1440 - geo.interval, minute));
  }

  // --- Book by tapping a free time ---------------------------------------------------
  document.addEventListener("click", function (evt) {
    if (suppressClick) { evt.preventDefault(); evt.stopPropagation(); suppressClick = false; return; }
    var col = evt.target.closest && evt.target.closest(".book-col");
    if (!col || evt.target.closest(".appt") || evt.target.closest(".off") || evt.target.closest(".hold")) return;
    var minute = minuteAt(col, evt.clientY, Math.floor);
    var url = col.getAttribute("data-book-url") + "&time=" + hhmm(minute);
    window.htmx.ajax("GET", url, { target: "#panel", source: panel() });
  }, true);

  // --- Move by dragging ----------------------------------------------------------------
  var drag = null;
  var suppressClick = false;

  document.addEventListener("pointerdown", function (evt) {
    var block = evt.target.closest && evt.target.closest(".book-col > .appt");
    if (!block || evt.button !== 0) return;
    if (/status-(arrived|completed|no_show|cancelled)/.test(block.className)) return;
    var rect = block.getBoundingClientRect();
    drag = { block: block, x: evt.clientX, y: evt.clientY, grabY: evt.clientY - rect.top, moving: false, ghost: null, drop: null };
  });

  document.addEventListener("pointermove", function (evt) {
    if (!drag) return;
    if (!drag.moving) {
      if (Math.abs(evt.clientX - drag.x) + Math.abs(evt.clientY - drag.y) < 8) return;
      drag.moving = true;
      var rect = drag.block.getBoundingClientRect();
      drag.ghost = drag.block.cloneNode(true);
      drag.ghost.classList.add("drag-ghost");
      drag.ghost.removeAttribute("id");
      drag.ghost.style.width = rect.width + "px";
      drag.ghost.style.height = rect.height + "px";
      document.body.appendChild(drag.ghost);
      drag.block.classList.add("dragging");
    }
    evt.preventDefault();
    drag.ghost.style.left = (evt.clientX - drag.ghost.offsetWidth / 2) + "px";
    drag.ghost.style.top = (evt.clientY - drag.grabY) + "px";
    var under = document.elementFromPoint(evt.clientX, evt.clientY);
    var col = under && under.closest && under.closest(".book-col");
    if (drag.drop) { drag.drop.remove(); drag.drop = null; }
    if (col) {
      var minute = minuteAt(col, evt.clientY - drag.grabY, Math.round);
      drag.drop = document.createElement("div");
      drag.drop.className = "drop-ghost";
      drag.drop.style.setProperty("--start", minute);
      drag.drop.style.setProperty("--len", drag.block.style.getPropertyValue("--len"));
      drag.drop.textContent = hhmm(minute);
      col.appendChild(drag.drop);
    }
  });

  function endDrag(evt, cancelled) {
    if (!drag) return;
    var d = drag;
    drag = null;
    if (d.ghost) d.ghost.remove();
    if (d.drop) d.drop.remove();
    d.block.classList.remove("dragging");
    if (!d.moving || cancelled) return;
    suppressClick = true;
    setTimeout(function () { suppressClick = false; }, 400);
    var under = document.elementFromPoint(evt.clientX, evt.clientY);
    var col = under && under.closest && under.closest(".book-col");
    if (!col) return;
    var minute = minuteAt(col, evt.clientY - d.grabY, Math.round);
    window.htmx.ajax("POST", d.block.getAttribute("data-move-url"), {
      target: "#panel",
      source: panel(),
      values: { date: col.getAttribute("data-date"), time: hhmm(minute), staff: col.getAttribute("data-staff") },
    });
  }
  // A block is a link: keep the browser's own link dragging out of the way.
  document.addEventListener("dragstart", function (evt) {
    if (evt.target.closest && evt.target.closest(".book-col > .appt")) evt.preventDefault();
  });
  document.addEventListener("pointerup", function (evt) { endDrag(evt, false); });
  document.addEventListener("pointercancel", function (evt) { endDrag(evt, true); });

  // --- The line at the current time (in the business's zone) ---------------------------
  function nowLine() {
    var g = grid();
    if (!g) return;
    var parts = {};
    try {
      new Intl.DateTimeFormat("en-CA", {
        timeZone: g.getAttribute("data-tz") || undefined, year: "numeric", month: "2-digit",
        day: "2-digit", hour: "2-digit", minute: "2-digit", hourCycle: "h23",
      }).formatToParts(new Date()).forEach(function (p) { parts[p.type] = p.value; });
    } catch (e) { return; }
    var today = parts.year + "-" + parts.month + "-" + parts.day;
    var minute = parseInt(parts.hour, 10) * 60 + parseInt(parts.minute, 10);
    document.querySelectorAll(".book-col").forEach(function (col) {
      var line = col.querySelector(":scope > .now-line");
      if (col.getAttribute("data-date") !== today) { if (line) line.remove(); return; }
      if (!line) {
        line = document.createElement("div");
        line.className = "now-line";
        line.setAttribute("aria-hidden", "true");
        col.appendChild(line);
      }
      line.style.setProperty("--start", minute);
      line.style.setProperty("--len", 0);
    });
  }
  setInterval(nowLine, 30000);
  document.addEventListener("DOMContentLoaded", function () {
    configure();
    nowLine();
    // Scroll the current time (or the first appointment) into view.
    var target = document.querySelector(".book-col > .now-line") || document.querySelector(".book-col > .appt");
    var scroller = document.querySelector(".book-scroll");
    if (target && scroller) scroller.scrollTop = Math.max(0, target.offsetTop - 120);
  });
  ["htmx:afterSettle", "htmx:oobAfterSwap", "htmx:wsAfterMessage"].forEach(function (name) {
    document.addEventListener(name, nowLine);
  });
})();
