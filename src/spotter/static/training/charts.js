/* Progress charts (Chart.js, vendored): the data is in the page (#chart-data on the
   dashboard, #lift-data on a lift's page), already bucketed by the server. Dates are
   drawn on a linear time axis (no date adapter needed). Clicking a 1RM line opens that
   lift's history. */
(function () {
  "use strict";

  var PALETTE = ["#2563eb", "#f97316", "#16a34a", "#9333ea", "#dc2626", "#0891b2", "#ca8a04", "#db2777"];

  function css(name, fallback) {
    var value = getComputedStyle(document.documentElement).getPropertyValue(name).trim();
    return value || fallback;
  }
  function brand(i) { return i === 0 ? css("--brand", PALETTE[0]) : PALETTE[i % PALETTE.length]; }
  function day(iso) { return Date.parse(iso + "T00:00:00Z"); }
  function label(ms, bucket) {
    var d = new Date(ms);
    var opts = bucket === "month" ? { month: "short", year: "2-digit", timeZone: "UTC" } : { day: "numeric", month: "short", timeZone: "UTC" };
    return d.toLocaleDateString(undefined, opts);
  }
  function read(id) {
    var el = document.getElementById(id);
    return el ? JSON.parse(el.textContent) : null;
  }
  function base() {
    Chart.defaults.color = css("--muted", "#5b6474");
    Chart.defaults.borderColor = css("--border", "#dfe3ea");
    Chart.defaults.font.family = css("--font", "system-ui");
    Chart.defaults.maintainAspectRatio = false;
  }
  function timeAxis(data, bucket) {
    return {
      type: "linear", min: day(data.from), max: day(data.to),
      ticks: { maxTicksLimit: 6, callback: function (v) { return label(v, bucket); } },
    };
  }
  function tooltipTitle(bucket) {
    return function (items) { return items.length ? label(items[0].parsed.x, bucket) : ""; };
  }

  function strength(data) {
    var canvas = document.getElementById("chart-strength");
    if (!canvas || !data.lifts.length) return;
    var client = data.client_id;
    new Chart(canvas, {
      type: "line",
      data: {
        datasets: data.lifts.map(function (lift, i) {
          return {
            label: lift.name + (lift.plateau ? " (plateau)" : ""),
            data: lift.points.map(function (p) { return { x: day(p.x), y: p.y }; }),
            borderColor: brand(i), backgroundColor: brand(i), tension: .25, pointRadius: 3, liftId: lift.id,
          };
        }),
      },
      options: {
        interaction: { mode: "nearest", intersect: false },
        scales: { x: timeAxis(data, data.lift_bucket), y: { title: { display: true, text: data.unit } } },
        plugins: {
          tooltip: { callbacks: { title: tooltipTitle(data.lift_bucket), label: function (c) { return c.dataset.label + ": " + c.parsed.y + " " + data.unit; } } },
          legend: { position: "bottom" },
        },
        onClick: function (event, elements, chart) {
          if (!elements.length) return;
          var dataset = chart.data.datasets[elements[0].datasetIndex];
          window.location.href = "/clients/" + client + "/progress/lifts/" + dataset.liftId;
        },
      },
    });
  }

  function volume(data) {
    var canvas = document.getElementById("chart-volume");
    if (!canvas || !data.volume.muscles.length) return;
    var labels = data.volume.labels.map(function (iso) { return label(day(iso), data.bucket); });
    var shown = data.volume.muscles.slice(0, 6);
    var rest = data.volume.muscles.slice(6);
    var datasets = shown.map(function (m, i) {
      return { type: "bar", label: m.name, data: m.sets, backgroundColor: brand(i), stack: "sets", yAxisID: "y" };
    });
    if (rest.length) {
      datasets.push({
        type: "bar", label: "Other", stack: "sets", yAxisID: "y", backgroundColor: css("--border", "#dfe3ea"),
        data: labels.map(function (_, j) { return rest.reduce(function (sum, m) { return sum + m.sets[j]; }, 0); }),
      });
    }
    datasets.push({ type: "line", label: "Tonnage (" + data.unit + ")", data: data.volume.tonnage, yAxisID: "kg",
      borderColor: css("--text", "#111827"), backgroundColor: css("--text", "#111827"), pointRadius: 2, tension: .25 });
    new Chart(canvas, {
      data: { labels: labels, datasets: datasets },
      options: {
        interaction: { mode: "index", intersect: false },
        scales: {
          x: { stacked: true },
          y: { stacked: true, beginAtZero: true, title: { display: true, text: "sets" } },
          kg: { position: "right", beginAtZero: true, grid: { drawOnChartArea: false }, title: { display: true, text: data.unit } },
        },
        plugins: { legend: { position: "bottom" } },
      },
    });
  }

  function adherence(data) {
    var canvas = document.getElementById("chart-adherence");
    if (!canvas) return;
    var a = data.adherence;
    new Chart(canvas, {
      type: "bar",
      data: {
        labels: a.labels.map(function (iso) { return label(day(iso), data.bucket); }),
        datasets: [
          { label: "Scheduled", data: a.scheduled, backgroundColor: "transparent", borderColor: css("--muted", "#5b6474"), borderWidth: 1.5, grouped: true },
          { label: "Done", data: a.completed, backgroundColor: brand(0) },
          { label: "Free workouts", data: a.extra, backgroundColor: PALETTE[1] },
        ],
      },
      options: {
        scales: { y: { beginAtZero: true, ticks: { precision: 0 } } },
        plugins: { legend: { position: "bottom" } },
      },
    });
  }

  function lift(data) {
    var canvas = document.getElementById("chart-lift");
    if (!canvas) return;
    new Chart(canvas, {
      type: "line",
      data: {
        datasets: [
          { label: "Estimated 1RM", data: data.e1rm.map(function (p) { return { x: day(p.x), y: p.y }; }), borderColor: brand(0), backgroundColor: brand(0), tension: .25 },
          { label: "Heaviest load", data: data.max_load.map(function (p) { return { x: day(p.x), y: p.y }; }), borderColor: PALETTE[1], backgroundColor: PALETTE[1], borderDash: [4, 3], tension: .25 },
        ],
      },
      options: {
        interaction: { mode: "nearest", intersect: false },
        scales: { x: timeAxis(data, data.bucket), y: { title: { display: true, text: data.unit } } },
        plugins: {
          tooltip: { callbacks: { title: tooltipTitle(data.bucket), label: function (c) { return c.dataset.label + ": " + c.parsed.y + " " + data.unit; } } },
          legend: { position: "bottom" },
        },
      },
    });
  }

  document.addEventListener("DOMContentLoaded", function () {
    if (!window.Chart) return;
    base();
    var dashboard = read("chart-data");
    if (dashboard) { strength(dashboard); volume(dashboard); adherence(dashboard); }
    var one = read("lift-data");
    if (one) lift(one);
  });
})();
