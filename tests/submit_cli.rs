//! `create`, `add-sans` and `edge-host` through the built binary: every validation rule refuses
//! with exit 2 and a line naming the field, before anything is read or sent.

use std::process::{Command, Output};

const EXAMPLE: &str = include_str!("../assets/request.example.toml");

struct Sandbox {
    home: tempfile::TempDir,
}

impl Sandbox {
    fn new() -> Self {
        Sandbox {
            home: tempfile::tempdir().unwrap(),
        }
    }

    fn run(&self, args: &[&str]) -> Output {
        let home = self.home.path();
        Command::new(env!("CARGO_BIN_EXE_spsdash"))
            .args(args)
            .env("HOME", home)
            .env("XDG_CONFIG_HOME", home.join("config"))
            .env("XDG_DATA_HOME", home.join("data"))
            .env("SPSDASH_DATA_DIR", home.join("spsdash-data"))
            .env_remove("AKAMAI_HOST")
            .env_remove("AKAMAI_CLIENT_SECRET")
            .env_remove("AKAMAI_CLIENT_TOKEN")
            .env_remove("AKAMAI_ACCESS_TOKEN")
            .output()
            .unwrap()
    }

    /// `create --dry-run` of the example with `edit` applied to its text.
    fn create(&self, edit: impl Fn(&str) -> String) -> Output {
        let text = edit(EXAMPLE);
        assert_ne!(text, EXAMPLE, "the edit must change the example");
        let path = self.home.path().join("req.toml");
        std::fs::write(&path, text).unwrap();
        self.run(&[
            "create",
            "--file",
            path.to_str().unwrap(),
            "--contract",
            "C-1ABCDE",
            "--group",
            "12345",
            "--dry-run",
        ])
    }
}

fn stderr(output: &Output) -> String {
    String::from_utf8_lossy(&output.stderr).into_owned()
}

/// Exit 2, nothing on stdout, and a line starting with `field: ` that contains `words`.
fn assert_refused(output: &Output, field: &str, words: &str) {
    let text = stderr(output);
    assert_eq!(output.status.code(), Some(2), "stderr: {text}");
    assert!(
        output.stdout.is_empty(),
        "stdout: {}",
        String::from_utf8_lossy(&output.stdout)
    );
    assert!(
        text.lines()
            .any(|line| line.starts_with(&format!("{field}: ")) && line.contains(words)),
        "no line `{field}: …{words}…` in:\n{text}"
    );
}

#[test]
fn dv_on_a_single_certificate() {
    let output = Sandbox::new().create(|text| {
        text.replace("kind = \"san\"", "kind = \"single\"").replace(
            "sans = [\"www.shop.example.com\", \"api.shop.example.com\"]",
            "",
        )
    });
    assert_refused(&output, "validation", "only available for SAN");
}

#[test]
fn geotrust_is_refused_by_name() {
    let output = Sandbox::new()
        .create(|text| text.replace("validation = \"dv\"", "validation = \"geotrust\""));
    let text = stderr(&output);
    assert_eq!(output.status.code(), Some(2), "{text}");
    assert!(
        text.contains("req.toml: line 9: geotrust is no longer supported"),
        "{text}"
    );
}

#[test]
fn an_unknown_field_is_named() {
    let output = Sandbox::new().create(|text| text.replace("sni_only = true", "sni = true"));
    assert_eq!(output.status.code(), Some(2));
    assert!(
        stderr(&output).contains("unknown field `sni`"),
        "{}",
        stderr(&output)
    );
}

#[test]
fn a_wildcard_in_a_san_list() {
    let output = Sandbox::new()
        .create(|text| text.replace("\"api.shop.example.com\"", "\"*.shop.example.com\""));
    assert_refused(&output, "sans[1]", "wildcard");
}

#[test]
fn a_wildcard_common_name_on_a_wildcard_kind_with_dv() {
    let output = Sandbox::new().create(|text| {
        text.replace("kind = \"san\"", "kind = \"wildcard\"")
            .replace(
                "sans = [\"www.shop.example.com\", \"api.shop.example.com\"]",
                "",
            )
            .replace(
                "common_name = \"shop.example.com\"",
                "common_name = \"*.example.com\"",
            )
    });
    assert_refused(&output, "validation", "only available for SAN");
}

#[test]
fn two_wildcard_levels() {
    let output = Sandbox::new().create(|text| {
        text.replace("kind = \"san\"", "kind = \"wildcard\"")
            .replace("validation = \"dv\"", "validation = \"ov\"")
            .replace(
                "sans = [\"www.shop.example.com\", \"api.shop.example.com\"]",
                "",
            )
            .replace(
                "common_name = \"shop.example.com\"",
                "common_name = \"*.*.example.com\"",
            )
    });
    assert_refused(&output, "common_name", "one level");
}

#[test]
fn hostname_syntax() {
    let output = Sandbox::new()
        .create(|text| text.replace("\"www.shop.example.com\"", "\"www.shop.example.com.\""));
    assert_refused(&output, "sans[0]", "trailing dot");
    let output = Sandbox::new().create(|text| {
        text.replace(
            "common_name = \"shop.example.com\"",
            &format!("common_name = \"{}.example.com\"", "a".repeat(64)),
        )
    });
    assert_refused(&output, "common_name", "at most 63");
}

#[test]
fn more_than_a_hundred_names() {
    let output = Sandbox::new().create(|text| {
        let names: Vec<String> = (0..100).map(|i| format!("\"n{i}.example.com\"")).collect();
        text.replace(
            "sans = [\"www.shop.example.com\", \"api.shop.example.com\"]",
            &format!("sans = [{}]", names.join(", ")),
        )
    });
    assert_refused(&output, "sans", "101 names");
}

#[test]
fn a_duplicate_name() {
    let output = Sandbox::new()
        .create(|text| text.replace("\"api.shop.example.com\"", "\"WWW.shop.example.com\""));
    assert_refused(&output, "sans[1]", "listed twice");
}

#[test]
fn countries_emails_phones_and_required_fields_all_at_once() {
    let output = Sandbox::new().create(|text| {
        text.replace("country = \"US\"            #", "country = \"UK\" #")
            .replace("email = \"ann@example.com\"", "email = \"ann.example.com\"")
            .replace("phone = \"+1 617 555 0102\"", "phone = \"call Tom\"")
            .replace("locality = \"Cambridge\"", "locality = \"\"")
    });
    assert_refused(&output, "subject.country", "GB");
    assert_refused(&output, "admin_contact.email", "not an email address");
    assert_refused(&output, "technical_contact.phone", "not a phone number");
    assert_refused(&output, "subject.locality", "required");
    assert!(stderr(&output).contains("4 problems, nothing was sent"));
}

#[test]
fn the_edge_suffix_in_the_cname_hostname() {
    let output = Sandbox::new().create(|text| {
        text.replace(
            "# cname_hostname = \"shop.example.com\"",
            "cname_hostname = \"shop.example.com.edgekey.net\"",
        )
    });
    assert_refused(&output, "cname_hostname", "without `.edgekey.net`");
}

#[test]
fn a_missing_file_says_what_to_do() {
    let output = Sandbox::new().run(&[
        "create",
        "--file",
        "/nonexistent/req.toml",
        "--contract",
        "C",
        "--group",
        "1",
        "--dry-run",
    ]);
    assert_eq!(output.status.code(), Some(2));
    assert!(stderr(&output).contains("cannot read /nonexistent/req.toml"));
}

#[test]
fn add_sans_checks_names_and_the_job_id() {
    let output = Sandbox::new().run(&[
        "add-sans",
        "--cname-hostname",
        "shop.example.com",
        "--job-id",
        "j44",
        "--domain",
        "new.example.com",
        "--domain",
        "New.example.com",
        "--domain",
        "bad_name.example.com",
        "--contract",
        "C-1ABCDE",
        "--group",
        "12345",
        "--dry-run",
    ]);
    assert_refused(&output, "job_id", "not a number");
    assert_refused(&output, "domains[1]", "listed twice");
    assert_refused(&output, "domains[2]", "not allowed");
}

#[test]
fn edge_host_checks_its_fields() {
    let output = Sandbox::new().run(&[
        "edge-host",
        "--cname-hostname",
        "api.example.com.",
        "--enrollment-id",
        "ten",
        "--ip-version",
        "ipv5",
        "--contract",
        "C-1ABCDE",
        "--group",
        "12345",
        "--dry-run",
    ]);
    assert_refused(&output, "cname_hostname", "trailing dot");
    assert_refused(&output, "enrollment_id", "not a number");
    assert_refused(&output, "ip_version", "ipv4");
}
