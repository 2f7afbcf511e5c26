// The budget screen's chart (templates/spending/budget.html): the figures come from the page's
// <script type="application/json" id="budget-chart-data"> block (the CSP allows no inline script), drawn with
// the vendored Chart.js; the same figures are in the table under the chart. Drawn again after an htmx swap
// (a year or CPAS change replaces the canvas).
(function () {
  var drawn = null;

  function draw() {
    var canvas = document.getElementById("budget-chart");
    var source = document.getElementById("budget-chart-data");
    if (!canvas || !source || !window.Chart) return;
    if (drawn && drawn.canvas === canvas) return;
    if (drawn) drawn.destroy();
    var data = JSON.parse(source.textContent);
    var money = new Intl.NumberFormat(data.locale, { style: "currency", currency: "EUR", maximumFractionDigits: 0 });
    var series = data.series;
    drawn = new window.Chart(canvas, {
      type: "line",
      data: {
        labels: data.labels,
        datasets: [
          { label: series.granted.label, data: series.granted.values, borderColor: "#1b4f8a", borderDash: [6, 4],
            pointRadius: 0, borderWidth: 2, fill: false },
          { label: series.used.label, data: series.used.values, borderColor: "#b36b00",
            backgroundColor: "rgba(179, 107, 0, 0.12)", borderWidth: 2, fill: true },
          { label: series.spent.label, data: series.spent.values, borderColor: "#2e7d32",
            backgroundColor: "rgba(46, 125, 50, 0.25)", borderWidth: 3, fill: true },
        ],
      },
      options: {
        responsive: true,
        maintainAspectRatio: false,
        animation: false,  // the figures are there at once, and a browser test reads the pixels
        interaction: { mode: "index", intersect: false },
        scales: { y: { beginAtZero: true, ticks: { callback: function (value) { return money.format(value); } } } },
        plugins: {
          legend: { position: "bottom" },
          tooltip: { callbacks: { label: function (item) { return item.dataset.label + ": " + money.format(item.parsed.y); } } },
        },
      },
    });
  }

  document.addEventListener("DOMContentLoaded", draw);
  document.addEventListener("htmx:afterSettle", draw);
})();
