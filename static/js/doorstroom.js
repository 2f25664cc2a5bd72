// Doorstroom: small progressive enhancements; every page works without them.
// After a refused save, move keyboard and screen-reader focus to the error summary.
document.addEventListener("DOMContentLoaded", function () {
  var summary = document.getElementById("form-errors");
  if (summary) {
    summary.setAttribute("tabindex", "-1");
    summary.focus();
  }
});
