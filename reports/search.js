// The search page of `tenken serve`: sends the form to /api/search and shows
// the hits, their snippets and the facet counts. Text is inserted with
// textContent only; the snippet's <b> marks are rebuilt as elements.
(function () {
  "use strict";
  var CODES = {
    visual: "目視規制", on_site_audit: "実地監査規制", periodic_inspection: "定期検査・点検規制",
    posting: "書面掲示規制", resident_staff: "常駐・専任規制", in_person_training: "対面講習規制",
    visit_inspection: "往訪閲覧・縦覧規制", media: "FD等記録媒体規制", paper_procedure: "書面手続",
    seal: "押印・署名", in_person_procedure: "対面手続"
  };
  var PAGE = 20;
  var form = document.getElementById("search-form");
  var results = document.getElementById("results");
  var status = document.getElementById("status");
  var more = document.getElementById("more");
  var facets = document.getElementById("facets");
  var offset = 0;

  var codeSelect = document.getElementById("code");
  Object.keys(CODES).forEach(function (code) {
    var option = document.createElement("option");
    option.value = code;
    option.textContent = CODES[code];
    codeSelect.appendChild(option);
  });

  function params() {
    var p = new URLSearchParams();
    ["q", "code", "digital"].forEach(function (name) {
      var value = form.elements[name].value.trim();
      if (value) { p.set(name, value); }
    });
    p.set("limit", PAGE);
    p.set("offset", offset);
    return p;
  }

  // Splits "…<b>word</b>…" into text and <mark> elements without parsing HTML.
  function snippet(text) {
    var span = document.createElement("span");
    text.split(/(【[^】]*】)/).forEach(function (part) {
      if (part.charAt(0) === "【" && part.charAt(part.length - 1) === "】") {
        var mark = document.createElement("mark");
        mark.textContent = part.slice(1, -1);
        span.appendChild(mark);
      } else if (part) {
        span.appendChild(document.createTextNode(part));
      }
    });
    return span;
  }

  function hitItem(hit) {
    var li = document.createElement("li");
    var head = document.createElement("p");
    var strong = document.createElement("strong");
    strong.textContent = hit.title + " " + hit.citation;
    head.appendChild(strong);
    (hit.codes || []).forEach(function (code) {
      var badge = document.createElement("span");
      badge.className = "badge";
      badge.textContent = CODES[code] || code;
      head.appendChild(document.createTextNode(" "));
      head.appendChild(badge);
    });
    var body = document.createElement("p");
    body.appendChild(snippet(hit.snippet || ""));
    var file = document.createElement("p");
    file.className = "muted";
    file.textContent = hit.file;
    li.appendChild(head);
    li.appendChild(body);
    li.appendChild(file);
    return li;
  }

  function showFacets(f) {
    facets.textContent = "";
    [["類型", f.codes, CODES], ["種別", f.kinds, {}], ["出典", f.sources, {}]].forEach(function (group) {
      var p = document.createElement("p");
      p.textContent = group[0] + ": " + Object.keys(group[1] || {}).map(function (k) {
        return (group[2][k] || k) + " " + group[1][k];
      }).join("、");
      facets.appendChild(p);
    });
    document.getElementById("facets-section").hidden = false;
  }

  function run(append) {
    status.textContent = "検索しています…";
    fetch("/api/search?" + params().toString()).then(function (response) {
      return response.json().then(function (body) { return { ok: response.ok, body: body }; });
    }).then(function (r) {
      if (!r.ok) {
        status.textContent = "検索式を読めません: " + (r.body.error || "");
        return;
      }
      if (!append) { results.textContent = ""; }
      r.body.hits.forEach(function (hit) { results.appendChild(hitItem(hit)); });
      status.textContent = r.body.total + " 件の条項";
      showFacets(r.body.facets);
      more.hidden = offset + PAGE >= r.body.total;
    }).catch(function () {
      status.textContent = "検索できませんでした。";
    });
  }

  form.addEventListener("submit", function (event) {
    event.preventDefault();
    offset = 0;
    run(false);
  });
  more.addEventListener("click", function () {
    offset += PAGE;
    run(true);
  });
}());
