#!/usr/bin/env python3
"""Keyword baseline for analog-regulation findings: what a municipality's keyword search finds.

usage: tenken parse --format jsonl DIR | keyword_baseline.py > findings.jsonl

Reads tenken's provision lines, joins each paragraph (項) with the text of its items (号), and
reports a finding for every taxonomy code whose typical wording (../shared/TAXONOMY.md, "typical
wording" column) occurs in it, with no attempt to tell a requirement from a mention. The engine's
scores are compared with these in the issue-3 benchmark: same paragraphs, same score.py.
"""
import json
import sys
from collections import OrderedDict

KEYWORDS = {
    "visual": ["目視", "視認", "巡視", "巡回", "監視", "見張り", "現地を確認", "現場において確認"],
    "on_site_audit": ["実地", "立入検査", "立ち入り", "立入り", "臨検", "実査", "現地調査"],
    "periodic_inspection": ["定期に", "定期検査", "定期点検", "年一回以上", "年1回以上", "毎年"],
    "posting": ["掲示", "掲げ", "見やすい場所", "標識を設置", "公衆の見やすい"],
    "resident_staff": ["常駐", "専任", "専従", "常勤", "駐在", "選任", "必置", "を置かなければ"],
    "in_person_training": ["講習", "研修を受け", "実習", "実技"],
    "visit_inspection": ["閲覧", "縦覧", "備え置", "備え付け", "備付け", "謄写", "事務所に備え"],
    "media": ["フレキシブルディスク", "フロッピー", "磁気ディスク", "磁気テープ", "光ディスク",
              "シー・ディー・ロム", "CD-ROM", "ＣＤ－ＲＯＭ"],
    "paper_procedure": ["書面により", "書面で", "申請書を", "届出書", "書類を添え", "交付", "郵送",
                        "正本", "副本"],
    "seal": ["押印", "記名押印", "署名", "自署", "印鑑", "実印", "印鑑証明"],
    "in_person_procedure": ["出頭", "面接", "面前", "立会い", "立ち会", "出席を求め", "来所", "持参",
                            "説明会を開催"],
}
DIGITAL = ["電磁的方法", "電磁的記録", "電子情報処理組織", "インターネット", "オンライン", "電子申請"]


def paragraphs(lines):
    """(file, article, paragraph, part) -> joined text of the paragraph and its items."""
    out = OrderedDict()
    for row in lines:
        if row["kind"] not in ("paragraph", "item", "subitem") or not row["article"]:
            continue
        key = (row["file"], row["article"], row["paragraph"], row["part"])
        out[key] = out.get(key, "") + row["text"]
    return out


def main():
    rows = [json.loads(line) for line in sys.stdin if line.strip()]
    for (file, article, paragraph, part), text in paragraphs(rows).items():
        digital = any(word in text for word in DIGITAL)
        for code, words in KEYWORDS.items():
            hits = [w for w in words if w in text]
            if hits:
                print(json.dumps({"file": file, "article": article, "paragraph": paragraph,
                                  "part": part, "code": code, "digital_alternative": digital,
                                  "matched": hits}, ensure_ascii=False))


if __name__ == "__main__":
    main()
