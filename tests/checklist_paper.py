#!/usr/bin/env python3
"""Checks a checklist that tenken wrote for a real 例規集, as a clerk gets it.

usage: checklist_paper.py CHECKLIST.xlsx [CHECKLIST.pdf REFERENCE.pdf]

With the XLSX alone (read with openpyxl), on both sheets: every cell is in
the Japanese font, the page setup is landscape on A3 or A4, one page wide,
with the header row repeated on every page; on the checklist sheet the header
row and the identifying columns (例規名, 条項) are frozen, every row whose
text wraps is taller than one line, and no cell holds more than 4,000
characters; on 集計 the progress figures are formulas (COUNTIFS over the
checklist sheet).

With the PDF that LibreOffice printed of the XLSX, and the PDF it printed of a
one-cell workbook in the same font at 11 pt and 100% (REFERENCE.pdf): every
page's smallest text is at least 8 pt at 100% (pdftotext's word boxes,
measured against the reference's, so whatever font LibreOffice drew with).

Prints what it checked; exits non-zero with every failure."""
import re
import subprocess
import sys

import openpyxl

FONT = "游ゴシック"
MOST_CHARACTERS = 4000
SMALLEST_POINTS = 8.0
ONE_LINE_POINTS = 18.75
failures = []


def check(ok, message):
    if not ok:
        failures.append(message)


def check_page_setup(ws):
    setup = ws.page_setup
    name = ws.title
    check(setup.orientation == "landscape", f"{name}: not landscape ({setup.orientation})")
    check(int(setup.paperSize or 9) in (8, 9), f"{name}: paper {setup.paperSize} is not A3/A4")
    check(ws.sheet_properties.pageSetUpPr.fitToPage, f"{name}: no fit to page")
    wide = int(setup.fitToWidth if setup.fitToWidth is not None else 1)
    check(wide == 1, f"{name}: {wide} pages wide")
    check(bool(ws.print_title_rows), f"{name}: no print titles")


def check_cells(ws):
    longest = (0, None)
    fonts = set()
    for row in ws.iter_rows():
        for cell in row:
            if cell.value is None:
                continue
            fonts.add(cell.font.name)
            n = len(str(cell.value))
            if n > longest[0]:
                longest = (n, cell.coordinate)
    check(fonts == {FONT}, f"{ws.title}: fonts {sorted(f or '' for f in fonts)}")
    check(
        longest[0] <= MOST_CHARACTERS,
        f"{ws.title}: {longest[1]} holds {longest[0]} characters",
    )
    return longest[0]


def check_checklist(ws):
    check(ws.freeze_panes == "C2", f"{ws.title}: frozen at {ws.freeze_panes}, not C2")
    header = [c.value for c in ws[1]]
    check(header[:2] == ["例規名", "条項"], f"{ws.title}: starts {header[:2]}")
    excerpt = header.index("該当箇所") + 1
    width = ws.column_dimensions[openpyxl.utils.get_column_letter(excerpt)].width
    # A full-width character is about 2 of Excel's width units.
    per_line = max(1, int(width / 2))
    wrapped = short = 0
    for row in ws.iter_rows(min_row=2, min_col=excerpt, max_col=excerpt):
        text = row[0].value or ""
        if len(text) <= per_line + 2:
            continue
        wrapped += 1
        height = ws.row_dimensions[row[0].row].height
        if not height or height <= ONE_LINE_POINTS:
            short += 1
    check(wrapped > 0, f"{ws.title}: no row wraps")
    check(short == 0, f"{ws.title}: {short} of {wrapped} wrapped rows are one line high")
    return ws.max_row - 1, wrapped


def check_summary(ws, checklist_title):
    formulas = [
        c.value
        for row in ws.iter_rows()
        for c in row
        if isinstance(c.value, str) and c.value.startswith("=")
    ]
    over = [f for f in formulas if "COUNTIFS(" in f and checklist_title in f]
    check(len(over) >= 10, f"{ws.title}: {len(over)} COUNTIFS formulas over {checklist_title}")
    # The overview's 進捗率 (the first), its figure in the cell to its right.
    progress = next(
        (ws.cell(row=c.row, column=c.column + 1).value
         for row in ws.iter_rows() for c in row if c.value == "進捗率"),
        None,
    )
    check(str(progress).startswith("="), f"{ws.title}: 進捗率 is not a formula: {progress}")
    return len(over)


def word_heights(pdf):
    """The height of every word box, page by page (pdftotext -bbox)."""
    html = subprocess.run(
        ["pdftotext", "-bbox", pdf, "-"], check=True, capture_output=True, text=True
    ).stdout
    boxes = re.compile(r'yMin="([\d.]+)" xMax="[\d.]+" yMax="([\d.]+)"')
    return [
        [float(y1) - float(y0) for y0, y1 in boxes.findall(page)]
        for page in html.split("<page ")[1:]
    ]


def check_pdf(pdf, reference):
    one = min(h for page in word_heights(reference) for h in page)
    points_per_box = 11.0 / one
    pages = word_heights(pdf)
    smallest = min((min(page) * points_per_box, n + 1) for n, page in enumerate(pages) if page)
    check(
        smallest[0] >= SMALLEST_POINTS,
        f"page {smallest[1]}: text at {smallest[0]:.1f} pt at 100% (< {SMALLEST_POINTS})",
    )
    print(f"PDF: {len(pages)} pages, smallest text {smallest[0]:.1f} pt (page {smallest[1]})")


def main():
    wb = openpyxl.load_workbook(sys.argv[1])
    checklist, summary = wb.worksheets[0], wb["集計"]
    for ws in (checklist, summary):
        check_page_setup(ws)
    longest = max(check_cells(ws) for ws in wb.worksheets)
    rows, wrapped = check_checklist(checklist)
    formulas = check_summary(summary, checklist.title)
    print(
        f"XLSX: {rows} rows, {wrapped} wrapped and taller than a line, longest cell "
        f"{longest} characters, {formulas} COUNTIFS formulas on 集計"
    )
    if len(sys.argv) == 4:
        check_pdf(sys.argv[2], sys.argv[3])
    for failure in failures:
        print(f"checklist_paper: {failure}", file=sys.stderr)
    sys.exit(1 if failures else 0)


main()
