//! nginx: one `location = <path>` per domain with `return 301`, grouped per `server_name`.
//! Exact-match locations beat every prefix and regex location, so the rules work whatever
//! else the server block holds.

use super::header::Header;
use super::rule::Rule;

pub fn render(header: &Header, rules: &[Rule]) -> String {
    let mut out = header.hash_comment(
        "Paste each group into the server { } block that serves that server_name on port 80.",
    );
    for rule in rules {
        // Values are checked (rule.rs): no `;`, `$`, quotes, braces or spaces can reach here.
        out.push_str(&format!(
            "\n# server_name {host};\nlocation = {path} {{\n    return 301 {target};\n}}\n",
            host = rule.host,
            path = rule.path,
            target = rule.redirect_path,
        ));
    }
    out
}
