// Live pages (data-live-socket, htmx ws extension): show the connection state in
// #conn-status and, after a drop, redraw from the database (data-refresh-url), since
// messages sent while we were away are lost: the database is the truth, messages are hints.
(function () {
  "use strict";
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
      if (url && target) window.htmx.ajax("GET", url, { target: target, swap: "outerHTML" });
    }
    dropped = false;
  });
  document.addEventListener("htmx:wsClose", function () {
    dropped = true;
    status("Connection lost: reconnecting…", true);
  });
  document.addEventListener("htmx:wsError", function () {
    status("Connection lost: reconnecting…", true);
  });
})();
