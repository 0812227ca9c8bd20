// Shared by the pages of `tenken serve` (search, provision, counts): the
// names of the 類型, fetching the JSON API with errors in Japanese, and
// building elements. Text is only ever inserted with textContent; the one
// piece of HTML the API gives (snippet_html, escaped with <b> marks) is
// parsed inertly and rebuilt from its text and <b> elements only.
var Tenken = (function () {
  "use strict";
  var CODES = {
    visual: "目視規制", on_site_audit: "実地監査規制", periodic_inspection: "定期検査・点検規制",
    posting: "書面掲示規制", resident_staff: "常駐・専任規制", in_person_training: "対面講習規制",
    visit_inspection: "往訪閲覧・縦覧規制", media: "FD等記録媒体規制", paper_procedure: "書面手続",
    seal: "押印・署名", in_person_procedure: "対面手続"
  };

  function codeName(code) {
    return CODES[code] || code;
  }

  // GETs a path of the API. Resolves to the body; rejects with an Error whose
  // message is Japanese (the API's own message, or one for a network failure),
  // and whose status is the HTTP status (0 when there was no answer).
  function api(path) {
    return fetch(path, { headers: { Accept: "application/json" } }).then(function (response) {
      return response.text().then(function (text) {
        var body = null;
        try { body = JSON.parse(text); } catch (e) { body = null; }
        if (response.ok && body) { return body; }
        var message = body && typeof body.error === "string" && body.error
          ? body.error
          : "サーバーが予期しない応答を返しました（HTTP " + response.status + "）。";
        var error = new Error(message);
        error.status = response.status;
        throw error;
      });
    }, function () {
      var error = new Error("サーバーに接続できませんでした。tenken serve が動いているか確かめてから、ページを再読み込みしてください。");
      error.status = 0;
      throw error;
    });
  }

  // el("p", {className: "x"}, "text", child …): an element with properties
  // and children (strings become text nodes).
  function el(tag, props) {
    var node = document.createElement(tag);
    Object.keys(props || {}).forEach(function (key) {
      if (key === "dataset") {
        Object.keys(props.dataset).forEach(function (k) { node.dataset[k] = props.dataset[k]; });
      } else if (key.indexOf("aria-") === 0 || key === "role") {
        node.setAttribute(key, props[key]);
      } else {
        node[key] = props[key];
      }
    });
    for (var i = 2; i < arguments.length; i++) {
      append(node, arguments[i]);
    }
    return node;
  }

  function append(node, child) {
    if (child === null || child === undefined || child === false) { return; }
    if (Array.isArray(child)) { child.forEach(function (c) { append(node, c); }); return; }
    node.appendChild(typeof child === "string" || typeof child === "number"
      ? document.createTextNode(String(child)) : child);
  }

  // snippet_html ("…<b>word</b>…", the rest escaped) as a <span> of text and
  // <mark> elements. Parsed with DOMParser (no script runs, nothing loads);
  // anything but text and <b> is kept as its text only.
  function marked(html) {
    var span = el("span", { className: "snippet" });
    var doc = new DOMParser().parseFromString("<body>" + (html || "") + "</body>", "text/html");
    Array.prototype.forEach.call(doc.body.childNodes, function (node) {
      if (node.nodeType === 1 && node.nodeName === "B") {
        span.appendChild(el("mark", { className: "hit" }, node.textContent));
      } else {
        span.appendChild(document.createTextNode(node.textContent || ""));
      }
    });
    return span;
  }

  function codeBadge(code, digital) {
    return el("span", {
      className: "badge tag-code" + (digital ? " is-digital" : ""),
      title: digital ? "電子的代替あり" : ""
    }, codeName(code));
  }

  // 第三条第二項 with its 見出し: "第三条第二項（見出し）".
  function citation(record) {
    return (record.citation || "") + (record.caption ? "（" + record.caption + "）" : "");
  }

  function provisionHref(id) {
    return "/provision/" + encodeURIComponent(id);
  }

  function searchHref(params) {
    var p = new URLSearchParams();
    Object.keys(params).forEach(function (k) { if (params[k]) { p.set(k, params[k]); } });
    var s = p.toString();
    return "/" + (s ? "?" + s : "");
  }

  function number(n) {
    return Number(n || 0).toLocaleString("ja-JP");
  }

  return {
    CODES: CODES, codeName: codeName, api: api, el: el, marked: marked, codeBadge: codeBadge,
    citation: citation, provisionHref: provisionHref, searchHref: searchHref, number: number
  };
}());
