//! Caddy (v2 Caddyfile): a named matcher on host and path per domain, and a `redir … 301`.
//! Matchers rather than site blocks, so the rules drop into the existing site block (or an
//! `http://` one) without creating new sites that would ask for certificates of their own.

use super::header::Header;
use super::rule::Rule;

pub fn render(header: &Header, rules: &[Rule]) -> String {
    let mut out = header.hash_comment(
        "Paste inside the site block that serves these hosts over http (e.g. http:// { … }).",
    );
    for rule in rules {
        let matcher = format!("@sps{}_{}", header.id, rule.host.replace('.', "_"));
        out.push_str(&format!(
            "\n# {host}\n{matcher} {{\n    host {host}\n    path {path}\n}}\nredir {matcher} {target} 301\n",
            host = rule.host,
            path = rule.path,
            target = rule.redirect_path,
        ));
    }
    out
}
