//! Links CPS hands out (a pending change's `location`, an input's `info` and `update` links),
//! checked before one is signed and followed. A link is data from an answer: it is
//! normalised (a full URL must name the configured host, `origin`, and then loses it;
//! `/cps-api/…`, as Akamai's own examples write locations, is `/cps/v2/…`), percent-escapes
//! are read before judging (`%2e%2e` is `..`), and the result must be exactly the kind of
//! path its operation has: a change of this enrollment, an input of this change.

use crate::edgegrid::ApiError;

use super::CPS_BASE_PATH;

/// The older prefix Akamai's examples write locations with.
const OLD_PREFIX: &str = "/cps-api/";

/// `/cps/v2/enrollments/{e}/changes/{c}`: the change `location` names, of `enrollment`
/// when it is known.
pub fn change_path(
    origin: &str,
    location: &str,
    enrollment: Option<u64>,
) -> Result<String, ApiError> {
    let segments = segments(origin, location)?;
    let names: Vec<&str> = segments.iter().map(String::as_str).collect();
    match names.as_slice() {
        ["enrollments", e, "changes", c] if is_id(e) && is_id(c) => {
            if let Some(expected) = enrollment
                && e.parse::<u64>().ok() != Some(expected)
            {
                return Err(refused(
                    location,
                    &format!("it names another enrollment than {expected}"),
                ));
            }
            Ok(join(&segments))
        }
        _ => Err(refused(location, "it is not the path of a change")),
    }
}

/// `…/changes/{c}/input/{info|update}/{type}`: an input link of the change at `change`
/// (a path `change_path` gave).
pub fn input_path(
    origin: &str,
    link: &str,
    change: &str,
    direction: &str,
) -> Result<String, ApiError> {
    let segments = segments(origin, link)?;
    let path = join(&segments);
    let under_change = path
        .strip_prefix(change)
        .and_then(|rest| rest.strip_prefix("/input/"))
        .and_then(|rest| rest.strip_prefix(direction))
        .and_then(|rest| rest.strip_prefix('/'));
    match under_change {
        Some(kind) if !kind.is_empty() && !kind.contains('/') => Ok(path),
        _ => Err(refused(
            link,
            &format!("it is not an input {direction} link of {change}"),
        )),
    }
}

/// The path's segments after `/cps/v2/`, each read (percent-escapes decoded) and refused
/// when it could lead anywhere else. A full URL must be on `origin` (`https://host`, as the
/// client calls it): a link to another host is refused, not quietly sent to ours.
fn segments(origin: &str, location: &str) -> Result<Vec<String>, ApiError> {
    let trimmed = location.trim();
    if trimmed.starts_with("//") {
        return Err(refused(location, "it names another host"));
    }
    let path = match trimmed.find("://") {
        Some(scheme_end) => {
            let on_origin = url::Url::parse(trimmed)
                .is_ok_and(|url| url.origin().ascii_serialization() == origin);
            if !on_origin {
                return Err(refused(
                    location,
                    &format!("it names another host than {origin}"),
                ));
            }
            let rest = &trimmed[scheme_end + 3..];
            rest.find('/').map_or("", |start| &rest[start..])
        }
        None => trimmed,
    };
    // A query or fragment is no part of a CPS link.
    if path.contains(['?', '#']) {
        return Err(refused(location, "it carries a query or fragment"));
    }
    let rest = if let Some(rest) = path.strip_prefix(OLD_PREFIX) {
        rest
    } else if let Some(rest) = path
        .strip_prefix(CPS_BASE_PATH)
        .and_then(|rest| rest.strip_prefix('/'))
    {
        rest
    } else {
        return Err(refused(
            location,
            &format!("it must start with {CPS_BASE_PATH}/"),
        ));
    };
    rest.split('/')
        .map(|raw| {
            let segment = percent_encoding::percent_decode_str(raw)
                .decode_utf8()
                .map_err(|_| refused(location, "it is not UTF-8 once decoded"))?;
            let plain = !segment.is_empty()
                && segment != "."
                && segment != ".."
                && segment
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.' | '~'));
            if plain {
                Ok(segment.into_owned())
            } else {
                Err(refused(
                    location,
                    "a segment of it is empty, `..` or not plain",
                ))
            }
        })
        .collect()
}

fn is_id(segment: &str) -> bool {
    !segment.is_empty() && segment.chars().all(|c| c.is_ascii_digit())
}

fn join(segments: &[String]) -> String {
    format!("{CPS_BASE_PATH}/{}", segments.join("/"))
}

fn refused(location: &str, why: &str) -> ApiError {
    ApiError::Request {
        detail: format!("CPS link `{location}` not followed: {why}"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const ORIGIN: &str = "https://akab-x.luna.akamaiapis.net";

    #[test]
    fn changes_of_the_enrollment_are_followed_in_either_spelling() {
        for location in [
            "/cps/v2/enrollments/10002/changes/44434",
            "/cps-api/enrollments/10002/changes/44434",
            "https://akab-x.luna.akamaiapis.net/cps/v2/enrollments/10002/changes/44434",
            "https://akab-x.luna.akamaiapis.net:443/cps/v2/enrollments/10002/changes/44434",
            " /cps/v2/enrollments/10002/changes/%34%34434 ",
        ] {
            assert_eq!(
                change_path(ORIGIN, location, Some(10002)).ok().as_deref(),
                Some("/cps/v2/enrollments/10002/changes/44434"),
                "{location}"
            );
        }
    }

    #[test]
    fn anything_else_is_refused() {
        for location in [
            "/config-secure-provisioning-service/v1/sps-requests",
            "/cps/v2",
            "/cps/v20/enrollments/1/changes/2",
            "/cps/v2/enrollments/1/changes/2/../../../../papi/v1/groups",
            "/cps/v2/enrollments/1/changes/%2e%2e",
            "/cps/v2/enrollments/1/changes/2%2f..%2f..",
            "/cps/v2/enrollments/1/changes/..\\..\\papi",
            "/cps/v2/enrollments/1//changes/2",
            "/cps/v2/enrollments/1/changes/2?accountSwitchKey=other",
            "/cps/v2/enrollments/1/changes",
            "/cps/v2/enrollments/x/changes/2",
            "https://evil.example.com",
            "https://evil.example.com/cps/v2/enrollments/1/changes/2",
            "http://akab-x.luna.akamaiapis.net/cps/v2/enrollments/1/changes/2",
            "//akab-x.luna.akamaiapis.net/cps/v2/enrollments/1/changes/2",
            "",
        ] {
            assert!(change_path(ORIGIN, location, None).is_err(), "{location}");
        }
        assert!(
            change_path(ORIGIN, "/cps/v2/enrollments/9/changes/2", Some(1)).is_err(),
            "another enrollment's change"
        );
    }

    #[test]
    fn input_links_stay_under_their_change() {
        let change = "/cps/v2/enrollments/1/changes/2";
        assert_eq!(
            input_path(
                ORIGIN,
                "/cps-api/enrollments/1/changes/2/input/info/lets-encrypt-challenges",
                change,
                "info"
            )
            .ok()
            .as_deref(),
            Some("/cps/v2/enrollments/1/changes/2/input/info/lets-encrypt-challenges")
        );
        for link in [
            "/cps/v2/enrollments/1/changes/3/input/info/lets-encrypt-challenges",
            "/cps/v2/enrollments/1/changes/2/input/update/lets-encrypt-challenges",
            "/cps/v2/enrollments/1/changes/2/input/info",
            "/cps/v2/enrollments/1/changes/2/input/info/a/b",
            "/cps/v2/enrollments/1/changes/2/input/info/%2e%2e",
            "https://evil.example.com/cps/v2/enrollments/1/changes/2/input/info/x",
        ] {
            assert!(input_path(ORIGIN, link, change, "info").is_err(), "{link}");
        }
    }
}
