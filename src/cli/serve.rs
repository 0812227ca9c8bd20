//! `tenken serve`: the search page and JSON API over an index.

use crate::cli::Exit;
use std::path::Path;

pub(crate) fn serve_command(dir: &Path, addr: std::net::SocketAddr) -> Exit {
    let index = match tenken::index::SearchIndex::open(dir) {
        Ok(index) => index,
        Err(e) => {
            eprintln!("tenken: {e}");
            return Exit::Failed;
        }
    };
    if !addr.ip().is_loopback() {
        eprintln!("tenken: warning: listening on {addr}, which other machines may reach");
    }
    let options = tenken::serve::ServeOptions {
        addr,
        ..tenken::serve::ServeOptions::default()
    };
    let result = tenken::serve::serve(index, options, |bound| {
        eprintln!(
            "tenken: serving {} at http://{bound}/ (Ctrl-C to stop)",
            dir.display()
        );
    });
    match result {
        Ok(()) => Exit::Done,
        Err(e) => {
            eprintln!("tenken: {e}");
            Exit::Failed
        }
    }
}
