//! Each validation rule of the SPS contract, over HTTP: one change to a valid form, a 400 in
//! the SPS envelope naming the field at fault.

// Tests may unwrap, expect and panic: a failing test is the point (the lint wall in
// Cargo.toml is for the code they test).
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod sim_support;

use sim_support::*;

async fn refused(form: Vec<(String, String)>) -> Vec<String> {
    let sim = stopped_sim().await;
    let answer = post(&sim, &format!("{BASE}/sps-requests?{PAIR}"), &encode(&form)).await;
    assert_eq!(answer.status, 400, "{}", answer.body);
    assert_eq!(answer.content_type, "application/json");
    let json = answer.json();
    let item = &json["Errors"]["invalidItems"][0];
    assert!(
        item["validationDescription"]
            .as_str()
            .is_some_and(|text| !text.is_empty())
    );
    assert!(item.get("spsId").is_some());
    answer.fields()
}

fn set(name: &str, value: &str) -> Vec<(String, String)> {
    with(&san_form(), name, Some(value))
}

#[tokio::test]
async fn the_valid_form_is_accepted() {
    let sim = stopped_sim().await;
    let answer = create_request(&sim, &encode(&san_form())).await;
    assert_eq!(answer.status, 202, "{}", answer.body);
}

#[tokio::test]
async fn dv_is_only_for_san() {
    let mut form = set("createType", "single");
    form = with(&form, "csr.sans", None);
    let fields = refused(form).await;
    assert_eq!(fields, ["csr.cn"]);
    let sim = stopped_sim().await;
    let form = with(
        &with(&san_form(), "createType", Some("single")),
        "csr.sans",
        None,
    );
    let answer = post(&sim, &format!("{BASE}/sps-requests?{PAIR}"), &encode(&form)).await;
    assert!(
        answer.body.contains("only available for SAN"),
        "{}",
        answer.body
    );
}

#[tokio::test]
async fn retired_and_unknown_issuers_are_refused() {
    assert_eq!(refused(set("issuer", "geotrust")).await, ["issuer"]);
    assert_eq!(refused(set("issuer", "cybertrust")).await, ["issuer"]);
    assert_eq!(refused(set("issuer", "digicert")).await, ["issuer"]);
}

#[tokio::test]
async fn wildcards_cover_one_level() {
    let wildcard = |cn: &str| {
        let form = with(&san_form(), "createType", Some("wildcard"));
        let form = with(&form, "issuer", Some("symantec"));
        let form = with(&form, "csr.sans", None);
        with(&form, "csr.cn", Some(cn))
    };
    assert_eq!(refused(wildcard("*.*.example.com")).await, ["csr.cn"]);
    assert_eq!(refused(wildcard("www.example.com")).await, ["csr.cn"]);
    assert_eq!(refused(wildcard("a.*.example.com")).await, ["csr.cn"]);
    assert_eq!(refused(wildcard("*.com")).await, ["csr.cn"]);
    let sim = stopped_sim().await;
    let ok = create_request(&sim, &encode(&wildcard("*.new.example.com"))).await;
    assert_eq!(ok.status, 202, "{}", ok.body);
}

#[tokio::test]
async fn a_single_certificate_has_no_sans() {
    let form = with(&set("createType", "single"), "issuer", Some("symantec"));
    assert_eq!(refused(form).await, ["csr.sans"]);
}

#[tokio::test]
async fn every_required_field_is_named_when_missing() {
    for field in [
        "cnameHostname",
        "createType",
        "issuer",
        "csr.cn",
        "csr.c",
        "csr.o",
        "organization-information.organization-name",
        "organization-information.phone",
        "admin-contact.email",
        "technical-contact.last-name",
        "ipVersion",
        "slot-deployment.klass",
    ] {
        let fields = refused(with(&san_form(), field, None)).await;
        assert!(fields.contains(&field.to_string()), "{field}: {fields:?}");
    }
    // The older spelling of the slot field counts.
    let sim = stopped_sim().await;
    let form = with(
        &with(&san_form(), "slot-deployment.klass", None),
        "slot-deployment.class",
        Some("esslType"),
    );
    let answer = post(&sim, &format!("{BASE}/sps-requests?{PAIR}"), &encode(&form)).await;
    assert_eq!(answer.status, 202, "{}", answer.body);
}

#[tokio::test]
async fn countries_are_two_letters() {
    assert_eq!(refused(set("csr.c", "USA")).await, ["csr.c"]);
    assert_eq!(
        refused(set("organization-information.country", "1")).await,
        ["organization-information.country"]
    );
}

#[tokio::test]
async fn emails_must_look_like_emails() {
    assert_eq!(
        refused(set("admin-contact.email", "ann")).await,
        ["admin-contact.email"]
    );
    assert_eq!(
        refused(set("technical-contact.email", "tom@localhost")).await,
        ["technical-contact.email"]
    );
}

#[tokio::test]
async fn at_most_a_hundred_names() {
    let mut form = with(&san_form(), "csr.sans", None);
    for index in 0..100 {
        form.push(("csr.sans".to_string(), format!("host{index}.example.com")));
    }
    assert_eq!(refused(form).await, ["csr.sans"]);
    // 99 SANs plus the common name make 100: fine.
    let mut form = with(&san_form(), "csr.sans", None);
    for index in 0..99 {
        form.push(("csr.sans".to_string(), format!("host{index}.example.com")));
    }
    let sim = stopped_sim().await;
    let answer = post(&sim, &format!("{BASE}/sps-requests?{PAIR}"), &encode(&form)).await;
    assert_eq!(answer.status, 202, "{}", answer.body);
}

#[tokio::test]
async fn duplicate_names_are_refused() {
    let mut form = san_form();
    form.push((
        "csr.sans".to_string(),
        "WWW.new-shop.example.com".to_string(),
    ));
    assert_eq!(refused(form).await, ["csr.sans"]);
}

#[tokio::test]
async fn hostnames_must_be_hostnames() {
    assert_eq!(
        refused(set("cnameHostname", "not a host")).await,
        ["cnameHostname"]
    );
    let mut form = san_form();
    form.push(("csr.sans".to_string(), "bad_name.example.com".to_string()));
    assert_eq!(refused(form).await, ["csr.sans"]);
    let mut form = san_form();
    form.push(("csr.sans".to_string(), "*.new-shop.example.com".to_string()));
    assert_eq!(
        refused(form).await,
        ["csr.sans"],
        "Let's Encrypt cannot validate wildcards"
    );
}

#[tokio::test]
async fn enumerated_options_are_checked() {
    assert_eq!(refused(set("ipVersion", "ipv5")).await, ["ipVersion"]);
    assert_eq!(
        refused(set("signature-algorithm", "MD5")).await,
        ["signature-algorithm"]
    );
    assert_eq!(refused(set("sni-only", "maybe")).await, ["sni-only"]);
    assert_eq!(
        refused(set("createType", "everything")).await,
        ["createType"]
    );
}

#[tokio::test]
async fn a_taken_cname_hostname_is_refused() {
    let sim = stopped_sim().await;
    let path = format!("{BASE}/sps-requests?{PAIR}");
    assert_eq!(post(&sim, &path, &encode(&san_form())).await.status, 202);
    let again = post(&sim, &path, &encode(&san_form())).await;
    assert_eq!(again.status, 400);
    assert_eq!(again.fields(), ["cnameHostname"]);
}

#[tokio::test]
async fn several_problems_are_reported_together() {
    let form = with(&set("csr.c", "USA"), "admin-contact.email", Some("nobody"));
    let fields = refused(form).await;
    assert!(fields.contains(&"csr.c".to_string()));
    assert!(fields.contains(&"admin-contact.email".to_string()));
}
