// The search page of `tenken serve`. The query and every filter live in the
// URL (/?q=…&code=…&kind=…&collection=…&source=…&digital=…&year=…&page=…):
// a search pushes a history entry, Back and bookmarks bring it back. The
// drop-downs are filled from the facets of the whole index; the facet counts
// of a result are links that add that filter. Each hit links to its
// provision page. Needs common.js (Tenken).
(function () {
  "use strict";
  var T = Tenken, el = T.el;
  var PAGE = 20;
  var FIELDS = ["q", "code", "kind", "collection", "source", "digital", "year"];
  var FILTERS = [
    // [parameter, heading, facet key, label of a value]
    ["code", "類型", "codes", T.codeName],
    ["kind", "種別", "kinds", null],
    ["collection", "コレクション", "collections", null],
    ["source", "出典", "sources", null]
  ];
  var DIGITAL = { "true": "電子的代替あり", "false": "電子的代替なし" };
  var form = document.getElementById("search-form");
  var results = document.getElementById("results");
  var resultsSection = document.getElementById("results-section");
  var status = document.getElementById("status");
  var errorBox = document.getElementById("error");
  var facets = document.getElementById("facets");
  var facetsSection = document.getElementById("facets-section");
  var pager = document.getElementById("pager");
  var prev = document.getElementById("prev");
  var next = document.getElementById("next");
  var pageInfo = document.getElementById("page-info");
  var countsLink = document.getElementById("counts-link");
  var indexFacets = null;
  var serial = 0;

  // The state in the URL: the fields (trimmed, empty ones left out) and the page.
  function fromUrl() {
    var url = new URLSearchParams(window.location.search);
    var state = {};
    FIELDS.forEach(function (name) {
      var value = (url.get(name) || "").trim();
      if (value) { state[name] = value; }
    });
    var page = parseInt(url.get("page") || "1", 10);
    state.page = page > 1 ? page : 1;
    return state;
  }

  function fromForm() {
    var state = {};
    FIELDS.forEach(function (name) {
      var value = form.elements[name].value.trim();
      if (value) { state[name] = value; }
    });
    state.page = 1;
    return state;
  }

  function href(state) {
    var copy = {};
    FIELDS.forEach(function (name) { if (state[name]) { copy[name] = state[name]; } });
    if (state.page > 1) { copy.page = String(state.page); }
    return T.searchHref(copy);
  }

  function hasQuery(state) {
    return FIELDS.some(function (name) { return !!state[name]; });
  }

  // A <select>'s options: すべて, the index's values with their counts, and
  // the value asked for even when the index does not have it (the API then
  // says what is wrong).
  function fillSelect(name, values, label, current) {
    var select = form.elements[name];
    select.textContent = "";
    select.appendChild(el("option", { value: "" }, "すべて"));
    var keys = Object.keys(values || {});
    if (current && keys.indexOf(current) < 0) { keys.push(current); }
    keys.forEach(function (key) {
      var text = (label ? label(key) : key);
      if (values && values[key] !== undefined) { text += "（" + T.number(values[key]) + "）"; }
      select.appendChild(el("option", { value: key }, text));
    });
    select.value = current || "";
  }

  function toForm(state) {
    FILTERS.forEach(function (f) {
      fillSelect(f[0], indexFacets ? indexFacets[f[2]] : {}, f[3], state[f[0]]);
    });
    ["q", "digital", "year"].forEach(function (name) {
      form.elements[name].value = state[name] || "";
    });
    countsLink.href = "/counts" + (state.q ? "?" + new URLSearchParams({ q: state.q }).toString() : "");
  }

  function showError(message) {
    errorBox.textContent = message;
    errorBox.hidden = !message;
  }

  function hitItem(hit) {
    var meta = [hit.kind, hit.number, hit.date ? "公布 " + hit.date : (hit.year ? hit.year + " 年" : ""),
      hit.collection ? "コレクション " + hit.collection : ""].filter(Boolean).join("・");
    var head = el("p", { className: "hit-head" },
      el("a", { href: T.provisionHref(hit.id) }, el("strong", {}, hit.title), " ", T.citation(hit)));
    (hit.codes || []).forEach(function (code) {
      head.appendChild(document.createTextNode(" "));
      head.appendChild(T.codeBadge(code, hit.digital));
    });
    if (hit.digital) {
      head.appendChild(document.createTextNode(" "));
      head.appendChild(el("span", { className: "badge tag-digital" }, "電子的代替あり"));
    }
    return el("li", { className: "hit" },
      head,
      el("p", { className: "excerpt" }, T.marked(hit.snippet_html)),
      el("p", { className: "muted note" }, meta, meta ? "　" : "", hit.file));
  }

  // The facet counts of the result, each a link that adds that filter (the
  // value in force is shown, with a link that removes it).
  function showFacets(state, f) {
    facets.textContent = "";
    var groups = FILTERS.map(function (g) { return [g[0], g[1], f[g[2]] || {}, g[3]]; });
    var digital = {};
    groups.push(["digital", "電子的代替", digital, function (v) { return DIGITAL[v] || v; }]);
    groups.forEach(function (group) {
      var name = group[0], values = group[2], label = group[3] || function (v) { return v; };
      var keys = Object.keys(values).sort(function (a, b) { return values[b] - values[a]; });
      var list = el("ul", { className: "facet-list" });
      if (state[name]) {
        var without = Object.assign({}, state, { page: 1 });
        delete without[name];
        list.appendChild(el("li", { className: "facet-on" },
          el("strong", {}, label(state[name])), " ",
          el("a", { href: href(without), dataset: { nav: "1" }, "aria-label": group[1] + "の絞り込みを外す" }, "（外す）")));
      } else if (name === "digital") {
        ["false", "true"].forEach(function (v) {
          list.appendChild(el("li", {}, el("a", {
            href: href(Object.assign({}, state, { digital: v, page: 1 })), dataset: { nav: "1" }
          }, label(v))));
        });
      } else if (!keys.length) {
        list.appendChild(el("li", { className: "muted" }, "なし"));
      } else {
        keys.forEach(function (key) {
          var with_ = Object.assign({}, state, { page: 1 });
          with_[name] = key;
          list.appendChild(el("li", {},
            el("a", { href: href(with_), dataset: { nav: "1" } }, label(key)),
            " ", el("span", { className: "count" }, T.number(values[key]))));
        });
      }
      facets.appendChild(el("div", { className: "facet-group" }, el("h3", {}, group[1]), list));
    });
    facetsSection.hidden = false;
  }

  function showPager(state, total) {
    var pages = Math.max(1, Math.ceil(total / PAGE));
    pager.hidden = pages <= 1;
    prev.hidden = state.page <= 1;
    next.hidden = state.page >= pages;
    prev.href = href(Object.assign({}, state, { page: state.page - 1 }));
    next.href = href(Object.assign({}, state, { page: state.page + 1 }));
    pageInfo.textContent = state.page + " / " + pages + " ページ";
  }

  function run(state) {
    var mine = ++serial;
    toForm(state);
    var summary = FIELDS.filter(function (name) { return state[name]; }).map(function (name) {
      return name === "q" ? state.q : name === "code" ? T.codeName(state.code)
        : name === "digital" ? DIGITAL[state.digital] || state.digital : state[name];
    }).join("・");
    document.title = (summary ? summary + " — " : "") + "例規を検索 — tenken";
    showError("");
    if (!hasQuery(state)) {
      resultsSection.hidden = true;
      pager.hidden = true;
      if (indexFacets) {
        status.textContent = "索引には " + T.number(indexFacets.total) + " の条項があります。検索式を入れるか、内訳から選んでください。";
        showFacets(state, indexFacets);
      }
      return;
    }
    status.textContent = "検索しています…";
    var p = new URLSearchParams();
    FIELDS.forEach(function (name) { if (state[name]) { p.set(name, state[name]); } });
    if (!state.q) { p.set("q", "*"); }
    p.set("limit", String(PAGE));
    p.set("offset", String((state.page - 1) * PAGE));
    T.api("/api/search?" + p.toString()).then(function (body) {
      if (mine !== serial) { return; }
      results.textContent = "";
      body.hits.forEach(function (hit) { results.appendChild(hitItem(hit)); });
      var from = (state.page - 1) * PAGE;
      status.textContent = T.number(body.total) + " 件の条項" +
        (body.hits.length ? "（" + T.number(from + 1) + "〜" + T.number(from + body.hits.length) + " 件目）" : "");
      if (!body.total) {
        results.appendChild(el("li", { className: "muted" }, "条件に合う条項はありません。条件を減らしてみてください。"));
      } else if (!body.hits.length) {
        results.appendChild(el("li", { className: "muted" }, "このページには結果がありません。前のページに戻ってください。"));
      }
      resultsSection.hidden = false;
      showFacets(state, body.facets);
      showPager(state, body.total);
    }, function (error) {
      if (mine !== serial) { return; }
      status.textContent = "";
      resultsSection.hidden = true;
      facetsSection.hidden = true;
      showError((error.status === 400 ? "検索できません: " : "") + error.message);
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
    go(fromForm());
  });
  // The filters apply as soon as one is chosen.
  ["code", "kind", "collection", "source", "digital"].forEach(function (name) {
    form.elements[name].addEventListener("change", function () { go(fromForm()); });
  });
  // Links inside the page (facets, pager, 条件を消す) without a reload.
  document.addEventListener("click", function (event) {
    var a = event.target.closest && event.target.closest("a");
    if (!a || event.button !== 0 || event.ctrlKey || event.metaKey || event.shiftKey || event.altKey) { return; }
    if (!(a.dataset.nav || a === prev || a === next || a.id === "clear")) { return; }
    event.preventDefault();
    window.history.pushState(null, "", a.getAttribute("href"));
    run(fromUrl());
    window.scrollTo(0, 0);
  });
  window.addEventListener("popstate", function () { run(fromUrl()); });

  // The index's own facets fill the drop-downs, then the URL's search runs.
  T.api("/api/search?q=*&limit=0").then(function (body) {
    indexFacets = body.facets;
    indexFacets.total = body.total;
  }, function (error) {
    showError("絞り込みの選択肢を読めませんでした: " + error.message);
  }).then(function () { run(fromUrl()); });
}());
