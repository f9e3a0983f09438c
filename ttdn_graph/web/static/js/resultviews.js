/* Result views for SPARQL JSON results: a chart, a timeline and a map of province seats, drawn with the vendored
   ECharts (static/vendor/echarts), all data local (the outline and the seats come from this site).

   TtdnViews.fits(json)                      -> the views that fit the result's columns ("chart", "timeline", "map")
   TtdnViews.draw(el, json, view, cfg, opts) -> draws one view into el (a Promise); opts.labels: {iri: label}
   TtdnViews.panel(el, json, cfg, opts)      -> buttons for the views that fit, and the first one drawn
                                                (opts.preferred: the query's declared view, if it fits)
   TtdnViews.pageUrl(iri, cfg)               -> this site's page of an IRI (the rule of web/pages.py page_url)
   TtdnViews.header(name)                    -> a column header for a variable name ("citingDate" -> "Citing date")

   Columns are read by datatype: a numeric column is a measure (y), a year, date, label or IRI column a dimension (x).
   After drawing, el.dataset.view and el.dataset.marks say what was drawn and how many marks (bars, points, circles)
   have a graphic element: the browser tests compare that with the query's answer. */
(function (global) {
  "use strict";
  var XSD = "http://www.w3.org/2001/XMLSchema#";
  var NUMERIC = ["integer", "decimal", "double", "float", "int", "long", "short", "byte", "nonNegativeInteger",
    "positiveInteger", "nonPositiveInteger", "negativeInteger", "unsignedInt", "unsignedLong", "unsignedShort"];
  var DATES = ["date", "dateTime", "dateTimeStamp"];
  var COUNT = "(number of rows)";
  var PERIODS = [
    { key: "before", name: "until 30 June 2025", color: "#c0504d" },
    { key: "after", name: "from 1 July 2025", color: "#1f6fb2" },
    { key: "both", name: "unchanged in 2025", color: "#6a8f3a" }
  ];
  var cache = {};

  function esc(s) {
    return String(s).replace(/[&<>"']/g, function (c) {
      return { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" }[c];
    });
  }

  function pageUrl(iri, cfg) {
    var enc = function (s) { return encodeURI(s).replace(/#/g, "%23").replace(/\?/g, "%3F"); };
    if (iri.indexOf(cfg.base) === 0 && iri.length > cfg.base.length) { return cfg.root + "/id/" + enc(iri.slice(cfg.base.length)); }
    if (iri === cfg.ontology) { return cfg.root + "/ontology"; }
    if (iri.indexOf(cfg.ttdn) === 0 && iri.length > cfg.ttdn.length) { return cfg.root + "/ontology#" + enc(iri.slice(cfg.ttdn.length)); }
    if (iri.indexOf(cfg.vocab) === 0 && iri.length > cfg.vocab.length) { return cfg.root + "/vocab/" + enc(iri.slice(cfg.vocab.length)); }
    return cfg.root + "/resource?iri=" + encodeURIComponent(iri);
  }

  function header(name) {
    var words = name.replace(/([a-z0-9])([A-Z])/g, "$1 $2").replace(/[_-]+/g, " ").toLowerCase();
    return words.charAt(0).toUpperCase() + words.slice(1);
  }

  /* the columns: kind (iri | number | year | date | text | empty), the label column of an IRI column (?xLabel) */
  function analyse(json) {
    var vars = (json.head && json.head.vars) || [];
    var rows = (json.results && json.results.bindings) || [];
    var cols = {};
    vars.forEach(function (v) {
      var kinds = {}, n = 0, allYears = true;
      rows.forEach(function (r) {
        var b = r[v];
        if (!b) { return; }
        n++;
        var k = "text";
        if (b.type === "uri") { k = "iri"; }
        else if (b.datatype && b.datatype.indexOf(XSD) === 0) {
          var t = b.datatype.slice(XSD.length);
          if (NUMERIC.indexOf(t) >= 0) { k = "number"; } else if (DATES.indexOf(t) >= 0) { k = "date"; } else if (t === "gYear") { k = "year"; }
        }
        if (k === "number" && !/^-?\d{4}$/.test(b.value)) { allYears = false; }
        kinds[k] = true;
      });
      var ks = Object.keys(kinds);
      var kind = n === 0 ? "empty" : ks.length === 1 ? ks[0] : "text";
      if (kind === "number" && allYears && /year|n(a|ă)m/i.test(v)) { kind = "year"; }
      cols[v] = { name: v, kind: kind, header: header(v), bound: n };
    });
    vars.forEach(function (v) {
      var lab = v + "Label";
      if (cols[v].kind === "iri" && cols[lab]) { cols[v].labelVar = lab; cols[lab].labelOf = v; }
    });
    return { vars: vars, rows: rows, cols: cols };
  }

  function distinct(a, v) {
    var seen = {};
    a.rows.forEach(function (r) { if (r[v]) { seen[r[v].value] = true; } });
    return Object.keys(seen).length;
  }

  function pick(a, kinds, but) {
    return a.vars.filter(function (v) { return kinds.indexOf(a.cols[v].kind) >= 0 && (but || []).indexOf(v) < 0; });
  }

  function shown(a, r, v, labels) {
    var b = r[v];
    if (!b) { return null; }
    var c = a.cols[v];
    if (c.kind === "iri") {
      if (c.labelVar && r[c.labelVar]) { return r[c.labelVar].value; }
      return (labels && labels[b.value]) || b.value.replace(/^.*[/#]/, "");
    }
    return b.value;
  }

  function loadJson(url) {
    if (!cache[url]) {
      cache[url] = fetch(url, { credentials: "same-origin" }).then(function (r) {
        if (!r.ok) { throw new Error(url + ": " + r.status); }
        return r.json();
      });
    }
    return cache[url];
  }

  function unitColumn(a, units) {
    var best = null, bestHits = 0;
    pick(a, ["iri"]).forEach(function (v) {
      var hits = 0;
      a.rows.forEach(function (r) { if (r[v] && units[r[v].value]) { hits++; } });
      if (hits > bestHits) { best = v; bestHits = hits; }
    });
    return best;
  }

  /* which views fit: a chart wants a dimension and rows; a timeline a date column; a map an IRI column (checked
     against the seats when drawn: the result's IRIs must be province-level units) */
  function fits(json) {
    var a = analyse(json), out = [];
    if (!a.rows.length) { return out; }
    if (pick(a, ["year", "date", "text", "iri"]).length) { out.push("chart"); }
    if (pick(a, ["date"]).length) { out.push("timeline"); }
    if (pick(a, ["iri"]).some(function (v) { return /\/unit\//.test((a.rows.find(function (r) { return r[v]; }) || {})[v].value); })) {
      out.push("map");
    }
    return out;
  }

  function select(label, options, value, onChange) {
    var wrap = document.createElement("label");
    wrap.className = "ttdn-view-control";
    wrap.appendChild(document.createTextNode(label + " "));
    var s = document.createElement("select");
    options.forEach(function (o) {
      var opt = document.createElement("option");
      opt.value = o.value; opt.textContent = o.text;
      if (o.value === value) { opt.selected = true; }
      s.appendChild(opt);
    });
    s.addEventListener("change", function () { onChange(s.value); });
    wrap.appendChild(s);
    return wrap;
  }

  function colOptions(a, vars) {
    return vars.map(function (v) { return { value: v, text: a.cols[v].header }; });
  }

  function countMarks(chart) {
    var n = 0;
    chart.getModel().eachSeries(function (s) {
      var d = s.getData();
      for (var i = 0; i < d.count(); i++) { if (d.getItemGraphicEl(i)) { n++; } }
    });
    return n;
  }

  function frame(el) {
    el.innerHTML = "";
    el.classList.add("ttdn-view");
    var controls = document.createElement("div");
    controls.className = "ttdn-view-controls";
    var box = document.createElement("div");
    box.className = "ttdn-view-canvas";
    box.style.width = "100%";
    box.style.height = "480px";
    var note = document.createElement("p");
    note.className = "ttdn-view-note muted small";
    el.appendChild(controls); el.appendChild(box); el.appendChild(note);
    return { controls: controls, box: box, note: note };
  }

  function mount(f, option, el, view, onClick) {
    var old = global.echarts.getInstanceByDom(f.box);
    if (old) { old.dispose(); }
    var chart = global.echarts.init(f.box, null, { renderer: "svg" });
    chart.setOption(option);
    if (onClick) { chart.on("click", onClick); }
    el.dataset.view = view;
    el.dataset.marks = String(countMarks(chart));
    el.ttdnChart = chart;
    return chart;
  }

  function tooltip(lines) {
    return lines.map(function (l) { return esc(l); }).join("<br>");
  }

  // -- chart ------------------------------------------------------------------------------------------------------
  function drawChart(el, a, cfg, opts, state) {
    var dims = pick(a, ["year", "date", "text", "iri"]).filter(function (v) { return !a.cols[v].labelOf; });
    var measures = pick(a, ["number"]);
    state.x = state.x && dims.indexOf(state.x) >= 0 ? state.x : (pick(a, ["year"])[0] || dims.filter(function (v) {
      return a.cols[v].kind !== "date";
    })[0] || dims[0]);
    state.y = state.y && (state.y === COUNT || measures.indexOf(state.y) >= 0) ? state.y
      : (measures.filter(function (v) { return v !== state.x; })[0] || COUNT);
    var f = frame(el);
    f.controls.appendChild(select("x", colOptions(a, dims), state.x, function (v) { state.x = v; drawChart(el, a, cfg, opts, state); }));
    f.controls.appendChild(select("y", colOptions(a, measures).concat([{ value: COUNT, text: COUNT }]), state.y,
      function (v) { state.y = v; drawChart(el, a, cfg, opts, state); }));
    // one mark per value of x (an IRI, not its label: two agencies may share a name), named by its label
    var kind = a.cols[state.x].kind, sums = {}, order = [], iris = {}, names = {}, used = {};
    a.rows.forEach(function (r) {
      if (!r[state.x]) { return; }
      var k = kind === "date" ? r[state.x].value.slice(0, 10) : r[state.x].value;
      if (!(k in sums)) {
        sums[k] = 0; order.push(k);
        if (r[state.x].type === "uri") { iris[k] = k; }
        var name = kind === "date" ? k : shown(a, r, state.x, opts.labels), n = used[name] = (used[name] || 0) + 1;
        names[k] = n > 1 ? name + " (" + n + ")" : name;
      }
      sums[k] += state.y === COUNT ? 1 : (r[state.y] ? Number(r[state.y].value) : 0);
    });
    var line = kind === "year" || kind === "date";
    if (line) { order.sort(); } else { order.sort(function (p, q) { return sums[q] - sums[p]; }); }
    var option = {
      animation: false,
      grid: { left: 60, right: 20, top: 36, bottom: line ? 40 : 110 },
      tooltip: { trigger: "item", formatter: function (p) { return tooltip([a.cols[state.x].header + ": " + p.name, (state.y === COUNT ? COUNT : a.cols[state.y].header) + ": " + p.value]); } },
      xAxis: { type: "category", data: order.map(function (k) { return names[k]; }), name: a.cols[state.x].header, nameLocation: "middle", nameGap: line ? 28 : 95,
        axisLabel: { rotate: line ? 0 : 40, interval: 0, width: 120, overflow: "truncate" } },
      yAxis: { type: "value", name: state.y === COUNT ? COUNT : a.cols[state.y].header },
      // many categories: the first 40 shown (largest first), the slider scrolls through the rest
      dataZoom: order.length > 40 ? [{ type: "slider", height: 14, bottom: 0, startValue: 0, endValue: 39 }] : [],
      series: [{ type: line ? "line" : "bar", data: order.map(function (k) { return sums[k]; }), showSymbol: true,
        showAllSymbol: true, symbolSize: 7, barMaxWidth: 48, itemStyle: { color: "#1f6fb2" } }]
    };
    var chart = mount(f, option, el, "chart", function (p) {
      var iri = iris[order[p.dataIndex]];
      if (iri) { global.location.href = pageUrl(iri, cfg); }
    });
    f.note.textContent = order.length + (line ? " points" : " bars") + (order.length > 40 ? " (40 in view)" : "") +
      " from " + a.rows.length + " rows" +
      (state.y === COUNT ? "" : " (" + a.cols[state.y].header + " added up per " + a.cols[state.x].header + ")");
    return chart;
  }

  // -- timeline ---------------------------------------------------------------------------------------------------
  function drawTimeline(el, a, cfg, opts, state) {
    var dates = pick(a, ["date"]);
    var iriCols = pick(a, ["iri"]);
    // rows by the IRI column with the fewest values (ties: the earlier column: a jurisdiction before the plans in
    // it); each point is a row's item, the IRI column with the most values (ties: the later column)
    var few = iriCols.slice().sort(function (p, q) { return distinct(a, p) - distinct(a, q) || iriCols.indexOf(p) - iriCols.indexOf(q); });
    var item = iriCols.length ? few.slice().reverse().sort(function (p, q) {
      return distinct(a, q) - distinct(a, p) || iriCols.indexOf(q) - iriCols.indexOf(p);
    })[0] : null;
    var lanes = few.filter(function (v) { return v !== item || iriCols.length === 1; }).concat(pick(a, ["text", "year"]).filter(function (v) {
      return !a.cols[v].labelOf;
    }));
    state.date = state.date && dates.indexOf(state.date) >= 0 ? state.date : dates[0];
    state.lane = state.lane && lanes.indexOf(state.lane) >= 0 ? state.lane : (lanes[0] || null);
    var f = frame(el);
    if (dates.length > 1) { f.controls.appendChild(select("date", colOptions(a, dates), state.date, function (v) { state.date = v; drawTimeline(el, a, cfg, opts, state); })); }
    if (lanes.length) { f.controls.appendChild(select("rows by", colOptions(a, lanes), state.lane, function (v) { state.lane = v; drawTimeline(el, a, cfg, opts, state); })); }
    var laneOrder = [], points = [], mark = null;
    var days = pick(a, ["number"]).filter(function (v) { return /day/i.test(v); })[0];
    a.rows.forEach(function (r) {
      if (!r[state.date]) { return; }
      var lane = state.lane ? (shown(a, r, state.lane, opts.labels) || "(none)") : "";
      if (laneOrder.indexOf(lane) < 0) { laneOrder.push(lane); }
      var d = r[state.date].value.slice(0, 10);
      points.push({ value: [d, lane], name: item ? shown(a, r, item, opts.labels) : d, iri: item && r[item] ? r[item].value : null });
      if (!mark && days && r[days]) {  // the instrument's own date: the row's date less its lag in days
        var t = new Date(d + "T00:00:00Z");
        t.setUTCDate(t.getUTCDate() - Number(r[days].value));
        mark = t.toISOString().slice(0, 10);
      }
    });
    laneOrder.sort(function (p, q) { return p.localeCompare(q, "vi"); });
    var option = {
      animation: false,
      grid: { left: 190, right: 30, top: 30, bottom: 50 },
      tooltip: { trigger: "item", formatter: function (p) { return tooltip([p.data.name, p.data.value[0], p.data.value[1]]); } },
      xAxis: { type: "time", name: a.cols[state.date].header, nameLocation: "middle", nameGap: 28,
        min: function (v) { return Math.min(v.min, mark ? Date.parse(mark) : v.min) - 15 * 864e5; },
        max: function (v) { return v.max + 15 * 864e5; } },
      yAxis: { type: "category", data: laneOrder, inverse: true, axisLabel: { width: 180, overflow: "truncate" } },
      dataZoom: [{ type: "slider", xAxisIndex: 0, height: 14, bottom: 0 }],
      series: [{ type: "scatter", data: points, symbolSize: 12, itemStyle: { color: "#1f6fb2", opacity: 0.8 },
        markLine: mark ? { symbol: "none", label: { formatter: "issued " + mark, position: "start" }, lineStyle: { color: "#c0504d" },
          data: [{ xAxis: mark }] } : undefined }]
    };
    f.box.style.height = Math.max(260, 80 + 28 * laneOrder.length) + "px";
    var chart = mount(f, option, el, "timeline", function (p) {
      if (p.data && p.data.iri) { global.location.href = pageUrl(p.data.iri, cfg); }
    });
    f.note.textContent = points.length + " dated rows of " + a.rows.length + (mark ? "; the red line: the instrument's issue date (a row's date less its " + a.cols[days].header.toLowerCase() + ")" : "");
    return chart;
  }

  // -- map --------------------------------------------------------------------------------------------------------
  function drawMap(el, a, cfg, opts, state) {
    return Promise.all([loadJson(cfg.units), loadJson(cfg.outline)]).then(function (got) {
      var units = got[0].units;
      if (!global.echarts.getMap("ttdn-vietnam")) { global.echarts.registerMap("ttdn-vietnam", got[1]); }
      var unitCol = unitColumn(a, units);
      var measures = pick(a, ["number"]).filter(function (v) { return !/day/i.test(v); });
      state.value = state.value && (state.value === COUNT || measures.indexOf(state.value) >= 0) ? state.value : (measures[0] || COUNT);
      var f = frame(el);
      f.controls.appendChild(select("size", colOptions(a, measures).concat([{ value: COUNT, text: COUNT }]), state.value,
        function (v) { state.value = v; drawMap(el, a, cfg, opts, state); }));
      var sums = {}, unplaced = 0;
      a.rows.forEach(function (r) {
        var iri = unitCol && r[unitCol] ? r[unitCol].value : null;
        if (!iri || !units[iri]) { unplaced++; return; }
        sums[iri] = (sums[iri] || 0) + (state.value === COUNT ? 1 : (r[state.value] ? Number(r[state.value].value) : 0));
      });
      var max = 0;
      Object.keys(sums).forEach(function (k) { max = Math.max(max, sums[k]); });
      var series = PERIODS.map(function (p) {
        var data = Object.keys(sums).filter(function (iri) {
          var u = units[iri];
          return p.key === (u.validUntil ? "before" : u.validFrom ? "after" : "both");
        }).map(function (iri) {
          var u = units[iri];
          return { name: u.name, value: [u.lon, u.lat, sums[iri]], iri: iri, seat: u.seat, period: p.name };
        });
        return { name: p.name, type: "scatter", coordinateSystem: "geo", data: data,
          symbolSize: function (v) { return max > 0 ? Math.max(5, 44 * Math.sqrt(Math.max(0, v[2]) / max)) : 5; },
          itemStyle: { color: p.color, opacity: 0.65, borderColor: "#fff", borderWidth: 1 } };
      });
      var option = {
        animation: false,
        tooltip: { trigger: "item", formatter: function (p) {
          return p.data && p.data.iri ? tooltip([p.data.name + " (" + p.data.period + ")", (state.value === COUNT ? COUNT : a.cols[state.value].header) + ": " + p.data.value[2], "seat: " + p.data.seat]) : esc(p.name || "");
        } },
        legend: { top: 0, left: 0, orient: "vertical" },
        geo: { map: "ttdn-vietnam", roam: true, aspectScale: 1, layoutCenter: ["55%", "50%"], layoutSize: "95%",
          itemStyle: { areaColor: "#eef1f4", borderColor: "#8a96a3" }, emphasis: { disabled: true }, label: { show: false },
          regions: got[1].features.slice(1).map(function (f) {  // the archipelagos: islets too small to see unlabelled
            return { name: f.properties.name, label: { show: true, fontSize: 10, color: "#5b6b7b" } };
          }) },
        series: series
      };
      f.box.style.height = "640px";
      var chart = mount(f, option, el, "map", function (p) {
        if (p.data && p.data.iri) { global.location.href = pageUrl(p.data.iri, cfg); }
      });
      f.note.textContent = Object.keys(sums).length + " units placed at their seats (circle area proportional to " +
        (state.value === COUNT ? "the number of rows" : a.cols[state.value].header.toLowerCase()) + ")" +
        (unplaced ? "; " + unplaced + " rows not placed (no province-level unit with a seat: the country, a district …)" : "") +
        ". Outline: Natural Earth; seats: GeoNames.";
      return chart;
    });
  }

  var DRAW = { chart: drawChart, timeline: drawTimeline, map: drawMap };

  function draw(el, json, view, cfg, opts) {
    opts = opts || {};
    var a = analyse(json);
    el.ttdnState = el.ttdnState || {};
    var state = el.ttdnState[view] = el.ttdnState[view] || {};
    return Promise.resolve().then(function () { return DRAW[view](el, a, cfg, opts, state); }).then(function (chart) {
      global.ttdnViewDrawn = { view: view, marks: Number(el.dataset.marks) };
      return chart;
    }, function (err) {
      el.innerHTML = "";
      var p = document.createElement("p");
      p.className = "error";
      p.textContent = "Could not draw the " + view + ": " + err.message;
      el.appendChild(p);
      throw err;
    });
  }

  function panel(el, json, cfg, opts) {
    opts = opts || {};
    var views = fits(json);
    el.innerHTML = "";
    if (!views.length) { return Promise.resolve(null); }
    var bar = document.createElement("div");
    bar.className = "ttdn-view-tabs";
    var body = document.createElement("div");
    el.appendChild(bar); el.appendChild(body);
    var buttons = {};
    var show = function (v) {
      Object.keys(buttons).forEach(function (k) { buttons[k].setAttribute("aria-pressed", String(k === v)); });
      return draw(body, json, v, cfg, opts);
    };
    views.forEach(function (v) {
      var b = document.createElement("button");
      b.type = "button";
      b.textContent = v.charAt(0).toUpperCase() + v.slice(1);
      b.dataset.view = v;
      b.addEventListener("click", function () { show(v); });
      buttons[v] = b;
      bar.appendChild(b);
    });
    return show(views.indexOf(opts.preferred) >= 0 ? opts.preferred : views[0]);
  }

  global.TtdnViews = { fits: fits, draw: draw, panel: panel, pageUrl: pageUrl, header: header, analyse: analyse };
})(window);
