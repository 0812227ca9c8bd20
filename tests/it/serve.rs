//! `tenken serve` with a real HTTP client on loopback: the search API with
//! filters and facets, a provision by id (with no path of the server in it),
//! malformed, overlong and badly encoded queries (400 with a JSON body, not
//! 500), only its own assets, many parallel queries; and, with raw sockets,
//! idle, slow and half-open connections closed and too many turned away.

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
