// credo's pages need little script: draw the charts (their figures are in data-figure, built by
// credo/web/charts.py) once the page is laid out, and follow a point's link when it is clicked.
document.addEventListener("DOMContentLoaded", function () {
  if (typeof Plotly === "undefined") return;
  document.querySelectorAll(".plotly-chart[data-figure]").forEach(function (chart) {
    var figure = JSON.parse(chart.dataset.figure);
    var config = JSON.parse(chart.dataset.config || "{}");
    Plotly.newPlot(chart, figure.data, figure.layout, config).then(function () {
      chart.on("plotly_click", function (event) {
        var point = event && event.points && event.points[0];
        if (point && typeof point.customdata === "string") window.location.href = point.customdata;
      });
    });
  });
});

// A select marked data-submit-on-change sends its form when a choice is made (the company picker).
document.addEventListener("change", function (event) {
  if (event.target.matches && event.target.matches("select[data-submit-on-change]")) event.target.form.submit();
});

// One group of the menu open at a time; a click elsewhere or Escape closes it.
document.addEventListener("click", function (event) {
  document.querySelectorAll("nav.menu details[open]").forEach(function (group) {
    if (!group.contains(event.target)) group.removeAttribute("open");
  });
});
document.addEventListener("keydown", function (event) {
  if (event.key !== "Escape") return;
  document.querySelectorAll("nav.menu details[open]").forEach(function (group) { group.removeAttribute("open"); });
});
