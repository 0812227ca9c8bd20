//! The checklist of a real 例規集 as a clerk opens and prints it: all of
//! `../shared/corpus` (when it is there) is scanned, the XLSX is read back with
//! openpyxl (Japanese font, frozen header and identifying columns, rows as tall
//! as their wrapped text, landscape page setup with print titles on both
//! sheets, 集計 progress as formulas, no cell over 4,000 characters), then
//! printed to PDF by LibreOffice headless and every page's smallest text is
//! measured (at least 8 pt at 100%). See tests/checklist_paper.py.

use crate::common;

use std::path::{Path, PathBuf};
use std::process::Command;

use crate::common::{program_runs, python_has, test_tool_missing};

/// `../shared/corpus`, or None after a note.
fn shared_corpus() -> Option<PathBuf> {
    let path = common::manifest().join("../shared/corpus");
    if path.is_dir() {
        return Some(path);
    }
    eprintln!("note: {} is not here; skipping this test", path.display());
    None
}

/// Prints `xlsx` to PDF in `dir` with LibreOffice headless (its own profile,
/// so that a LibreOffice the user has open is not disturbed); the PDF's path.
pub(crate) fn print_to_pdf(xlsx: &Path, dir: &Path) -> PathBuf {
    let profile = format!(
        "-env:UserInstallation=file://{}",
        dir.join("profile").display()
    );
    let out = Command::new("soffice")
        .args([&profile, "--headless", "--convert-to", "pdf", "--outdir"])
        .arg(dir)
        .arg(xlsx)
        .output()
        .expect("soffice runs");
    let stem = xlsx.file_stem().expect("a file name");
    let pdf = dir.join(stem).with_extension("pdf");
    assert!(
        out.status.success() && pdf.is_file(),
        "LibreOffice did not print {}: {}",
        xlsx.display(),
        String::from_utf8_lossy(&out.stderr)
    );
    pdf
}

/// A workbook of one cell in the checklist's font at 11 pt, printed at 100%:
/// the yardstick for the size of text in the checklist's PDF.
fn reference_pdf(dir: &Path) -> PathBuf {
    let xlsx = dir.join("reference.xlsx");
    let script = format!(
        "import openpyxl\nfrom openpyxl.styles import Font\nwb = openpyxl.Workbook()\n\
         c = wb.active.cell(1, 1, '例規名の該当箇所ABC')\n\
         c.font = Font(name='{}', size=11)\nwb.save(r'{}')\n",
        tenken::checklist::FONT_NAME,
        xlsx.display()
    );
    let made = Command::new("python3").args(["-c", &script]).status();
    assert!(matches!(made, Ok(s) if s.success()), "reference workbook");
    print_to_pdf(&xlsx, dir)
}

#[test]
fn the_checklist_of_a_real_reiki_shu_reads_and_prints_legibly() {
    let Some(corpus) = shared_corpus() else {
        return;
    };
    if common::ipadic_missing()
        || test_tool_missing(python_has("openpyxl"), "python3 with openpyxl")
    {
        return;
    }
    let dir = tempfile::tempdir().expect("temp dir");
    let out = dir.path().join("out");
    let scan = common::tenken(&[
        "scan",
        &corpus.to_string_lossy(),
        "--out",
        &out.to_string_lossy(),
    ]);
    assert!(
        scan.status.success(),
        "{}",
        String::from_utf8_lossy(&scan.stderr)
    );
    let xlsx = out.join("checklist.xlsx");
    let script = common::manifest().join("tests/checklist_paper.py");
    let mut check = Command::new("python3");
    check.arg(&script).arg(&xlsx);
    let printing = program_runs("soffice", "--version") && program_runs("pdftotext", "-v");
    if !test_tool_missing(
        printing,
        "LibreOffice (soffice) or pdftotext (poppler-utils)",
    ) {
        let pdfs = dir.path().join("pdf");
        check
            .arg(print_to_pdf(&xlsx, &pdfs))
            .arg(reference_pdf(&pdfs));
    }
    let checked = check.output().expect("run checklist_paper.py");
    print!("{}", String::from_utf8_lossy(&checked.stdout));
    assert!(
        checked.status.success(),
        "{}",
        String::from_utf8_lossy(&checked.stderr)
    );
}
