/*
 * The DORA section of the Release Line page: reads the JSON endpoint named by data-url on #release-line-dora and
 * draws, per environment, the four figures with their bands and a 90-day trend with ECharts (the echarts-api
 * adjunct). Text goes in through textContent only.
 */
(function () {
  'use strict';

  var BAND_TEXT = { elite: 'Elite', high: 'High', medium: 'Medium', low: 'Low', none: 'No data' };

  function el(tag, className, text) {
    var e = document.createElement(tag);
    if (className) {
      e.className = className;
    }
    if (text !== undefined && text !== null) {
      e.textContent = text;
    }
    return e;
  }

  function hours(h) {
    if (h === null || h === undefined) {
      return '–';
    }
    if (h < 1) {
      return Math.round(h * 60) + ' min';
    }
    if (h < 48) {
      return (Math.round(h * 10) / 10) + ' h';
    }
    return (Math.round(h / 24 * 10) / 10) + ' days';
  }

  function percent(r) {
    return r === null || r === undefined ? '–' : (Math.round(r * 1000) / 10) + ' %';
  }

  function figure(label, value, detail, band) {
    var cell = el('div', 'rl-dora-figure');
    cell.appendChild(el('div', 'rl-dora-label', label));
    cell.appendChild(el('div', 'rl-dora-value', value));
    cell.appendChild(el('div', 'rl-dora-detail', detail));
    var badge = el('span', 'rl-dora-band rl-dora-band-' + band, BAND_TEXT[band] || band);
    badge.setAttribute('data-band', band);
    cell.appendChild(badge);
    return cell;
  }

  function chart(node, env) {
    var days = env.trend.map(function (p) { return p.day; });
    var series = function (name, key, scale, axis, type) {
      return {
        name: name, type: type, yAxisIndex: axis, showSymbol: false, connectNulls: false,
        data: env.trend.map(function (p) { return p[key] === null ? null : Math.round(p[key] * scale * 100) / 100; })
      };
    };
    var c = echarts.init(node);
    c.setOption({
      animation: false,
      tooltip: { trigger: 'axis' },
      legend: { top: 0 },
      grid: { left: 48, right: 56, top: 36, bottom: 28 },
      xAxis: { type: 'category', data: days },
      yAxis: [
        { type: 'value', name: 'deploys · %', minInterval: 1 },
        { type: 'value', name: 'hours', splitLine: { show: false } }
      ],
      series: [
        series('Deployments (7 days)', 'deployments', 1, 0, 'bar'),
        series('Change failure rate (%)', 'changeFailureRate', 100, 0, 'line'),
        series('Lead time (median, h)', 'leadTimeHours', 1, 1, 'line'),
        series('Time to restore (median, h)', 'timeToRestoreHours', 1, 1, 'line')
      ]
    });
    window.addEventListener('resize', function () { c.resize(); });
  }

  function render(root, data) {
    root.textContent = '';
    root.appendChild(el('p', 'rl-dora-caption', 'Last ' + data.windowDays + ' days; trend over ' + data.trendDays
        + ' days, each point over the seven days up to it (' + data.timeZone + '). A change counts as failed when a rollback, '
        + 'a failed verification or a hotfix follows it within ' + data.failureWindowHours + ' h.'));
    if (data.environments.length === 0) {
      root.appendChild(el('p', 'rl-dora-empty', 'No deployment recorded yet.'));
      return;
    }
    data.environments.forEach(function (env) {
      var card = el('section', 'rl-dora-environment');
      card.setAttribute('data-environment', env.name);
      card.appendChild(el('h3', null, env.name));
      var row = el('div', 'rl-dora-figures');
      var f = env.figures;
      row.appendChild(figure('Deployment frequency', (Math.round(f.deploymentsPerDay * 100) / 100) + ' / day',
          f.deployments + ' deployments', env.bands.deploymentFrequency));
      row.appendChild(figure('Lead time for changes', hours(f.leadTimeHours), 'median of ' + f.leadTimeSamples + ' with a commit time',
          env.bands.leadTime));
      row.appendChild(figure('Change failure rate', percent(f.changeFailureRate), f.failedChanges + ' of ' + f.changes + ' changes',
          env.bands.changeFailureRate));
      row.appendChild(figure('Time to restore', hours(f.timeToRestoreHours), 'median of ' + f.restored + ' restored'
          + (f.unrestored > 0 ? ', ' + f.unrestored + ' open' : ''), env.bands.timeToRestore));
      card.appendChild(row);
      var plot = el('div', 'rl-dora-chart');
      card.appendChild(plot);
      root.appendChild(card);
      chart(plot, env);
    });
    root.setAttribute('data-ready', 'true');
  }

  function load() {
    var root = document.getElementById('release-line-dora');
    if (!root) {
      return;
    }
    fetch(root.getAttribute('data-url'), { credentials: 'same-origin', headers: { Accept: 'application/json' } })
      .then(function (r) {
        if (!r.ok) {
          throw new Error('HTTP ' + r.status);
        }
        return r.json();
      })
      .then(function (data) { render(root, data); })
      .catch(function (e) {
        root.textContent = '';
        root.appendChild(el('p', 'jenkins-alert jenkins-alert-danger', 'The DORA figures could not be loaded: ' + e.message));
      });
  }

  if (document.readyState === 'loading') {
    document.addEventListener('DOMContentLoaded', load);
  } else {
    load();
  }
})();
