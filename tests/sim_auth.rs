//! The simulator checks EdgeGrid signatures as Akamai's gateway does: valid ones pass,
//! tampered, expired, replayed and foreign ones get 401 problem+json saying which check failed.

// Tests may unwrap, expect and panic: a failing test is the point (the lint wall in
// Cargo.toml is for the code they test).
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod sim_support;

use sim_support::*;
use spsdash::edgegrid::{Credentials, signer};
use spsdash::sim::RunningSim;

fn list_path() -> String {
    format!("{BASE}/sps-requests?{PAIR}")
}

/// A GET of the list whose Authorization is signed with `credentials` for `scheme`, as a
/// client would sign it (the simulator accepts only its own credentials and `http`).
fn list_call_signed_as(sim: &RunningSim, credentials: &Credentials, scheme: &str) -> Call {
    let path = list_path();
    let host = sim.addr.to_string();
    let request = signer::RequestToSign {
        method: "GET",
        scheme,
        host: &host,
        relative_url: &path,
        headers: &[],
        body: b"",
    };
    let mut call = Call::get(path.clone());
    call.authorization =
        Some(signer::sign(credentials, &request, &call.timestamp, &call.nonce).authorization);
    call
}

#[tokio::test]
async fn a_correctly_signed_request_is_answered() {
    let sim = stopped_sim().await;
    let answer = get(&sim, &list_path()).await;
    assert_eq!(answer.status, 200, "{}", answer.body);
    assert_eq!(answer.content_type, "application/json");
    assert!(!answer.json()["requestList"].as_array().unwrap().is_empty());
}

#[tokio::test]
async fn an_unsigned_request_is_refused() {
    let sim = stopped_sim().await;
    let answer = Call::get(list_path()).send_unsigned(&sim).await;
    assert_eq!(answer.status, 401);
    assert_eq!(answer.content_type, "application/problem+json");
    assert!(
        answer.detail().contains("Missing Authorization"),
        "{}",
        answer.body
    );
    assert_eq!(answer.json()["status"], 401);
}

#[tokio::test]
async fn a_tampered_url_is_refused_as_a_bad_signature() {
    let sim = stopped_sim().await;
    let mut call = Call::get(list_path());
    call.signed_path = Some(format!(
        "{BASE}/sps-requests?contractId=C-1EXMPL&groupId=10011"
    ));
    let answer = call.send(&sim).await;
    assert_eq!(answer.status, 401, "{}", answer.body);
    assert!(
        answer.detail().contains("signature does not match"),
        "{}",
        answer.body
    );
    // The explanation shows what the server signed, never the tokens.
    assert!(answer.detail().contains("groupId=10010"), "{}", answer.body);
    assert!(!answer.body.contains(sim.credentials.client_token.expose()));
    assert!(!answer.body.contains(sim.credentials.access_token.expose()));
}

#[tokio::test]
async fn a_tampered_body_is_refused_as_a_bad_signature() {
    let sim = stopped_sim().await;
    let body = encode(&san_form());
    let mut call = Call::post(format!("{BASE}/sps-requests?{PAIR}"), body.clone());
    call.signed_body = Some(body.replace("new-shop", "old-shop"));
    let answer = call.send(&sim).await;
    assert_eq!(answer.status, 401, "{}", answer.body);
    assert!(answer.detail().contains("signature does not match"));
}

#[tokio::test]
async fn a_wrong_secret_is_refused_as_a_bad_signature() {
    let sim = stopped_sim().await;
    let mut credentials = sim.credentials.clone();
    credentials.client_secret = spsdash::edgegrid::Secret::new("not-the-secret");
    let call = list_call_signed_as(&sim, &credentials, "http");
    let answer = call.send(&sim).await;
    assert_eq!(answer.status, 401);
    assert!(answer.detail().contains("signature does not match"));
}

#[tokio::test]
async fn a_request_signed_for_https_is_refused() {
    // The simulator speaks plain HTTP: a client signing `https` signed something else.
    let sim = stopped_sim().await;
    let call = list_call_signed_as(&sim, &sim.credentials, "https");
    assert_eq!(call.send(&sim).await.status, 401);
}

#[tokio::test]
async fn an_old_timestamp_is_refused() {
    let sim = stopped_sim().await;
    let mut call = Call::get(list_path());
    call.timestamp = signer::timestamp_at(chrono::Utc::now() - chrono::Duration::minutes(6));
    let answer = call.send(&sim).await;
    assert_eq!(answer.status, 401);
    assert!(
        answer.detail().contains("Invalid timestamp"),
        "{}",
        answer.body
    );

    // Four minutes is within the window.
    let mut call = Call::get(list_path());
    call.timestamp = signer::timestamp_at(chrono::Utc::now() - chrono::Duration::minutes(4));
    assert_eq!(call.send(&sim).await.status, 200);
}

#[tokio::test]
async fn a_future_timestamp_is_refused() {
    let sim = stopped_sim().await;
    let mut call = Call::get(list_path());
    call.timestamp = signer::timestamp_at(chrono::Utc::now() + chrono::Duration::minutes(10));
    let answer = call.send(&sim).await;
    assert_eq!(answer.status, 401);
    assert!(answer.detail().contains("Invalid timestamp"));
}

#[tokio::test]
async fn the_signature_checks_the_real_wall_clock_not_the_world_clock() {
    let sim = stopped_sim().await;
    sim.advance(3600 * 24);
    assert_eq!(get(&sim, &list_path()).await.status, 200);
}

#[tokio::test]
async fn a_replayed_request_is_refused() {
    let sim = stopped_sim().await;
    let call = Call::get(list_path());
    assert_eq!(call.send(&sim).await.status, 200);
    let replay = call.send(&sim).await;
    assert_eq!(replay.status, 401);
    assert!(replay.detail().contains("nonce"), "{}", replay.body);
}

#[tokio::test]
async fn a_forged_request_does_not_burn_the_nonce() {
    let sim = stopped_sim().await;
    let call = Call::get(list_path());
    let mut forged = call.clone();
    forged.signed_path = Some("/elsewhere".to_string());
    assert_eq!(forged.send(&sim).await.status, 401);
    assert_eq!(call.send(&sim).await.status, 200);
}

#[tokio::test]
async fn unknown_tokens_are_refused_by_name() {
    let sim = stopped_sim().await;
    let call = Call::get(list_path());
    let genuine = call.sign(&sim);
    let mut foreign = call.clone();
    foreign.authorization =
        Some(genuine.replace(sim.credentials.client_token.expose(), "akab-someone-else"));
    let answer = foreign.send(&sim).await;
    assert_eq!(answer.status, 401);
    assert!(answer.detail().contains("client_token"), "{}", answer.body);

    let mut foreign = Call::get(list_path());
    let genuine = foreign.sign(&sim);
    foreign.authorization =
        Some(genuine.replace(sim.credentials.access_token.expose(), "akab-another-access"));
    let answer = foreign.send(&sim).await;
    assert!(answer.detail().contains("access_token"), "{}", answer.body);
}

#[tokio::test]
async fn a_malformed_header_is_refused_by_name() {
    let sim = stopped_sim().await;
    let mut call = Call::get(list_path());
    call.authorization = Some("EG1-HMAC-SHA256 client_token=a;access_token=b".to_string());
    let answer = call.send(&sim).await;
    assert_eq!(answer.status, 401);
    assert!(answer.detail().contains("Malformed"), "{}", answer.body);
}

#[tokio::test]
async fn papi_groups_need_a_signature_too() {
    let sim = stopped_sim().await;
    assert_eq!(
        Call::get("/papi/v1/groups")
            .send_unsigned(&sim)
            .await
            .status,
        401
    );
    assert_eq!(get(&sim, "/papi/v1/groups").await.status, 200);
}

#[tokio::test]
async fn the_raw_query_is_verified_as_sent_without_decoding() {
    // A server that decoded `%3A` before verifying would compute another signature.
    let sim = stopped_sim().await;
    let path = format!("{BASE}/sps-requests?{PAIR}&after=2020-01-01T00%3A00%3A00Z");
    let answer = get(&sim, &path).await;
    assert_eq!(answer.status, 200, "{}", answer.body);
    let mut decoded = Call::get(path.clone());
    decoded.signed_path = Some(path.replace("%3A", ":"));
    assert_eq!(decoded.send(&sim).await.status, 401);
}
