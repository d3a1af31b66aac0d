(function () {
  'use strict';
  var report = JSON.parse(document.getElementById('report-data').textContent);
  // ECharts tooltips are HTML: every label goes through this before it reaches one.
  function esc(text) {
    return String(text).replace(/[&<>"']/g, function (c) {
      return {'&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;'}[c];
    });
  }
  function pct(x) { return (100 * x).toFixed(2) + ' %'; }
  function sized(id, rows, perRow) {
    var el = document.getElementById(id);
    el.style.height = Math.max(320, 140 + rows * perRow) + 'px';
    return echarts.init(el, null, {renderer: 'canvas'});
  }

  var m = report.confusion;
  var cells = [];
  var maxShare = 0;
  for (var r = 0; r < m.rows.length; r++) {
    var total = 0;
    for (var c = 0; c < m.columns.length; c++) { total += m.counts[r][c]; }
    for (c = 0; c < m.columns.length; c++) {
      var count = m.counts[r][c];
      if (count === 0) { continue; }
      var share = total === 0 ? 0 : count / total;
      maxShare = Math.max(maxShare, share);
      cells.push([c, r, share, count]);
    }
  }
  var small = m.columns.length <= 25;
  var heat = sized('confusion', m.rows.length, small ? 28 : 14);
  heat.setOption({
    animation: false,
    tooltip: {
      formatter: function (p) {
        return 'expected <b>' + esc(m.rows[p.value[1]]) + '</b><br>predicted <b>' + esc(m.columns[p.value[0]])
          + '</b><br>' + p.value[3] + ' samples (' + pct(p.value[2]) + ' of the row)';
      }
    },
    grid: {left: 160, right: 110, top: 20, bottom: 140},
    xAxis: {type: 'category', data: m.columns, name: 'predicted', nameLocation: 'middle', nameGap: 110,
      axisLabel: {rotate: 60, interval: 0, fontSize: small ? 12 : 8}, splitArea: {show: true}},
    yAxis: {type: 'category', data: m.rows, name: 'expected', nameLocation: 'middle', nameGap: 145, inverse: true,
      axisLabel: {interval: 0, fontSize: small ? 12 : 8}, splitArea: {show: true}},
    visualMap: {min: 0, max: Math.max(maxShare, 1e-9), dimension: 2, calculable: true, orient: 'vertical',
      right: 10, top: 'middle', text: ['share of row', ''], inRange: {color: ['#f7fbff', '#6baed6', '#08306b']}},
    series: [{name: 'confusion', type: 'heatmap', data: cells,
      label: {show: small, formatter: function (p) { return String(p.value[3]); }},
      emphasis: {itemStyle: {borderColor: '#333', borderWidth: 1}}}]
  });

  var names = report.perClass.map(function (x) { return x.label; });
  var bars = sized('per-class', names.length, 3 * 9);
  function series(name, key) {
    return {name: name, type: 'bar', data: report.perClass.map(function (x) { return x[key]; })};
  }
  bars.setOption({
    animation: false,
    tooltip: {trigger: 'axis', axisPointer: {type: 'shadow'},
      formatter: function (items) {
        var lines = ['<b>' + esc(items[0].name) + '</b>'];
        items.forEach(function (i) { lines.push(esc(i.seriesName) + ': ' + i.value.toFixed(4)); });
        return lines.join('<br>');
      }},
    legend: {data: ['precision', 'recall', 'F1'], top: 0},
    grid: {left: 160, right: 40, top: 30, bottom: 30},
    xAxis: {type: 'value', min: 0, max: 1},
    yAxis: {type: 'category', data: names, inverse: true, axisLabel: {interval: 0}},
    series: [series('precision', 'precision'), series('recall', 'recall'), series('F1', 'f1')]
  });
  document.body.setAttribute('data-charts', 'ready');
  window.addEventListener('resize', function () { heat.resize(); bars.resize(); });
})();
