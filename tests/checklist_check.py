#!/usr/bin/env python3
"""Reads a checklist written by tenken with real readers and checks it.

usage: checklist_check.py CHECKLIST.xlsx CHECKLIST.csv EXPECTED.json

EXPECTED.json (written by tests/checklist.rs):
  header:      the header row
  ids:         the IDs of the data rows, in order
  rows:        {id: [cells of the XLSX row, "" for an empty cell]}
  csv_rows:    {id: [cells of the CSV row]}
  judgement:   the 該非 choices;  policy: the 見直し方針 choices
  text_cells:  [[id, column name]]: cells that must be stored as text (they start with "=")
  summary:     {"counts": {例規名: {column header: count}}, "priority": {優先度: count},
                "overview": {label: count}}
Prints what it checked; exits non-zero with the first mismatch."""
import csv
import json
import sys

import openpyxl
from openpyxl.utils import get_column_letter


def fail(message):
    print(f"checklist_check: {message}", file=sys.stderr)
    sys.exit(1)


def same(what, got, want):
    if got != want:
        fail(f"{what}: got {got!r}, want {want!r}")


def text(value):
    return "" if value is None else value


def check_checklist_sheet(ws, want):
    header = [c.value for c in ws[1]]
    same("header row", header, want["header"])
    same("freeze panes", ws.freeze_panes, "A2")
    last_col = get_column_letter(len(want["header"]))
    last_row = len(want["ids"]) + 1
    same("autofilter", ws.auto_filter.ref, f"A1:{last_col}{last_row}")
    id_col = len(want["header"])
    ids = [ws.cell(row=r, column=id_col).value for r in range(2, ws.max_row + 1)]
    same("row order (IDs)", ids, want["ids"])
    rows = {}
    for r in range(2, ws.max_row + 1):
        cells = [text(ws.cell(row=r, column=c).value) for c in range(1, id_col + 1)]
        rows[cells[-1]] = (r, cells)
    for id_, cells in want["rows"].items():
        same(f"row {id_}", rows[id_][1], cells)
    for id_, column in want["text_cells"]:
        cell = ws.cell(row=rows[id_][0], column=want["header"].index(column) + 1)
        same(f"type of {column} in row {id_} (s = text)", cell.data_type, "s")
    check_validations(ws, want, last_row)
    widths = {k: v.width for k, v in ws.column_dimensions.items()}
    if not widths.get("F") or widths["F"] < 40:
        fail(f"該当箇所 (column F) should be wide, widths: {widths}")
    excerpt = ws.cell(row=2, column=6)
    if not excerpt.alignment.wrap_text:
        fail("該当箇所 should wrap")
    if not ws.cell(row=1, column=1).font.b:
        fail("the header should be bold")


def check_validations(ws, want, last_row):
    found = {}
    for dv in ws.data_validations.dataValidation:
        found[str(dv.sqref)] = (dv.type, dv.formula1)
    for column, choices in ((want["header"].index("該非"), want["judgement"]),
                            (want["header"].index("見直し方針"), want["policy"])):
        letter = get_column_letter(column + 1)
        ref = f"{letter}2:{letter}{last_row}"
        if ref not in found:
            fail(f"no data validation on {ref}; found {found}")
        same(f"validation {ref}", found[ref], ("list", '"' + ",".join(choices) + '"'))


def check_summary_sheet(ws, want):
    grid = [[text(c.value) for c in row] for row in ws.iter_rows()]
    header_at = next((i for i, r in enumerate(grid) if r and r[0] == "ファイル"), None)
    if header_at is None:
        fail("集計: no header row starting with ファイル")
    header = grid[header_at]
    for title, counts in want["summary"]["counts"].items():
        row = next((r for r in grid[header_at + 1:] if len(r) > 1 and r[1] == title), None)
        if row is None:
            fail(f"集計: no row for {title}")
        for column, count in counts.items():
            same(f"集計 {title} × {column}", row[header.index(column)], count)
    for label, count in want["summary"]["priority"].items():
        row = next((r for r in grid if r and r[0] == label), None)
        same(f"集計 優先度 {label}", row[1] if row else None, count)
    for label, count in want["summary"]["overview"].items():
        row = next((r for r in grid if r and r[0] == label), None)
        same(f"集計 {label}", row[1] if row else None, count)


def check_csv(path, want):
    raw = open(path, "rb").read()
    same("CSV BOM", raw[:3], b"\xef\xbb\xbf")
    first_line = raw.split(b"\n", 1)[0]
    if not first_line.endswith(b"\r"):
        fail("CSV header line does not end with CRLF")
    with open(path, encoding="utf-8-sig", newline="") as f:
        rows = list(csv.reader(f))
    same("CSV header", rows[0], want["header"])
    same("CSV row order (IDs)", [r[-1] for r in rows[1:]], want["ids"])
    by_id = {r[-1]: r for r in rows[1:]}
    for id_, cells in want["csv_rows"].items():
        same(f"CSV row {id_}", by_id[id_], cells)


def main():
    xlsx_path, csv_path, want_path = sys.argv[1:4]
    want = json.load(open(want_path, encoding="utf-8"))
    wb = openpyxl.load_workbook(xlsx_path)
    same("sheet names", wb.sheetnames, ["チェックリスト", "集計"])
    check_checklist_sheet(wb["チェックリスト"], want)
    check_summary_sheet(wb["集計"], want)
    check_csv(csv_path, want)
    print("checklist_check: xlsx and csv OK")


if __name__ == "__main__":
    main()
