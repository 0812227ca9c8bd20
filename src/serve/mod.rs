//! Serve: `tenken serve` answers searches over an index for researchers, as a
//! search page and a JSON API, on loopback by default.
//!
//! - `GET /` the search page (the query and filters in its URL);
//!   `GET /provision/{id}` a provision in its article, with its findings and
//!   precedents; `GET /counts?q=…` collection × 類型 as a chart and a table;
//!   `GET /assets/{name}` their CSS and scripts (only those, from the binary:
//!   nothing on disk is served, and the pages load nothing from elsewhere);
//! - `GET /api/search?q=…&code=…&kind=…&collection=…&source=…&digital=…&year=…&limit=…&offset=…`
//!   ranked provisions with snippets and facet counts (`year` is 2005 or 2000-2010);
//! - `GET /api/provision/{id}` one provision's stored fields;
//! - `GET /api/article/{id}` the provision and the other provisions of its
//!   article, in order, each with its findings' codes;
//! - `GET /api/similar/{id}?code=…&limit=…` precedents of a provision or a
//!   finding: provisions of other files with the same 類型 that already allow
//!   a digital way (see `tenken similar`);
//! - `GET /api/counts?q=…` provisions per collection × 類型 × 優先度.
//!
//! Safe by default: queries longer than `max_query_chars` and malformed queries
//! get a 400 with a message, results are capped at `max_limit`, and a search
//! that takes longer than `timeout` gets a 503 instead of holding the client.
//! Every error, whatever answers it (a route, an extractor, the router), is a
//! JSON body `{"error": …}` with its status; a query string that is not UTF-8
//! once percent-decoded, or gives a parameter twice, is a 400. Answers name
//! files relative to the folder indexed, never by their path on the server.
//!
//! Connections cannot pile up: at most `max_connections` at once (more are
//! closed as they come), a client has `header_timeout` to send a request's
//! headers, a connection on which nothing moves for `idle_timeout` (an idle
//! keep-alive, a slow or half-open client, one that does not read its
//! answer) is closed, and none lives longer than `connection_lifetime`.

use axum::Router;
use axum::extract::{Path, RawQuery, State};
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Json, Response};
use axum::routing::get;
use serde::{Deserialize, Serialize};
use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;
use tokio::net::{TcpListener, TcpStream};

use crate::index::{IndexError, SearchIndex, SearchRequest};

const SEARCH_PAGE: &str = include_str!("../../reports/search.html");
const PROVISION_PAGE: &str = include_str!("../../reports/provision.html");
const COUNTS_PAGE: &str = include_str!("../../reports/counts.html");
const ASSETS: [(&str, &str, &str); 5] = [
    (
        "report.css",
        "text/css; charset=utf-8",
        include_str!("../../reports/report.css"),
    ),
    (
        "common.js",
        "text/javascript; charset=utf-8",
        include_str!("../../reports/common.js"),
    ),
    (
        "search.js",
        "text/javascript; charset=utf-8",
        include_str!("../../reports/search.js"),
    ),
    (
        "provision.js",
        "text/javascript; charset=utf-8",
        include_str!("../../reports/provision.js"),
    ),
    (
        "counts.js",
        "text/javascript; charset=utf-8",
        include_str!("../../reports/counts.js"),
    ),
];

/// Limits and the address of a server.
#[derive(Debug, Clone)]
pub struct ServeOptions {
    pub addr: SocketAddr,
    pub max_query_chars: usize,
    pub max_limit: usize,
    /// Longest a search may take before the client gets a 503.
    pub timeout: Duration,
    /// Connections served at once; more are closed as they arrive.
    pub max_connections: usize,
    /// Time a client has to send a request's headers.
    pub header_timeout: Duration,
    /// A connection on which nothing is read or written for this long is closed.
    pub idle_timeout: Duration,
    /// No connection is kept longer than this.
    pub connection_lifetime: Duration,
}

impl Default for ServeOptions {
    fn default() -> Self {
        ServeOptions {
            addr: SocketAddr::from(([127, 0, 0, 1], 7878)),
            max_query_chars: 500,
            max_limit: 100,
            timeout: Duration::from_secs(5),
            max_connections: 256,
            header_timeout: Duration::from_secs(10),
            idle_timeout: Duration::from_secs(15),
            connection_lifetime: Duration::from_secs(120),
        }
    }
}

/// Why the server could not start.
#[derive(Debug, thiserror::Error)]
pub enum ServeError {
    #[error("cannot listen on {addr}: {source}")]
    Bind {
        addr: SocketAddr,
        source: std::io::Error,
    },
    #[error("the server stopped: {0}")]
    Run(std::io::Error),
}

struct AppState {
    index: SearchIndex,
    options: ServeOptions,
}

/// The API's query string.
#[derive(Debug, Default, Clone, PartialEq, Eq, Deserialize)]
pub struct SearchParams {
    #[serde(default)]
    pub q: String,
    pub code: Option<String>,
    pub kind: Option<String>,
    pub collection: Option<String>,
    pub source: Option<String>,
    pub digital: Option<String>,
    /// A year (2005) or a range of years (2000-2010, 2000-, -2010).
    pub year: Option<String>,
    pub limit: Option<usize>,
    pub offset: Option<usize>,
}

#[derive(Debug, Serialize)]
struct ErrorBody {
    error: String,
}

fn error(status: StatusCode, message: impl Into<String>) -> Response {
    (
        status,
        Json(ErrorBody {
            error: message.into(),
        }),
    )
        .into_response()
}

/// The routes over an opened index (used by `serve` and by tests).
pub fn router(index: SearchIndex, options: ServeOptions) -> Router {
    let state = Arc::new(AppState { index, options });
    Router::new()
        .route("/", get(search_page))
        .route("/provision/{id}", get(provision_page))
        .route("/counts", get(counts_page))
        .route("/assets/{name}", get(asset))
        .route("/api/search", get(search))
        .route("/api/provision/{id}", get(provision))
        .route("/api/article/{id}", get(article))
        .route("/api/similar/{id}", get(similar))
        .route("/api/counts", get(counts))
        .fallback(|| async { error(StatusCode::NOT_FOUND, "そのページはありません") })
        .layer(axum::middleware::map_response(json_errors))
        .with_state(state)
}

/// Turns an error answer that is not JSON (an extractor's rejection, 405
/// Method Not Allowed …) into `{"error": …}` with the same status.
async fn json_errors(response: Response) -> Response {
    let status = response.status();
    let is_json = response
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("application/json"));
    if !(status.is_client_error() || status.is_server_error()) || is_json {
        return response;
    }
    let (parts, body) = response.into_parts();
    let text = axum::body::to_bytes(body, 4096)
        .await
        .map(|b| String::from_utf8_lossy(&b).trim().to_string())
        .unwrap_or_default();
    let message = if text.is_empty() {
        status.canonical_reason().unwrap_or("error").to_lowercase()
    } else {
        text
    };
    let mut answer = error(status, message);
    for (name, value) in &parts.headers {
        if name != header::CONTENT_TYPE && name != header::CONTENT_LENGTH {
            answer.headers_mut().insert(name.clone(), value.clone());
        }
    }
    answer
}

/// Listens on `options.addr` until the process is stopped; `ready` is called
/// with the bound address once the server accepts connections.
pub fn serve(
    index: SearchIndex,
    options: ServeOptions,
    ready: impl FnOnce(SocketAddr),
) -> Result<(), ServeError> {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .map_err(ServeError::Run)?;
    runtime.block_on(async move {
        let addr = options.addr;
        let listener = TcpListener::bind(addr)
            .await
            .map_err(|source| ServeError::Bind { addr, source })?;
        let bound = listener.local_addr().map_err(ServeError::Run)?;
        ready(bound);
        let app = router(index, options.clone());
        accept(listener, app, &options).await
    })
}

/// Accepts connections until the process stops, each on a task of its own
/// within the limits of `options`.
async fn accept(
    listener: TcpListener,
    app: Router,
    options: &ServeOptions,
) -> Result<(), ServeError> {
    let slots = Arc::new(tokio::sync::Semaphore::new(options.max_connections));
    loop {
        let stream = match listener.accept().await {
            Ok((stream, _)) => stream,
            // Out of file descriptors, or a connection reset before it was
            // accepted: wait a moment and go on serving the others.
            Err(e) if is_transient(&e) => {
                tokio::time::sleep(Duration::from_millis(50)).await;
                continue;
            }
            Err(e) => return Err(ServeError::Run(e)),
        };
        let Ok(slot) = Arc::clone(&slots).try_acquire_owned() else {
            drop(stream);
            continue;
        };
        let (app, options) = (app.clone(), options.clone());
        tokio::spawn(async move {
            connection(stream, app, &options).await;
            drop(slot);
        });
    }
}

/// Errors of `accept` after which the server goes on.
fn is_transient(e: &std::io::Error) -> bool {
    use std::io::ErrorKind::*;
    matches!(
        e.kind(),
        ConnectionAborted | ConnectionReset | Interrupted | WouldBlock | OutOfMemory
    ) || e.raw_os_error().is_some_and(|code| {
        // EMFILE, ENFILE, ENOBUFS, ENOMEM on Linux and the BSDs.
        matches!(code, 23 | 24 | 55 | 105 | 12)
    })
}

/// Serves one connection (HTTP/1.1 with keep-alive) within the time limits.
async fn connection(stream: TcpStream, app: Router, options: &ServeOptions) {
    let _ = stream.set_nodelay(true);
    let mut timed = tokio_io_timeout::TimeoutStream::new(stream);
    timed.set_read_timeout(Some(options.idle_timeout));
    timed.set_write_timeout(Some(options.idle_timeout));
    let io = hyper_util::rt::TokioIo::new(Box::pin(timed));
    let service = hyper_util::service::TowerToHyperService::new(app);
    let served = hyper::server::conn::http1::Builder::new()
        .timer(hyper_util::rt::TokioTimer::new())
        .header_read_timeout(options.header_timeout)
        .serve_connection(io, service);
    // Whatever ends it (done, an error, a time limit), the socket is closed.
    let _ = tokio::time::timeout(options.connection_lifetime, served).await;
}

fn page(html: &'static str) -> Response {
    ([(header::CONTENT_TYPE, "text/html; charset=utf-8")], html).into_response()
}

async fn search_page() -> Response {
    page(SEARCH_PAGE)
}

/// The page of one provision; its script reads the id from the path and asks
/// `/api/article/{id}` and `/api/similar/{id}` (an unknown id is said there).
async fn provision_page() -> Response {
    page(PROVISION_PAGE)
}

async fn counts_page() -> Response {
    page(COUNTS_PAGE)
}

async fn asset(Path(name): Path<String>) -> Response {
    match ASSETS.iter().find(|(n, _, _)| *n == name) {
        Some((_, mime, body)) => ([(header::CONTENT_TYPE, *mime)], *body).into_response(),
        None => error(StatusCode::NOT_FOUND, "そのファイルはありません"),
    }
}

/// The query text: the user's query with the form's filters added as clauses.
/// A filter value is one word (a code, a kind, a source, true/false).
pub fn query_text(params: &SearchParams) -> Result<String, String> {
    let mut parts: Vec<String> = Vec::new();
    if !params.q.trim().is_empty() {
        parts.push(format!("({})", params.q.trim()));
    }
    let filters = [
        ("code", &params.code),
        ("kind", &params.kind),
        ("collection", &params.collection),
        ("source", &params.source),
        ("digital", &params.digital),
    ];
    for (field, value) in filters {
        let Some(value) = value.as_deref().map(str::trim).filter(|v| !v.is_empty()) else {
            continue;
        };
        if value.contains(|c: char| c.is_whitespace() || "\"():[]{}^~*\\".contains(c)) {
            return Err(format!("{field}={value}: 値はひとつの語で指定してください"));
        }
        parts.push(format!("{field}:{value}"));
    }
    if let Some(year) = params
        .year
        .as_deref()
        .map(str::trim)
        .filter(|v| !v.is_empty())
    {
        parts.push(year_clause(year)?);
    }
    Ok(parts.join(" AND "))
}

/// `year=2005` → `year:2005`; `year=2000-2010` → `year:[2000 TO 2010]`
/// (either end may be left open).
fn year_clause(value: &str) -> Result<String, String> {
    let number = |v: &str| -> Result<String, String> {
        match v.trim() {
            "" => Ok("*".to_string()),
            v if v.len() == 4 && v.chars().all(|c| c.is_ascii_digit()) => Ok(v.to_string()),
            _ => Err(format!(
                "year={value}: 2005 や 2000-2010 のように西暦年で指定してください"
            )),
        }
    };
    match value.split_once(['-', '~', '～']) {
        Some((from, to)) => Ok(format!("year:[{} TO {}]", number(from)?, number(to)?)),
        None => Ok(format!("year:{}", number(value)?)),
    }
}

/// Reads the query string: every parameter once, percent-decoded to UTF-8
/// text (`+` is a space); `limit` and `offset` whole numbers. Parameters it
/// does not know are ignored.
pub fn parse_params(query: &str) -> Result<SearchParams, String> {
    let mut params = SearchParams::default();
    let mut seen = std::collections::BTreeSet::new();
    for pair in query.split('&').filter(|p| !p.is_empty()) {
        let (key, value) = pair.split_once('=').unwrap_or((pair, ""));
        let (key, value) = (decode(key)?, decode(value)?);
        let known = [
            "q",
            "code",
            "kind",
            "collection",
            "source",
            "digital",
            "year",
            "limit",
            "offset",
        ];
        if known.contains(&key.as_str()) && !seen.insert(key.clone()) {
            return Err(format!("{key} が 2 回以上指定されています"));
        }
        match key.as_str() {
            "q" => params.q = value,
            "code" => params.code = Some(value),
            "kind" => params.kind = Some(value),
            "collection" => params.collection = Some(value),
            "source" => params.source = Some(value),
            "digital" => params.digital = Some(value),
            "year" => params.year = Some(value),
            "limit" => params.limit = Some(whole_number("limit", &value)?),
            "offset" => params.offset = Some(whole_number("offset", &value)?),
            _ => {}
        }
    }
    Ok(params)
}

/// The parameters of a query string, percent-decoded, each at most once.
fn pairs(query: &str) -> Result<std::collections::BTreeMap<String, String>, String> {
    let mut out = std::collections::BTreeMap::new();
    for pair in query.split('&').filter(|p| !p.is_empty()) {
        let (key, value) = pair.split_once('=').unwrap_or((pair, ""));
        let (key, value) = (decode(key)?, decode(value)?);
        if out.insert(key.clone(), value).is_some() {
            return Err(format!("{key} が 2 回以上指定されています"));
        }
    }
    Ok(out)
}

/// A percent-encoded part of a query string as text.
fn decode(part: &str) -> Result<String, String> {
    let spaced = part.replace('+', " ");
    let bytes: Vec<u8> = percent_encoding::percent_decode_str(&spaced).collect();
    String::from_utf8(bytes).map_err(|_| {
        let shown: String = part.chars().take(40).collect();
        format!("{shown}: パーセント符号を戻すと UTF-8 の文字列になりません")
    })
}

fn whole_number(name: &str, value: &str) -> Result<usize, String> {
    value.trim().parse().map_err(|_| {
        let shown: String = value.chars().take(40).collect();
        format!("{name}={shown}: 0 以上の整数で指定してください")
    })
}

async fn search(State(state): State<Arc<AppState>>, RawQuery(raw): RawQuery) -> Response {
    let params = match parse_params(raw.as_deref().unwrap_or("")) {
        Ok(params) => params,
        Err(message) => return error(StatusCode::BAD_REQUEST, message),
    };
    let options = &state.options;
    if params.q.chars().count() > options.max_query_chars {
        return error(
            StatusCode::BAD_REQUEST,
            format!("検索式が {} 文字を超えています", options.max_query_chars),
        );
    }
    let query = match query_text(&params) {
        Ok(query) => query,
        Err(message) => return error(StatusCode::BAD_REQUEST, message),
    };
    if query.is_empty() {
        return error(
            StatusCode::BAD_REQUEST,
            "検索語（q）か絞り込み（code, kind, collection, source, digital, year）を指定してください",
        );
    }
    let request = SearchRequest {
        query,
        limit: params.limit.unwrap_or(20).min(options.max_limit),
        offset: params.offset.unwrap_or(0).min(10_000),
    };
    let worker = Arc::clone(&state);
    let task = tokio::task::spawn_blocking(move || worker.index.search(&request));
    match tokio::time::timeout(options.timeout, task).await {
        Err(_) => error(
            StatusCode::SERVICE_UNAVAILABLE,
            "検索に時間がかかりすぎました。条件を絞ってください",
        ),
        Ok(Err(_)) => error(StatusCode::INTERNAL_SERVER_ERROR, "検索に失敗しました"),
        Ok(Ok(Err(IndexError::Query { message }))) => error(StatusCode::BAD_REQUEST, message),
        Ok(Ok(Err(e))) => error(StatusCode::INTERNAL_SERVER_ERROR, e.to_string()),
        Ok(Ok(Ok(response))) => Json(response).into_response(),
    }
}

async fn provision(State(state): State<Arc<AppState>>, Path(id): Path<String>) -> Response {
    let worker = Arc::clone(&state);
    let task = tokio::task::spawn_blocking(move || worker.index.provision(&id));
    match task.await {
        Ok(Ok(Some(record))) => Json(record).into_response(),
        Ok(Ok(None)) => error(StatusCode::NOT_FOUND, "その id の条項はありません"),
        Ok(Err(e)) => error(StatusCode::INTERNAL_SERVER_ERROR, e.to_string()),
        Err(_) => error(StatusCode::INTERNAL_SERVER_ERROR, "条項を読めませんでした"),
    }
}

async fn article(State(state): State<Arc<AppState>>, Path(id): Path<String>) -> Response {
    let worker = Arc::clone(&state);
    let task = tokio::task::spawn_blocking(move || worker.index.article(&id));
    answer(&state.options, task, "その id の条項はありません").await
}

async fn similar(
    State(state): State<Arc<AppState>>,
    Path(id): Path<String>,
    RawQuery(raw): RawQuery,
) -> Response {
    let mut params = match pairs(raw.as_deref().unwrap_or("")) {
        Ok(params) => params,
        Err(message) => return error(StatusCode::BAD_REQUEST, message),
    };
    let limit = match params.remove("limit") {
        Some(limit) => match whole_number("limit", &limit) {
            Ok(limit) => limit,
            Err(message) => return error(StatusCode::BAD_REQUEST, message),
        },
        None => crate::index::DEFAULT_PRECEDENTS,
    }
    .min(state.options.max_limit);
    let code = params.remove("code").filter(|c| !c.trim().is_empty());
    let worker = Arc::clone(&state);
    let task =
        tokio::task::spawn_blocking(move || worker.index.similar(&id, code.as_deref(), limit));
    answer(&state.options, task, "その id の条項・指摘はありません").await
}

async fn counts(State(state): State<Arc<AppState>>, RawQuery(raw): RawQuery) -> Response {
    let query = match pairs(raw.as_deref().unwrap_or("")) {
        Ok(mut params) => params.remove("q"),
        Err(message) => return error(StatusCode::BAD_REQUEST, message),
    };
    let worker = Arc::clone(&state);
    let task = tokio::task::spawn_blocking(move || worker.index.counts(query.as_deref()).map(Some));
    answer(&state.options, task, "").await
}

/// The JSON answer of a lookup run on a blocking task, within the time
/// limit: 404 with `missing` for `None`, 400 for a bad query.
async fn answer<T: Serialize>(
    options: &ServeOptions,
    task: tokio::task::JoinHandle<Result<Option<T>, IndexError>>,
    missing: &str,
) -> Response {
    match tokio::time::timeout(options.timeout, task).await {
        Err(_) => error(
            StatusCode::SERVICE_UNAVAILABLE,
            "時間がかかりすぎました。条件を絞ってください",
        ),
        Ok(Err(_)) => error(StatusCode::INTERNAL_SERVER_ERROR, "処理に失敗しました"),
        Ok(Ok(Err(IndexError::Query { message }))) => error(StatusCode::BAD_REQUEST, message),
        Ok(Ok(Err(e))) => error(StatusCode::INTERNAL_SERVER_ERROR, e.to_string()),
        Ok(Ok(Ok(None))) => error(StatusCode::NOT_FOUND, missing),
        Ok(Ok(Ok(Some(value)))) => Json(value).into_response(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn filters_become_field_clauses() {
        let params = SearchParams {
            q: "掲示 OR 縦覧".into(),
            code: Some("posting".into()),
            digital: Some("false".into()),
            ..SearchParams::default()
        };
        assert_eq!(
            query_text(&params).as_deref(),
            Ok("(掲示 OR 縦覧) AND code:posting AND digital:false")
        );
        let injected = SearchParams {
            kind: Some("条例 OR title:x".into()),
            ..SearchParams::default()
        };
        assert!(query_text(&injected).is_err());
    }

    #[test]
    fn query_strings_are_decoded_strictly() {
        let params =
            parse_params("q=%E6%8E%B2%E7%A4%BA+OR+x&code=posting&limit=5&other=1").expect("valid");
        assert_eq!(params.q, "掲示 OR x");
        assert_eq!(params.code.as_deref(), Some("posting"));
        assert_eq!(params.limit, Some(5));
        for bad in [
            "q=%FF%FE",
            "limit=10&limit=20",
            "limit=1234567890123456789012",
            "offset=-1",
            "q=a&q=b",
        ] {
            let error = parse_params(bad).expect_err(bad);
            assert!(!error.is_empty());
        }
    }
}
