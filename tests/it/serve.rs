//! `tenken serve` with a real HTTP client on loopback: the search API with
//! filters and facets, a provision by id (with no path of the server in it),
//! malformed, overlong and badly encoded queries (400 with a JSON body, not
//! 500), only its own assets, many parallel queries; the pages (search with
//! every filter, provision, counts) and the research API (article, similar,
//! counts) as documented, with errors in Japanese and nothing loaded from
//! elsewhere; and, with raw sockets, idle, slow and half-open connections
//! closed and too many turned away.

use crate::common::ipadic_missing;

use std::net::SocketAddr;
use std::path::PathBuf;
use std::sync::mpsc;
use std::time::Duration;

use tenken::index::{SearchIndex, index_files};
use tenken::reading::files::Collected;
use tenken::rules::RuleSet;
use tenken::serve::{ServeOptions, serve};

/// Indexes corpus/ into a temp folder and serves it on an ephemeral loopback port.
fn start() -> (tempfile::TempDir, SocketAddr) {
    start_with(ServeOptions::default())
}

fn start_with(options: ServeOptions) -> (tempfile::TempDir, SocketAddr) {
    let dir = tempfile::tempdir().expect("temp dir");
    let corpus = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("corpus");
    let rules = RuleSet::built_in().expect("rules");
    index_files(dir.path(), &Collected::walk(&[corpus]), &rules, &|_| {}).expect("index");
    let index = SearchIndex::open(dir.path()).expect("open index");
    let options = ServeOptions {
        addr: SocketAddr::from(([127, 0, 0, 1], 0)),
        ..options
    };
    let (tx, rx) = mpsc::channel();
    std::thread::spawn(move || {
        let _ = serve(index, options, |bound| {
            let _ = tx.send(bound);
        });
    });
    let addr = rx
        .recv_timeout(Duration::from_secs(20))
        .expect("server starts");
    (dir, addr)
}

fn agent() -> ureq::Agent {
    ureq::Agent::config_builder()
        .http_status_as_error(false)
        .timeout_global(Some(Duration::from_secs(20)))
        .build()
        .into()
}

fn get(agent: &ureq::Agent, addr: SocketAddr, path: &str, query: &[(&str, &str)]) -> (u16, String) {
    let mut request = agent.get(format!("http://{addr}{path}"));
    for (k, v) in query {
        request = request.query(*k, *v);
    }
    let mut response = request.call().expect("HTTP answer");
    let status = response.status().as_u16();
    let body = response.body_mut().read_to_string().unwrap_or_default();
    (status, body)
}

/// Status, content type and body of a GET of a path as given (already encoded).
fn get_typed(agent: &ureq::Agent, addr: SocketAddr, path: &str) -> (u16, String, String) {
    let mut response = agent
        .get(format!("http://{addr}{path}"))
        .call()
        .expect("HTTP answer");
    let status = response.status().as_u16();
    let mime = response
        .headers()
        .get("content-type")
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default()
        .to_string();
    let body = response.body_mut().read_to_string().unwrap_or_default();
    (status, mime, body)
}

/// Whether a message has Japanese in it (kana or kanji).
fn japanese(message: &str) -> bool {
    message
        .chars()
        .any(|c| matches!(c, '\u{3040}'..='\u{30ff}' | '\u{4e00}'..='\u{9fff}'))
}

/// The `error` of a JSON error body, which must be Japanese.
fn japanese_error(body: &str) -> String {
    let message = json(body)["error"].as_str().unwrap_or_default().to_string();
    assert!(japanese(&message), "not a Japanese message: {body}");
    message
}

fn strings(value: &serde_json::Value) -> Vec<String> {
    value
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|v| v.as_str().map(str::to_string))
        .collect()
}

fn json(body: &str) -> serde_json::Value {
    serde_json::from_str(body).unwrap_or_else(|e| panic!("{e}: {body}"))
}

#[test]
fn the_api_searches_filters_and_looks_up_provisions() {
    if ipadic_missing() {
        return;
    }
    let (_dir, addr) = start();
    let agent = agent();
    let (status, body) = get(
        &agent,
        addr,
        "/api/search",
        &[("q", "掲示"), ("limit", "5")],
    );
    assert_eq!(status, 200, "{body}");
    let result = json(&body);
    assert!(result["total"].as_u64().unwrap_or(0) >= 5);
    assert_eq!(result["hits"].as_array().map(Vec::len), Some(5));
    assert!(result["facets"]["codes"]["posting"].as_u64().unwrap_or(0) > 0);
    let hit = &result["hits"][0];
    assert!(hit["snippet"].as_str().unwrap_or("").contains("【掲示】"));

    let (status, body) = get(
        &agent,
        addr,
        "/api/search",
        &[("q", "掲示"), ("code", "posting"), ("limit", "50")],
    );
    assert_eq!(status, 200);
    let filtered = json(&body);
    let hits = filtered["hits"].as_array().cloned().unwrap_or_default();
    assert!(!hits.is_empty());
    for hit in &hits {
        let codes: Vec<&str> = hit["codes"]
            .as_array()
            .into_iter()
            .flatten()
            .filter_map(|c| c.as_str())
            .collect();
        assert!(codes.contains(&"posting"), "{hit}");
    }

    let id = hits[0]["id"].as_str().unwrap_or_default().to_string();
    let (status, body) = get(&agent, addr, &format!("/api/provision/{id}"), &[]);
    assert_eq!(status, 200, "{body}");
    let record = json(&body);
    assert_eq!(record["citation"], hits[0]["citation"]);
    assert!(record.get("path").is_none(), "{record}");
    let file = record["file"].as_str().unwrap_or_default();
    assert!(
        file.starts_with("jorei/") || file.starts_with("kisoku/") || file.starts_with("yoko/"),
        "{file}"
    );
    let root = env!("CARGO_MANIFEST_DIR");
    assert!(!body.contains(root), "no path of the server: {body}");
    let (status, _) = get(&agent, addr, "/api/provision/no-such-id", &[]);
    assert_eq!(status, 404);
}

#[test]
fn bad_queries_get_400_with_a_message_and_only_own_assets_are_served() {
    if ipadic_missing() {
        return;
    }
    let (_dir, addr) = start();
    let agent = agent();
    for query in [
        vec![("q", "\"unclosed")],
        vec![("q", "year:[2000 TO")],
        vec![("code", "posting OR x")],
    ] {
        let (status, body) = get(&agent, addr, "/api/search", &query);
        assert_eq!(status, 400, "{query:?}: {body}");
        assert!(json(&body)["error"].as_str().is_some_and(|m| !m.is_empty()));
    }
    // Raw query strings a form would never send: each a 400 with a JSON body.
    for raw in [
        "q=%FF%FE%E6",
        "q=%E6%8E%B2&q=x",
        "q=x&limit=10&limit=20",
        "q=x&limit=1234567890123456789012",
        "q=x&offset=abc",
    ] {
        let mut response = agent
            .get(format!("http://{addr}/api/search?{raw}"))
            .call()
            .expect("HTTP answer");
        assert_eq!(response.status().as_u16(), 400, "{raw}");
        let body = response.body_mut().read_to_string().unwrap_or_default();
        assert!(
            json(&body)["error"].as_str().is_some_and(|m| !m.is_empty()),
            "{raw}: {body}"
        );
    }
    // Errors from outside the routes' own code are JSON too.
    let mut response = agent
        .post(format!("http://{addr}/api/search?q=x"))
        .send_empty()
        .expect("HTTP answer");
    assert_eq!(response.status().as_u16(), 405);
    let body = response.body_mut().read_to_string().unwrap_or_default();
    assert!(json(&body)["error"].is_string(), "{body}");
    let (status, body) = get(&agent, addr, "/api/provision/%FF", &[]);
    assert_eq!(status, 400, "{body}");
    assert!(json(&body)["error"].is_string(), "{body}");
    let long = "掲".repeat(600);
    let (status, body) = get(&agent, addr, "/api/search", &[("q", &long)]);
    assert_eq!(status, 400, "{body}");
    let (status, body) = get(
        &agent,
        addr,
        "/api/search",
        &[("q", "掲示"), ("limit", "100000")],
    );
    assert_eq!(status, 200);
    assert!(json(&body)["hits"].as_array().map_or(0, Vec::len) <= 100);

    let (status, page) = get(&agent, addr, "/", &[]);
    assert_eq!(status, 200);
    assert!(page.contains("例規を検索"));
    assert_eq!(get(&agent, addr, "/assets/report.css", &[]).0, 200);
    assert_eq!(get(&agent, addr, "/assets/search.js", &[]).0, 200);
    for path in [
        "/assets/..%2F..%2FCargo.toml",
        "/assets/../../Cargo.toml",
        "/Cargo.toml",
        "/etc/passwd",
    ] {
        assert_eq!(get(&agent, addr, path, &[]).0, 404, "{path}");
    }
}

#[test]
fn the_pages_are_served_with_every_filter_and_nothing_from_elsewhere() {
    if ipadic_missing() {
        return;
    }
    let (_dir, addr) = start();
    let agent = agent();
    let (status, mime, page) = get_typed(&agent, addr, "/");
    assert_eq!((status, mime.as_str()), (200, "text/html; charset=utf-8"));
    for control in [
        "id=\"q\"",
        "id=\"code\"",
        "id=\"kind\"",
        "id=\"collection\"",
        "id=\"source\"",
        "id=\"digital\"",
        "id=\"year\"",
        "/assets/common.js",
        "/assets/search.js",
        "/counts",
    ] {
        assert!(page.contains(control), "the search page has {control}");
    }
    let (status, mime, provision) = get_typed(&agent, addr, "/provision/abc123");
    assert_eq!((status, mime.as_str()), (200, "text/html; charset=utf-8"));
    assert!(provision.contains("/assets/provision.js"));
    assert!(provision.contains("他の例規の書きぶり（電子的な方法を認めている規定）"));
    let (status, mime, counts) = get_typed(&agent, addr, "/counts?q=%E6%8E%B2%E7%A4%BA");
    assert_eq!((status, mime.as_str()), (200, "text/html; charset=utf-8"));
    assert!(counts.contains("/assets/counts.js"));
    let mut everything = vec![page, provision, counts];
    for (name, wanted) in [
        ("report.css", "text/css; charset=utf-8"),
        ("common.js", "text/javascript; charset=utf-8"),
        ("search.js", "text/javascript; charset=utf-8"),
        ("provision.js", "text/javascript; charset=utf-8"),
        ("counts.js", "text/javascript; charset=utf-8"),
    ] {
        let (status, mime, body) = get_typed(&agent, addr, &format!("/assets/{name}"));
        assert_eq!((status, mime.as_str()), (200, wanted), "{name}");
        assert!(!body.is_empty(), "{name}");
        everything.push(body);
    }
    // No network use: nothing is loaded from another host (the only URL is
    // the SVG namespace, which names and loads nothing), and text goes in
    // as text (the API's escaped snippet_html is parsed inertly).
    for body in &everything {
        let without_namespace = body.replace("http://www.w3.org/2000/svg", "");
        for outside in [
            "http://",
            "https://",
            "//cdn",
            "@import",
            "url(",
            "innerHTML",
        ] {
            assert!(!without_namespace.contains(outside), "{outside} in a page");
        }
    }
    assert_eq!(get(&agent, addr, "/provision", &[]).0, 404);
    assert_eq!(get(&agent, addr, "/assets/provision.html", &[]).0, 404);
}

#[test]
fn article_similar_and_counts_answer_as_documented() {
    if ipadic_missing() {
        return;
    }
    let (_dir, addr) = start();
    let agent = agent();
    // An analog provision of 書面手続 whose 類型 has digital precedents in the corpus.
    let (status, body) = get(
        &agent,
        addr,
        "/api/search",
        &[
            ("code", "paper_procedure"),
            ("digital", "false"),
            ("limit", "100"),
        ],
    );
    assert_eq!(status, 200, "{body}");
    let hits = json(&body)["hits"].as_array().cloned().unwrap_or_default();
    assert!(!hits.is_empty(), "{body}");
    let target = &hits[0];
    let id = target["id"].as_str().unwrap_or_default();
    let file = target["file"].as_str().unwrap_or_default();

    // The article: the provision asked for, and every provision of its
    // article in order, the asked one among them.
    let (status, body) = get(&agent, addr, &format!("/api/article/{id}"), &[]);
    assert_eq!(status, 200, "{body}");
    let article = json(&body);
    assert_eq!(article["provision"]["id"], target["id"]);
    assert_eq!(article["provision"]["citation"], target["citation"]);
    assert!(strings(&article["provision"]["codes"]).contains(&"paper_procedure".to_string()));
    assert!(
        article["provision"]["text"]
            .as_str()
            .is_some_and(|t| !t.is_empty())
    );
    assert!(article["provision"]["rules"].is_array());
    let provisions = article["provisions"]
        .as_array()
        .cloned()
        .unwrap_or_default();
    assert!(provisions.iter().any(|p| p["id"] == target["id"]), "{body}");
    let head = |p: &serde_json::Value| {
        let normalized = p["normalized"].as_str().unwrap_or_default().to_string();
        normalized.split('/').next().unwrap_or_default().to_string()
    };
    for p in &provisions {
        assert_eq!(p["file"], target["file"], "{p}");
        assert_eq!(head(p), head(&article["provision"]), "{p}");
    }

    // Precedents: the asked 類型, each a provision of another file with
    // that 類型 that already allows a digital way, with its digital words.
    let (status, body) = get(
        &agent,
        addr,
        &format!("/api/similar/{id}"),
        &[("code", "paper_procedure")],
    );
    assert_eq!(status, 200, "{body}");
    let similar = json(&body);
    assert_eq!(similar["target"]["id"], target["id"]);
    let groups = similar["codes"].as_array().cloned().unwrap_or_default();
    assert_eq!(groups.len(), 1, "{body}");
    assert_eq!(groups[0]["code"], "paper_procedure");
    assert_eq!(groups[0]["code_name"], "書面手続");
    let precedents = groups[0]["precedents"]
        .as_array()
        .cloned()
        .unwrap_or_default();
    assert!(
        !precedents.is_empty(),
        "the corpus has digital 書面手続: {body}"
    );
    for precedent in &precedents {
        let pid = precedent["id"].as_str().unwrap_or_default();
        assert_ne!(precedent["file"].as_str(), Some(file), "{precedent}");
        assert!(
            !strings(&precedent["digital_words"]).is_empty(),
            "{precedent}"
        );
        assert!(
            precedent["snippet_html"]
                .as_str()
                .is_some_and(|s| s.contains("<b>")),
            "{precedent}"
        );
        let (status, body) = get(&agent, addr, &format!("/api/provision/{pid}"), &[]);
        assert_eq!(status, 200, "{body}");
        let record = json(&body);
        assert!(
            strings(&record["codes"]).contains(&"paper_procedure".to_string()),
            "{record}"
        );
        assert_eq!(record["digital"], true, "{record}");
        assert_ne!(record["file"].as_str(), Some(file), "{record}");
    }
    let (status, body) = get(
        &agent,
        addr,
        &format!("/api/similar/{id}"),
        &[("limit", "1")],
    );
    assert_eq!(status, 200, "{body}");
    for group in json(&body)["codes"].as_array().into_iter().flatten() {
        assert!(group["precedents"].as_array().map_or(0, Vec::len) <= 1);
    }

    // A provision without a finding, and no code: 400 in Japanese.
    let (_, body) = get(&agent, addr, "/api/search", &[("q", "*"), ("limit", "100")]);
    let plain = json(&body)["hits"]
        .as_array()
        .into_iter()
        .flatten()
        .find(|h| h["codes"].as_array().is_some_and(Vec::is_empty))
        .cloned()
        .expect("a provision without findings");
    let plain_id = plain["id"].as_str().unwrap_or_default();
    let (status, body) = get(&agent, addr, &format!("/api/similar/{plain_id}"), &[]);
    assert_eq!(status, 400, "{body}");
    japanese_error(&body);

    // A bad 類型: 400 with a Japanese message naming the valid ones.
    for (path, query) in [
        ("/api/search".to_string(), vec![("code", "postng")]),
        (format!("/api/similar/{id}"), vec![("code", "postng")]),
        (
            "/api/search".to_string(),
            vec![("q", "掲示"), ("kind", "条令")],
        ),
        ("/api/search".to_string(), vec![("year", "19x")]),
    ] {
        let (status, body) = get(&agent, addr, &path, &query);
        assert_eq!(status, 400, "{path} {query:?}: {body}");
        let message = japanese_error(&body);
        if query[0].1 == "postng" {
            assert!(message.contains("posting"), "{message}");
        }
    }
    // An unknown id: 404 in Japanese.
    for path in [
        "/api/article/no-such-id",
        "/api/similar/no-such-id",
        "/api/provision/no-such-id",
    ] {
        let (status, body) = get(&agent, addr, path, &[]);
        assert_eq!(status, 404, "{path}: {body}");
        japanese_error(&body);
    }

    // Counts: every collection, every 類型 of each, 高 + 中 + 低 = the
    // provisions, as many as a search for that 類型 in that collection.
    let (status, body) = get(&agent, addr, "/api/counts", &[]);
    assert_eq!(status, 200, "{body}");
    let counts = json(&body);
    let (_, body) = get(&agent, addr, "/api/search", &[("q", "*"), ("limit", "0")]);
    let all = json(&body);
    let collections = counts["collections"]
        .as_array()
        .cloned()
        .unwrap_or_default();
    assert!(!collections.is_empty());
    let total: u64 = collections
        .iter()
        .map(|c| c["provisions"].as_u64().unwrap_or(0))
        .sum();
    assert_eq!(Some(total), all["total"].as_u64());
    let rows = counts["rows"].as_array().cloned().unwrap_or_default();
    let codes: std::collections::BTreeSet<String> = rows
        .iter()
        .filter_map(|r| r["code"].as_str().map(str::to_string))
        .collect();
    for code in all["facets"]["codes"].as_object().into_iter().flatten() {
        assert!(codes.contains(code.0), "{} has a row", code.0);
    }
    assert_eq!(rows.len(), collections.len() * codes.len(), "{body}");
    for row in &rows {
        let n = |k: &str| row[k].as_u64().unwrap_or(u64::MAX);
        assert_eq!(n("provisions"), n("high") + n("medium") + n("low"), "{row}");
        assert!(n("digital") <= n("provisions"), "{row}");
        assert!(row["code_name"].as_str().is_some_and(japanese), "{row}");
    }
    let posting = rows
        .iter()
        .find(|r| r["code"] == "posting")
        .expect("a posting row");
    let collection = posting["collection"].as_str().unwrap_or_default();
    let (_, body) = get(
        &agent,
        addr,
        "/api/search",
        &[
            ("code", "posting"),
            ("collection", collection),
            ("limit", "0"),
        ],
    );
    assert_eq!(json(&body)["total"], posting["provisions"]);
    assert!(posting["provisions"].as_u64().unwrap_or(0) > 0);
    // With a query, only the provisions it matches are counted.
    let (status, body) = get(&agent, addr, "/api/counts", &[("q", "掲示")]);
    assert_eq!(status, 200, "{body}");
    let narrowed: u64 = json(&body)["collections"]
        .as_array()
        .into_iter()
        .flatten()
        .map(|c| c["provisions"].as_u64().unwrap_or(0))
        .sum();
    let (_, body) = get(
        &agent,
        addr,
        "/api/search",
        &[("q", "掲示"), ("limit", "0")],
    );
    assert_eq!(Some(narrowed), json(&body)["total"].as_u64());
    assert!(narrowed < total);
    let (status, body) = get(&agent, addr, "/api/counts", &[("q", "code:postng")]);
    assert_eq!(status, 400, "{body}");
    japanese_error(&body);
}

#[test]
fn it_keeps_serving_under_parallel_queries() {
    if ipadic_missing() {
        return;
    }
    let (_dir, addr) = start();
    let queries = [
        "掲示",
        "\"見やすい場所\"",
        "縦覧 OR 閲覧",
        "code:seal",
        "押印 NOT 電子署名",
        "kind:条例 AND 講習",
    ];
    let workers: Vec<_> = (0..8)
        .map(|worker| {
            std::thread::spawn(move || {
                let agent = agent();
                (0..25)
                    .map(|i| {
                        let q = queries[(worker + i) % queries.len()];
                        get(&agent, addr, "/api/search", &[("q", q), ("limit", "10")]).0
                    })
                    .filter(|status| *status == 200)
                    .count()
            })
        })
        .collect();
    let ok: usize = workers.into_iter().map(|w| w.join().unwrap_or(0)).sum();
    assert_eq!(ok, 8 * 25, "every parallel query is answered");
}

/// Whether the server closes `stream` within `within` (a read returns 0 or fails).
fn closed_within(stream: &mut std::net::TcpStream, within: Duration) -> bool {
    use std::io::Read;
    let started = std::time::Instant::now();
    stream
        .set_read_timeout(Some(Duration::from_millis(200)))
        .expect("timeout");
    let mut buffer = [0u8; 4096];
    while started.elapsed() < within {
        match stream.read(&mut buffer) {
            Ok(0) => return true,
            Ok(_) => {}
            Err(e)
                if matches!(
                    e.kind(),
                    std::io::ErrorKind::WouldBlock | std::io::ErrorKind::TimedOut
                ) => {}
            Err(_) => return true,
        }
    }
    false
}

#[test]
fn idle_slow_and_half_open_connections_are_closed_and_too_many_turned_away() {
    use std::io::Write;
    use std::net::TcpStream;
    if ipadic_missing() {
        return;
    }
    let (_dir, addr) = start_with(ServeOptions {
        max_connections: 16,
        header_timeout: Duration::from_secs(1),
        idle_timeout: Duration::from_secs(1),
        connection_lifetime: Duration::from_secs(5),
        ..ServeOptions::default()
    });
    let limit = Duration::from_secs(4);
    // Connected, and nothing sent.
    let mut idle = TcpStream::connect(addr).expect("connect");
    // Headers sent a byte at a time, slower than the header time limit allows.
    let mut slow = TcpStream::connect(addr).expect("connect");
    // A request that is answered, then the connection kept open and idle.
    let mut kept = TcpStream::connect(addr).expect("connect");
    kept.write_all(b"GET /assets/report.css HTTP/1.1\r\nHost: x\r\n\r\n")
        .expect("request");
    // A request whose answer is never read, the client's side half closed.
    let mut half = TcpStream::connect(addr).expect("connect");
    half.write_all(b"GET /api/search?q=%E6%8E%B2&limit=100 HTTP/1.1\r\nHost: x\r\n\r\n")
        .expect("request");
    half.shutdown(std::net::Shutdown::Write)
        .expect("half close");
    let dribble = std::thread::spawn(move || {
        for byte in b"GET / HTTP/1.1\r\nHost: x\r\n".iter() {
            if slow.write_all(&[*byte]).is_err() {
                return true;
            }
            std::thread::sleep(Duration::from_millis(300));
        }
        closed_within(&mut slow, Duration::from_secs(2))
    });
    assert!(
        closed_within(&mut idle, limit),
        "an idle connection stays open"
    );
    assert!(
        closed_within(&mut kept, limit),
        "an idle keep-alive stays open"
    );
    assert!(
        closed_within(&mut half, limit),
        "a half-open connection stays open"
    );
    assert!(
        dribble.join().unwrap_or(false),
        "a slow client is never cut off"
    );

    // Far more connections than the server takes: the extra ones are closed
    // at once, and once they are gone the server answers as before.
    let crowd: Vec<TcpStream> = (0..64)
        .filter_map(|_| TcpStream::connect(addr).ok())
        .collect();
    let turned_away = crowd
        .into_iter()
        .filter_map(|mut s| closed_within(&mut s, Duration::from_millis(500)).then_some(()))
        .count();
    assert!(
        turned_away >= 64 - 16,
        "only {turned_away} of 64 turned away at once"
    );
    std::thread::sleep(Duration::from_secs(2));
    let (status, _) = get(&agent(), addr, "/api/search", &[("q", "掲示")]);
    assert_eq!(status, 200);
}
