// Live progress of a planning run: poll its figures, reload when it ends.
(function () {
  var panel = document.getElementById("progress");
  if (!panel) return;
  var url = panel.dataset.url;
  function show(id, value) {
    var node = document.getElementById(id);
    if (node) node.textContent = value === null || value === undefined ? "–" : value;
  }
  function poll() {
    fetch(url, { headers: { Accept: "application/json" }, credentials: "same-origin" })
      .then(function (response) { return response.json(); })
      .then(function (progress) {
        document.getElementById("progress-bar").value = Math.min(progress.elapsed || 0, progress.time_limit);
        show("progress-elapsed", progress.elapsed);
        show("progress-objective", progress.objective);
        show("progress-bound", progress.bound);
        show("progress-status", progress.status_label || progress.status);
        if (progress.status === "queued" || progress.status === "running") {
          setTimeout(poll, 1000);
        } else {
          window.location.reload();
        }
      })
      .catch(function () { setTimeout(poll, 3000); });
  }
  setTimeout(poll, 1000);
})();
