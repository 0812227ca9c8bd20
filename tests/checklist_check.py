#!/usr/bin/env python3
"""Reads a checklist written by tenken with real readers and checks it.

usage: checklist_check.py CHECKLIST.xlsx CHECKLIST.csv EXPECTED.json

EXPECTED.json (written by tests/it/checklist.rs):
  header:      the header row
  ids:         the IDs of the data rows, in order
  rows:        {id: [cells of the XLSX row, "" for an empty cell]}
  csv_rows:    {id: [cells of the CSV row]}
  judgement:   the 該非 choices;  policy: the 見直し方針 choices
  text_cells:  [[id, column name]]: cells that must be stored as text (they start with "=")
  font:        the font of every cell;  frozen: the top-left cell of the scrolling pane
  detail_columns: the columns grouped and folded away
  max_cell:    the most characters a cell may hold;  max_row_height: in points
  summary:     {"counts": {例規名: {column header: count}}, "priority": {優先度: count},
                "overview": {label: count}, "progress": {label: value},
                "by_kind": {類型: [件数, 電子的代替, 判断済み, 該当, 未判断, 進捗率]}}
Prints what it checked; exits non-zero with the first mismatch."""
import csv
import json
import math
import sys

import openpyxl
from openpyxl.utils import get_column_letter

# Excel's column unit for 游ゴシック 11 pt (a digit of 8 px, 5 px of padding),
# the pixels of a full-width character at 11 pt, and Excel's line height.
DIGIT_PX = 8
EM_PX = 11 * 96 / 72
LINE_PT = 18.75
# The printable width of A3 landscape with margins of 0.4 inch, in pixels.
A3_LANDSCAPE_PX = (420 / 25.4 - 0.8) * 96
MIN_SCALE = 0.70


def fail(message):
    print(f"checklist_check: {message}", file=sys.stderr)
    sys.exit(1)


def same(what, got, want):
    if isinstance(want, float) and isinstance(got, (int, float)):
        if abs(got - want) > 1e-9:
            fail(f"{what}: got {got!r}, want {want!r}")
    elif got != want:
        fail(f"{what}: got {got!r}, want {want!r}")


def text(value):
    return "" if value is None else value


def columns(ws):
    """{column number: (width, hidden, outline level)} for the sheet's used columns."""
    found = {}
    for dim in ws.column_dimensions.values():
        for col in range(dim.min or 0, (dim.max or 0) + 1):
            found[col] = (dim.width, dim.hidden, dim.outlineLevel)
    return {c: found.get(c, (None, False, 0)) for c in range(1, ws.max_column + 1)}


def print_scale(ws):
    """The scale at which the sheet's shown columns fit one A3 landscape page width."""
    pixels = 0
    for width, hidden, _ in columns(ws).values():
        if not hidden:
            pixels += (width or 9.0) * DIGIT_PX
    return min(1.0, A3_LANDSCAPE_PX / pixels)


def check_page_setup(ws, name, title_row):
    setup = ws.page_setup
    same(f"{name}: orientation", setup.orientation, "landscape")
    same(f"{name}: paper size (8 = A3)", int(setup.paperSize), 8)
    same(f"{name}: fit to page", ws.sheet_properties.pageSetUpPr.fitToPage, True)
    same(f"{name}: pages wide", int(setup.fitToWidth if setup.fitToWidth is not None else 1), 1)
    same(f"{name}: pages tall (0 = as many as needed)", int(setup.fitToHeight), 0)
    same(f"{name}: print titles", (ws.print_title_rows or "").replace("$", ""),
         f"{title_row}:{title_row}")
    scale = print_scale(ws)
    if scale < MIN_SCALE:
        fail(f"{name}: its columns print at {scale:.0%} on A3, below {MIN_SCALE:.0%}")
    print(f"checklist_check: {name} prints one A3 landscape page wide at {scale:.0%}")


def check_fonts(wb, font):
    for ws in wb.worksheets:
        for row in ws.iter_rows():
            for cell in row:
                if cell.value is not None and cell.font.name != font:
                    fail(f"{ws.title}!{cell.coordinate}: font {cell.font.name!r}, want {font!r}")
    normal = next(s for s in wb._named_styles if s.name == "Normal")
    same("font of the Normal style", normal.font.name, font)


def check_cell_lengths(wb, most):
    for ws in wb.worksheets:
        for row in ws.iter_rows():
            for cell in row:
                if isinstance(cell.value, str) and len(cell.value) > most:
                    fail(f"{ws.title}!{cell.coordinate}: {len(cell.value)} characters")


def lines_needed(value, width):
    """A lower bound of the lines a wrapped text takes: no word breaking."""
    room = (width * DIGIT_PX - 6) / EM_PX
    count = 0
    for line in text(value).split("\n"):
        ems = sum(0.6 if ord(c) < 0x2000 else 1.0 for c in line)
        count += max(1, math.ceil(ems / room))
    return count


def check_row_heights(ws, want, id_col):
    cols = columns(ws)
    for r in range(1, ws.max_row + 1):
        height = ws.row_dimensions[r].height or LINE_PT
        lines = 1
        for c, (width, hidden, _) in cols.items():
            cell = ws.cell(row=r, column=c)
            if not hidden and cell.alignment.wrap_text:
                lines = max(lines, lines_needed(cell.value, width))
        needed = min(lines * LINE_PT, want["max_row_height"])
        if height + 0.01 < needed:
            fail(f"row {r} ({ws.cell(row=r, column=id_col).value}): height {height} pt, "
                 f"its text takes {lines} lines ({needed} pt)")
        if height > want["max_row_height"]:
            fail(f"row {r}: height {height} pt over the maximum")
    if not ws.row_dimensions[1].height or ws.row_dimensions[1].height < 2 * LINE_PT:
        fail(f"the header row should fit its wrapped names: {ws.row_dimensions[1].height}")


def check_layout(ws, want, id_col):
    same("freeze panes", ws.freeze_panes, want["frozen"])
    pane = ws.sheet_view.pane
    same("frozen columns and rows", (pane.xSplit, pane.ySplit, pane.state), (2, 1, "frozen"))
    header = want["header"]
    cols = columns(ws)
    for name in header:
        _, hidden, level = cols[header.index(name) + 1]
        folded = name in want["detail_columns"]
        same(f"column {name} folded away", (bool(hidden), level), (folded, 1 if folded else 0))
    decision = header.index("該非")
    same("該非 right after 該当箇所", decision, header.index("該当箇所") + 1)
    excerpt = header.index("該当箇所") + 1
    if cols[excerpt][0] < 40:
        fail(f"該当箇所 should be wide, widths: {cols}")
    if not ws.cell(row=2, column=excerpt).alignment.wrap_text:
        fail("該当箇所 should wrap")
    if not ws.cell(row=1, column=1).font.b:
        fail("the header should be bold")
    check_row_heights(ws, want, id_col)
    check_page_setup(ws, "チェックリスト", 1)


def check_checklist_sheet(ws, want):
    header = [c.value for c in ws[1]]
    same("header row", header, want["header"])
    last_col = get_column_letter(len(want["header"]))
    last_row = len(want["ids"]) + 1
    same("autofilter", ws.auto_filter.ref, f"A1:{last_col}{last_row}")
    id_col = want["header"].index("ID") + 1
    ids = [ws.cell(row=r, column=id_col).value for r in range(2, ws.max_row + 1)]
    same("row order (IDs)", ids, want["ids"])
    rows = {}
    for r in range(2, ws.max_row + 1):
        cells = [text(ws.cell(row=r, column=c).value) for c in range(1, len(header) + 1)]
        rows[cells[id_col - 1]] = (r, cells)
    for id_, cells in want["rows"].items():
        same(f"row {id_}", rows[id_][1], cells)
    for id_, column in want["text_cells"]:
        cell = ws.cell(row=rows[id_][0], column=want["header"].index(column) + 1)
        same(f"type of {column} in row {id_} (s = text)", cell.data_type, "s")
    check_validations(ws, want, last_row)
    check_layout(ws, want, id_col)


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


def labelled(grid, label):
    """The first row whose first cell is `label`."""
    return next((r for r in grid if r and r[0] == label), None)


def check_formulas(formulas, values, label, cached, what):
    """The cells after `label` are formulas and their cached values are `cached`."""
    f_row = labelled(formulas, label)
    v_row = labelled(values, label)
    if f_row is None:
        fail(f"集計: no row {label}")
    for offset, want in enumerate(cached, start=1):
        formula = f_row[offset]
        if not (isinstance(formula, str) and formula.startswith("=")):
            fail(f"集計 {what} {label}: column {offset + 1} is {formula!r}, not a formula")
        same(f"集計 {what} {label} (cached value of {formula})", v_row[offset], want)
    return f_row


def check_summary_sheet(ws_formulas, ws_values, want):
    formulas = [[text(c.value) for c in row] for row in ws_formulas.iter_rows()]
    values = [[text(c.value) for c in row] for row in ws_values.iter_rows()]
    summary = want["summary"]
    header_at = next((i for i, r in enumerate(values) if r and r[0] == "例規名"), None)
    if header_at is None:
        fail("集計: no header row starting with 例規名")
    header = values[header_at]
    for title, counts in summary["counts"].items():
        row = next((r for r in values[header_at + 1:] if r and r[0] == title), None)
        if row is None:
            fail(f"集計: no row for {title}")
        for column, count in counts.items():
            same(f"集計 {title} × {column}", row[header.index(column)], count)
    for label, count in summary["priority"].items():
        check_formulas(formulas, values, label, [count], "優先度")
    for label, count in summary["overview"].items():
        row = labelled(values, label)
        same(f"集計 {label}", row[1] if row else None, count)
    for label, value in summary["progress"].items():
        if label != "照合できなかった判断":
            row = check_formulas(formulas, values, label, [value], "進捗")
            if label in ("新規", "判断済み（該非の記入あり）") and "COUNTIFS(" not in row[1]:
                fail(f"集計 {label}: {row[1]} is not a COUNTIFS")
    for label, counts in summary["by_kind"].items():
        check_formulas(formulas, values, label, counts, "類型")
    check_page_setup(ws_values, "集計", header_at + 1)


def check_csv(path, want):
    raw = open(path, "rb").read()
    same("CSV BOM", raw[:3], b"\xef\xbb\xbf")
    first_line = raw.split(b"\n", 1)[0]
    if not first_line.endswith(b"\r"):
        fail("CSV header line does not end with CRLF")
    with open(path, encoding="utf-8-sig", newline="") as f:
        rows = list(csv.reader(f))
    same("CSV header (the XLSX's columns in its order)", rows[0], want["header"])
    same("CSV row order (IDs)", [r[-1] for r in rows[1:]], want["ids"])
    by_id = {r[-1]: r for r in rows[1:]}
    for id_, cells in want["csv_rows"].items():
        same(f"CSV row {id_}", by_id[id_], cells)


def main():
    xlsx_path, csv_path, want_path = sys.argv[1:4]
    want = json.load(open(want_path, encoding="utf-8"))
    wb = openpyxl.load_workbook(xlsx_path)
    values = openpyxl.load_workbook(xlsx_path, data_only=True)
    same("sheet names", wb.sheetnames, ["チェックリスト", "集計"])
    check_checklist_sheet(wb["チェックリスト"], want)
    check_summary_sheet(wb["集計"], values["集計"], want)
    check_fonts(wb, want["font"])
    check_cell_lengths(wb, want["max_cell"])
    check_csv(csv_path, want)
    print("checklist_check: xlsx and csv OK")


if __name__ == "__main__":
    main()
