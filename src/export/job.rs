//! The export effects the dashboard's loop runs: copy, write a file, write a web root,
//! remember the format, run the readiness check. Each result comes back as an event.

use std::path::PathBuf;

use chrono::Utc;
use tokio::sync::mpsc::UnboundedSender;

use super::deliver::{Delivered, copy_rules, write_challenges, write_rules};
use super::{Format, Scope, remember_format};
use crate::app::Event;
use crate::clipboard::Terminal;
use crate::config::ClipboardConfig;
use crate::dvcheck::{self, CheckOptions};
use crate::sps::model::SpsRequest;

/// One export effect, with everything it needs (the request as the screen showed it).
#[derive(Debug, Clone, PartialEq)]
pub enum ExportJob {
    Copy {
        request: SpsRequest,
        scope: Scope,
        format: Format,
        clipboard: ClipboardConfig,
    },
    WriteRules {
        request: SpsRequest,
        scope: Scope,
        format: Format,
        path: PathBuf,
    },
    WriteWebroot {
        request: SpsRequest,
        scope: Scope,
        dir: PathBuf,
    },
    /// Save `export.format` in the config file (the `--config` one, else the platform one).
    RememberFormat(Format),
    Check {
        request: SpsRequest,
        scope: Scope,
    },
}

/// Runs `job`. The copy writes to the terminal right here, between two frames; the check runs
/// on a task, off the render path.
pub fn run(job: ExportJob, config_path: Option<PathBuf>, results: &UnboundedSender<Event>) {
    let delivered = match job {
        ExportJob::Copy {
            request,
            scope,
            format,
            clipboard,
        } => copy_rules(
            &request,
            &scope,
            format,
            &clipboard,
            Terminal::detect(),
            &mut std::io::stdout().lock(),
            Utc::now(),
        ),
        ExportJob::WriteRules {
            request,
            scope,
            format,
            path,
        } => write_rules(&request, &scope, format, &path, Utc::now()),
        ExportJob::WriteWebroot {
            request,
            scope,
            dir,
        } => write_challenges(&request, &scope, &dir),
        ExportJob::RememberFormat(format) => {
            let outcome = match config_path {
                Some(path) => remember_format(&path, format),
                None => Err("no config directory is known; set export.format by hand".to_string()),
            };
            match outcome {
                // Silent on success: the copy's own flash line is what the operator reads.
                Ok(()) => return,
                Err(message) => Delivered::Failed(message),
            }
        }
        ExportJob::Check { request, scope } => {
            let results = results.clone();
            tokio::spawn(async move {
                let sps_id = request.sps_id;
                let outcome = match dvcheck::targets(&request, &scope) {
                    Ok(targets) => Ok(dvcheck::check_all(targets, &CheckOptions::default()).await),
                    Err(error) => Err(error.to_string()),
                };
                let _ = results.send(Event::ChecksDone { sps_id, outcome });
            });
            return;
        }
    };
    let _ = results.send(Event::Exported(delivered));
}
