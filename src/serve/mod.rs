//! Serve: `tenken serve` answers searches over an index for researchers, as a
//! search page and a JSON API, on loopback by default.
//!
//! - `GET /` the search page; `GET /assets/{name}` its CSS and script (only
//!   those, from the binary: nothing on disk is served);
//! - `GET /api/search?q=…&code=…&kind=…&source=…&digital=…&limit=…&offset=…`
//!   ranked provisions with snippets and facet counts;
//! - `GET /api/provision/{id}` one provision's stored fields.
//!
//! Safe by default: queries longer than `max_query_chars` and malformed queries
//! get a 400 with a message, results are capped at `max_limit`, and a search
//! that takes longer than `timeout` gets a 503 instead of holding the client.

use axum::Router;
use axum::extract::{Path, Query, State};
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Json, Response};
use axum::routing::get;
use serde::{Deserialize, Serialize};
use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;

use crate::index::{IndexError, SearchIndex, SearchRequest};

const SEARCH_PAGE: &str = include_str!("../../reports/search.html");
const ASSETS: [(&str, &str, &str); 2] = [
    (
        "report.css",
        "text/css; charset=utf-8",
        include_str!("../../reports/report.css"),
    ),
    (
        "search.js",
        "text/javascript; charset=utf-8",
        include_str!("../../reports/search.js"),
    ),
];

/// Limits and the address of a server.
#[derive(Debug, Clone)]
pub struct ServeOptions {
    pub addr: SocketAddr,
    pub max_query_chars: usize,
    pub max_limit: usize,
    pub timeout: Duration,
}

impl Default for ServeOptions {
    fn default() -> Self {
        ServeOptions {
            addr: SocketAddr::from(([127, 0, 0, 1], 7878)),
            max_query_chars: 500,
            max_limit: 100,
            timeout: Duration::from_secs(5),
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
#[derive(Debug, Default, Deserialize)]
pub struct SearchParams {
    #[serde(default)]
    pub q: String,
    pub code: Option<String>,
    pub kind: Option<String>,
    pub source: Option<String>,
    pub digital: Option<String>,
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
        .route("/assets/{name}", get(asset))
        .route("/api/search", get(search))
        .route("/api/provision/{id}", get(provision))
        .fallback(|| async { error(StatusCode::NOT_FOUND, "no such page") })
        .with_state(state)
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
        let listener = tokio::net::TcpListener::bind(addr)
            .await
            .map_err(|source| ServeError::Bind { addr, source })?;
        let bound = listener.local_addr().map_err(ServeError::Run)?;
        ready(bound);
        axum::serve(listener, router(index, options))
            .await
            .map_err(ServeError::Run)
    })
}

async fn search_page() -> Response {
    (
        [(header::CONTENT_TYPE, "text/html; charset=utf-8")],
        SEARCH_PAGE,
    )
        .into_response()
}

async fn asset(Path(name): Path<String>) -> Response {
    match ASSETS.iter().find(|(n, _, _)| *n == name) {
        Some((_, mime, body)) => ([(header::CONTENT_TYPE, *mime)], *body).into_response(),
        None => error(StatusCode::NOT_FOUND, "no such asset"),
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
        ("source", &params.source),
        ("digital", &params.digital),
    ];
    for (field, value) in filters {
        let Some(value) = value.as_deref().map(str::trim).filter(|v| !v.is_empty()) else {
            continue;
        };
        if value.contains(|c: char| c.is_whitespace() || "\"():[]{}^~*\\".contains(c)) {
            return Err(format!("{field}={value}: give one word"));
        }
        parts.push(format!("{field}:{value}"));
    }
    Ok(parts.join(" AND "))
}

async fn search(
    State(state): State<Arc<AppState>>,
    Query(params): Query<SearchParams>,
) -> Response {
    let options = &state.options;
    if params.q.chars().count() > options.max_query_chars {
        return error(
            StatusCode::BAD_REQUEST,
            format!(
                "the query is longer than {} characters",
                options.max_query_chars
            ),
        );
    }
    let query = match query_text(&params) {
        Ok(query) => query,
        Err(message) => return error(StatusCode::BAD_REQUEST, message),
    };
    if query.is_empty() {
        return error(
            StatusCode::BAD_REQUEST,
            "give a query (q) or a filter (code, kind, source, digital)",
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
            "the search took too long; narrow the query",
        ),
        Ok(Err(_)) => error(StatusCode::INTERNAL_SERVER_ERROR, "the search failed"),
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
        Ok(Ok(None)) => error(StatusCode::NOT_FOUND, "no such provision"),
        Ok(Err(e)) => error(StatusCode::INTERNAL_SERVER_ERROR, e.to_string()),
        Err(_) => error(StatusCode::INTERNAL_SERVER_ERROR, "the lookup failed"),
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
}
