// The trial form suggests the visitor's own time zone (when it is one of the choices) on a
// fresh form; a form sent back with errors keeps what they chose. A file, not an inline
// script, so a strict Content-Security-Policy allows it.
(function () {
  "use strict";
  function suggest() {
    var select = document.querySelector("select[data-browser-zone]");
    if (!select) return;
    var zone;
    try { zone = Intl.DateTimeFormat().resolvedOptions().timeZone; } catch (e) { return; }
    if (!zone) return;
    for (var i = 0; i < select.options.length; i++) {
      if (select.options[i].value === zone) { select.value = zone; return; }
    }
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", suggest);
  else suggest();
})();
