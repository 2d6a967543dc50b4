/* Body charts (templates/progress/_body_charts.html): fetch only what is drawn for the
   chosen range and draw it with the vendored Chart.js. Dates are UTC days on a linear
   axis, so gaps in the log keep their real width without a date adapter. */
(function () {
  "use strict";

  function cssVar(name, fallback) {
    var value = getComputedStyle(document.documentElement).getPropertyValue(name).trim();
    return value || fallback;
  }

  function utcDay(iso) {
    var p = iso.split("-");
    return Date.UTC(+p[0], +p[1] - 1, +p[2]);
  }

  var shortDay = new Intl.DateTimeFormat(undefined, { day: "numeric", month: "short", timeZone: "UTC" });
  var monthYear = new Intl.DateTimeFormat(undefined, { month: "short", year: "2-digit", timeZone: "UTC" });

  function xy(list) {
    return list.map(function (p) { return { x: utcDay(p.on), y: p.value }; });
  }

  function xAxis(data) {
    var span = data.from_on ? (utcDay(data.to_on) - utcDay(data.from_on)) / 86400000 : 0;
    var format = span > 180 ? monthYear : shortDay;
    return {
      type: "linear",
      min: data.from_on ? utcDay(data.from_on) : undefined,
      max: utcDay(data.to_on),
      grid: { display: false },
      ticks: { maxTicksLimit: 6, callback: function (v) { return format.format(new Date(v)); } },
    };
  }

  function tooltipTitle(items) {
    return items.length ? shortDay.format(new Date(items[0].parsed.x)) : "";
  }

  function number(v) {
    return (Math.round(v * 10) / 10).toLocaleString(undefined, { maximumFractionDigits: 1 });
  }

  function summary(data) {
    var w = data.weight, avg = data.weight_average;
    if (!w.length) return "";
    var parts = ["Latest " + number(w[w.length - 1].value) + " " + data.unit];
    if (avg.length) parts.push("7-day average " + number(avg[avg.length - 1].value) + " " + data.unit);
    if (avg.length > 1) {
      var change = avg[avg.length - 1].value - avg[0].value;
      parts.push((change > 0 ? "+" : change < 0 ? "−" : "±") + number(Math.abs(change)) + " " + data.unit + " over this range");
    }
    if (data.bucket_days > 1) parts.push("each point is a " + data.bucket_days + "-day mean");
    return parts.join(" · ");
  }

  function setup(root) {
    if (root.dataset.ready || typeof window.Chart === "undefined") return;
    root.dataset.ready = "1";
    var Chart = window.Chart;
    var charts = {};
    var buttons = root.querySelectorAll("[data-range]");
    var brand = cssVar("--brand", "#2563eb");
    var accent = cssVar("--accent", "#f97316");
    Chart.defaults.color = cssVar("--muted", "#5b6474");
    Chart.defaults.font.family = cssVar("--font", "system-ui");

    function replace(name, config) {
      if (charts[name]) charts[name].destroy();
      var canvas = root.querySelector('[data-chart="' + name + '"]');
      charts[name] = new Chart(canvas, config);
    }

    function options(data, scales) {
      return {
        maintainAspectRatio: false,
        animation: false,
        interaction: { mode: "nearest", axis: "x", intersect: false },
        plugins: { legend: { position: "bottom", labels: { boxWidth: 12 } }, tooltip: { callbacks: { title: tooltipTitle } } },
        scales: Object.assign({ x: xAxis(data) }, scales),
      };
    }

    function draw(data) {
      var empty = !data.weight.length && !data.body_fat.length;
      root.querySelector(".chart-empty").hidden = !empty;
      root.querySelector('[data-chart="weight"]').closest("figure").hidden = empty;
      root.querySelector(".chart-summary").textContent = summary(data);
      replace("weight", {
        type: "line",
        data: {
          datasets: [
            { label: "Weigh-ins (" + data.unit + ")", data: xy(data.weight), showLine: false, pointRadius: 2.5, borderColor: brand, backgroundColor: brand },
            { label: "7-day average", data: xy(data.weight_average), borderColor: accent, backgroundColor: accent, pointRadius: 0, borderWidth: 2.5, tension: 0.3 },
          ],
        },
        options: options(data, { y: { title: { display: true, text: data.unit } } }),
      });
      var composition = root.querySelector("[data-composition]");
      composition.hidden = !data.body_fat.length;
      if (!data.body_fat.length) return;
      replace("composition", {
        type: "line",
        data: {
          datasets: [
            { label: "Body fat (%)", data: xy(data.body_fat), borderColor: accent, backgroundColor: accent, yAxisID: "fat", tension: 0.2, pointRadius: 3 },
            { label: "Lean mass (" + data.unit + ")", data: xy(data.lean_mass), borderColor: brand, backgroundColor: brand, yAxisID: "lean", tension: 0.2, pointRadius: 3 },
          ],
        },
        options: options(data, {
          fat: { position: "left", title: { display: true, text: "%" } },
          lean: { position: "right", title: { display: true, text: data.unit }, grid: { drawOnChartArea: false } },
        }),
      });
    }

    function load(range) {
      buttons.forEach(function (b) { b.setAttribute("aria-pressed", String(b.dataset.range === range)); });
      fetch(root.dataset.url + "?range=" + encodeURIComponent(range), { headers: { Accept: "application/json" }, credentials: "same-origin" })
        .then(function (r) { if (!r.ok) throw new Error("HTTP " + r.status); return r.json(); })
        .then(draw)
        .catch(function () { root.querySelector(".chart-summary").textContent = "The chart could not be loaded."; });
    }

    buttons.forEach(function (b) { b.addEventListener("click", function () { load(b.dataset.range); }); });
    var pressed = root.querySelector('[data-range][aria-pressed="true"]');
    load(pressed ? pressed.dataset.range : "12w");
  }

  function setupAll() { document.querySelectorAll("[data-body-charts]").forEach(setup); }
  document.addEventListener("DOMContentLoaded", setupAll);
  document.addEventListener("htmx:load", setupAll);  // a dashboard may swap the partial in
})();
