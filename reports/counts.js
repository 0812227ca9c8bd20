// The counts page of `tenken serve` (/counts?q=…&scale=…): provisions per
// collection × 類型 from /api/counts, as an inline SVG chart (bars stacked by
// 優先度, one per collection within each 類型) and as a table. Each bar and
// number links to the search for those provisions. Needs common.js (Tenken).
(function () {
  "use strict";
  var T = Tenken, el = T.el;
  var SVG = "http://www.w3.org/2000/svg";
  var form = document.getElementById("counts-form");
  var status = document.getElementById("status");
  var errorBox = document.getElementById("error");
  var view = document.getElementById("counts");
  var chart = document.getElementById("chart");
  var serial = 0;

  function fromUrl() {
    var url = new URLSearchParams(window.location.search);
    return {
      q: (url.get("q") || "").trim(),
      scale: url.get("scale") === "rate" ? "rate" : "count"
    };
  }

  function href(state) {
    var p = new URLSearchParams();
    if (state.q) { p.set("q", state.q); }
    if (state.scale === "rate") { p.set("scale", "rate"); }
    var s = p.toString();
    return "/counts" + (s ? "?" + s : "");
  }

  function svg(tag, attrs) {
    var node = document.createElementNS(SVG, tag);
    Object.keys(attrs || {}).forEach(function (k) { node.setAttribute(k, String(attrs[k])); });
    for (var i = 2; i < arguments.length; i++) {
      var child = arguments[i];
      if (child === null || child === undefined) { continue; }
      node.appendChild(typeof child === "string" ? document.createTextNode(child) : child);
    }
    return node;
  }

  function search(state, row, extra) {
    var params = { q: state.q, code: row.code, collection: row.collection };
    Object.keys(extra || {}).forEach(function (k) { params[k] = extra[k]; });
    return T.searchHref(params);
  }

  function rate(row, totals) {
    var total = totals[row.collection] || 0;
    return total ? row.provisions * 1000 / total : 0;
  }

  function rateText(value) {
    return value.toLocaleString("ja-JP", { maximumFractionDigits: 1 });
  }

  // 1, 2 or 5 times a power of ten, at least `x` (whole numbers for counts).
  function niceStep(x, whole) {
    if (!(x > 0)) { return 1; }
    var p = Math.pow(10, Math.floor(Math.log(x) / Math.LN10));
    var f = x / p;
    var step = (f <= 1 ? 1 : f <= 2 ? 2 : f <= 5 ? 5 : 10) * p;
    return whole ? Math.max(1, Math.round(step)) : step;
  }

  // One group of bars per 類型 (taxonomy order), one bar per collection,
  // stacked 高・中・低; the total (and those with a digital way) after it.
  function drawChart(state, body, totals) {
    Array.prototype.slice.call(chart.querySelectorAll("svg, .chart-legend")).forEach(function (n) { n.remove(); });
    var collections = body.collections.map(function (c) { return c.collection; });
    var codes = [];
    body.rows.forEach(function (r) { if (codes.indexOf(r.code) < 0) { codes.push(r.code); } });
    var byKey = {};
    body.rows.forEach(function (r) { byKey[r.code + "\u0000" + r.collection] = r; });
    var value = function (r) { return state.scale === "rate" ? rate(r, totals) : r.provisions; };
    var max = 0;
    body.rows.forEach(function (r) { max = Math.max(max, value(r)); });
    var many = collections.length > 1;
    var labelW = 170, collW = many ? 130 : 0, barMax = 380, width = labelW + collW + barMax + 150;
    var barH = 16, gap = 4, groupGap = 14;
    var groupH = collections.length * (barH + gap) - gap;
    var height = codes.length * (groupH + groupGap) + 24;
    var root = svg("svg", {
      viewBox: "0 0 " + width + " " + height, width: width, height: height, role: "img",
      "aria-labelledby": "chart-caption"
    });
    // Grid lines at round numbers; the axis ends at the first one past the longest bar.
    var step = niceStep(max / 4, state.scale !== "rate");
    var axis = Math.max(step, step * Math.ceil(max / step));
    for (var tick = 0; tick <= axis + step / 2; tick += step) {
      var x = labelW + collW + barMax * tick / axis;
      root.appendChild(svg("line", { x1: x, x2: x, y1: 0, y2: height - 18, "class": "grid" }));
      root.appendChild(svg("text", { x: x, y: height - 4, "text-anchor": "middle", "class": "tick" },
        state.scale === "rate" ? rateText(tick) : T.number(Math.round(tick))));
    }
    max = axis;
    var y = 0;
    codes.forEach(function (code) {
      var name = "";
      collections.forEach(function (collection) {
        var r = byKey[code + "\u0000" + collection];
        if (r && r.code_name) { name = r.code_name; }
      });
      root.appendChild(svg("text", { x: 0, y: y + groupH / 2 + 5, "class": "group-label" }, name || T.codeName(code)));
      collections.forEach(function (collection, i) {
        var r = byKey[code + "\u0000" + collection] || { code: code, collection: collection, provisions: 0, high: 0, medium: 0, low: 0, digital: 0 };
        var top = y + i * (barH + gap);
        var link = svg("a", { href: search(state, r) });
        var tip = (name || code) + " × " + collection + ": " + T.number(r.provisions) + " 条項（高 " + r.high +
          "・中 " + r.medium + "・低 " + r.low + "、電子的代替あり " + r.digital + "）";
        if (state.scale === "rate") { tip += "、1,000 条項あたり " + rateText(rate(r, totals)); }
        link.appendChild(svg("title", {}, tip));
        if (many) {
          link.appendChild(svg("text", { x: labelW, y: top + barH - 3, "class": "bar-label" }, collection));
        }
        var unit = max ? barMax * (value(r) / (r.provisions || 1)) / max : 0;
        var x0 = labelW + collW;
        [["high", "bar-high"], ["medium", "bar-medium"], ["low", "bar-low"]].forEach(function (part) {
          var w = r[part[0]] * unit;
          if (w > 0) {
            link.appendChild(svg("rect", { x: x0, y: top, width: w, height: barH, "class": part[1] }));
            x0 += w;
          }
        });
        var label = state.scale === "rate" ? rateText(rate(r, totals)) : T.number(r.provisions);
        if (r.digital) { label += "（電子 " + T.number(r.digital) + "）"; }
        link.appendChild(svg("text", { x: x0 + 6, y: top + barH - 3, "class": "bar-total" }, label));
        root.appendChild(link);
      });
      y += groupH + groupGap;
    });
    chart.insertBefore(root, chart.firstChild);
    chart.appendChild(el("p", { className: "chart-legend" },
      "優先度:", el("span", { className: "key key-high" }), " 高",
      el("span", { className: "key key-medium" }), " 中", el("span", { className: "key key-low" }), " 低",
      "　（電子 n）は電子的代替のある条項の数"));
    document.getElementById("chart-caption").textContent = (state.scale === "rate"
      ? "類型の指摘がある条項の数（その例規集の" + (state.q ? "検索に合う" : "") + "条項 1,000 あたり）"
      : "類型の指摘がある条項の数") + (state.q ? "。検索式: " + state.q : "");
  }

  function cell(text, linkTo) {
    return el("td", { className: "num" }, linkTo && text !== "0" ? el("a", { href: linkTo }, text) : text);
  }

  function fillTable(state, body, totals) {
    var rows = document.getElementById("rows");
    rows.textContent = "";
    body.rows.forEach(function (r) {
      rows.appendChild(el("tr", {},
        el("th", { scope: "row" }, r.code_name || T.codeName(r.code)),
        el("td", {}, r.collection),
        cell(T.number(r.provisions), search(state, r)),
        cell(T.number(r.high)),
        cell(T.number(r.medium)),
        cell(T.number(r.low)),
        cell(T.number(r.digital), search(state, r, { digital: "true" })),
        cell(rateText(rate(r, totals)))));
    });
  }

  function showCollections(body) {
    var dl = document.getElementById("collections");
    dl.textContent = "";
    body.collections.forEach(function (c) {
      dl.appendChild(el("div", {}, el("dt", {}, c.collection), el("dd", {}, T.number(c.provisions))));
    });
  }

  function run(state) {
    var mine = ++serial;
    form.elements.q.value = state.q;
    form.elements.scale.value = state.scale;
    document.getElementById("search-link").href = T.searchHref({ q: state.q });
    errorBox.hidden = true;
    status.textContent = "数えています…";
    T.api("/api/counts" + (state.q ? "?" + new URLSearchParams({ q: state.q }).toString() : "")).then(function (body) {
      if (mine !== serial) { return; }
      var totals = {};
      body.collections.forEach(function (c) { totals[c.collection] = c.provisions; });
      var all = body.collections.reduce(function (n, c) { return n + c.provisions; }, 0);
      status.textContent = body.collections.length + " の例規集、" + T.number(all) + " 条項" +
        (state.q ? "（検索式に合うもの）" : "");
      showCollections(body);
      drawChart(state, body, totals);
      fillTable(state, body, totals);
      view.hidden = false;
    }, function (error) {
      if (mine !== serial) { return; }
      status.textContent = "";
      view.hidden = true;
      errorBox.textContent = (error.status === 400 ? "数えられません: " : "") + error.message;
      errorBox.hidden = false;
    });
  }

  function go(state) {
    var target = href(state);
    if (target !== window.location.pathname + window.location.search) {
      window.history.pushState(null, "", target);
    }
    run(state);
  }

  form.addEventListener("submit", function (event) {
    event.preventDefault();
    go({ q: form.elements.q.value.trim(), scale: form.elements.scale.value });
  });
  form.elements.scale.addEventListener("change", function () {
    go({ q: form.elements.q.value.trim(), scale: form.elements.scale.value });
  });
  window.addEventListener("popstate", function () { run(fromUrl()); });
  run(fromUrl());
}());
