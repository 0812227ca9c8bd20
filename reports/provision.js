// The provision page of `tenken serve` (/provision/{id}): the provision in
// its article (/api/article/{id}), its findings, and the precedents of each
// of its 類型 (/api/similar/{id}): provisions of other files that already
// allow a digital way, each linking to its own provision page. Needs
// common.js (Tenken).
(function () {
  "use strict";
  var T = Tenken, el = T.el;
  var status = document.getElementById("status");
  var errorBox = document.getElementById("error");
  var view = document.getElementById("provision");
  var precedentsStatus = document.getElementById("precedents-status");
  var precedentsBox = document.getElementById("precedents");

  var parts = window.location.pathname.split("/");
  var id = "";
  try { id = decodeURIComponent(parts[parts.length - 1] || ""); } catch (e) { id = ""; }

  // Back to the search the reader came from, when there is one.
  var back = document.getElementById("back");
  if (document.referrer) {
    try {
      var from = new URL(document.referrer);
      if (from.origin === window.location.origin && from.pathname === "/") {
        back.href = from.pathname + from.search;
      }
    } catch (e) { /* keep "/" */ }
  }

  function fail(message) {
    status.textContent = "";
    errorBox.textContent = message;
    errorBox.hidden = false;
  }

  function fact(dl, term, value) {
    if (!value) { return; }
    dl.appendChild(el("div", {}, el("dt", {}, term), el("dd", {}, value)));
  }

  function showHead(p) {
    document.title = p.title + " " + p.citation + " — tenken";
    document.getElementById("title").textContent = p.title;
    var facts = document.getElementById("facts");
    fact(facts, "種別", p.kind);
    fact(facts, "例規番号", p.number);
    fact(facts, "公布日", p.date || (p.year ? p.year + " 年" : ""));
    fact(facts, "コレクション（例規集）", p.collection);
    fact(facts, "出典", p.source);
    fact(facts, "ファイル", p.file);
  }

  // The article's provisions in order, the one asked for marked; the others
  // link to their own page.
  function showArticle(body) {
    var box = document.getElementById("article");
    var caption = null;
    body.provisions.forEach(function (p) {
      if (p.caption && p.caption !== caption) {
        caption = p.caption;
        box.appendChild(el("p", { className: "caption" }, "（" + p.caption + "）"));
      }
      var asked = p.id === body.provision.id;
      var label = asked
        ? el("strong", { className: "label" }, p.citation)
        : el("a", { className: "label", href: T.provisionHref(p.id) }, p.citation);
      var block = el("div", { className: "prov article-prov" + (asked ? " asked" : "") },
        el("p", { className: "text" }, label, "　", p.text));
      if (asked) {
        block.setAttribute("aria-current", "true");
        block.id = "asked";
        block.insertBefore(el("p", { className: "asked-label" }, "この条項"), block.firstChild);
      }
      if ((p.codes || []).length) {
        var badges = el("p", { className: "badges" });
        p.codes.forEach(function (code) { badges.appendChild(T.codeBadge(code, p.digital)); });
        block.appendChild(badges);
      }
      box.appendChild(block);
    });
  }

  function showFindings(p) {
    var box = document.getElementById("findings");
    if (!(p.codes || []).length) {
      box.appendChild(el("p", {}, "この条項には指摘（アナログ規制の類型）がありません。"));
      return;
    }
    var rows = el("tbody");
    p.codes.forEach(function (code) {
      var rules = (p.rules || []).filter(function (r) { return r.indexOf(code + ".") === 0; });
      rows.appendChild(el("tr", {},
        el("th", { scope: "row" }, T.codeBadge(code, p.digital), el("span", { className: "code" }, " " + code)),
        el("td", {}, rules.length ? rules.map(function (r, i) { return [i ? "、" : "", el("code", {}, r)]; }) : "—"),
        el("td", {}, p.digital
          ? [el("span", { className: "badge tag-digital" }, "あり"), (p.digital_words || []).length ? " " + p.digital_words.join("、") : ""]
          : el("span", { className: "badge tag-analog" }, "なし"))));
    });
    box.appendChild(el("div", { className: "table-wrap" }, el("table", { className: "findings" },
      el("thead", {}, el("tr", {}, el("th", { scope: "col" }, "類型"),
        el("th", { scope: "col" }, "当てはまった規則"), el("th", { scope: "col" }, "電子的代替"))),
      rows)));
    var other = (p.rules || []).filter(function (r) {
      return !p.codes.some(function (code) { return r.indexOf(code + ".") === 0; });
    });
    if (other.length) {
      box.appendChild(el("p", { className: "note" }, "そのほかの規則: ", other.join("、")));
    }
    box.appendChild(el("p", { className: "note" }, "規則の説明は ", el("code", {}, "tenken rules explain 規則のID"), " で読めます。"));
  }

  function precedentItem(p) {
    var meta = [p.kind, p.number, p.collection ? "コレクション " + p.collection : ""].filter(Boolean).join("・");
    return el("li", { className: "precedent" },
      el("p", { className: "hit-head" },
        el("a", { href: T.provisionHref(p.id) }, el("strong", {}, p.title), " ", T.citation(p))),
      el("p", { className: "excerpt" }, T.marked(p.snippet_html)),
      el("p", { className: "note" },
        (p.digital_words || []).length ? "電子的な方法の語: " + p.digital_words.join("、") + "　" : "",
        meta, meta ? "　" : "", p.file));
  }

  function showPrecedents(body) {
    precedentsStatus.textContent = "";
    body.codes.forEach(function (group) {
      var name = group.code_name || T.codeName(group.code);
      var section = el("section", { className: "precedents" }, el("h3", {}, name));
      if (!group.precedents.length) {
        section.appendChild(el("p", { className: "muted" },
          "索引の他の例規には、" + name + "で電子的な方法を認めている規定が見つかりませんでした。"));
      } else {
        var list = el("ol", { className: "search-results" });
        group.precedents.forEach(function (p) { list.appendChild(precedentItem(p)); });
        section.appendChild(list);
      }
      precedentsBox.appendChild(section);
    });
  }

  if (!id) {
    fail("条項の id がありません。検索結果から開いてください。");
    return;
  }
  T.api("/api/article/" + encodeURIComponent(id)).then(function (body) {
    var p = body.provision;
    status.textContent = "";
    showHead(p);
    showArticle(body);
    showFindings(p);
    view.hidden = false;
    if (!(p.codes || []).length) {
      precedentsStatus.textContent = "この条項には指摘がないため、他の例規の書きぶりは探していません。";
      return;
    }
    precedentsStatus.textContent = "探しています…";
    T.api("/api/similar/" + encodeURIComponent(id)).then(showPrecedents, function (error) {
      precedentsStatus.textContent = "";
      precedentsBox.appendChild(el("p", { className: "error" }, "他の例規の書きぶりを探せませんでした: " + error.message));
    });
  }, function (error) {
    fail(error.status === 404
      ? "この id の条項は索引にありません（索引を作り直したときは id が変わることがあります）。検索からやり直してください。"
      : "条項を読めませんでした: " + error.message);
  });
}());
