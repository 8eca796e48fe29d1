//! Apache httpd: mod_rewrite rules grouped per `ServerName`, each behind a `RewriteCond` on
//! the Host header, so the whole snippet can go into the port-80 virtual host (or the server
//! config) as it is, whichever names that host serves.

use super::header::Header;
use super::rule::Rule;

pub fn render(header: &Header, rules: &[Rule]) -> String {
    let mut out = header.hash_comment(
        "Paste into the port-80 <VirtualHost> (or server config); needs mod_rewrite (a2enmod rewrite).",
    );
    out.push_str("RewriteEngine On\n");
    for rule in rules {
        out.push_str(&format!(
            "\n# ServerName {host}\nRewriteCond %{{HTTP_HOST}} ^{host_regex}(:80)?$ [NC]\nRewriteRule ^/?{path_regex}$ {target} [R=301,NE,L]\n",
            host = rule.host,
            host_regex = regex_escape(&rule.host),
            path_regex = regex_escape(rule.path.trim_start_matches('/')),
            target = substitution_escape(&rule.redirect_path),
        ));
    }
    out
}

/// PCRE: the host and path are LDH/base64url, so only `.` needs a backslash.
pub fn regex_escape(text: &str) -> String {
    text.replace('.', "\\.")
}

/// In a RewriteRule substitution `$N` and `%N` are back-references: quote `%` (percent
/// escapes in the target) with a backslash; `NE` keeps mod_rewrite from re-escaping them.
fn substitution_escape(url: &str) -> String {
    url.replace('%', "\\%")
}
