//! JSON: the request id, the time and every dvStatus field (unknown ones included) of each
//! domain covered. JSON has no comments, so the header is data: `spsId`, `generatedAt`,
//! `domains`, `notCovered`.

use serde_json::{Value, json};

use super::header::Header;
use super::rule::Rule;

pub fn render(header: &Header, rules: &[Rule]) -> String {
    let records: Vec<Value> = rules
        .iter()
        .map(|rule| serde_json::to_value(&rule.record).unwrap_or(Value::Null))
        .collect();
    let document = json!({
        "generator": "spsdash",
        "spsId": header.sps_id,
        "generatedAt": header.generated_at,
        "domains": rules.iter().map(|rule| rule.host.as_str()).collect::<Vec<_>>(),
        "notCovered": header.skipped,
        "dvStatus": records,
    });
    let mut text =
        crate::text::json_inert(&serde_json::to_string_pretty(&document).unwrap_or_default())
            .into_owned();
    text.push('\n');
    text
}
