// Live alerts on the live calls page (calls.alerts): the "needs attention" list (#attention,
// rendered from the database and replaced whole by each live update) marks the cards of the
// calls it names (data-alert on the card), and a new alert plays a short tone, made here with
// the Web Audio API (nothing fetched). The sound's off switch is remembered per browser.
(function () {
  "use strict";
  var KEY = "liveAlerts.sound";
  var ORDER = ["red_flag", "human_request", "angry_caller", "tool_failures"]; // most urgent first
  var seen = null; // ids of the alerts already shown: only a new one sounds
  var audio = null;

  function soundOn() {
    try { return window.localStorage.getItem(KEY) !== "off"; } catch (e) { return true; }
  }

  function setSound(on) {
    try { window.localStorage.setItem(KEY, on ? "on" : "off"); } catch (e) { /* private mode */ }
    syncButtons();
  }

  function syncButtons() {
    var on = soundOn();
    document.querySelectorAll("[data-alert-sound]").forEach(function (button) {
      button.setAttribute("aria-pressed", on ? "true" : "false");
      button.textContent = on ? "Alert sound: on" : "Alert sound: off";
    });
  }

  // Browsers start audio suspended until the user has interacted with the page: any click
  // (the sound switch, an acknowledgement) wakes it.
  function context() {
    if (!audio) {
      var Context = window.AudioContext || window.webkitAudioContext;
      if (!Context) return null;
      audio = new Context();
    }
    if (audio.state === "suspended" && audio.resume) audio.resume();
    return audio;
  }

  function tone() {
    var ctx = context();
    if (!ctx) return;
    var start = ctx.currentTime;
    [[880, 0], [660, 0.18]].forEach(function (note) {
      var osc = ctx.createOscillator();
      var gain = ctx.createGain();
      var at = start + note[1];
      osc.type = "sine";
      osc.frequency.value = note[0];
      gain.gain.setValueAtTime(0.0001, at);
      gain.gain.exponentialRampToValueAtTime(0.25, at + 0.02);
      gain.gain.exponentialRampToValueAtTime(0.0001, at + 0.16);
      osc.connect(gain);
      gain.connect(ctx.destination);
      osc.start(at);
      osc.stop(at + 0.17);
    });
  }

  function mark() {
    var kinds = {};
    document.querySelectorAll("#attention-list [data-alert][data-call-id]").forEach(function (item) {
      var id = item.getAttribute("data-call-id");
      var kind = item.getAttribute("data-alert");
      if (!kinds[id] || ORDER.indexOf(kind) < ORDER.indexOf(kinds[id])) kinds[id] = kind;
    });
    document.querySelectorAll(".call-card[data-call-id]").forEach(function (card) {
      var kind = kinds[card.getAttribute("data-call-id")];
      if (kind) {
        card.setAttribute("data-alert", kind);
        card.classList.add("needs-attention");
      } else {
        card.removeAttribute("data-alert");
        card.classList.remove("needs-attention");
      }
    });
  }

  function refresh() {
    var first = seen === null;
    if (first) seen = {};
    var fresh = false;
    document.querySelectorAll("#attention-list [data-alert-id]").forEach(function (item) {
      var id = item.getAttribute("data-alert-id");
      if (!seen[id]) {
        seen[id] = true;
        if (!first) fresh = true;
      }
    });
    if (fresh && soundOn()) tone();
    mark();
    syncButtons();
    var details = document.querySelector("#attention details.acknowledged");
    if (details) details.open = acknowledgedOpen;
  }

  // The list is replaced whole on every update: keep "Recently acknowledged" as the user left it.
  var acknowledgedOpen = false;
  document.addEventListener("toggle", function (evt) {
    if (evt.target.matches && evt.target.matches("#attention details.acknowledged")) {
      acknowledgedOpen = evt.target.open;
    }
  }, true);

  document.addEventListener("click", function (evt) {
    var button = evt.target.closest && evt.target.closest("[data-alert-sound]");
    if (button) setSound(!soundOn());
    if (soundOn()) context();
  });
  document.addEventListener("htmx:wsAfterMessage", refresh);
  document.addEventListener("htmx:afterSettle", refresh);
  document.addEventListener("DOMContentLoaded", refresh);
})();
