//! The command sink: `[notify] command = ["notify-send", "spsdash", "{message}"]`. Each
//! argument is templated on its own and the program runs without a shell, so nothing the API
//! says can become shell syntax. A failure (missing program, non-zero exit, timeout) is an
//! error value for the caller to report; the program is killed when it overstays.

use std::process::Stdio;
use std::time::Duration;

use tokio::io::AsyncReadExt;

use super::event::NotifyEvent;

/// How much of the program's stderr an error quotes.
const STDERR_EXCERPT: usize = 200;

/// The value of `{name}` for `event`; `None` for a name that is not a placeholder.
pub fn placeholder(name: &str, event: &NotifyEvent) -> Option<String> {
    let text = |value: Option<&str>| value.unwrap_or_default().to_string();
    Some(match name {
        "message" => event.message.clone(),
        "event" => event.kind.name().to_string(),
        "level" => event.level().label().to_string(),
        // `sps_id` is what the placeholder was called before CPS; both name the request id.
        "id" | "sps_id" => event.id.map(|id| id.to_string()).unwrap_or_default(),
        "domain" => text(event.domain()),
        "domains" => event.domains.join(","),
        "count" => event.domains.len().max(1).to_string(),
        "from" => text(event.from.as_deref()),
        "to" | "status" => text(event.to.as_deref()),
        "contract" => text(event.pair.as_ref().map(|pair| pair.contract_id.as_str())),
        "group" => text(event.pair.as_ref().and_then(|pair| pair.group())),
        "name" => text(event.name.as_deref()),
        "time" => event.at.format("%Y-%m-%dT%H:%M:%SZ").to_string(),
        _ => return None,
    })
}

/// The argv for `event`: every `{placeholder}` replaced; anything else (unknown names,
/// lone braces) kept as written.
pub fn render_argv(template: &[String], event: &NotifyEvent) -> Vec<String> {
    template
        .iter()
        .map(|argument| render_one(argument, event))
        .collect()
}

fn render_one(argument: &str, event: &NotifyEvent) -> String {
    let mut out = String::new();
    let mut rest = argument;
    while let Some(open) = rest.find('{') {
        out.push_str(&rest[..open]);
        let after = &rest[open + 1..];
        let value = after
            .find('}')
            .and_then(|close| Some((close, placeholder(&after[..close], event)?)));
        match value {
            Some((close, value)) => {
                out.push_str(&argument_text(&value));
                rest = &after[close + 1..];
            }
            None => {
                out.push('{');
                rest = after;
            }
        }
    }
    out.push_str(rest);
    out
}

/// A placeholder's value as argument text: every character a terminal or a text renderer acts
/// on (ESC, BEL, newlines, C1, bidi and zero-width; `text::is_active`) becomes a space, as the
/// terminal sink does, so a program that shows or logs its arguments cannot be steered. A value
/// that looks like an option (`-rf --output=…`) is left as it is: the README tells to put
/// `--` before placeholders for a program that takes options.
pub fn argument_text(value: &str) -> String {
    value
        .chars()
        .map(|c| if crate::text::is_active(c) { ' ' } else { c })
        .collect()
}

/// Runs `argv` to its end, within `timeout`. stdin and stdout are closed; stderr is kept for
/// the error message.
pub async fn run_command(argv: &[String], timeout: Duration) -> Result<(), String> {
    let Some((program, arguments)) = argv.split_first() else {
        return Err("no command configured".to_string());
    };
    let mut child = tokio::process::Command::new(program)
        .args(arguments)
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .kill_on_drop(true)
        .spawn()
        .map_err(|error| match error.kind() {
            std::io::ErrorKind::NotFound => format!(
                "the notify command `{program}` was not found; install it or change \
                 [notify] command"
            ),
            _ => format!("cannot run the notify command `{program}`: {error}"),
        })?;
    let mut stderr = child.stderr.take();
    let finished = tokio::time::timeout(timeout, async {
        let mut captured = Vec::new();
        if let Some(stderr) = stderr.as_mut() {
            // Bounded read: a chatty program must not fill memory.
            let _ = stderr.take(64 * 1024).read_to_end(&mut captured).await;
        }
        (child.wait().await, captured)
    })
    .await;
    match finished {
        Ok((Ok(status), _)) if status.success() => Ok(()),
        Ok((Ok(status), captured)) => {
            let said = String::from_utf8_lossy(&captured);
            let said: String = said
                .chars()
                .map(|c| if c.is_control() { ' ' } else { c })
                .take(STDERR_EXCERPT)
                .collect();
            let said = said.trim();
            let said = if said.is_empty() {
                String::new()
            } else {
                format!(": {said}")
            };
            Err(format!(
                "the notify command `{program}` failed ({status}){said}"
            ))
        }
        Ok((Err(error), _)) => Err(format!(
            "the notify command `{program}` could not be waited for: {error}"
        )),
        Err(_) => {
            // kill_on_drop also covers this, but a prompt kill frees the process now.
            let _ = child.start_kill();
            let _ = child.wait().await;
            Err(format!(
                "the notify command `{program}` did not finish within {}s and was stopped",
                timeout.as_secs()
            ))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Scope;
    use chrono::{TimeZone, Utc};

    fn event() -> NotifyEvent {
        let at = Utc
            .with_ymd_and_hms(2026, 11, 28, 12, 0, 0)
            .single()
            .expect("valid");
        NotifyEvent::status_change(
            at,
            &Scope::pair("C-1", "12345"),
            1856,
            Some("www.example.com"),
            Some("Pending"),
            "Valid",
            None,
        )
        .expect("an event")
    }

    #[test]
    fn every_argument_is_templated_on_its_own() {
        let template: Vec<String> = [
            "notify",
            "{event}:{level}",
            "#{sps_id} {domain} {from}->{to}",
            "{contract}/{group} at {time}",
            "{unknown} {lone",
            "$(rm -rf /) {message}",
        ]
        .map(String::from)
        .to_vec();
        let argv = render_argv(&template, &event());
        assert_eq!(argv[0], "notify");
        assert_eq!(argv[1], "domain_valid:info");
        assert_eq!(argv[2], "#1856 www.example.com Pending->Valid");
        assert_eq!(argv[3], "C-1/12345 at 2026-11-28T12:00:00Z");
        assert_eq!(argv[4], "{unknown} {lone");
        assert_eq!(
            argv[5],
            "$(rm -rf /) SPS #1856: www.example.com is Valid [C-1/12345]"
        );
    }

    #[test]
    fn placeholders_carry_no_control_characters() {
        let at = Utc
            .with_ymd_and_hms(2026, 11, 28, 12, 0, 0)
            .single()
            .expect("valid");
        let hostile = "www.example.com\u{1b}]0;PWNED\u{7}\nline\r\u{9b}2J\u{202e}";
        let event = NotifyEvent::status_change(
            at,
            &Scope::pair("C-1", "12345"),
            1856,
            Some(hostile),
            Some("-rf --output=/tmp/x\u{7}"),
            "Valid",
            None,
        )
        .expect("an event");
        let template: Vec<String> = ["notify", "--", "{domain}", "{message}", "{from}>{to}"]
            .map(String::from)
            .to_vec();
        let argv = render_argv(&template, &event);
        for argument in &argv {
            assert!(
                !argument.chars().any(crate::text::is_active),
                "{argument:?}"
            );
        }
        assert_eq!(argv[2], "www.example.com ]0;PWNED  line  2J ");
        assert_eq!(argv[4], "-rf --output=/tmp/x >Valid");
        // What the template says itself is kept as written.
        assert_eq!(argv[1], "--");
    }

    #[tokio::test]
    async fn failures_are_error_values() {
        let missing = run_command(
            &["/nonexistent/spsdash-notify".into()],
            Duration::from_secs(5),
        )
        .await
        .expect_err("missing program");
        assert!(missing.contains("was not found"), "{missing}");
        if std::path::Path::new("/bin/sh").exists() {
            let failing = run_command(
                &[
                    "/bin/sh".into(),
                    "-c".into(),
                    "echo nope >&2; exit 3".into(),
                ],
                Duration::from_secs(5),
            )
            .await
            .expect_err("exit 3");
            assert!(
                failing.contains("nope") && failing.contains('3'),
                "{failing}"
            );
            let slow = run_command(
                &["/bin/sh".into(), "-c".into(), "sleep 30".into()],
                Duration::from_millis(300),
            )
            .await
            .expect_err("too slow");
            assert!(slow.contains("did not finish"), "{slow}");
            assert!(
                run_command(
                    &["/bin/sh".into(), "-c".into(), "exit 0".into()],
                    Duration::from_secs(5)
                )
                .await
                .is_ok()
            );
        }
    }
}
