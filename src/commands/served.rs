//! `spsdash served ENROLLMENT [--network staging|production] [--json]`: what the edge really
//! serves for an enrollment, compared with what CPS deployed (`served/`). Exit 0 when every
//! name matches, 1 when any does not (an old certificate, a missing name, not on Akamai), 3
//! when it could not find out (no answer, no address, nothing deployed to compare with).

use chrono::Utc;

use crate::config::{Config, parse_nameserver};
use crate::model::served::{Outcome, ServedReport};
use crate::model::{Api, Network};
use crate::served::target::read_target;
use crate::served::{ProbeOptions, probe};

use super::output::{print, print_json, warn};
use super::scope_args::request_id;
use super::served_text::report_text;
use super::{CommandError, CommandResult, Context, Exit};

/// The command line of `served`, as parsed.
#[derive(Debug, Clone, Default)]
pub struct ServedArgs {
    pub enrollment: String,
    pub network: Option<String>,
    pub nameserver: Option<String>,
    pub port: Option<u16>,
    pub edge_hostname: Option<String>,
}

pub async fn run(context: &Context, args: ServedArgs) -> CommandResult {
    if context.api() != Api::Cps {
        return Err(CommandError::usage(
            "served compares what the edge serves with CPS's deployments: run it with \
             --backend cps",
        ));
    }
    let id = request_id(context.api(), &args.enrollment)?;
    let networks = networks(args.network.as_deref())?;
    let options = probe_options(
        &context.config,
        args.nameserver.as_deref(),
        args.port,
        networks,
    )?;
    let (mut target, unreadable) = read_target(&context.client.cps(), id)
        .await
        .map_err(|error| CommandError::from(crate::edgegrid::ApiError::from(error)))?;
    for problem in &unreadable {
        warn(&format!(
            "CPS's {} certificate of enrollment {id} does not read ({}); nothing to compare with there",
            problem.network, problem.why
        ));
    }
    if let Some(edge) = &args.edge_hostname {
        target.edge_hostname = Some(edge_hostname(edge)?);
    }
    let report = probe(&target, &options).await;
    if context.global.json {
        print_json(&report)?;
    } else {
        print(&report_text(&report, Utc::now()))?;
    }
    Ok(exit_of(&report))
}

/// Exit 1 on any mismatch, else 3 when anything could not be found out, else 0.
pub fn exit_of(report: &ServedReport) -> Exit {
    match report.outcome(None) {
        Outcome::Matches | Outcome::NotProbed => Exit::Success,
        Outcome::Mismatch => Exit::Api,
        Outcome::CouldNotFindOut => Exit::Network,
    }
}

/// `--network`: both when absent.
fn networks(network: Option<&str>) -> Result<Vec<Network>, CommandError> {
    match network
        .map(|text| text.trim().to_ascii_lowercase())
        .as_deref()
    {
        None => Ok(Network::ALL.to_vec()),
        Some("production") => Ok(vec![Network::Production]),
        Some("staging") => Ok(vec![Network::Staging]),
        Some(other) => Err(CommandError::usage(format!(
            "--network `{}`: use production or staging (or leave it out for both)",
            crate::text::inert(other)
        ))),
    }
}

/// The probe's DNS, port and limits: the flags, else `[served]`, else `[check]`'s resolver.
pub fn probe_options(
    config: &Config,
    nameserver: Option<&str>,
    port: Option<u16>,
    networks: Vec<Network>,
) -> Result<ProbeOptions, CommandError> {
    let nameserver = nameserver
        .map(parse_nameserver)
        .transpose()
        .map_err(|error| CommandError::usage(format!("--nameserver {error}")))?;
    if port == Some(0) {
        return Err(CommandError::usage(
            "--port 0: give the TCP port the edge answers TLS on (443)",
        ));
    }
    Ok(ProbeOptions::from_config(
        &config.served,
        config.check.nameserver.as_deref(),
        nameserver,
        port,
        networks,
    ))
}

fn edge_hostname(text: &str) -> Result<String, CommandError> {
    crate::export::rule::check_host(text.trim())
        .map_err(|reason| CommandError::usage(format!("--edge-hostname: the name {reason}")))
}
