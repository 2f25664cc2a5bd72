// Doorstroom: follows the progress of background tasks (jobs/templates/jobs/_progress.html).
// Without JavaScript the page shows the state it was loaded with; reloading it shows the latest.
document.addEventListener("DOMContentLoaded", function () {
  function follow(box) {
    var bar = box.querySelector(".progress");
    var fill = box.querySelector(".progress-bar");
    var count = box.querySelector(".job-count");
    var state = box.querySelector(".job-state");
    var outcome = box.querySelector(".job-outcome");
    var delay = 700;
    function show(job) {
      state.textContent = job.status_label;
      if (job.percent !== null) {
        fill.style.width = job.percent + "%";
        bar.setAttribute("aria-valuenow", job.percent);
      }
      if (job.total) {
        count.textContent = (box.dataset.countText || "{done} / {total}")
          .replace("{done}", job.done.toLocaleString("nl-BE"))
          .replace("{total}", job.total.toLocaleString("nl-BE"));
      }
      if (job.finished) {
        fill.classList.remove("progress-bar-striped", "progress-bar-animated");
        if (job.download_url && !outcome.querySelector("a")) {
          var link = document.createElement("a");
          link.className = "btn btn-sm btn-primary job-download";
          link.href = job.download_url;
          link.textContent = box.dataset.downloadText || "Download";
          outcome.appendChild(link);
        }
        if (job.error && !outcome.querySelector("p")) {
          var error = document.createElement("p");
          error.className = "text-danger small mb-0";
          error.textContent = job.error;
          outcome.appendChild(error);
        }
      }
    }
    function poll() {
      fetch(box.dataset.jobStatus, { credentials: "same-origin", headers: { Accept: "application/json" } })
        .then(function (response) {
          return response.ok ? response.json() : null;
        })
        .then(function (job) {
          if (!job) {
            return;
          }
          show(job);
          if (!job.finished) {
            delay = Math.min(delay * 1.2, 3000);
            window.setTimeout(poll, delay);
          }
        })
        .catch(function () {
          window.setTimeout(poll, 5000);
        });
    }
    window.setTimeout(poll, delay);
  }
  // The page's Content-Security-Policy allows no style attribute: each bar's width is set here, from its data.
  document.querySelectorAll(".job-progress .progress-bar").forEach(function (fill) {
    fill.style.width = (fill.dataset.percent || 0) + "%";
  });
  document.querySelectorAll("[data-job-active]").forEach(follow);
});
