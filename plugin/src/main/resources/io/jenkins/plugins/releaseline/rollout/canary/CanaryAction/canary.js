/* The canary page: draws the weight over time with each analysis, and sends the buttons' POSTs with the crumb. */
(function () {
  "use strict";

  function verdictColour(verdict) {
    switch (verdict) {
      case "PASS": return "#1ea64b";
      case "MARGINAL": return "#fe820a";
      case "FAIL": return "#e6001f";
      default: return "#9aa0a6";
    }
  }

  function draw(chartElement, data) {
    if (typeof echarts === "undefined") {
      return;
    }
    var chart = echarts.getInstanceByDom(chartElement) || echarts.init(chartElement);
    var weights = data.weights.map(function (p) { return [p.at, p.weight]; });
    if (weights.length > 0) {
      weights.push([Date.now(), weights[weights.length - 1][1]]);
    }
    var analyses = data.analyses.map(function (a) {
      return {
        value: [a.at, a.weight],
        itemStyle: { color: verdictColour(a.verdict) },
        verdict: a.verdict,
        score: a.score,
        metrics: a.metrics
      };
    });
    chart.setOption({
      tooltip: {
        trigger: "item",
        formatter: function (p) {
          if (p.seriesIndex !== 1) {
            return new Date(p.value[0]).toLocaleTimeString() + ": " + p.value[1] + "%";
          }
          var lines = [p.data.verdict + " (score " + p.data.score + ")"];
          p.data.metrics.forEach(function (m) {
            lines.push(m.metric + ": " + m.verdict + ", canary " + m.canaryMean + " vs baseline " + m.baselineMean);
          });
          var div = document.createElement("div");
          lines.forEach(function (l) {
            var line = document.createElement("div");
            line.textContent = l;
            div.appendChild(line);
          });
          return div.innerHTML;
        }
      },
      legend: { data: ["canary weight", "analyses"] },
      xAxis: { type: "time" },
      yAxis: { type: "value", min: 0, max: 100, axisLabel: { formatter: "{value}%" } },
      series: [
        { name: "canary weight", type: "line", step: "end", data: weights, areaStyle: { opacity: 0.15 } },
        { name: "analyses", type: "scatter", symbolSize: 14, data: analyses }
      ]
    });
  }

  function refresh(url, chartElement) {
    fetch(url + "data", { headers: { Accept: "application/json" } })
      .then(function (r) { return r.ok ? r.json() : null; })
      .then(function (data) {
        if (data) {
          draw(chartElement, data);
          var state = document.getElementById("canary-state");
          if (state) {
            state.textContent = data.state;
          }
        }
      });
  }

  function post(url, action, message) {
    var headers = { "Content-Type": "application/x-www-form-urlencoded" };
    var crumbHeader = document.head.dataset.crumbHeader;
    if (crumbHeader) {
      headers[crumbHeader] = document.head.dataset.crumbValue;
    }
    fetch(url + action, { method: "POST", headers: headers, body: "" })
      .then(function (r) {
        return r.text().then(function (text) {
          if (message) {
            message.textContent = r.ok ? action + ": done" : action + ": " + r.status + " " + text;
          }
        });
      });
  }

  document.addEventListener("DOMContentLoaded", function () {
    var controls = document.getElementById("canary-controls");
    var chartElement = document.getElementById("canary-chart");
    if (!controls || !chartElement) {
      return;
    }
    var url = controls.dataset.url;
    var message = document.getElementById("canary-message");
    controls.querySelectorAll("[data-canary-action]").forEach(function (button) {
      button.addEventListener("click", function () {
        post(url, button.dataset.canaryAction, message);
      });
    });
    refresh(url, chartElement);
    window.setInterval(function () { refresh(url, chartElement); }, 5000);
  });
})();
