//! `groups`, `list` and `show`: what the API says, as tables or `--json`.

use chrono::{DateTime, NaiveDate, Utc};

use crate::cli::PairArgs;
use crate::model::{Api, CertRequest, Scope, parse_time};

use super::scope_args::{Purpose, request_id, scope_of};

use super::json_stream::JsonArrayOut;
use super::output::{Table, one_line, print, print_json};
use super::{CommandError, CommandResult, Context, Exit};

pub async fn groups(context: &Context) -> CommandResult {
    let groups = context.client.papi().groups().await?;
    if context.global.json {
        print_json(&groups)?;
        return Ok(Exit::Success);
    }
    let mut out = String::new();
    if let Some(name) = groups
        .account_name
        .as_deref()
        .or(groups.account_id.as_deref())
    {
        out.push_str(&format!("Account {}\n\n", one_line(name)));
    }
    let table = match context.api() {
        Api::Sps => {
            let mut table = Table::new(["CONTRACT", "GROUP", "NAME"]);
            for named in groups.pairs() {
                table.push([
                    named.scope.contract_id,
                    named.scope.group_id.unwrap_or_default(),
                    named.name.unwrap_or_default(),
                ]);
            }
            table
        }
        // CPS lists enrollments per contract: each contract once, with the groups using it.
        Api::Cps => {
            let mut table = Table::new(["CONTRACT", "GROUPS"]);
            for named in groups.contracts() {
                let using: Vec<String> = groups
                    .pairs()
                    .into_iter()
                    .filter(|pair| pair.scope.contract_id == named.scope.contract_id)
                    .map(|pair| match pair.name {
                        Some(name) => name,
                        None => pair.scope.group_id.unwrap_or_default(),
                    })
                    .collect();
                table.push([named.scope.contract_id, using.join(", ")]);
            }
            table
        }
    };
    if table.is_empty() {
        out.push_str("These credentials see no contracts.\n");
    } else {
        out.push_str(&table.render());
    }
    print(&out)?;
    Ok(Exit::Success)
}

pub async fn list(context: &Context, pair: &PairArgs, after: Option<&str>) -> CommandResult {
    let Some(pair) = scope_of(context.api(), pair, Purpose::List)? else {
        return Err(CommandError::usage(
            "pass --contract C (see `spsdash groups`)",
        ));
    };
    let after = after.map(parse_after).transpose()?;
    if after.is_some() && context.api() == Api::Cps {
        return Err(CommandError::usage(
            "--after is SPS's (its list filters by creation time); CPS lists every enrollment",
        ));
    }
    if context.global.json {
        return list_json(context, &pair, after).await;
    }
    let listed = context.client.list(&pair, after).await?;
    // One bad item costs only itself: the rest is shown, the bad one named on stderr.
    for skipped in &listed.skipped {
        super::output::eprint(&format!("spsdash: warning: {skipped}\n"));
    }
    let mut requests = listed.requests;
    if requests.is_empty() {
        let since = after
            .map(|after| format!(" created after {}", after.format("%Y-%m-%dT%H:%M:%SZ")))
            .unwrap_or_default();
        print(&format!("No requests in {pair}{since}.\n"))?;
        return Ok(Exit::Success);
    }
    // Newest first, as an operator scans them.
    requests.sort_by_key(|request| std::cmp::Reverse(request.id));
    let (id, name) = match context.api() {
        Api::Sps => ("SPS ID", "CNAME HOSTNAME"),
        Api::Cps => ("ENROLLMENT", "COMMON NAME"),
    };
    let mut table = Table::new([id, "STATUS", name, "TYPE", "DV", "LAST CHANGE", "PROGRESS"]);
    for request in &requests {
        let name = match request.name() {
            "" => "-",
            name => name,
        };
        table.push([
            request.id.to_string(),
            request.status.to_string(),
            name.to_string(),
            kind(request),
            domains_column(request),
            request
                .last_change
                .as_ref()
                .map(ToString::to_string)
                .unwrap_or_default(),
            request.progress.clone().unwrap_or_default(),
        ]);
    }
    print(&table.render())?;
    Ok(Exit::Success)
}

pub async fn show(context: &Context, pair: &PairArgs, id: &str) -> CommandResult {
    let scope = scope_of(context.api(), pair, Purpose::Request)?;
    let id = request_id(context.api(), id)?;
    let request = context.client.detail(scope.as_ref(), id).await?;
    if context.global.json {
        print_json(&request)?;
        return Ok(Exit::Success);
    }
    print(&render_request(&request))?;
    Ok(Exit::Success)
}

/// The human view of one request: its fields, the details the API gave, each domain.
pub fn render_request(request: &CertRequest) -> String {
    let heading = match request.api {
        crate::model::Api::Sps => "SPS request",
        crate::model::Api::Cps => "CPS enrollment",
    };
    let mut out = format!("{heading} {}\n", request.id);
    let mut field = |name: &str, value: Option<String>| {
        if let Some(value) = value.filter(|value| !value.is_empty()) {
            out.push_str(&format!("  {:<15} {}\n", one_line(name), one_line(&value)));
        }
    };
    let state = match &request.awaiting {
        Some(awaiting) => format!("{}: {awaiting}", request.state.label()),
        None => request.state.label().to_string(),
    };
    field("status", Some(format!("{} ({state})", request.status)));
    field("progress", request.progress.clone());
    field(
        "last change",
        request.last_change.as_ref().map(ToString::to_string),
    );
    field("type", Some(kind(request)).filter(|kind| kind != "-"));
    field("job id", request.job_id.map(|id| id.to_string()));
    field(
        "enrollment id",
        request.enrollment_id.map(|id| id.to_string()),
    );
    field(
        "authority",
        request.authority.as_deref().map(str::to_string),
    );
    if let Some(change) = &request.change {
        let kind = change.change_type.as_deref().unwrap_or("change");
        field("pending", Some(format!("{kind} {}", change.location)));
    }
    if !request.details.is_empty() {
        out.push_str("\nParameters\n");
        let mut table = Table::new(["  NAME", "VALUE"]);
        for detail in &request.details {
            table.push([
                format!("  {}", detail.name),
                detail.value.as_deref().unwrap_or_default().to_string(),
            ]);
        }
        out.push_str(&table.render());
    }
    if !request.domains.is_empty() {
        let (valid, total) = request.domains_valid();
        out.push_str(&format!("\nDomain validation ({valid} of {total} valid)\n"));
        for domain in &request.domains {
            out.push_str(&format!(
                "  {}  {}\n",
                one_line(&domain.domain),
                one_line(domain.status.as_str())
            ));
            let lines = [
                ("fullPath", &domain.full_path),
                ("redirectPath", &domain.redirect_path),
                ("token", &domain.token),
                ("responseBody", &domain.response_body),
                ("expires", &domain.expires),
                ("validated", &domain.validated_timestamp),
                ("error", &domain.error),
            ];
            for (name, value) in lines {
                if let Some(value) = value {
                    out.push_str(&format!("    {name:<13} {}\n", one_line(value)));
                }
            }
            if let Some(dns) = &domain.dns {
                out.push_str(&format!(
                    "    {:<13} {}\n",
                    "dns-01 name",
                    one_line(&dns.name)
                ));
                out.push_str(&format!(
                    "    {:<13} {}\n",
                    "dns-01 value",
                    one_line(&dns.value)
                ));
            }
        }
    }
    if !request.change_history().is_empty() {
        out.push_str("\nChange history (newest first)\n");
        for line in request.change_history() {
            out.push_str(&format!("  {}\n", one_line(line)));
        }
    }
    out
}

/// `single`/`wildcard`/`san`/`modSan` and OV/DV, when the parameters say.
fn kind(request: &CertRequest) -> String {
    match (request.kind.as_deref(), request.validation) {
        (Some(kind), Some(validation)) => format!("{kind} {}", validation.short()),
        (Some(kind), None) => kind.to_string(),
        (None, Some(validation)) => validation.short().to_string(),
        (None, None) => "-".to_string(),
    }
}

fn domains_column(request: &CertRequest) -> String {
    match request.domains_valid() {
        (_, 0) => "-".to_string(),
        (valid, total) => format!("{valid}/{total}"),
    }
}

/// ISO 8601 (`2016-12-12T10:15:00Z`), or a bare date meaning its midnight UTC.
pub fn parse_after(text: &str) -> Result<DateTime<Utc>, CommandError> {
    let text = text.trim();
    parse_time(text)
        .or_else(|| {
            NaiveDate::parse_from_str(text, "%Y-%m-%d")
                .ok()
                .and_then(|date| date.and_hms_opt(0, 0, 0))
                .map(|midnight| midnight.and_utc())
        })
        .ok_or_else(|| {
            CommandError::usage(format!(
                "--after `{text}` is not an ISO 8601 time; use e.g. 2016-12-12T10:15:00Z or 2016-12-12"
            ))
        })
}

/// `list --json`: each request printed as it is read (the answer is never held whole, so a
/// pair of 100,000 requests costs one item's memory); a bad item is named on stderr.
async fn list_json(context: &Context, pair: &Scope, after: Option<DateTime<Utc>>) -> CommandResult {
    use std::sync::{Arc, Mutex, PoisonError};

    use crate::source::ListItem;

    let out = Arc::new(Mutex::new(JsonArrayOut::new(std::io::BufWriter::new(
        std::io::stdout(),
    ))));
    let writer = Arc::clone(&out);
    let listed = context
        .client
        .list_each(pair, after, move |item| match item {
            ListItem::Request(request) => writer
                .lock()
                .unwrap_or_else(PoisonError::into_inner)
                .item(&request),
            ListItem::Skipped(why) => {
                super::output::eprint(&format!("spsdash: warning: {why}\n"));
                Ok(())
            }
        })
        .await;
    let mut out = out.lock().unwrap_or_else(PoisonError::into_inner);
    if out.is_closed() {
        // The reader went away (`| head`): nothing more to say.
        return out
            .outcome()
            .map(|()| Exit::Success)
            .map_err(CommandError::usage);
    }
    listed?;
    out.finish().map_err(CommandError::usage)?;
    Ok(Exit::Success)
}
