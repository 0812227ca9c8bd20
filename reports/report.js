/* tenken report: filters the findings a page embeds as JSON
   (<script type="application/json" id="report-data">) by 類型, 優先度,
   電子的代替, 種別 and free text. On the overview and 類型 pages it fills a
   paged table; on a 例規 page it shows and hides the checklist rows and dims
   the highlights of hidden findings. The initial filter can be given in the
   address: index.html?code=posting&priority=high&digital=no&kind=条例&q=掲示.
   No framework, no network; text is inserted with textContent only. */
(function () {
  "use strict";
  var dataElement = document.getElementById("report-data");
  var form = document.querySelector("form[data-filters]");
  if (!dataElement || !form) {
    return;
  }
  var data = JSON.parse(dataElement.textContent);
  var root = document.body.getAttribute("data-root") || "";
  var PRIORITY = { high: "高", medium: "中", low: "低" };
  var PAGE_SIZE = 50;
  var page = 0;
  var printing = false;
  var body = document.querySelector("[data-explorer-body]");
  var pager = document.querySelector("[data-pager]");
  var count = document.getElementById("result-count");
  var columns = Array.prototype.map.call(
    document.querySelectorAll("table[data-explorer] th[data-col]"),
    function (th) { return th.getAttribute("data-col"); }
  );

  function fold(text) {
    return String(text || "").normalize("NFKC").toLowerCase();
  }

  // The text each finding is searched in.
  data.findings.forEach(function (f) {
    var doc = data.docs[f.d] || {};
    f.haystack = fold([doc.t, doc.n, f.t, f.m, f.x, data.codes[f.c], f.c].join(" "));
  });

  // 種別 choices: the kinds present in the data.
  var kindSelect = form.elements.kind;
  if (kindSelect) {
    var kinds = [];
    data.docs.forEach(function (d) {
      if (d.k && kinds.indexOf(d.k) < 0) { kinds.push(d.k); }
    });
    kinds.sort().forEach(function (k) {
      var option = document.createElement("option");
      option.value = k;
      option.textContent = k;
      kindSelect.appendChild(option);
    });
  }

  function value(name) {
    var element = form.elements[name];
    return element ? element.value : "";
  }

  function current() {
    return {
      code: value("code"),
      priority: value("priority"),
      digital: value("digital"),
      kind: value("kind"),
      words: fold(value("q")).split(/\s+/).filter(Boolean)
    };
  }

  function keep(f, s) {
    if (s.code && f.c !== s.code) { return false; }
    if (s.priority && f.p !== s.priority) { return false; }
    if (s.digital === "yes" && !f.a) { return false; }
    if (s.digital === "no" && f.a) { return false; }
    if (s.kind && (data.docs[f.d] || {}).k !== s.kind) { return false; }
    for (var i = 0; i < s.words.length; i++) {
      if (f.haystack.indexOf(s.words[i]) < 0) { return false; }
    }
    return true;
  }

  function link(text, href) {
    var element = document.createElement(href ? "a" : "span");
    if (href) { element.href = href; }
    element.textContent = text;
    return element;
  }

  function cell(row, className) {
    var td = document.createElement("td");
    td.className = className;
    row.appendChild(td);
    return td;
  }

  // The excerpt with its 【marked】 words as <mark> (text nodes only).
  function excerpt(td, text) {
    String(text || "").split(/(【[^【】]*】)/).forEach(function (piece) {
      if (piece.charAt(0) === "【" && piece.charAt(piece.length - 1) === "】") {
        var mark = document.createElement("mark");
        mark.className = "hit";
        mark.textContent = piece.slice(1, -1);
        td.appendChild(mark);
      } else if (piece) {
        td.appendChild(document.createTextNode(piece));
      }
    });
  }

  function docHref(f) {
    var doc = data.docs[f.d] || {};
    return doc.h ? root + doc.h : "";
  }

  function renderTable(hits) {
    var pages = Math.max(1, Math.ceil(hits.length / PAGE_SIZE));
    if (page >= pages) { page = pages - 1; }
    var shown = printing ? hits : hits.slice(page * PAGE_SIZE, (page + 1) * PAGE_SIZE);
    var fragment = document.createDocumentFragment();
    shown.forEach(function (f) {
      var doc = data.docs[f.d] || {};
      var row = document.createElement("tr");
      row.setAttribute("data-finding", f.i);
      columns.forEach(function (col) {
        if (col === "doc") {
          cell(row, "doc").appendChild(link(doc.t || "", docHref(f)));
        } else if (col === "cite") {
          var href = docHref(f);
          var cite = cell(row, "cite");
          cite.appendChild(link(f.t, href && f.h ? href + "#" + f.h : href));
          if (f.m) {
            var caption = document.createElement("span");
            caption.className = "cap";
            caption.textContent = "（" + f.m + "）";
            cite.appendChild(caption);
          }
        } else if (col === "code") {
          cell(row, "code").textContent = data.codes[f.c] || f.c;
        } else if (col === "priority") {
          var label = document.createElement("span");
          label.className = "pri-label pri-" + f.p;
          label.textContent = PRIORITY[f.p] || f.p;
          cell(row, "priority").appendChild(label);
        } else if (col === "digital") {
          cell(row, "digital").textContent = f.a ? "あり" : "なし";
        } else if (col === "excerpt") {
          excerpt(cell(row, "excerpt"), f.x);
        }
      });
      fragment.appendChild(row);
    });
    body.textContent = "";
    body.appendChild(fragment);
    if (pager) {
      pager.hidden = printing || hits.length <= PAGE_SIZE;
      pager.querySelector("[data-page-info]").textContent =
        (page + 1) + " / " + pages + " ページ";
      pager.querySelector("[data-prev]").disabled = page === 0;
      pager.querySelector("[data-next]").disabled = page >= pages - 1;
    }
  }

  function toggleRows(hits) {
    var visible = {};
    hits.forEach(function (f) { visible[f.i] = true; });
    document.querySelectorAll("[data-finding]").forEach(function (row) {
      row.hidden = !visible[row.getAttribute("data-finding")];
    });
    document.querySelectorAll("[data-badge]").forEach(function (badge) {
      badge.hidden = !visible[badge.getAttribute("data-badge")];
    });
    document.querySelectorAll("mark[data-ids]").forEach(function (mark) {
      var ids = mark.getAttribute("data-ids").split(" ");
      var on = ids.some(function (id) { return visible[id]; });
      mark.classList.toggle("off", !on);
    });
  }

  function apply() {
    var s = current();
    var hits = data.findings.filter(function (f) { return keep(f, s); });
    count.textContent = String(hits.length);
    if (body) {
      renderTable(hits);
    } else {
      toggleRows(hits);
    }
  }

  // The initial filter from the address (?code=posting&priority=high …).
  var params = new URLSearchParams(window.location.search);
  ["code", "priority", "digital", "kind", "q"].forEach(function (name) {
    var element = form.elements[name];
    if (element && params.has(name)) { element.value = params.get(name); }
  });

  form.addEventListener("input", function () { page = 0; apply(); });
  form.addEventListener("change", function () { page = 0; apply(); });
  form.addEventListener("submit", function (event) { event.preventDefault(); });
  form.addEventListener("reset", function () {
    window.setTimeout(function () { page = 0; apply(); }, 0);
  });
  if (pager) {
    pager.querySelector("[data-prev]").addEventListener("click", function () {
      if (page > 0) { page -= 1; apply(); }
    });
    pager.querySelector("[data-next]").addEventListener("click", function () {
      page += 1;
      apply();
    });
  }
  // Print every finding that passes the filter, and open the details.
  window.addEventListener("beforeprint", function () {
    printing = true;
    document.querySelectorAll("details").forEach(function (d) { d.open = true; });
    apply();
  });
  window.addEventListener("afterprint", function () {
    printing = false;
    apply();
  });
  apply();
})();
