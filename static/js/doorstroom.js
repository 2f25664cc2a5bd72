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

// A select marked data-filter="<label>" gets a search box above it that hides the options whose
// text does not contain what is typed (the select itself still works without it).
document.addEventListener("DOMContentLoaded", function () {
  var selects = document.querySelectorAll("select[data-filter]");
  Array.prototype.forEach.call(selects, function (select) {
    var box = document.createElement("input");
    box.type = "search";
    box.className = "form-control mb-1 select-filter";
    box.setAttribute("aria-label", select.getAttribute("data-filter"));
    box.setAttribute("placeholder", select.getAttribute("data-filter"));
    box.setAttribute("aria-controls", select.id);
    box.addEventListener("input", function () {
      var wanted = box.value.trim().toLowerCase();
      var shown = [];
      Array.prototype.forEach.call(select.options, function (option) {
        var match = !option.value || option.text.toLowerCase().indexOf(wanted) !== -1;
        option.hidden = !match;
        if (match && option.value) {
          shown.push(option);
        }
      });
      if (wanted && shown.length === 1) {
        select.value = shown[0].value;
      }
    });
    select.parentNode.insertBefore(box, select);
  });
});
