//! HAProxy: per domain an ACL on the Host header and one on the path, and an
//! `http-request redirect location … code 301` when both match.

use super::header::Header;
use super::rule::Rule;

pub fn render(header: &Header, rules: &[Rule]) -> String {
    let mut out =
        header.hash_comment("Paste into the frontend (mode http) that listens on port 80.");
    for rule in rules {
        // ACL names allow letters, digits, '-', '_', '.' and ':': hosts are LDH.
        let name = format!("sps{}_{}", header.id, rule.host);
        out.push_str(&format!(
            "\n# {host}\nacl {name}_host hdr(host) -i {host} {host}:80\nacl {name}_path path {path}\nhttp-request redirect location {target} code 301 if {name}_host {name}_path\n",
            host = rule.host,
            path = rule.path,
            target = log_format_escape(&rule.redirect_path),
        ));
    }
    out
}

/// The location is a log-format string, where `%` starts a sample expression: double it.
fn log_format_escape(url: &str) -> String {
    url.replace('%', "%%")
}
