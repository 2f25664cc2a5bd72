// Doorstroom: small progressive enhancements; every page works without them.
// After a refused save, move keyboard and screen-reader focus to the error summary.
document.addEventListener("DOMContentLoaded", function () {
  var summary = document.getElementById("form-errors");
  if (summary) {
    summary.setAttribute("tabindex", "-1");
    summary.focus();
  }
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
