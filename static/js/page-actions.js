// Small behaviours declared in the markup, so that pages need no inline handlers (the
// Content-Security-Policy allows scripts from this origin only):
//   <select data-submit-on-change>      submits its form when changed
//   <select data-go-on-change>          goes to the chosen option's value (a URL)
//   <form data-confirm="Question?">     asks before submitting
//   <button data-empty-closest=".sel">  empties the nearest enclosing .sel (closes a panel)
//   <a data-go-back>                    goes back in the history
// Listeners sit on the document: content swapped in by htmx behaves the same.
(function () {
  "use strict";
  document.addEventListener("change", function (event) {
    var target = event.target;
    if (!(target instanceof HTMLElement)) return;
    if (target.hasAttribute("data-submit-on-change") && target.form) {
      if (target.form.requestSubmit) target.form.requestSubmit();
      else target.form.submit();
    } else if (target.hasAttribute("data-go-on-change") && target.value) {
      window.location.href = target.value;
    }
  });
  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (form instanceof HTMLFormElement && form.dataset.confirm && !window.confirm(form.dataset.confirm)) {
      event.preventDefault();
      event.stopImmediatePropagation();
    }
  }, true);
  document.addEventListener("click", function (event) {
    var target = event.target instanceof Element ? event.target : null;
    var closer = target && target.closest("[data-empty-closest]");
    if (closer) {
      var panel = closer.closest(closer.getAttribute("data-empty-closest"));
      if (panel) panel.innerHTML = "";
      return;
    }
    var back = target && target.closest("[data-go-back]");
    if (back) {
      event.preventDefault();
      window.history.back();
    }
  });
})();
