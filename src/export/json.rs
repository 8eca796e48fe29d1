//! JSON: the request id, the time and the validation fields of each domain covered. JSON
//! has no comments, so the header is data: the id under the API's own name (`spsId`,
//! `enrollmentId`), `generatedAt`, `domains`, `notCovered`. The records keep SPS's
//! `dvStatus` member names, which CPS shares for its HTTP-01 challenges; a DNS-01 record
//! comes as `dns01`.

use serde_json::{Value, json};

use super::header::Header;
use super::rule::Rule;
use crate::model::{Api, DomainValidation};

pub fn render(header: &Header, rules: &[Rule]) -> String {
    let records: Vec<Value> = rules.iter().map(|rule| record(&rule.record)).collect();
    let id_name = match header.api {
        Api::Sps => "spsId",
        Api::Cps => "enrollmentId",
    };
    let mut document = json!({
        "generator": "spsdash",
        "generatedAt": header.generated_at,
        "domains": rules.iter().map(|rule| rule.host.as_str()).collect::<Vec<_>>(),
        "notCovered": header.skipped,
        "dvStatus": records,
    });
    document[id_name] = json!(header.id);
    let mut text =
        crate::text::json_inert(&serde_json::to_string_pretty(&document).unwrap_or_default())
            .into_owned();
    text.push('\n');
    text
}

/// One domain's record, every member written (absent ones as `null`).
fn record(domain: &DomainValidation) -> Value {
    let mut record = json!({
        "domain": domain.domain,
        "status": domain.status.as_str(),
        "fullPath": domain.full_path,
        "redirectPath": domain.redirect_path,
        "token": domain.token,
        "responseBody": domain.response_body,
        "expires": domain.expires,
        "validatedTimestamp": domain.validated_timestamp,
        "error": domain.error,
    });
    if let Some(dns) = &domain.dns {
        record["dns01"] = json!({"name": dns.name, "value": dns.value});
    }
    record
}
