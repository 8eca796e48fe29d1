//! `spsdash api METHOD PATH`: one signed request, printed like `gh api`: the answer's body on
//! stdout whatever its status, the one-line error on stderr and exit 1 when it failed.
//! `--dry-run` sends nothing and prints the URL, headers, body, the data to sign (tabs shown
//! as `\t`) and the Authorization header, with `--timestamp`/`--nonce` when given. The client
//! and access tokens in those two lines are printed as `***`: the signature is shown in full.

use serde_json::json;

use crate::cli::{ApiArgs, GlobalArgs};
use crate::sps::FormBody;

use super::output::{print, print_json, print_json_text};
use super::{CommandError, CommandResult, Context, Exit};

const FORM_CONTENT_TYPE: &str = "application/x-www-form-urlencoded";

pub async fn run(global: &GlobalArgs, args: ApiArgs) -> CommandResult {
    let request = ApiRequest::from_args(&args)?;
    let context = Context::open(global).await?;
    let client = &context.client;
    if args.dry_run {
        let prepared = client
            .http()
            .prepare(
                &request.method,
                &request.path,
                request.headers.clone(),
                request.body.clone(),
                args.timestamp.as_deref(),
                args.nonce.as_deref(),
            )
            .map_err(|error| CommandError::usage(error.to_string()))?;
        let data_to_sign = redact_tokens(&prepared.data_to_sign);
        let authorization = redact_tokens(&prepared.authorization);
        let body = String::from_utf8_lossy(&prepared.body).into_owned();
        if global.json {
            print_json(&json!({
                "method": prepared.method,
                "url": prepared.url,
                "headers": prepared.headers.iter().map(|(name, value)| json!([name, value])).collect::<Vec<_>>(),
                "body": body,
                "dataToSign": data_to_sign,
                "authorization": authorization,
            }))?;
        } else {
            let mut out = format!("{} {}\n", prepared.method, prepared.url);
            for (name, value) in &prepared.headers {
                out.push_str(&format!("{name}: {value}\n"));
            }
            out.push_str(&format!("Authorization: {authorization}\n"));
            if !body.is_empty() {
                out.push_str(&format!("\n{body}\n"));
            }
            out.push_str(&format!(
                "\ndata to sign: {}\n",
                data_to_sign.replace('\t', "\\t")
            ));
            print(&out)?;
        }
        return Ok(Exit::Success);
    }
    if context.config.read_only && request.method != "GET" && request.method != "HEAD" {
        return Err(CommandError::usage(format!(
            "{}: refusing to send {} (drop --read-only, read_only in the config, or [accounts.<section>] read_only)",
            crate::config::READ_ONLY_REFUSAL,
            request.method
        )));
    }
    let answer = client
        .http()
        .send(
            &request.method,
            &request.path,
            request.headers,
            request.body,
        )
        .await
        .map_err(|error| match error {
            crate::edgegrid::ApiError::Request { .. } => CommandError::usage(error.to_string()),
            other => CommandError::from(other),
        })?;
    let body = String::from_utf8_lossy(&answer.body);
    // A JSON answer stays JSON (its C1 and bidi characters as \u escapes); anything else is
    // printed as inert text. Either way nothing in it can drive the terminal.
    if serde_json::from_str::<serde_json::Value>(&body).is_ok() {
        print_json_text(&body)?;
    } else if !body.is_empty() {
        print(&format!("{}\n", body.trim_end_matches('\n')))?;
    }
    match answer.error() {
        None => Ok(Exit::Success),
        Some(error) => Err(CommandError::from(error)),
    }
}

/// The request the arguments describe, checked before anything is opened or sent.
#[derive(Debug, Clone, PartialEq, Eq)]
struct ApiRequest {
    method: String,
    path: String,
    headers: Vec<(String, String)>,
    body: Vec<u8>,
}

impl ApiRequest {
    fn from_args(args: &ApiArgs) -> Result<ApiRequest, CommandError> {
        let method = args.method.trim().to_ascii_uppercase();
        if method.is_empty() || !method.bytes().all(|byte| byte.is_ascii_alphabetic()) {
            return Err(CommandError::usage(format!(
                "`{}` is not an HTTP method (GET, POST, PUT, …)",
                args.method
            )));
        }
        if !args.path.starts_with('/') {
            return Err(CommandError::usage(format!(
                "the path `{}` must start with `/`, e.g. /papi/v1/groups",
                args.path
            )));
        }
        if let Some(timestamp) = &args.timestamp
            && chrono::NaiveDateTime::parse_from_str(timestamp, "%Y%m%dT%H:%M:%S+0000").is_err()
        {
            return Err(CommandError::usage(format!(
                "--timestamp `{timestamp}` is not an EdgeGrid timestamp; use e.g. 20140321T19:34:21+0000"
            )));
        }
        if let Some(nonce) = &args.nonce
            && (nonce.is_empty() || nonce.contains([';', ' ', '\t']))
        {
            return Err(CommandError::usage(
                "--nonce must be non-empty without spaces or `;`",
            ));
        }
        let mut headers = args
            .headers
            .iter()
            .map(|header| parse_header(header))
            .collect::<Result<Vec<_>, _>>()?;
        let has_content_type = headers
            .iter()
            .any(|(name, _)| name.eq_ignore_ascii_case("content-type"));
        let body = if !args.fields.is_empty() {
            let mut form = FormBody::new();
            for field in &args.fields {
                let Some((name, value)) = field.split_once('=') else {
                    return Err(CommandError::usage(format!(
                        "-f `{field}` must be name=value"
                    )));
                };
                form.push(name, value);
            }
            if !has_content_type {
                headers.push(("Content-Type".into(), FORM_CONTENT_TYPE.into()));
            }
            form.encode().into_bytes()
        } else if let Some(path) = &args.body_file {
            let body = crate::private_fs::read_bytes(path, crate::private_fs::MAX_INPUT_BYTES)
                .map_err(|error| {
                    CommandError::usage(format!(
                        "cannot read --body-file {}: {error}",
                        path.display()
                    ))
                })?;
            if !has_content_type {
                headers.push(("Content-Type".into(), "application/json".into()));
            }
            body
        } else {
            Vec::new()
        };
        Ok(ApiRequest {
            method,
            path: args.path.clone(),
            headers,
            body,
        })
    }
}

/// `Name: value`; the signer and the client own `Authorization` and `Host`.
fn parse_header(text: &str) -> Result<(String, String), CommandError> {
    let Some((name, value)) = text.split_once(':') else {
        return Err(CommandError::usage(format!(
            "-H `{text}` must look like 'Name: value'"
        )));
    };
    let name = name.trim();
    let valid_name = !name.is_empty()
        && name
            .bytes()
            .all(|byte| byte.is_ascii_alphanumeric() || b"!#$%&'*+-.^_`|~".contains(&byte));
    if !valid_name || value.contains(['\r', '\n']) {
        return Err(CommandError::usage(format!(
            "-H `{text}` is not a valid header"
        )));
    }
    if name.eq_ignore_ascii_case("authorization") || name.eq_ignore_ascii_case("host") {
        return Err(CommandError::usage(format!(
            "-H {name}: spsdash sets this header itself"
        )));
    }
    Ok((name.to_string(), value.trim().to_string()))
}

/// `client_token=…;` and `access_token=…;` with their values replaced by `***`.
pub fn redact_tokens(text: &str) -> String {
    let mut out = text.to_string();
    for field in ["client_token=", "access_token="] {
        if let Some(start) = out.find(field).map(|at| at + field.len()) {
            let end = out[start..].find(';').map_or(out.len(), |at| start + at);
            out.replace_range(start..end, "***");
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokens_are_redacted_signature_kept() {
        assert_eq!(
            redact_tokens(
                "EG1-HMAC-SHA256 client_token=akab-c;access_token=akab-a;timestamp=t;nonce=n;signature=S="
            ),
            "EG1-HMAC-SHA256 client_token=***;access_token=***;timestamp=t;nonce=n;signature=S="
        );
    }

    #[test]
    fn headers_are_checked() {
        assert_eq!(
            parse_header("X-Test:  a  b ").expect("valid"),
            ("X-Test".to_string(), "a  b".to_string())
        );
        assert!(parse_header("no colon").is_err());
        assert!(parse_header("Bad Name: x").is_err());
        assert!(parse_header("authorization: x").is_err());
    }
}
