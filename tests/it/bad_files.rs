//! A folder of hostile files beside two good ones, run through the `tenken`
//! binary (`scan` and `index`): every bad file gets exactly one clear one-line
//! error naming it and what is wrong, the good files are read and scanned,
//! the exit code is 1, and each run ends within a time limit (the child is
//! killed and the test fails past it). The folder is built in a temporary
//! folder at test time (200 MB are not committed).
// The folder of hostile files has a symbolic link loop and a chmod 000 file,
// which only Unix file systems give a test this way.
#![cfg(unix)]

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use crate::common::{ipadic_missing, manifest};

/// Each run over the folder must end within this (measured: a few seconds in
/// a release build, most of it reading the 200 MB line).
const RUN_LIMIT: Duration = Duration::from_secs(45);

const LONG_LINE_BYTES: usize = 200 << 20;

/// (file name, what its one error line must say); `None` for good files.
type Expect = (&'static str, Option<&'static str>);

struct Folder {
    _dir: tempfile::TempDir,
    root: PathBuf,
    expect: Vec<Expect>,
    /// Running as root: permissions do not stop reading, so the unreadable
    /// file is read (and is then an ordinary good-ish file).
    root_user: bool,
}

fn encode(text: &str, encoding: &'static encoding_rs::Encoding) -> Vec<u8> {
    encoding.encode(text).0.into_owned()
}

fn build_folder() -> Folder {
    let dir = tempfile::tempdir().expect("temp dir");
    let root = dir.path().join("例規集");
    std::fs::create_dir_all(root.join("sub")).expect("folders");
    let write = |name: &str, bytes: &[u8]| std::fs::write(root.join(name), bytes).expect("write");
    let mut expect: Vec<Expect> = Vec::new();

    // Two good files from the sample corpus (their findings are known).
    for (from, to) in [
        (
            "corpus/jorei/kokokushiki_jorei.html",
            "good-kokokushiki.html",
        ),
        ("corpus/kisoku/johkaso_kisoku.txt", "good-johkaso.txt"),
    ] {
        std::fs::copy(manifest().join(from), root.join(to)).expect("copy good file");
        expect.push((to, None));
    }

    write("empty.txt", b"");
    expect.push(("empty.txt", Some("ファイルが空です")));

    // 200 MB on one line, without any structure.
    let mut long =
        std::io::BufWriter::new(std::fs::File::create(root.join("long-line.txt")).expect("create"));
    let chunk = "x".repeat(1 << 20);
    for _ in 0..LONG_LINE_BYTES >> 20 {
        long.write_all(chunk.as_bytes()).expect("write");
    }
    long.flush().expect("flush");
    drop(long);
    expect.push(("long-line.txt", Some("例規の構造が見つかりません")));

    let depth = 100_000;
    write(
        "deep.html",
        format!(
            "<html><body>{}第一条　本文{}</body></html>",
            "<div>".repeat(depth),
            "</div>".repeat(depth)
        )
        .as_bytes(),
    );
    expect.push(("deep.html", Some("HTML の入れ子が 5000 段を超えています")));

    let mut bomb =
        String::from("<?xml version=\"1.0\"?>\n<!DOCTYPE Law [\n  <!ENTITY lol \"lol\">\n");
    bomb.push_str("  <!ENTITY lol1 \"&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;\">\n");
    for level in 2..=9 {
        let previous = format!("&lol{};", level - 1).repeat(10);
        bomb.push_str(&format!("  <!ENTITY lol{level} \"{previous}\">\n"));
    }
    bomb.push_str("]>\n<Law><LawBody><LawTitle>&lol9;</LawTitle></LawBody></Law>\n");
    write("bomb.xml", bomb.as_bytes());
    expect.push(("bomb.xml", Some("XML 爆弾のおそれがあるため展開しません")));

    // Invalid byte sequences in every encoding tenken recognises.
    let body = "題名\n第一条　この条例は、公告の方式を定める。\n";
    // The bad bytes go after the title line.
    let with_bad = |mut bytes: Vec<u8>, bad: &[u8]| {
        let at = bytes.iter().position(|&b| b == b'\n').map_or(0, |i| i + 1);
        bytes.splice(at..at, bad.iter().copied());
        bytes
    };
    let mut utf8 = body.as_bytes().to_vec();
    utf8.extend_from_slice(b"\xE3\x81\xFF");
    write("bad-utf8.txt", &utf8);
    expect.push(("bad-utf8.txt", Some("文字コードを判別できません")));
    let mut bom8 = vec![0xEF, 0xBB, 0xBF];
    bom8.extend_from_slice(&utf8);
    write("bad-utf8-bom.txt", &bom8);
    expect.push(("bad-utf8-bom.txt", Some("UTF-8 として読めません")));
    write(
        "bad-sjis.txt",
        &with_bad(encode(body, encoding_rs::SHIFT_JIS), b"\x82\xFF"),
    );
    expect.push(("bad-sjis.txt", Some("文字コードを判別できません")));
    write(
        "bad-eucjp.txt",
        &with_bad(encode(body, encoding_rs::EUC_JP), b"\xA4\xFF"),
    );
    expect.push(("bad-eucjp.txt", Some("文字コードを判別できません")));
    for (name, bom, little) in [
        ("bad-utf16le.txt", [0xFF, 0xFE], true),
        ("bad-utf16be.txt", [0xFE, 0xFF], false),
    ] {
        let mut bytes = bom.to_vec();
        let mut units: Vec<u16> = body.encode_utf16().collect();
        units.insert(units.len() / 2, 0xD800); // an unpaired surrogate
        for unit in units {
            bytes.extend_from_slice(&if little {
                unit.to_le_bytes()
            } else {
                unit.to_be_bytes()
            });
        }
        write(name, &bytes);
        expect.push((
            name,
            Some(if little {
                "UTF-16LE として読めません"
            } else {
                "UTF-16BE として読めません"
            }),
        ));
    }

    write(
        "really-a-pdf.html",
        b"%PDF-1.7\n%\xE2\xE3\xCF\xD3\n1 0 obj\n<<>>\nendobj\n",
    );
    expect.push((
        "really-a-pdf.html",
        Some("例規のテキストではありません。PDF 文書です"),
    ));
    write(
        "really-a-zip.txt",
        b"PK\x03\x04\x14\x00\x00\x00\x08\x00rest of a zip",
    );
    expect.push((
        "really-a-zip.txt",
        Some("例規のテキストではありません。ZIP 形式のファイル"),
    ));

    // A symbolic link back to the top of the folder.
    std::os::unix::fs::symlink(&root, root.join("sub/loop")).expect("symlink");
    expect.push(("loop", Some("に戻るシンボリックリンクです")));

    let locked = root.join("locked.txt");
    std::fs::write(&locked, body).expect("write");
    set_mode(&locked, 0o000);
    let root_user = std::fs::read(&locked).is_ok();
    if root_user {
        eprintln!(
            "note: running as root, so a chmod 000 file can still be read; \
             locked.txt is read like a good file instead of failing"
        );
        expect.push(("locked.txt", None));
    } else {
        expect.push((
            "locked.txt",
            Some("ファイルを読めません: アクセス権がありません"),
        ));
    }
    Folder {
        _dir: dir,
        root,
        expect,
        root_user,
    }
}

fn set_mode(path: &Path, mode: u32) {
    use std::os::unix::fs::PermissionsExt;
    std::fs::set_permissions(path, std::fs::Permissions::from_mode(mode)).expect("chmod");
}

/// Runs `tenken args…`, killing it (and failing) past `RUN_LIMIT`.
fn run_limited(args: &[&str]) -> (i32, String, Duration) {
    let started = Instant::now();
    let dir = tempfile::tempdir().expect("temp dir");
    let (out_path, err_path) = (dir.path().join("stdout"), dir.path().join("stderr"));
    let mut child = Command::new(env!("CARGO_BIN_EXE_tenken"))
        .args(args)
        .current_dir(manifest())
        .stdin(Stdio::null())
        .stdout(std::fs::File::create(&out_path).expect("stdout file"))
        .stderr(std::fs::File::create(&err_path).expect("stderr file"))
        .spawn()
        .expect("tenken starts");
    let status = loop {
        if let Some(status) = child.try_wait().expect("wait") {
            break status;
        }
        if started.elapsed() > RUN_LIMIT {
            let _ = child.kill();
            let _ = child.wait();
            panic!(
                "tenken {} did not finish within {RUN_LIMIT:?}; stderr so far:\n{}",
                args.join(" "),
                std::fs::read_to_string(&err_path).unwrap_or_default()
            );
        }
        std::thread::sleep(Duration::from_millis(50));
    };
    let stderr = std::fs::read_to_string(&err_path).expect("stderr");
    (status.code().unwrap_or(-1), stderr, started.elapsed())
}

/// Each bad file has exactly one error line, naming it and saying what is
/// wrong; no good file has any.
fn check_errors(command: &str, folder: &Folder, stderr: &str) {
    let lines: Vec<&str> = stderr
        .lines()
        .filter(|l| l.starts_with("tenken: "))
        .collect();
    for (name, want) in &folder.expect {
        let about: Vec<&&str> = lines
            .iter()
            .filter(|l| {
                l.split(": ")
                    .nth(1)
                    .is_some_and(|file| file.ends_with(name))
            })
            .collect();
        match want {
            Some(want) => {
                assert_eq!(about.len(), 1, "{command}: {name}: {about:?}\n{stderr}");
                assert!(about[0].contains(want), "{command}: {name}: {}", about[0]);
            }
            None => assert!(about.is_empty(), "{command}: good file {name}: {about:?}"),
        }
    }
    let bad = folder.expect.iter().filter(|(_, w)| w.is_some()).count();
    let errors = lines
        .iter()
        .filter(|l| !l.starts_with("tenken: wrote") && !l.starts_with("tenken: indexed"))
        .count();
    assert!(
        errors >= bad,
        "{command}: {errors} error lines for {bad} bad files"
    );
}

#[test]
fn bad_files_each_get_one_error_and_the_good_ones_are_scanned() {
    if ipadic_missing() {
        return;
    }
    let folder = build_folder();
    let root = folder.root.to_str().expect("UTF-8 temp path");
    let out = tempfile::tempdir().expect("out dir");
    let out_dir = out.path().to_str().expect("UTF-8 temp path");

    let (code, stderr, took) = run_limited(&["scan", root, "--out", out_dir, "--quiet"]);
    eprintln!("tenken scan over the bad files: {took:.2?}\n{stderr}");
    assert_eq!(code, 1, "{stderr}");
    check_errors("scan", &folder, &stderr);
    let findings = std::fs::read_to_string(out.path().join("findings.jsonl")).expect("findings");
    for good in ["good-kokokushiki.html", "good-johkaso.txt"] {
        assert!(
            findings.contains(&format!("\"file\":\"{good}\"")),
            "no finding of {good}"
        );
    }

    let index = out.path().join("index");
    let (code, stderr, took) = run_limited(&[
        "index",
        root,
        "--index",
        index.to_str().expect("UTF-8 temp path"),
    ]);
    eprintln!("tenken index over the bad files: {took:.2?}\n{stderr}");
    assert_eq!(code, 1, "{stderr}");
    check_errors("index", &folder, &stderr);
    let good = folder.expect.iter().filter(|(_, w)| w.is_none()).count();
    assert!(
        stderr.contains(&format!("({good} read,")),
        "the good files are indexed: {stderr}"
    );
    if !folder.root_user {
        set_mode(&folder.root.join("locked.txt"), 0o644);
    }
}

/// `--file-timeout` gives up on a slow file and goes on with the others.
#[test]
fn a_file_over_the_time_budget_is_given_up_on() {
    if ipadic_missing() {
        return;
    }
    let dir = tempfile::tempdir().expect("temp dir");
    std::fs::copy(
        manifest().join("corpus/kisoku/johkaso_kisoku.txt"),
        dir.path().join("good.txt"),
    )
    .expect("copy");
    // Legal but slow: 400,000 numbered articles (34 MB), which take
    // over a second to read and structure (parse: 1.4 s of CPU) and 20 s to
    // scan, against a budget of 0.3 s.
    let mut slow = String::from("大きな条例\n");
    for n in 1..=400_000 {
        slow.push_str(&format!(
            "第{n}条　町長は、公告を掲示場に掲示しなければならない。\n"
        ));
    }
    std::fs::write(dir.path().join("slow.txt"), slow).expect("write");
    let root = dir.path().to_str().expect("UTF-8 temp path");
    for command in ["scan", "parse", "index", "export"] {
        let out = dir.path().join(format!("out-{command}"));
        let out = out.to_str().expect("UTF-8 temp path");
        let mut args = vec![command, root, "--file-timeout", "0.3", "--quiet"];
        match command {
            "scan" => args.extend(["--out", out]),
            "index" => args.extend(["--index", out]),
            "export" => args.extend(["--out", out]),
            _ => args.extend(["--output", out]),
        }
        let started = Instant::now();
        let (code, stderr, _) = run_limited(&args);
        let took = started.elapsed();
        eprintln!("tenken {command} with a 0.3 s budget: {took:.2?}\n{stderr}");
        assert_eq!(code, 1, "{command}: {stderr}");
        let slow_lines: Vec<&str> = stderr.lines().filter(|l| l.contains("slow.txt")).collect();
        assert_eq!(slow_lines.len(), 1, "{command}: {stderr}");
        assert!(
            slow_lines[0].contains("0.3 秒たっても読み終わらないため打ち切りました"),
            "{command}: {}",
            slow_lines[0]
        );
        assert!(!stderr.contains("good.txt"), "{command}: {stderr}");
    }
}
