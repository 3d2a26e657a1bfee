/* The activity calendar: each bar is placed on the year from its data-offset and data-width
 * (percentages of the year, computed by the server).
 *
 * The Content-Security-Policy refuses style= attributes in the page (decision 0019); a style
 * set from a script through the element's style object is allowed. A bar shows only once it is
 * placed: at the start of the year it would say the wrong thing. The dates are in the row's
 * label either way.
 */
(function () {
  "use strict";

  document.querySelectorAll(".tl-bar[data-offset]").forEach(function (bar) {
    bar.style.marginLeft = bar.getAttribute("data-offset") + "%";
    bar.style.width = bar.getAttribute("data-width") + "%";
    bar.classList.add("placed");
  });
  // The "today" line: a mark at today's place in the header and in every row's track.
  document.querySelectorAll(".tl-today[data-offset]").forEach(function (mark) {
    mark.style.left = mark.getAttribute("data-offset") + "%";
    mark.classList.add("placed");
  });
})();
