//! IIS: a `web.config` with one URL Rewrite rule per domain, matched on the path and a
//! `{HTTP_HOST}` condition, redirecting permanently.

use super::apache::regex_escape;
use super::header::Header;
use super::rule::Rule;

pub fn render(header: &Header, rules: &[Rule]) -> String {
    let mut out = String::from("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<!--\n");
    for line in header.lines(
        "Merge the <rule> elements into the site's web.config; needs the IIS URL Rewrite module.",
    ) {
        out.push_str(&format!("  {}\n", comment_escape(&line)));
    }
    out.push_str("-->\n<configuration>\n  <system.webServer>\n    <rewrite>\n      <rules>\n");
    for rule in rules {
        out.push_str(&format!(
            concat!(
                "        <rule name=\"{name}\" stopProcessing=\"true\">\n",
                "          <match url=\"^{path}$\" />\n",
                "          <conditions>\n",
                "            <add input=\"{{HTTP_HOST}}\" pattern=\"^{host}(:80)?$\" />\n",
                "          </conditions>\n",
                "          <action type=\"Redirect\" url=\"{target}\" redirectType=\"Permanent\" appendQueryString=\"false\" />\n",
                "        </rule>\n",
            ),
            name = attribute_escape(&format!("spsdash {} {}", header.id, rule.host)),
            path = attribute_escape(&regex_escape(rule.path.trim_start_matches('/'))),
            host = attribute_escape(&regex_escape(&rule.host)),
            target = attribute_escape(&rule.redirect_path),
        ));
    }
    out.push_str("      </rules>\n    </rewrite>\n  </system.webServer>\n</configuration>\n");
    out
}

/// XML attribute values: the five predefined entities.
fn attribute_escape(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
        .replace('\'', "&apos;")
}

/// `--` may not appear inside an XML comment, yet every punycode host has one (`xn--`):
/// write it `- -`. The exact hosts are in each rule's `name` attribute.
fn comment_escape(text: &str) -> String {
    let mut escaped = text.to_string();
    while escaped.contains("--") {
        escaped = escaped.replace("--", "- -");
    }
    escaped
}
