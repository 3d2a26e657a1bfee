/* An exchange's tree of formations and units: "Expand all" and "Collapse all" open or close
 * every branch in place. Without a script the two are links that ask the server for the page
 * with every branch open or closed, and each branch is a <details> the reader opens alone. */
(function () {
  "use strict";

  var tree = document.getElementById("unit-tree");
  if (!tree) {
    return;
  }
  document.querySelectorAll("[data-tree-toggle]").forEach(function (control) {
    control.addEventListener("click", function (event) {
      event.preventDefault();
      var open = control.getAttribute("data-tree-toggle") === "open";
      tree.querySelectorAll("details").forEach(function (details) {
        details.open = open;
      });
      tree.setAttribute("data-expanded", open ? "all" : "none");
    });
  });
})();
