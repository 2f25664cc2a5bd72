// Doorstroom: small progressive enhancements; every page works without them.
document.addEventListener("DOMContentLoaded", function () {
  // After a refused save, move keyboard and screen-reader focus to the error summary.
  var summary = document.getElementById("form-errors");
  if (summary) {
    summary.setAttribute("tabindex", "-1");
    summary.focus();
  }

  // A table wider than the screen scrolls sideways in its container: the container can then be
  // reached with Tab and scrolled with the arrow keys, and says what it holds (WCAG 2.1.1;
  // axe: scrollable-region-focusable). Containers the template already made focusable are left as they are.
  function nameOf(container) {
    var caption = container.querySelector("caption");
    var heading = document.querySelector("main h1");
    return (caption && caption.textContent.trim()) || (heading && heading.textContent.trim()) || document.title;
  }
  function markScrollable() {
    var containers = document.querySelectorAll(".table-container, .table-responsive");
    containers.forEach(function (container) {
      if (container.dataset.scrollableByTemplate === "true") {
        return;
      }
      if (container.scrollWidth > container.clientWidth + 1) {
        container.setAttribute("tabindex", "0");
        container.setAttribute("role", "region");
        if (!container.hasAttribute("aria-label")) {
          container.setAttribute("aria-label", nameOf(container));
        }
      } else if (container.getAttribute("tabindex") === "0") {
        container.removeAttribute("tabindex");
        container.removeAttribute("role");
      }
    });
  }
  markScrollable();
  window.addEventListener("resize", markScrollable);
});
