//! The `.edgerc` parser on the sample files of Akamai's libraries (tests/data/edgegrid), including
//! those that must fail, and the `AKAMAI_*` environment.

// Tests may unwrap, expect and panic: a failing test is the point (the lint wall in
// Cargo.toml is for the code they test).
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::collections::HashMap;
use std::path::PathBuf;

use spsdash::edgegrid::edgerc::{self, Edgerc};
use spsdash::edgegrid::{CredentialsError, DEFAULT_MAX_BODY, env};

const SECRET: &str = "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx=";
const TOKEN: &str = "xxxx-xxxxxxxxxxxxxxxx-xxxxxxxxxxxxxxxx";
const HOST: &str = "xxxx-xxxxxxxxxxxxxxxx-xxxxxxxxxxxxxxxx.luna.akamaiapis.net";

fn sample(relative: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("tests/data/edgegrid")
        .join(relative)
}

fn read(relative: &str) -> Edgerc {
    Edgerc::read(&sample(relative)).expect("sample parses")
}

#[test]
fn python_sample_sections() {
    let file = read("python/sample_edgerc");
    let default = file.credentials("default").expect("default");
    assert_eq!(default.host, HOST, "trailing / stripped");
    assert_eq!(default.client_token.expose(), TOKEN);
    assert_eq!(default.client_secret.expose(), SECRET);
    assert_eq!(default.access_token.expose(), TOKEN);
    assert_eq!(default.max_body, 131_072);
    assert!(default.headers_to_sign.is_empty());

    let broken = file.credentials("broken").expect("quoted https host");
    assert_eq!(broken.host, HOST, "quotes, https:// and / stripped");
    assert_eq!(broken.max_body, DEFAULT_MAX_BODY);

    let headers = file.credentials("headers").expect("headers");
    assert_eq!(headers.headers_to_sign, ["X-MyThing1", "X-MyThing2"]);

    let dashes = file.credentials("dashes").expect("dashed key names");
    assert_eq!(dashes.client_secret.expose(), SECRET);
    assert_eq!(dashes.max_body, 128 * 1024);
}

#[test]
fn golang_samples() {
    let file = read("golang-v1/sample_edgerc");
    let test = file.credentials("test").expect("test");
    assert_eq!(
        test.host,
        "test-xxxxxxxxxxxxxxxx-xxxxxxxxxxxxxxxx.luna.akamaiapis.net"
    );
    assert!(file.credentials("dashes").is_ok());
    assert!(file.credentials("broken").is_ok());

    let no_default = read("golang-v1/nodefault_edgerc");
    assert!(no_default.credentials("nodefault").is_ok());
    let error = no_default.credentials("default").expect_err("no [default]");
    assert!(matches!(error, CredentialsError::SectionMissing { .. }));
    let message = error.to_string();
    assert!(message.contains("[default]") && message.contains("nodefault_edgerc"));
    assert!(
        message.contains("[nodefault]"),
        "names what exists: {message}"
    );
}

#[test]
fn golang_v11_missing_keys_name_file_section_and_key() {
    let file = read("golang-v11/edgerc");
    assert_eq!(file.credentials("test").expect("test").host, HOST);
    assert_eq!(
        file.credentials("slash-at-the-end-of-host-value")
            .expect("slash")
            .host,
        HOST
    );
    for (section, key) in [
        ("missing-host", "host"),
        ("missing-client-secret", "client_secret"),
        ("missing-client-token", "client_token"),
        ("missing-access-token", "access_token"),
    ] {
        let error = file.credentials(section).expect_err(section);
        let message = error.to_string();
        assert!(
            message.contains(&format!("`{key}`"))
                && message.contains(&format!("[{section}]"))
                && message.contains("golang-v11/edgerc"),
            "{message}"
        );
        assert!(!message.contains(SECRET), "never shows a secret: {message}");
    }
}

#[test]
fn files_that_must_not_parse() {
    for relative in [
        "python/edgerc_that_doesnt_parse",
        "golang-v1/edgerc_that_doesnt_parse",
    ] {
        let error = read(relative)
            .credentials("default")
            .expect_err("missing host and client_secret");
        let message = error.to_string();
        assert!(
            message.contains(relative) && message.contains("[default]"),
            "{message}"
        );
    }
}

#[test]
fn node_sample_quotes_comments_and_max_body() {
    let file = read("node/test_edgerc");
    let default = file.credentials("default").expect("default");
    assert_eq!(default.client_secret.expose(), "clientSecret");
    assert_eq!(default.max_body, 131_072);

    let custom = file.credentials("custom:max_body").expect("colon in name");
    assert_eq!(custom.max_body, 8192);

    let nan = file
        .credentials("custom:max_body_NAN")
        .expect_err("8A192 is not a number");
    let message = nan.to_string();
    assert!(
        message.contains("max_body")
            && message.contains("[custom:max_body_NAN]")
            && message.contains("8A192"),
        "{message}"
    );

    assert_eq!(
        file.credentials("no-max-body").expect("ok").max_body,
        DEFAULT_MAX_BODY
    );
    assert_eq!(
        file.credentials("https").expect("https").host,
        "example.luna.akamaiapis.net"
    );

    let comments = file.credentials("comment-test").expect("comments");
    assert_eq!(comments.host, "sectionexample.luna.akamaiapis.net");
    assert_eq!(comments.client_token.expose(), "client token");
    assert_eq!(comments.client_secret.expose(), "client;secret");
    assert_eq!(comments.access_token.expose(), "access; token");

    assert!(file.has_section("section"));
    assert!(
        !file.has_section("Section"),
        "section names are case-sensitive"
    );
}

#[test]
fn ruby_sample() {
    let file = read("ruby/sample_edgerc");
    let credentials = file.credentials("test_edgerc").expect("ruby");
    assert_eq!(
        credentials.host,
        "akaa-baseurl-xxxxxxxxxxx-xxxxxxxxxxxxx.luna.akamaiapis.net"
    );
    assert_eq!(credentials.max_body, 131_072);
}

#[test]
fn colon_separator_account_key_and_syntax_errors() {
    let path = PathBuf::from("/virtual/.edgerc");
    let text = "# top\n[default]\n  Host : h.example.net\nclient-token: ct\nclient_secret=cs\n\
                access_token = at\naccount_key = AANA-1:1-2\n";
    let credentials = Edgerc::parse(&path, text)
        .expect("parses")
        .credentials("default")
        .expect("complete");
    assert_eq!(credentials.host, "h.example.net");
    assert_eq!(credentials.account_key.as_deref(), Some("AANA-1:1-2"));

    let error = Edgerc::parse(&path, "[default]\njust words\n").expect_err("no separator");
    assert_eq!(
        error.to_string(),
        "/virtual/.edgerc line 2: expected `name = value`"
    );
    let error = Edgerc::parse(&path, "host = h\n[default]\n").expect_err("before section");
    assert!(error.to_string().contains("line 1"));
    let error = Edgerc::parse(&path, "[default\n").expect_err("unclosed");
    assert!(error.to_string().contains("closing `]`"));
}

#[test]
fn missing_file_is_a_clear_error() {
    let path = sample("does/not/exist");
    let error = edgerc::load(&path, "default").expect_err("missing");
    assert!(matches!(error, CredentialsError::FileMissing { .. }));
    assert!(error.to_string().contains("does/not/exist"));
}

#[cfg(unix)]
#[test]
fn world_readable_file_earns_a_warning() {
    use std::os::unix::fs::PermissionsExt;
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join(".edgerc");
    std::fs::write(
        &path,
        "[default]\nhost=h\nclient_token=c\nclient_secret=s\naccess_token=a\n",
    )
    .expect("write");
    std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o644)).expect("chmod");
    let loaded = edgerc::load(&path, "default").expect("loads");
    assert_eq!(loaded.warnings.len(), 1);
    assert!(loaded.warnings[0].contains("chmod 600"));
    std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o600)).expect("chmod");
    assert!(
        edgerc::load(&path, "default")
            .expect("loads")
            .warnings
            .is_empty()
    );
}

fn lookup(vars: &[(&str, &str)]) -> impl Fn(&str) -> Option<String> {
    let map: HashMap<String, String> = vars
        .iter()
        .map(|(name, value)| (name.to_string(), value.to_string()))
        .collect();
    move |name| map.get(name).cloned()
}

#[test]
fn environment_for_default_and_named_sections() {
    let vars = [
        ("AKAMAI_HOST", "https://env.example.net/"),
        ("AKAMAI_CLIENT_TOKEN", "ct"),
        ("AKAMAI_CLIENT_SECRET", "cs"),
        ("AKAMAI_ACCESS_TOKEN", "at"),
        ("AKAMAI_MAX_BODY", "4096"),
        ("AKAMAI_PROD_HOST", "prod.example.net"),
        ("AKAMAI_PROD_CLIENT_TOKEN", "pct"),
        ("AKAMAI_PROD_CLIENT_SECRET", "pcs"),
        ("AKAMAI_PROD_ACCESS_TOKEN", "pat"),
        ("AKAMAI_PROD_ACCOUNT_KEY", "1-ABC"),
    ];
    let default = env::from_lookup("default", lookup(&vars))
        .expect("valid")
        .expect("complete");
    assert_eq!(default.host, "env.example.net");
    assert_eq!(default.max_body, 4096);
    let prod = env::from_lookup("prod", lookup(&vars))
        .expect("valid")
        .expect("complete");
    assert_eq!(prod.client_secret.expose(), "pcs");
    assert_eq!(prod.account_key.as_deref(), Some("1-ABC"));

    // One required variable missing: the file is used instead.
    let partial = [("AKAMAI_HOST", "h"), ("AKAMAI_CLIENT_TOKEN", "c")];
    assert_eq!(env::from_lookup("default", lookup(&partial)), Ok(None));

    let bad = [
        ("AKAMAI_HOST", "h"),
        ("AKAMAI_CLIENT_TOKEN", "c"),
        ("AKAMAI_CLIENT_SECRET", "s"),
        ("AKAMAI_ACCESS_TOKEN", "a"),
        ("AKAMAI_MAX_BODY", "lots"),
    ];
    let error = env::from_lookup("default", lookup(&bad)).expect_err("bad max body");
    assert!(error.to_string().contains("AKAMAI_MAX_BODY"), "{error}");
}

#[test]
fn credentials_debug_output_is_redacted() {
    let credentials = read("python/sample_edgerc")
        .credentials("default")
        .expect("default");
    let debug = format!("{credentials:?}");
    assert!(!debug.contains(SECRET), "{debug}");
    // The tokens equal the host's first label in this sample, so check the fields instead.
    assert!(
        debug.contains("client_token: ***") && debug.contains("access_token: ***"),
        "{debug}"
    );
}
