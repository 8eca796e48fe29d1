//! Shape checks for the non-hostname fields: ISO 3166 countries, emails and phone numbers.

/// ISO 3166-1 alpha-2, every officially assigned code (249).
const ISO_3166_ALPHA2: &str = "AD AE AF AG AI AL AM AO AQ AR AS AT AU AW AX AZ BA BB BD BE BF BG \
BH BI BJ BL BM BN BO BQ BR BS BT BV BW BY BZ CA CC CD CF CG CH CI CK CL CM CN CO CR CU CV CW CX \
CY CZ DE DJ DK DM DO DZ EC EE EG EH ER ES ET FI FJ FK FM FO FR GA GB GD GE GF GG GH GI GL GM GN \
GP GQ GR GS GT GU GW GY HK HM HN HR HT HU ID IE IL IM IN IO IQ IR IS IT JE JM JO JP KE KG KH KI \
KM KN KP KR KW KY KZ LA LB LC LI LK LR LS LT LU LV LY MA MC MD ME MF MG MH MK ML MM MN MO MP MQ \
MR MS MT MU MV MW MX MY MZ NA NC NE NF NG NI NL NO NP NR NU NZ OM PA PE PF PG PH PK PL PM PN PR \
PS PT PW PY QA RE RO RS RU RW SA SB SC SD SE SG SH SI SJ SK SL SM SN SO SR SS ST SV SX SY SZ TC \
TD TF TG TH TJ TK TL TM TN TO TR TT TV TW TZ UA UG UM US UY UZ VA VC VE VG VI VN VU WF WS YE YT \
ZA ZM ZW";

/// A country as SPS wants it: two upper-case letters of ISO 3166-1. Lower case is accepted.
pub fn parse_country(input: &str) -> Result<String, String> {
    let code = input.trim().to_ascii_uppercase();
    if code.is_empty() {
        return Err("required: a two-letter ISO 3166 country code, e.g. US".to_string());
    }
    if code.len() != 2 || !code.chars().all(|c| c.is_ascii_alphabetic()) {
        return Err(format!(
            "`{}` is not a two-letter ISO 3166 country code (e.g. US, DE, GB)",
            input.trim()
        ));
    }
    if !ISO_3166_ALPHA2
        .split_whitespace()
        .any(|known| known == code)
    {
        let hint = match code.as_str() {
            "UK" => "; the United Kingdom is GB",
            "EL" => "; Greece is GR",
            _ => "",
        };
        return Err(format!("`{code}` is not an ISO 3166 country code{hint}"));
    }
    Ok(code)
}

/// An email address of the ordinary shape `local@domain.tld` (no spaces, one `@`).
pub fn check_email(input: &str) -> Result<String, String> {
    let email = input.trim();
    if email.is_empty() {
        return Err("required: an email address, e.g. ann@example.com".to_string());
    }
    let bad = || format!("`{email}` is not an email address (like ann@example.com)");
    let (local, domain) = email.split_once('@').ok_or_else(bad)?;
    let domain_ok = domain.contains('.')
        && !domain.starts_with('.')
        && !domain.ends_with('.')
        && !domain.contains("..")
        && domain
            .chars()
            .all(|c| c.is_alphanumeric() || c == '.' || c == '-');
    let local_ok = !local.is_empty()
        && local.len() <= 64
        && !local.chars().any(|c| c.is_whitespace() || c == '@');
    if !(domain_ok && local_ok) {
        return Err(bad());
    }
    Ok(email.to_string())
}

/// A phone number: digits with an optional leading `+`, spaces, dashes, dots, parentheses,
/// and an optional extension (`x123` or `ext 123`); 6 to 15 digits before the extension.
pub fn check_phone(input: &str) -> Result<String, String> {
    let phone = input.trim();
    if phone.is_empty() {
        return Err("required: a phone number, e.g. +1 617 555 0100".to_string());
    }
    let bad = || {
        format!(
            "`{phone}` is not a phone number: digits, an optional leading +, spaces, dashes, dots or parentheses, e.g. +1 617 555 0100"
        )
    };
    let lower = phone.to_ascii_lowercase();
    let (number, extension) = match lower.split_once("ext").or_else(|| lower.split_once('x')) {
        Some((number, extension)) => (number, Some(extension.trim_start_matches('.').trim())),
        None => (lower.as_str(), None),
    };
    if extension.is_some_and(|ext| ext.is_empty() || !ext.chars().all(|c| c.is_ascii_digit())) {
        return Err(bad());
    }
    let body = number.trim().strip_prefix('+').unwrap_or(number.trim());
    if !body
        .chars()
        .all(|c| c.is_ascii_digit() || matches!(c, ' ' | '-' | '.' | '(' | ')'))
    {
        return Err(bad());
    }
    let digits = body.chars().filter(char::is_ascii_digit).count();
    if !(6..=15).contains(&digits) {
        return Err(format!(
            "`{phone}` has {digits} digits; a phone number has 6 to 15 (with country code)"
        ));
    }
    Ok(phone.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_country_list_is_complete_and_sorted() {
        let codes: Vec<&str> = ISO_3166_ALPHA2.split_whitespace().collect();
        assert_eq!(codes.len(), 249);
        assert!(codes.windows(2).all(|pair| pair[0] < pair[1]));
    }

    #[test]
    fn countries() {
        assert_eq!(parse_country(" us ").unwrap(), "US");
        assert_eq!(parse_country("GB").unwrap(), "GB");
        assert!(parse_country("UK").unwrap_err().contains("GB"));
        assert!(parse_country("USA").unwrap_err().contains("two-letter"));
        assert!(parse_country("XX").unwrap_err().contains("not an ISO 3166"));
        assert!(parse_country("").unwrap_err().contains("required"));
    }

    #[test]
    fn emails() {
        assert!(check_email("ann@example.com").is_ok());
        assert!(check_email("ann.lee+certs@mail.example.co.uk").is_ok());
        for bad in [
            "ann",
            "ann@",
            "@example.com",
            "ann@example",
            "an n@example.com",
            "a@b@c.com",
            "ann@.example.com",
        ] {
            assert!(check_email(bad).is_err(), "{bad} should be refused");
        }
        assert!(check_email(" ").unwrap_err().contains("required"));
    }

    #[test]
    fn phones() {
        for good in [
            "+1 617 555 0100",
            "+1-617-444-3000",
            "(617) 555.0100",
            "+49 30 1234567 x 12",
            "6175550100 ext. 7",
        ] {
            assert!(check_phone(good).is_ok(), "{good} should pass");
        }
        assert!(
            check_phone("call me")
                .unwrap_err()
                .contains("not a phone number")
        );
        assert!(check_phone("12345").unwrap_err().contains("5 digits"));
        assert!(check_phone("+1 617 555 0100 x").is_err());
        assert!(check_phone("1+617").is_err());
        assert!(check_phone("").unwrap_err().contains("required"));
    }
}
