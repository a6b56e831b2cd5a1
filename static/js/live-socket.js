// Live pages (data-live-socket, htmx ws extension): show the connection state in
// #conn-status and, after a drop, redraw from the database (data-refresh-url), since
// messages sent while we were away are lost: the database is the truth, messages are hints.
(function () {
  "use strict";
  // Reconnect after 0.5, 1, 2, 4 s, then every 5 s at most, each with jitter so a restarted
  // server is not hit by every page at once (the extension's default grows to 64 s).
  if (window.htmx) {
    window.htmx.config.wsReconnectDelay = function (retryCount) {
      var ceiling = Math.min(5000, 500 * Math.pow(2, retryCount));
      return ceiling / 2 + Math.random() * (ceiling / 2);
    };
  }
  // While the socket is down its content is stale: marked (greyed, timers stopped) until
  // the redraw from the database after reconnecting.
  function stale(evt, on) {
    var socket = evt.target.closest && evt.target.closest("[data-live-socket]");
    if (socket) socket.classList.toggle("stale", on);
  }
  function status(text, down) {
    var el = document.getElementById("conn-status");
    if (!el) return;
    el.textContent = text;
    el.classList.toggle("down", !!down);
  }
  var dropped = false;
  document.addEventListener("htmx:wsOpen", function (evt) {
    status("Live", false);
    var socket = evt.target.closest("[data-live-socket]");
    if (dropped && socket && window.htmx) {
      var url = socket.getAttribute("data-refresh-url");
      var target = socket.firstElementChild;
      if (url && target) {
        window.htmx
          .ajax("GET", url, { target: target, swap: "outerHTML" })
          .then(function () { socket.classList.remove("stale"); });
      } else {
        socket.classList.remove("stale");
      }
    }
    dropped = false;
  });
  document.addEventListener("htmx:wsClose", function (evt) {
    dropped = true;
    stale(evt, true);
    status("Connection lost: reconnecting…", true);
  });
  document.addEventListener("htmx:wsError", function (evt) {
    stale(evt, true);
    status("Connection lost: reconnecting…", true);
  });
})();
