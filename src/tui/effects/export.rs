//! The export effects that are not file work: the copy, which writes OSC 52 to the terminal
//! right here between two frames (on another thread it could land inside a frame), and the
//! readiness check, which runs on a task, off the render path.

use chrono::Utc;
use tokio::sync::mpsc::UnboundedSender;

use crate::app::{CheckOrigin, Event};
use crate::clipboard::Terminal;
use crate::config::{CheckConfig, ClipboardConfig};
use crate::dvcheck::{self, CheckOptions, ResolveMap};
use crate::export::{Delivered, DomainScope, ExportFormat, copy_rules};
use crate::model::CertRequest;

/// `y`/`Y`: renders the rules and copies them through the terminal.
pub(super) fn copy(
    request: &CertRequest,
    scope: &DomainScope,
    format: ExportFormat,
    clipboard: &ClipboardConfig,
    results: &UnboundedSender<Event>,
) {
    let delivered = copy_rules(
        request,
        scope,
        format,
        clipboard,
        Terminal::detect(),
        &mut std::io::stdout().lock(),
        Utc::now(),
    );
    let _ = results.send(Event::Exported(delivered));
}

/// `d`: copies text the reducer made (the DNS-01 records as a zone snippet).
pub(super) fn copy_text(
    text: &str,
    what: &str,
    clipboard: &ClipboardConfig,
    results: &UnboundedSender<Event>,
) {
    let delivered = match crate::clipboard::copy(
        text,
        clipboard,
        Terminal::detect(),
        &mut std::io::stdout().lock(),
    ) {
        Ok(copied) => Delivered::Done(format!(
            "copied {what} ({} bytes) via {}",
            copied.bytes, copied.via
        )),
        Err(why) => Delivered::Failed(format!("cannot copy {what}: {why}")),
    };
    let _ = results.send(Event::Exported(delivered));
}

/// `c`: checks the request's domains the way the CA would; the result comes back as
/// `ChecksDone`.
pub(super) fn check(
    request: CertRequest,
    scope: DomainScope,
    check: &CheckConfig,
    results: &UnboundedSender<Event>,
) {
    let results = results.clone();
    let options = CheckOptions::from_config(&ResolveMap::default(), None, check);
    tokio::spawn(async move {
        let id = request.id;
        let outcome = check_one(&request, &scope, &options).await;
        let _ = results.send(Event::ChecksDone {
            id,
            origin: CheckOrigin::Operator,
            outcome,
        });
    });
}

/// `[check] auto`: one request after another, so a round never asks more than
/// `[check] concurrency` domains at once; each request's verdicts arrive as they are reached.
pub(super) fn check_in_background(
    requests: Vec<CertRequest>,
    check: &CheckConfig,
    results: &UnboundedSender<Event>,
) {
    let results = results.clone();
    let options = CheckOptions::from_config(&ResolveMap::default(), None, check);
    tokio::spawn(async move {
        for request in requests {
            let outcome = check_one(&request, &DomainScope::Pending, &options).await;
            let sent = results.send(Event::ChecksDone {
                id: request.id,
                origin: CheckOrigin::Background,
                outcome,
            });
            if sent.is_err() {
                // The dashboard is gone: the rest of the round has no one to tell.
                return;
            }
        }
        let _ = results.send(Event::BackgroundChecksDone);
    });
}

async fn check_one(
    request: &CertRequest,
    scope: &DomainScope,
    options: &CheckOptions,
) -> Result<Vec<dvcheck::CheckResult>, String> {
    match dvcheck::targets(request, scope) {
        Ok(targets) => Ok(dvcheck::check_all(targets, options).await),
        Err(error) => Err(error.to_string()),
    }
}
