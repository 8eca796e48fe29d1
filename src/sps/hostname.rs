//! Hostname checks and internationalised names to punycode (issue 5).
//!
//! Every name an operator gives (common name, SANs, cnameHostname, names to add) goes through
//! [`parse_hostname`]: trimmed, lower-cased, converted to its ASCII (punycode) form, and checked
//! label by label. The ASCII form is what goes on the wire; the Unicode form is kept so screens
//! can show both.

/// A checked hostname in both spellings.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Hostname {
    /// Lower-case ASCII, internationalised labels in punycode (`xn--…`): what SPS receives.
    pub ascii: String,
    /// The same name as people read it; equal to `ascii` for plain ASCII names.
    pub unicode: String,
}

impl Hostname {
    /// True when the name had to be converted to punycode.
    pub fn is_internationalised(&self) -> bool {
        self.ascii != self.unicode
    }

    pub fn is_wildcard(&self) -> bool {
        self.ascii.starts_with("*.")
    }

    /// `ascii (unicode)` for internationalised names, else just the name.
    pub fn display_both(&self) -> String {
        if self.is_internationalised() {
            format!("{} ({})", self.unicode, self.ascii)
        } else {
            self.ascii.clone()
        }
    }
}

/// Whether a leading `*.` label may appear.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Wildcard {
    Allowed,
    Refused,
}

pub const MAX_NAME_LEN: usize = 253;
pub const MAX_LABEL_LEN: usize = 63;

/// Checks one hostname. The error is a sentence that says what is wrong and what to do.
pub fn parse_hostname(input: &str, wildcard: Wildcard) -> Result<Hostname, String> {
    let trimmed = input.trim();
    if trimmed.is_empty() {
        return Err("required: enter a hostname such as www.example.com".to_string());
    }
    if trimmed.contains(char::is_whitespace) {
        return Err(format!("`{trimmed}` contains a space; a hostname has none"));
    }
    if trimmed.ends_with('.') {
        return Err(format!(
            "remove the trailing dot: write `{}`",
            trimmed.trim_end_matches('.')
        ));
    }
    if trimmed.contains("://") || trimmed.contains('/') {
        return Err(format!(
            "`{trimmed}` looks like a URL; give only the hostname, without scheme or path"
        ));
    }
    let (is_wildcard, rest) = match trimmed.strip_prefix("*.") {
        Some(rest) => (true, rest),
        None => (false, trimmed),
    };
    if rest.contains('*') {
        return Err(
            "a wildcard `*` may only be the whole leftmost label, one level (e.g. *.example.com)"
                .to_string(),
        );
    }
    if is_wildcard && wildcard == Wildcard::Refused {
        return Err(
            "a wildcard name is only allowed as the common name of a wildcard certificate (OV)"
                .to_string(),
        );
    }
    let ascii_rest = to_ascii(rest)?;
    check_labels(&ascii_rest)?;
    if !ascii_rest.contains('.') {
        return Err(format!(
            "`{trimmed}` is not a fully qualified name; write it with its domain, e.g. www.example.com"
        ));
    }
    let prefix = if is_wildcard { "*." } else { "" };
    let ascii = format!("{prefix}{ascii_rest}");
    if ascii.len() > MAX_NAME_LEN {
        return Err(format!(
            "too long: {} characters, at most {MAX_NAME_LEN}",
            ascii.len()
        ));
    }
    let (unicode_rest, _) = idna::domain_to_unicode(&ascii_rest);
    Ok(Hostname {
        unicode: format!("{prefix}{unicode_rest}"),
        ascii,
    })
}

fn to_ascii(name: &str) -> Result<String, String> {
    if name.is_ascii() {
        return Ok(name.to_ascii_lowercase());
    }
    idna::domain_to_ascii(name)
        .map_err(|_| format!("`{name}` is not a valid internationalised name (IDNA)"))
}

fn check_labels(ascii: &str) -> Result<(), String> {
    for label in ascii.split('.') {
        if label.is_empty() {
            return Err("empty label: two dots in a row, or a leading dot".to_string());
        }
        if label.len() > MAX_LABEL_LEN {
            return Err(format!(
                "label `{label}` is {} characters long, at most {MAX_LABEL_LEN}",
                label.len()
            ));
        }
        if let Some(bad) = label
            .chars()
            .find(|c| !(c.is_ascii_lowercase() || c.is_ascii_digit() || *c == '-'))
        {
            return Err(format!(
                "`{bad}` is not allowed in a hostname (letters, digits and hyphens only)"
            ));
        }
        if label.starts_with('-') || label.ends_with('-') {
            return Err(format!(
                "label `{label}` starts or ends with a hyphen, which is not allowed"
            ));
        }
    }
    if ascii
        .rsplit('.')
        .next()
        .is_some_and(|tld| tld.chars().all(|c| c.is_ascii_digit()))
    {
        return Err("an IP address or numeric top-level label is not a hostname".to_string());
    }
    Ok(())
}

/// Splits a pasted list (commas, spaces, tabs, newlines, semicolons) into names, keeping order
/// and dropping blanks. Checking is left to [`parse_hostname`].
pub fn split_name_list(text: &str) -> Vec<String> {
    text.split(|c: char| c == ',' || c == ';' || c.is_whitespace())
        .map(str::trim)
        .filter(|name| !name.is_empty())
        .map(str::to_string)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ok(name: &str) -> Hostname {
        parse_hostname(name, Wildcard::Refused).unwrap()
    }

    fn err(name: &str, wildcard: Wildcard) -> String {
        parse_hostname(name, wildcard).unwrap_err()
    }

    #[test]
    fn lower_cases_and_trims() {
        assert_eq!(ok("  WWW.Example.COM ").ascii, "www.example.com");
    }

    #[test]
    fn refuses_a_trailing_dot_and_says_how_to_write_it() {
        assert!(err("www.example.com.", Wildcard::Refused).contains("`www.example.com`"));
    }

    #[test]
    fn label_and_name_length_limits() {
        let label63 = "a".repeat(63);
        assert!(parse_hostname(&format!("{label63}.example.com"), Wildcard::Refused).is_ok());
        assert!(err(&format!("a{label63}.example.com"), Wildcard::Refused).contains("at most 63"));
        // 4 labels of 63 + 3 dots = 255 > 253.
        let long = [label63.as_str(); 4].join(".");
        assert!(err(&long, Wildcard::Refused).contains("at most 253"));
        let fits = format!("{}.{}.{}.{}", label63, label63, label63, "a".repeat(61));
        assert_eq!(fits.len(), 253);
        assert!(parse_hostname(&fits, Wildcard::Refused).is_ok());
    }

    #[test]
    fn refuses_bad_characters_hyphens_and_empty_labels() {
        assert!(err("ex_ample.com", Wildcard::Refused).contains("`_`"));
        assert!(err("-a.example.com", Wildcard::Refused).contains("hyphen"));
        assert!(err("a..example.com", Wildcard::Refused).contains("empty label"));
        assert!(err("localhost", Wildcard::Refused).contains("fully qualified"));
        assert!(err("10.0.0.1", Wildcard::Refused).contains("IP address"));
        assert!(err("https://example.com/", Wildcard::Refused).contains("URL"));
        assert!(err("", Wildcard::Refused).contains("required"));
    }

    #[test]
    fn converts_internationalised_names_and_keeps_both_spellings() {
        let name = ok("Bücher.Example.com");
        assert_eq!(name.ascii, "xn--bcher-kva.example.com");
        assert_eq!(name.unicode, "bücher.example.com");
        assert!(name.is_internationalised());
        assert_eq!(
            name.display_both(),
            "bücher.example.com (xn--bcher-kva.example.com)"
        );
        // Already punycode: shown back in Unicode too.
        assert_eq!(
            ok("xn--bcher-kva.example.com").unicode,
            "bücher.example.com"
        );
    }

    #[test]
    fn wildcards_only_leftmost_one_level_and_only_when_allowed() {
        let name = parse_hostname("*.Example.com", Wildcard::Allowed).unwrap();
        assert_eq!(name.ascii, "*.example.com");
        assert!(name.is_wildcard());
        assert!(err("*.example.com", Wildcard::Refused).contains("wildcard certificate"));
        assert!(err("*.*.example.com", Wildcard::Allowed).contains("leftmost"));
        assert!(err("www.*.example.com", Wildcard::Allowed).contains("leftmost"));
        assert!(err("w*.example.com", Wildcard::Allowed).contains("leftmost"));
        assert!(err("*.com", Wildcard::Allowed).contains("fully qualified"));
    }

    #[test]
    fn splits_pasted_lists() {
        assert_eq!(
            split_name_list("a.example.com, b.example.com\nc.example.com;\t d.example.com  "),
            vec![
                "a.example.com",
                "b.example.com",
                "c.example.com",
                "d.example.com"
            ]
        );
    }
}
