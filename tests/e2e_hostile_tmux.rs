#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]
//! Terminal injection judged by a real terminal (issue 13, defects 1–2): a hostile API on
//! loopback puts OSC 0 (retitle), OSC 52 (clipboard) and `ESC[2J` (clear) into member names,
//! values and error bodies; the real binary runs in tmux (`list`, `show`, the dashboard) and
//! tmux itself says whether anything happened: the pane title is unchanged, no paste buffer
//! was written, the screen was not cleared, and the escapes are on screen as text. Each
//! detector is first shown to work on a raw `printf` of the same sequences.
//!
//! Without tmux the test fails when CI=true and is skipped, loudly, otherwise.

mod support;
mod tmux_support;

use std::path::Path;

use support::{Scripted, TestServer, edgerc_text};
use tmux_support::{Tmux, home_environment, shell_quote, temp_home, tmux_or_skip};

/// OSC 0 (retitle), OSC 52 (clipboard "rm -rf ~"), CSI 2J (clear), CR, C1 CSI, DEL, bidi
/// override: JSON-escaped, as the API would send them.
const EVIL: &str =
    r"\u001b]0;PWNED\u0007\u001b]52;c;cm0gLXJmIH4=\u0007\u001b[2J\r\u009b31m\u007f\u202e";

const SESSION: &str = "hostile";
const TITLE: &str = "KNOWN-TITLE";

fn hostile_list() -> String {
    format!(
        r#"{{"requestList":[{{"spsId":1856,"status":"Awaiting User{EVIL}",
        "lastStatusChange":"2026-11-28T10:00:00Z",
        "{EVIL}member":"value{EVIL}",
        "parameters":[{{"name":"cnameHostname","value":"shop{EVIL}.example.com"}},
                      {{"name":"{EVIL}name","value":"x"}}],
        "dvStatus":[{{"domain":"www{EVIL}.example.com","status":"Pending{EVIL}",
          "{EVIL}extra":"{EVIL}","error":"{EVIL}"}}]}}]}}"#
    )
}

struct Terminal {
    tmux: Tmux,
    runs: usize,
}

impl Terminal {
    fn title(&self) -> String {
        let out = self
            .tmux
            .run(&["display-message", "-p", "-t", SESSION, "#{pane_title}"]);
        String::from_utf8_lossy(&out.stdout).trim().to_string()
    }

    fn buffers(&self) -> String {
        String::from_utf8_lossy(&self.tmux.run(&["list-buffers"]).stdout).into_owned()
    }

    /// Runs a shell command line, then `clear`s tmux's own state back to the baseline: a
    /// marker line on a fresh screen, the known title, no buffers.
    fn shell(&mut self, line: &str) -> String {
        self.runs += 1;
        // The marker is printed from two pieces so the typed line itself does not match.
        let done = format!("DONE{}", self.runs);
        let half = done.len() / 2;
        self.tmux.type_text(&format!(
            "{line}; echo \"{}\"\"{}\"",
            &done[..half],
            &done[half..]
        ));
        self.tmux.send(&["Enter"]);
        self.tmux
            .wait_for(&done, |screen| screen.lines().any(|l| l.trim() == done))
    }

    fn reset(&mut self) {
        self.tmux.send(&["C-l"]);
        self.tmux.run(&["delete-buffer"]);
        self.tmux.run(&["select-pane", "-t", SESSION, "-T", TITLE]);
        self.shell("echo BEFORE-MARK");
        assert_eq!(self.title(), TITLE);
        assert!(self.buffers().is_empty(), "{}", self.buffers());
    }

    /// Nothing the command printed acted on the terminal.
    fn assert_untouched(&self, screen: &str, what: &str) {
        assert_eq!(
            self.title(),
            TITLE,
            "{what} retitled the terminal:\n{screen}"
        );
        assert!(
            self.buffers().is_empty(),
            "{what} wrote the clipboard: {}",
            self.buffers()
        );
        assert!(
            screen.contains("BEFORE-MARK"),
            "{what} cleared the screen:\n{screen}"
        );
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn hostile_answers_neither_retitle_nor_clear_nor_write_the_clipboard() {
    if !tmux_or_skip("terminal-injection test in tmux") {
        return;
    }
    let good = TestServer::start(Scripted::json(200, &hostile_list())).await;
    let envelope = format!(
        r#"{{"Errors":{{"invalidItems":[{{"field":"{EVIL}","validationDescription":"{EVIL}"}}]}},"Results":"Errors"}}"#
    );
    let problem = format!(r#"{{"title":"{EVIL}","detail":"{EVIL}","requestId":"{EVIL}"}}"#);
    let plain = Scripted {
        headers: vec![("Content-Type".into(), "text/plain".into())],
        ..Scripted::json(
            403,
            "\u{1b}]0;PWNED\u{7}\u{1b}]52;c;aGk=\u{7}\u{1b}[2J\rfake",
        )
    };
    let failing = [
        TestServer::start(Scripted::json(400, &envelope)).await,
        TestServer::start(Scripted::problem(401, &problem)).await,
        TestServer::start(plain).await,
    ];

    let home = temp_home();
    let edgerc = home.path().join(".edgerc");
    std::fs::write(&edgerc, edgerc_text("default", &good.base_url)).unwrap();
    let config = home.path().join("config.toml");
    std::fs::write(&config, "[[pairs]]\ncontract = \"C-1\"\ngroup = \"1\"\n").unwrap();
    let binary = Path::new(env!("CARGO_BIN_EXE_spsdash"));
    let spsdash = format!(
        "{} --edgerc {} --config {}",
        shell_quote(binary),
        shell_quote(&edgerc),
        shell_quote(&config)
    );

    let mut terminal = Terminal {
        tmux: Tmux::new("hostile", SESSION),
        runs: 0,
    };
    let mut environment = home_environment(home.path());
    environment.push("LANG=C.UTF-8".to_string());
    terminal.tmux.start_shell(&environment);
    // tmux takes OSC 52 from programs only with set-clipboard on: then a clipboard write
    // shows up as a paste buffer.
    terminal
        .tmux
        .run(&["set-option", "-g", "set-clipboard", "on"]);

    // The detectors work: the raw sequences do retitle, write a buffer and clear.
    terminal.reset();
    terminal.shell(r"printf '\033]0;PWNED\007\033]52;c;aGk=\007'");
    assert_eq!(terminal.title(), "PWNED", "tmux took OSC 0 as a title");
    assert!(!terminal.buffers().is_empty(), "tmux took OSC 52");
    terminal.reset();
    let cleared = terminal.shell(r"printf '\033[2J'");
    assert!(
        !cleared.contains("BEFORE-MARK"),
        "ESC[2J clears:\n{cleared}"
    );

    // One-shot commands, hostile data and hostile error bodies.
    let pair = "--contract C-1 --group 1";
    let mut runs = vec![
        (format!("{spsdash} list {pair}"), true),
        (format!("{spsdash} show 1856 {pair}"), true),
    ];
    for server in &failing {
        for command in ["list", "show 1856"] {
            runs.push((
                format!("{spsdash} --base-url {} {command} {pair}", server.base_url),
                false,
            ));
        }
    }
    for (line, shows_data) in runs {
        terminal.reset();
        let screen = terminal.shell(&line);
        terminal.assert_untouched(&screen, &line);
        assert!(
            screen.contains(r"\u{1b}]0;PWNED"),
            "{line}: the escape is shown as text:\n{screen}"
        );
        if shows_data {
            assert!(screen.contains("1856"), "{line}:\n{screen}");
        }
    }

    // The dashboard: the table and the detail of the hostile request.
    terminal.reset();
    terminal.tmux.type_text(&spsdash);
    terminal.tmux.send(&["Enter"]);
    let table = terminal
        .tmux
        .wait_for("the table with the hostile row", |screen| {
            screen.contains("spsId") && screen.contains("1856") && screen.contains(r"\u{1b}")
        });
    assert_eq!(terminal.title(), TITLE, "the table retitled:\n{table}");
    assert!(terminal.buffers().is_empty(), "{}", terminal.buffers());
    terminal.tmux.send(&["Enter"]);
    let detail = terminal.tmux.wait_for("the hostile detail", |screen| {
        screen.contains("Domains ") && screen.contains(r"\u{1b}")
    });
    assert_eq!(terminal.title(), TITLE, "the detail retitled:\n{detail}");
    assert!(terminal.buffers().is_empty(), "{}", terminal.buffers());
    // Not cleared behind the dashboard's back: its frame and header are still drawn.
    assert!(detail.contains('┌') && detail.contains("#1856"), "{detail}");
    terminal.tmux.escape();
    terminal.tmux.send(&["q"]);
    let after = terminal
        .tmux
        .wait_for("the shell again", |screen| screen.contains("BEFORE-MARK"));
    terminal.assert_untouched(&after, "the dashboard");
}
