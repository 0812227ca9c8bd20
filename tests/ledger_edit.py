"""Edits a tenken checklist the way reviewers and Excel do, through openpyxl
(a real spreadsheet library, not tenken's own writer), for tests/it/ledger.rs.

usage: ledger_edit.py CHECKLIST.xlsx DECISIONS.json [--plain]

- every data row gets the decisions DECISIONS.json gives for its ID
  ({id: {header: value}}); 対応予定時期 is typed in as a date cell;
- the columns of the checklist sheet are put in another order (ID first,
  該当箇所 last) and a reviewer's column 確認者 is added;
- a notes sheet is put in front, and a totals row without an ID (with a
  note in 備考) is added at the bottom, as Excel users do;
- the workbook is saved over the same file.

With --plain only the decisions are typed in, each into its cell, and
nothing else changes (a reviewer filling in the sheet as tenken wrote it).
"""

import datetime
import json
import sys

import openpyxl


def main():
    path, decisions_path = sys.argv[1], sys.argv[2]
    decisions = json.load(open(decisions_path, encoding="utf-8"))
    book = openpyxl.load_workbook(path)
    sheet = book["チェックリスト"]
    rows = [[cell.value for cell in row] for row in sheet.iter_rows()]
    header, data = rows[0], rows[1:]
    id_col = header.index("ID")
    if "--plain" in sys.argv[3:]:
        for number, row in enumerate(data, start=2):
            for name, value in decisions.get(row[id_col], {}).items():
                if name in header:
                    sheet.cell(row=number, column=header.index(name) + 1, value=value)
        book.save(path)
        return
    for row in data:
        for name, value in decisions.get(row[id_col], {}).items():
            if name == "対応予定時期":
                year, month, day = map(int, value.split("-"))
                value = datetime.datetime(year, month, day)
            if name in header:
                row[header.index(name)] = value
    order = [id_col] + [i for i in range(len(header)) if i != id_col]
    excerpt = header.index("該当箇所")
    order.remove(excerpt)
    order.append(excerpt)
    book.remove(sheet)
    edited = book.create_sheet("チェックリスト", 0)
    edited.append([header[i] for i in order] + ["確認者"])
    for row in data:
        reviewer = decisions.get(row[id_col], {}).get("確認者")
        edited.append([row[i] for i in order] + [reviewer])
    totals = [None] * (len(header) + 1)
    totals[[header[i] for i in order].index("備考")] = "合計行（Excel で追加）"
    edited.append(totals)
    notes = book.create_sheet("メモ", 0)
    notes.append(["点検の進め方", "課ごとに分担する"])
    book.save(path)


if __name__ == "__main__":
    main()
