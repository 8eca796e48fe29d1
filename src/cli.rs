//! The command line: the dashboard by default, one-shot subcommands, `sim` and `api`.

use std::net::SocketAddr;
use std::path::PathBuf;

use clap::{Args, Parser, Subcommand};

#[derive(Debug, Parser)]
#[command(
    name = "spsdash",
    version,
    about = "A terminal dashboard for Akamai's Secure Provisioning Service (SPS)",
    long_about = "Without a subcommand, opens the live dashboard. With no credentials found \
                  (or with --demo), everything runs against the embedded SPS simulator."
)]
pub struct Cli {
    #[command(flatten)]
    pub global: GlobalArgs,
    #[command(subcommand)]
    pub command: Option<Command>,
}

#[derive(Debug, Clone, Args, Default)]
pub struct GlobalArgs {
    /// Config file (default: the platform config dir's spsdash/config.toml).
    #[arg(long, global = true, value_name = "PATH")]
    pub config: Option<PathBuf>,
    /// Credentials file (default: ~/.edgerc).
    #[arg(long, global = true, value_name = "PATH")]
    pub edgerc: Option<PathBuf>,
    /// Section of the credentials file.
    #[arg(long, global = true, value_name = "NAME")]
    pub section: Option<String>,
    /// Account switch key, for users who manage several accounts.
    #[arg(long, global = true, value_name = "KEY", alias = "accountkey")]
    pub account_key: Option<String>,
    /// Talk to another endpoint (plain http:// only for loopback addresses).
    #[arg(long, global = true, value_name = "URL")]
    pub base_url: Option<String>,
    /// Run against the embedded simulator even if credentials exist.
    #[arg(long, global = true)]
    pub demo: bool,
    /// The API to speak: cps (CPS v2 + PAPI, the default: what Akamai answers today) or sps
    /// (SPS v1, turned off by Akamai on 2023-01-03; for endpoints that still serve it).
    #[arg(
        long,
        global = true,
        value_enum,
        value_name = "API",
        env = "SPSDASH_BACKEND"
    )]
    pub backend: Option<BackendArg>,
    /// Never submit anything.
    #[arg(long, global = true)]
    pub read_only: bool,
    /// Print only JSON on stdout.
    #[arg(long, global = true)]
    pub json: bool,
    /// Write the log here instead of the platform state dir's spsdash.log.
    #[arg(long, global = true, value_name = "PATH")]
    pub log_file: Option<PathBuf>,
    /// Colours: auto (on unless NO_COLOR is set), always, or never (the mono theme).
    #[arg(long, global = true, value_enum, default_value_t = ColorWhen::Auto, value_name = "WHEN")]
    pub color: ColorWhen,
    /// Log filter, e.g. `debug` or `spsdash=trace` (overrides SPSDASH_LOG; default `info`).
    #[arg(long, global = true, value_name = "FILTER")]
    pub log_level: Option<String>,
}

/// `--backend`: which API an account's requests come from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum BackendArg {
    /// CPS v2 (certificates, changes, challenges) and PAPI (contracts, edge hostnames).
    Cps,
    /// SPS v1.
    Sps,
}

/// `--color`: whether the dashboard draws colours.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, clap::ValueEnum)]
pub enum ColorWhen {
    /// Colour unless `NO_COLOR` is set (https://no-color.org).
    #[default]
    Auto,
    /// Colour even with `NO_COLOR`.
    Always,
    /// No colour anywhere (the mono theme); state is still told by glyphs and words.
    Never,
}

impl ColorWhen {
    /// `Some(colour)` when the flag decides, `None` to follow the environment.
    pub fn forced(self) -> Option<bool> {
        match self {
            ColorWhen::Auto => None,
            ColorWhen::Always => Some(true),
            ColorWhen::Never => Some(false),
        }
    }
}

/// Where a request lives: SPS needs both (a group/contract pair); CPS needs the contract only
/// to list (an enrollment id alone names an enrollment).
#[derive(Debug, Clone, Args, Default, PartialEq, Eq)]
pub struct PairArgs {
    /// Contract id (with or without `ctr_`).
    #[arg(long, value_name = "C")]
    pub contract: Option<String>,
    /// Group id (with or without `grp_`); SPS only.
    #[arg(long, value_name = "G")]
    pub group: Option<String>,
}

/// An optional scope: without it, a command covers every contract (or, for SPS, every pair)
/// PAPI lists.
#[derive(Debug, Clone, Args, Default)]
pub struct PairFilter {
    /// Contract id (with or without `ctr_`).
    #[arg(long, value_name = "C")]
    pub contract: Option<String>,
    /// Group id (with or without `grp_`); SPS only, with --contract.
    #[arg(long, value_name = "G", requires = "contract")]
    pub group: Option<String>,
}

/// Which domains of a request a command covers.
#[derive(Debug, Clone, Args, Default)]
pub struct DomainSelection {
    /// Every domain, including those already valid.
    #[arg(long, conflicts_with = "domain")]
    pub all: bool,
    /// Only this domain (repeatable).
    #[arg(long, value_name = "D")]
    pub domain: Vec<String>,
}

/// `redirects` / `webroot`: leave out the domains Akamai completes itself.
#[derive(Debug, Clone, Args, Default)]
pub struct AutomaticArgs {
    /// Ask DNS which domains are CNAMEd to an Akamai edge hostname (Akamai answers their
    /// challenge itself) and leave them out, with a comment saying so.
    #[arg(long)]
    pub skip_automatic: bool,
    /// With --skip-automatic: ask this DNS server instead of the system's.
    #[arg(long, value_name = "IP[:PORT]", requires = "skip_automatic")]
    pub nameserver: Option<String>,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Contracts (CPS) or group/contract pairs (SPS) these credentials see (PAPI groups).
    Groups,
    /// Requests of one contract (CPS enrollments) or group/contract pair (SPS).
    List {
        #[command(flatten)]
        pair: PairArgs,
        /// Only requests created after this instant (ISO 8601 UTC).
        #[arg(long, value_name = "T")]
        after: Option<String>,
    },
    /// One request, with its parameters and each domain's validation.
    Show {
        /// The request: an enrollment id (CPS) or an spsId (SPS).
        id: String,
        #[command(flatten)]
        pair: PairArgs,
    },
    /// Create a certificate and secure edge hostname from a TOML file.
    Create {
        #[arg(long, value_name = "REQ.toml")]
        file: PathBuf,
        #[command(flatten)]
        pair: PairArgs,
        /// Print the exact request instead of sending it.
        #[arg(long)]
        dry_run: bool,
        /// CPS: send the create although an earlier create of this certificate got no answer
        /// and the contract does not list what it made (after checking `spsdash list`).
        #[arg(long)]
        resend_unresolved: bool,
    },
    /// Add domains to an existing SAN certificate: a CPS enrollment (`add-sans ENROLLMENT
    /// --domain D`), or on SPS the certificate of a request (`--cname-hostname H --job-id J`).
    AddSans {
        /// CPS: the enrollment id.
        enrollment: Option<String>,
        /// SPS: the certificate's cnameHostname.
        #[arg(long, value_name = "H")]
        cname_hostname: Option<String>,
        /// SPS: the jobId of the certificate's previous request.
        #[arg(long, value_name = "J")]
        job_id: Option<String>,
        /// A hostname to add (repeatable).
        #[arg(long = "domain", value_name = "D", required = true)]
        domains: Vec<String>,
        /// CPS: replace a pending change of the enrollment (otherwise refused while one waits).
        #[arg(long)]
        cancel_pending: bool,
        #[command(flatten)]
        pair: PairArgs,
        #[arg(long)]
        dry_run: bool,
    },
    /// Answer what a CPS change waits for: acknowledge (or --deny) its warnings or change
    /// management, tell CPS the Let's Encrypt challenges are served, or upload a third-party
    /// certificate. Shows what CPS says first and asks, unless --yes.
    Proceed {
        /// The enrollment id.
        enrollment: String,
        /// Deny instead of acknowledging (CPS cancels the change).
        #[arg(long)]
        deny: bool,
        /// Answer without asking (for scripts); without a terminal it is required.
        #[arg(long)]
        yes: bool,
        /// Third-party certificate: the PEM file the customer's CA issued for the CSR.
        #[arg(long, value_name = "FILE")]
        certificate: Option<PathBuf>,
        /// Third-party certificate: the PEM trust chain (intermediates), optional.
        #[arg(long, value_name = "FILE")]
        trust_chain: Option<PathBuf>,
        /// Challenges: tell CPS they are complete even if the readiness check says a domain
        /// is not ready.
        #[arg(long)]
        skip_check: bool,
        /// Challenges: check a domain at this address instead of its DNS answer
        /// (`host=ip[:port]`, repeatable).
        #[arg(long, value_name = "HOST=IP[:PORT]")]
        resolve: Vec<String>,
        #[arg(long)]
        dry_run: bool,
    },
    /// A secure edge hostname on an existing certificate.
    EdgeHost {
        #[arg(long, value_name = "H")]
        cname_hostname: String,
        #[arg(long, value_name = "N")]
        enrollment_id: String,
        /// ipv4 or ipv6.
        #[arg(long, value_name = "V")]
        ip_version: Option<String>,
        #[arg(long, value_name = "P")]
        product: Option<String>,
        #[command(flatten)]
        pair: PairArgs,
        #[arg(long)]
        dry_run: bool,
    },
    /// Every certificate behind the SPS requests, with its expiry and networks (reads CPS).
    Certs {
        #[command(flatten)]
        pair: PairFilter,
    },
    /// Certificates expiring soon: exit 1 if any expires within the window, 0 if none, 3 if
    /// it could not find out (reads CPS).
    Expiring {
        /// How far ahead to look: 30d, 2w, 12h (a bare number means days).
        #[arg(long, value_name = "WINDOW", default_value = "30d")]
        within: String,
        #[command(flatten)]
        pair: PairFilter,
    },
    /// What the edge really serves for an enrollment's names, compared with what CPS
    /// deployed: exit 0 all match, 1 any mismatch, 3 could not find out (reads CPS, asks DNS,
    /// connects with TLS to each name and to the edge hostnames).
    Served {
        /// The enrollment id.
        enrollment: String,
        /// Only this network: production or staging (both when absent).
        #[arg(long, value_name = "NETWORK")]
        network: Option<String>,
        /// Ask this DNS server (IP[:PORT]) instead of `[served]`/`[check] nameserver` or the
        /// system's.
        #[arg(long, value_name = "IP[:PORT]")]
        nameserver: Option<String>,
        /// The port the edge answers TLS on (default `[served] port`, 443).
        #[arg(long, value_name = "N")]
        port: Option<u16>,
        /// The enrollment's production edge hostname, when DNS does not lead to it
        /// (default: the one the names CNAME to, else {cn}.edgekey.net).
        #[arg(long, value_name = "HOST")]
        edge_hostname: Option<String>,
    },
    /// The DNS-01 TXT records of a DV request's open challenges (reads CPS).
    DnsRecords {
        /// The request: an enrollment id (CPS) or an spsId (SPS).
        id: String,
        #[command(flatten)]
        pair: PairArgs,
        /// zone (a zone-file snippet) or json.
        #[arg(long, value_name = "FMT", default_value = "zone")]
        format: String,
        /// How many of the enrollment's pending changes to read at most (one call each).
        #[arg(long, value_name = "N", default_value_t = 50,
              value_parser = clap::value_parser!(u32).range(1..))]
        max_changes: u32,
    },
    /// Send one signed request and print the answer (like `gh api`).
    Api(ApiArgs),
    /// Run the SPS simulator standalone.
    Sim(SimArgs),
    /// Redirect rules for a web server, for a request's domains.
    Redirects {
        /// The request: an enrollment id (CPS) or an spsId (SPS).
        id: String,
        #[command(flatten)]
        pair: PairArgs,
        /// nginx, apache, caddy, haproxy, iis, plain, csv or json.
        #[arg(long, value_name = "FMT")]
        format: String,
        #[command(flatten)]
        domains: DomainSelection,
        #[command(flatten)]
        automatic: AutomaticArgs,
    },
    /// Write each domain's challenge file under DIR (webroot mode).
    Webroot {
        /// The request: an enrollment id (CPS) or an spsId (SPS).
        id: String,
        #[command(flatten)]
        pair: PairArgs,
        #[arg(long, value_name = "DIR")]
        dir: PathBuf,
        #[command(flatten)]
        domains: DomainSelection,
        #[command(flatten)]
        automatic: AutomaticArgs,
    },
    /// Wait until a request is complete, awaits you, is deployed, or its domains are valid; for
    /// scripts.
    Wait(WaitArgs),
    /// Poll without the dashboard: one JSON line per status change, and notifications.
    Watch(WatchArgs),
    /// Serve Prometheus metrics on /metrics (expiries, changes awaiting input, API health),
    /// polling as the dashboard does; scrapes never call the API.
    Exporter(ExporterArgs),
    /// Check, before Let's Encrypt does, that each domain's challenge URL answers right.
    Check {
        /// The request: an enrollment id (CPS) or an spsId (SPS).
        id: String,
        #[command(flatten)]
        pair: PairArgs,
        #[command(flatten)]
        domains: DomainSelection,
        /// Send DOMAIN's requests to IP[:PORT] on every hop, keeping Host and path
        /// (repeatable; DOMAIN:443=… for its https hops).
        #[arg(long, value_name = "DOMAIN[:443]=IP[:PORT]")]
        resolve: Vec<String>,
        /// Ask this DNS server instead of the system's (/etc/resolv.conf).
        #[arg(long, value_name = "IP[:PORT]")]
        nameserver: Option<String>,
    },
    /// Print a shell completion script, e.g. `spsdash completions bash > ~/.local/share/bash-completion/completions/spsdash`.
    Completions {
        /// bash, zsh, fish, elvish or powershell.
        #[arg(value_enum)]
        shell: clap_complete::Shell,
    },
    /// Print the manual page (roff), e.g. `spsdash man | man -l -`.
    Man,
    /// Print the config, cache, data and log locations in use.
    Paths,
}

#[derive(Debug, Clone, Args)]
pub struct ApiArgs {
    /// HTTP method (GET, POST, …).
    pub method: String,
    /// Path and query, e.g. /papi/v1/groups.
    pub path: String,
    /// A form field name=value (repeatable); makes a form body.
    #[arg(short = 'f', long = "field", value_name = "NAME=VALUE")]
    pub fields: Vec<String>,
    /// Send this file as the body.
    #[arg(long, value_name = "F", conflicts_with = "fields")]
    pub body_file: Option<PathBuf>,
    /// An extra header 'Name: value' (repeatable).
    #[arg(short = 'H', long = "header", value_name = "NAME: VALUE")]
    pub headers: Vec<String>,
    /// Print the data to sign and the Authorization header instead of sending.
    #[arg(long)]
    pub dry_run: bool,
    /// Sign with this timestamp (e.g. 20140321T19:34:21+0000).
    #[arg(long, value_name = "T")]
    pub timestamp: Option<String>,
    /// Sign with this nonce.
    #[arg(long, value_name = "N")]
    pub nonce: Option<String>,
}

#[derive(Debug, Clone, Args)]
pub struct SimArgs {
    /// Loopback address to listen on (port 0 picks a free one).
    #[arg(long, default_value = "127.0.0.1:0", value_name = "ADDR")]
    pub listen: SocketAddr,
    /// Seed of the world (deterministic).
    #[arg(long, value_name = "N")]
    pub seed: Option<u64>,
    /// How fast the world's clock runs (1.0 = real time).
    #[arg(long, value_name = "X")]
    pub speed: Option<f64>,
    /// Generate a world of N requests instead of the demo world.
    #[arg(long, value_name = "N")]
    pub requests: Option<usize>,
    /// Faults: error500=P,ratelimit=P,reset=P,malformed=P,latency-ms=N.
    #[arg(long, value_name = "SPEC")]
    pub faults: Option<String>,
    /// Generate N CPS enrollments over four contracts instead of the demo's (about a fifth
    /// with a change under way).
    #[arg(long, value_name = "N")]
    pub enrollments: Option<usize>,
    /// Answer every SPS call with 410 Gone, as Akamai has since it turned SPS off
    /// (2023-01-03); CPS and PAPI keep answering.
    #[arg(long)]
    pub sps_gone: bool,
    /// Write an .edgerc with the simulator's credentials here (section: the global
    /// `--section`, default `default`).
    #[arg(long, value_name = "FILE")]
    pub edgerc_out: Option<PathBuf>,
}

#[derive(Debug, Clone, Args)]
#[command(
    after_help = "Exit codes: 0 reached; 1 the request ended otherwise (cancelled, failed) \
                        or the API refused the call; 2 usage; 3 the network kept failing until \
                        the timeout; 124 timed out. Polls every poll.active_secs of the config."
)]
pub struct WaitArgs {
    /// The request: an enrollment id (CPS) or an spsId (SPS).
    pub id: String,
    #[command(flatten)]
    pub pair: PairArgs,
    /// complete; awaiting-user or awaiting-input (the same: the request waits for you, CPS's
    /// change for its input); deployed (on production: on CPS no change pending, so not while
    /// one waits for change management); served (the production edge hostname serves the
    /// deployed certificate for every name; CPS; `[served]` says how to probe); valid (every
    /// domain) or valid:DOMAIN.
    #[arg(long, value_name = "CONDITION")]
    pub until: String,
    /// Give up after this long: 90s, 30m, 2h, 1d, 1h30m (default: wait for ever).
    #[arg(long, value_name = "DURATION")]
    pub timeout: Option<String>,
}

#[derive(Debug, Clone, Args)]
pub struct ExporterArgs {
    /// Address and port to serve /metrics on [default: [exporter] listen, 127.0.0.1:9464].
    /// /metrics has no authentication: on an address other than loopback, anyone who
    /// reaches the port reads the metrics (enrollment names, contracts).
    #[arg(long, value_name = "ADDR:PORT")]
    pub listen: Option<String>,
    /// Only this contract; default: the config's pairs, else every contract (or pair) the
    /// credentials see.
    #[arg(long, value_name = "C")]
    pub contract: Option<String>,
    /// Only this group (with --contract); SPS only.
    #[arg(long, value_name = "G", requires = "contract")]
    pub group: Option<String>,
}

#[derive(Debug, Clone, Args)]
pub struct WatchArgs {
    /// Poll once, print the changes since the last run, send their notifications, exit.
    #[arg(long)]
    pub once: bool,
    /// Only this contract; default: the config's pairs, else every contract (or pair) the
    /// credentials see.
    #[arg(long, value_name = "C")]
    pub contract: Option<String>,
    /// Only this group (with --contract); SPS only.
    #[arg(long, value_name = "G", requires = "contract")]
    pub group: Option<String>,
}
