//! CSV (RFC 4180): every dvStatus field, one domain per row, after `#` header lines (most
//! CSV readers skip them with a comment option).

use super::header::Header;
use super::rule::Rule;

const COLUMNS: [&str; 9] = [
    "domain",
    "status",
    "fullPath",
    "redirectPath",
    "token",
    "responseBody",
    "expires",
    "validatedTimestamp",
    "error",
];

pub fn render(header: &Header, rules: &[Rule]) -> String {
    let mut out = header.hash_comment("");
    out.push_str(&COLUMNS.join(","));
    out.push_str("\r\n");
    for rule in rules {
        let record = &rule.record;
        let fields = [
            Some(record.domain.as_str()),
            Some(record.status.as_str()),
            record.full_path.as_deref(),
            record.redirect_path.as_deref(),
            record.token.as_deref(),
            record.response_body.as_deref(),
            record.expires.as_deref(),
            record.validated_timestamp.as_deref(),
            record.error.as_deref(),
        ];
        let row: Vec<String> = fields
            .iter()
            // Free-text fields (status, error…) are unchecked API data: inert, one line.
            .map(|field| quote(&crate::text::inert(field.unwrap_or(""))))
            .collect();
        out.push_str(&row.join(","));
        out.push_str("\r\n");
    }
    out
}

/// Quotes a field when it holds a comma, quote or line break, doubling inner quotes.
fn quote(field: &str) -> String {
    if field.contains([',', '"', '\r', '\n']) {
        format!("\"{}\"", field.replace('"', "\"\""))
    } else {
        field.to_string()
    }
}
