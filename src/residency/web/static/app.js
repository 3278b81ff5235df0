// Residency Scheduler: a little progressive enhancement. Every page works without it.
(function () {
  "use strict";

  // 1. Move focus to an error summary, so keyboard and screen-reader users land on it.
  function focusErrors() {
    var summary = document.querySelector("[data-focus-on-load]");
    if (summary) { summary.focus(); }
  }

  // 2. Copy buttons: <button data-copy-target="id"> copies that input's value.
  function setUpCopyButtons() {
    document.querySelectorAll("button[data-copy-target]").forEach(function (button) {
      button.hidden = false;
      button.addEventListener("click", function () {
        var input = document.getElementById(button.getAttribute("data-copy-target"));
        var status = document.getElementById(button.getAttribute("data-copy-status"));
        if (!input) { return; }
        function done(message) { if (status) { status.textContent = message; } }
        function fallback() {
          input.focus();
          input.select();
          try {
            done(document.execCommand("copy") ? "Copied." : "Selected: press Ctrl+C to copy.");
          } catch (error) {
            done("Selected: press Ctrl+C to copy.");
          }
        }
        if (navigator.clipboard && window.isSecureContext) {
          navigator.clipboard.writeText(input.value).then(function () { done("Copied."); }, fallback);
        } else {
          fallback();
        }
      });
    });
  }

  // 3. Confirm destructive actions: <form data-confirm="Are you sure?">.
  function setUpConfirms() {
    document.querySelectorAll("form[data-confirm]").forEach(function (form) {
      form.addEventListener("submit", function (event) {
        if (!window.confirm(form.getAttribute("data-confirm"))) { event.preventDefault(); }
      });
    });
  }

  // 4. Live run progress over server-sent events.
  function formatNumber(value, digits) {
    if (value === null || value === undefined) { return "–"; }
    if (Number.isInteger(value)) { return value.toLocaleString("en-US"); }
    return value.toLocaleString("en-US", { maximumFractionDigits: digits });
  }
  function formatElapsed(seconds) {
    seconds = Math.max(0, Math.round(seconds));
    var minutes = Math.floor(seconds / 60);
    return (minutes ? minutes + " min " : "") + (seconds % 60) + " s";
  }
  function setUpRunProgress() {
    var panel = document.querySelector("[data-run-events]");
    if (!panel || !window.EventSource) { return; }
    var fields = {};
    panel.querySelectorAll("[data-field]").forEach(function (el) { fields[el.getAttribute("data-field")] = el; });
    var bar = panel.querySelector("progress");
    var startedAt = panel.getAttribute("data-started-at");
    var finishedAt = null;
    var live = panel.querySelector("[data-live-note]");
    if (live) { live.textContent = "Updating live."; }
    var ticker = window.setInterval(function () {
      if (startedAt && !finishedAt && fields.elapsed) {
        fields.elapsed.textContent = formatElapsed((Date.now() - Date.parse(startedAt)) / 1000);
      }
    }, 1000);
    var source = new EventSource(panel.getAttribute("data-run-events"));
    source.addEventListener("progress", function (event) {
      var run = JSON.parse(event.data);
      if (fields.status) { fields.status.textContent = run.status; }
      if (fields.phase) { fields.phase.textContent = run.phase || "–"; }
      if (fields.objective) { fields.objective.textContent = formatNumber(run.objective, 2); }
      if (fields.bound) { fields.bound.textContent = formatNumber(run.bound, 2); }
      if (fields.gap) {
        fields.gap.textContent = run.gap === null || run.gap === undefined ? "–" : (run.gap * 100).toFixed(1) + " %";
      }
      if (bar) { bar.value = run.progress || 0; bar.textContent = Math.round((run.progress || 0) * 100) + " %"; }
      if (run.started_at) { startedAt = run.started_at; }
      if (run.finished_at) { finishedAt = run.finished_at; }
    });
    source.addEventListener("end", function () {
      source.close();
      window.clearInterval(ticker);
      if (live) { live.textContent = "The run has ended: loading the result."; }
      var query = window.location.search.replace(/([?&])notice=[^&]*&?/, "$1").replace(/[?&]$/, "");
      window.location.replace(window.location.pathname + query);
    });
    source.onerror = function () {
      if (live) { live.textContent = "Live updates paused; reload the page to see the latest."; }
    };
  }

  document.addEventListener("DOMContentLoaded", function () {
    focusErrors();
    setUpCopyButtons();
    setUpConfirms();
    setUpRunProgress();
  });
})();
