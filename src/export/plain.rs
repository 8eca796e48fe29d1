//! Plain text: `fullPath redirectPath`, one domain per line, after a `#` header.

use super::header::Header;
use super::rule::Rule;

pub fn render(header: &Header, rules: &[Rule]) -> String {
    let mut out = header.hash_comment("Each line: fullPath redirectPath");
    for rule in rules {
        out.push_str(&format!("{} {}\n", rule.full_path, rule.redirect_path));
    }
    out
}
