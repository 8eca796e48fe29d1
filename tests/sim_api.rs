//! Every endpoint of the SPS contract over real HTTP: shapes, scoping (403/404), query extras,
//! submissions and their life as the clock moves, and the `/_sim/` hooks.

// Tests may unwrap, expect and panic: a failing test is the point (the lint wall in
// Cargo.toml is for the code they test).
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod sim_support;

use serde_json::Value;
use sim_support::*;

fn items(answer: &Answer) -> Vec<Value> {
    answer.json()["requestList"]
        .as_array()
        .unwrap_or_else(|| panic!("no requestList: {}", answer.body))
        .clone()
}

#[tokio::test]
async fn groups_list_every_granted_pair_with_papi_prefixes() {
    let sim = stopped_sim().await;
    let answer = get(&sim, "/papi/v1/groups").await;
    assert_eq!(answer.status, 200);
    let json = answer.json();
    assert!(json["accountId"].as_str().unwrap().starts_with("act_"));
    let groups = json["groups"]["items"].as_array().unwrap();
    assert!(groups.len() >= 6);
    let web = groups
        .iter()
        .find(|group| group["groupId"] == "grp_10010")
        .unwrap();
    assert_eq!(web["parentGroupId"], "grp_10001");
    assert_eq!(web["contractIds"][0], "ctr_C-1EXMPL");
    let contracts: std::collections::BTreeSet<&str> = groups
        .iter()
        .flat_map(|group| group["contractIds"].as_array().unwrap())
        .filter_map(Value::as_str)
        .collect();
    assert!(contracts.len() >= 3, "{contracts:?}");
}

#[tokio::test]
async fn the_list_has_the_documented_shape() {
    let sim = stopped_sim().await;
    let answer = get(&sim, &format!("{BASE}/sps-requests?{PAIR}")).await;
    assert_eq!(answer.status, 200);
    let list = items(&answer);
    assert!(list.len() >= 5);
    for item in &list {
        let sps_id = item["spsId"].as_u64().unwrap();
        assert_eq!(
            item["resourceUrl"],
            format!("{BASE}/sps-requests/{sps_id}").as_str()
        );
        assert!(item["jobId"].as_u64().is_some());
        assert!(item["status"].as_str().is_some());
        assert!(item["workflowProgress"].is_string());
        let changed = item["lastStatusChange"].as_str().unwrap();
        assert!(
            chrono::DateTime::parse_from_rfc3339(changed).is_ok(),
            "{changed}"
        );
        assert!(
            item.get("parameters").is_none(),
            "parameters only with information=true"
        );
    }
    // A DV request awaiting the user carries one record per domain, shaped like CPS's.
    let awaiting = list
        .iter()
        .find(|item| item["status"] == "Awaiting User")
        .expect("the demo group has a DV request awaiting the user");
    for domain in awaiting["dvStatus"].as_array().unwrap() {
        let name = domain["domain"].as_str().unwrap();
        let token = domain["token"].as_str().unwrap();
        assert_eq!(
            domain["fullPath"],
            format!("http://{name}/.well-known/acme-challenge/{token}").as_str()
        );
        assert_eq!(
            domain["redirectPath"],
            format!("http://dcv.akamai.com/.well-known/acme-challenge/{token}").as_str()
        );
        assert!(
            domain["responseBody"]
                .as_str()
                .unwrap()
                .starts_with(&format!("{token}."))
        );
        assert!(domain["expires"].as_str().is_some());
        assert!(domain.get("validatedTimestamp").is_some());
        assert!(domain.get("error").is_some());
    }
}

#[tokio::test]
async fn information_true_adds_the_submitted_parameters() {
    let sim = stopped_sim().await;
    let answer = get(
        &sim,
        &format!("{BASE}/sps-requests?{PAIR}&information=true"),
    )
    .await;
    let list = items(&answer);
    let san = list
        .iter()
        .find(|item| {
            item["parameters"]
                .as_array()
                .unwrap()
                .iter()
                .any(|parameter| parameter["name"] == "createType" && parameter["value"] == "san")
        })
        .expect("a SAN request");
    let parameters = san["parameters"].as_array().unwrap();
    assert!(
        parameters
            .iter()
            .any(|parameter| parameter["name"] == "csr.cn")
    );
    assert!(
        parameters
            .iter()
            .filter(|parameter| parameter["name"] == "csr.sans")
            .count()
            >= 1
    );
}

#[tokio::test]
async fn one_request_reads_as_a_list_of_one_with_or_without_a_trailing_slash() {
    let sim = stopped_sim().await;
    let first = items(&get(&sim, &format!("{BASE}/sps-requests/?{PAIR}")).await)[0].clone();
    let sps_id = first["spsId"].as_u64().unwrap();
    for path in [
        format!("{BASE}/sps-requests/{sps_id}?{PAIR}"),
        format!("{BASE}/sps-requests/{sps_id}/?{PAIR}"),
        format!("{BASE}/sps-request/{sps_id}?{PAIR}"),
    ] {
        let answer = get(&sim, &path).await;
        assert_eq!(answer.status, 200, "{path}: {}", answer.body);
        let list = items(&answer);
        assert_eq!(list.len(), 1);
        assert_eq!(list[0]["spsId"], sps_id);
    }
}

#[tokio::test]
async fn after_returns_only_requests_created_later() {
    let sim = stopped_sim().await;
    let all = items(&get(&sim, &format!("{BASE}/sps-requests?{PAIR}")).await);
    let now = sim.clock.now();
    let recent = (now - chrono::Duration::hours(6)).format("%Y-%m-%dT%H:%M:%SZ");
    let answer = get(&sim, &format!("{BASE}/sps-requests?{PAIR}&after={recent}")).await;
    assert_eq!(answer.status, 200, "{}", answer.body);
    let later = items(&answer);
    assert!(
        !later.is_empty() && later.len() < all.len(),
        "{} of {}",
        later.len(),
        all.len()
    );
    let future = (now + chrono::Duration::hours(1)).format("%Y-%m-%dT%H:%M:%SZ");
    let none = get(&sim, &format!("{BASE}/sps-requests?{PAIR}&after={future}")).await;
    assert!(items(&none).is_empty());
    let bad = get(&sim, &format!("{BASE}/sps-requests?{PAIR}&after=yesterday")).await;
    assert_eq!(bad.status, 400);
    assert_eq!(bad.fields(), ["after"]);
}

#[tokio::test]
async fn an_unknown_pair_is_forbidden_in_the_sps_envelope() {
    let sim = stopped_sim().await;
    for path in [
        format!("{BASE}/sps-requests?contractId=C-1EXMPL&groupId=99999"),
        format!("{BASE}/sps-requests?contractId=C-3EXNEWS&groupId=10010"),
        format!("{BASE}/sps-requests/1801?contractId=C-NOPE&groupId=10010"),
    ] {
        let answer = get(&sim, &path).await;
        assert_eq!(answer.status, 403, "{path}");
        assert_eq!(answer.content_type, "application/json");
        assert_eq!(answer.fields(), ["groupId"]);
    }
    let answer = post(
        &sim,
        &format!("{BASE}/sps-requests?contractId=C-1EXMPL&groupId=99999"),
        &encode(&san_form()),
    )
    .await;
    assert_eq!(answer.status, 403);
}

#[tokio::test]
async fn missing_or_prefixed_ids_are_a_400_naming_them() {
    let sim = stopped_sim().await;
    let missing = get(&sim, &format!("{BASE}/sps-requests?groupId=10010")).await;
    assert_eq!(missing.status, 400);
    assert_eq!(missing.fields(), ["contractId"]);
    let prefixed = get(
        &sim,
        &format!("{BASE}/sps-requests?contractId=C-1EXMPL&groupId=grp_10010"),
    )
    .await;
    assert_eq!(prefixed.status, 400);
    assert_eq!(prefixed.fields(), ["groupId"]);
}

#[tokio::test]
async fn an_unknown_or_foreign_sps_id_is_404() {
    let sim = stopped_sim().await;
    let answer = get(&sim, &format!("{BASE}/sps-requests/999999?{PAIR}")).await;
    assert_eq!(answer.status, 404);
    assert_eq!(answer.fields(), ["spsId"]);
    // A request of another pair is not visible through this one.
    let other = items(
        &get(
            &sim,
            &format!("{BASE}/sps-requests?contractId=C-3EXNEWS&groupId=30030"),
        )
        .await,
    );
    let foreign = other[0]["spsId"].as_u64().unwrap();
    let answer = get(&sim, &format!("{BASE}/sps-requests/{foreign}?{PAIR}")).await;
    assert_eq!(answer.status, 404);
    let answer = get(&sim, &format!("{BASE}/sps-requests/not-a-number?{PAIR}")).await;
    assert_eq!(answer.status, 404);
}

#[tokio::test]
async fn a_san_dv_request_is_accepted_and_lives_with_the_clock() {
    let sim = stopped_sim().await;
    let answer = create_request(&sim, &encode(&san_form())).await;
    assert_eq!(answer.status, 202, "{}", answer.body);
    let accepted = answer.json();
    let sps_id = accepted["spsId"].as_u64().unwrap();
    assert_eq!(
        accepted["resourceLocation"],
        format!("{BASE}/sps-requests/{sps_id}").as_str()
    );
    assert_eq!(accepted["Results"]["size"], 1);
    assert_eq!(accepted["Results"]["data"][0]["results"]["type"], "SUCCESS");
    let job_id = accepted["Results"]["data"][0]["results"]["jobID"]
        .as_u64()
        .unwrap();

    let path = format!("{BASE}/sps-requests/{sps_id}?{PAIR}&information=true");
    let fresh = items(&get(&sim, &path).await)[0].clone();
    assert_eq!(fresh["status"], "Pending");
    assert_eq!(fresh["jobId"], job_id);
    assert!(fresh.get("enrollmentId").is_none());
    let submitted: Vec<&str> = fresh["parameters"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|parameter| parameter["name"] == "csr.sans")
        .filter_map(|parameter| parameter["value"].as_str())
        .collect();
    assert_eq!(
        submitted,
        ["new-shop.example.com", "www.new-shop.example.com"]
    );

    // Challenges open within minutes; every domain then either validates or waits for us.
    hook(&sim, "POST", "/_sim/advance?seconds=300").await;
    let open = items(&get(&sim, &path).await)[0].clone();
    assert_eq!(open["status"], "Awaiting User", "{open}");
    assert!(open["enrollmentId"].as_u64().is_some());
    assert_eq!(open["dvStatus"].as_array().unwrap().len(), 2);

    // A domain still open is fixed (200); one the simulator already validated has nothing
    // open (404). Which is which is read from the answer above, so each status is exact.
    let mut fixed_count = 0;
    for record in open["dvStatus"].as_array().unwrap() {
        let domain = record["domain"].as_str().unwrap();
        let expected = if record["status"] == "Valid" {
            404
        } else {
            200
        };
        let fixed = hook(&sim, "POST", &format!("/_sim/validate?domain={domain}")).await;
        assert_eq!(fixed.status, expected, "{domain} {record}: {}", fixed.body);
        fixed_count += usize::from(expected == 200);
    }
    assert!(fixed_count > 0, "no domain was left open to fix: {open}");
    hook(&sim, "POST", "/_sim/advance?seconds=3600").await;
    let done = items(&get(&sim, &path).await)[0].clone();
    assert_eq!(done["status"], "SPS Request Complete", "{done}");
    assert!(
        done["dvStatus"]
            .as_array()
            .unwrap()
            .iter()
            .all(|domain| domain["status"] == "Valid" && domain["validatedTimestamp"].is_string())
    );
}

#[tokio::test]
async fn validate_hook_reports_unknown_domains() {
    let sim = stopped_sim().await;
    let answer = hook(&sim, "POST", "/_sim/validate?domain=nowhere.example.com").await;
    assert_eq!(answer.status, 404);
    let answer = hook(&sim, "POST", "/_sim/advance?seconds=-5").await;
    assert_eq!(answer.status, 400);
}

#[tokio::test]
async fn mod_san_and_edge_host_follow_a_certificate() {
    let sim = stopped_sim().await;
    let created = create_request(&sim, &encode(&san_form())).await;
    let job_id = created.json()["Results"]["data"][0]["results"]["jobID"]
        .as_u64()
        .unwrap();
    let mod_san = |names: &[&str]| {
        let mut fields = vec![
            (
                "cnameHostname".to_string(),
                "new-shop.example.com".to_string(),
            ),
            ("createType".to_string(), "modSan".to_string()),
            ("issuer".to_string(), "lets-encrypt".to_string()),
            ("jobId".to_string(), job_id.to_string()),
        ];
        fields.extend(
            names
                .iter()
                .map(|name| ("add.sans".to_string(), name.to_string())),
        );
        encode(&fields)
    };
    // The certificate is still being made: a modSan now is a pending change.
    let early = create_request(&sim, &mod_san(&["m.new-shop.example.com"])).await;
    assert_eq!(early.status, 400, "{}", early.body);
    assert_eq!(early.fields(), ["jobId"]);
    assert!(early.body.contains("pending change"));

    sim.validate_domain("new-shop.example.com");
    sim.validate_domain("www.new-shop.example.com");
    sim.advance(3 * 3600);
    let again = create_request(&sim, &mod_san(&["www.new-shop.example.com"])).await;
    assert_eq!(again.status, 400);
    assert_eq!(again.fields(), ["add.sans"]);
    let accepted = create_request(&sim, &mod_san(&["m.new-shop.example.com"])).await;
    assert_eq!(accepted.status, 202, "{}", accepted.body);
    let second = create_request(&sim, &mod_san(&["api.new-shop.example.com"])).await;
    assert_eq!(second.status, 400, "one pending modSan per certificate");

    let certificate = items(
        &get(
            &sim,
            &format!("{BASE}/sps-requests?{PAIR}&information=true"),
        )
        .await,
    )
    .into_iter()
    .find(|item| item["jobId"] == job_id)
    .unwrap();
    let enrollment_id = certificate["enrollmentId"].as_u64().unwrap();
    let edge = encode(&[
        (
            "cnameHostname".to_string(),
            "new-shop-v6.example.com".to_string(),
        ),
        ("enrollmentId".to_string(), enrollment_id.to_string()),
        ("ipVersion".to_string(), "ipv6".to_string()),
    ]);
    let answer = post(&sim, &format!("{BASE}/secure-edge-hosts?{PAIR}"), &edge).await;
    assert_eq!(answer.status, 202, "{}", answer.body);
    let unknown = edge.replace(&enrollment_id.to_string(), "424242");
    let answer = post(&sim, &format!("{BASE}/secure-edge-hosts/?{PAIR}"), &unknown).await;
    assert_eq!(answer.status, 400);
    assert_eq!(answer.fields(), ["enrollmentId"]);
}

#[tokio::test]
async fn a_json_body_is_refused() {
    let sim = stopped_sim().await;
    let url = format!("{}{BASE}/sps-requests?{PAIR}", sim.base_url);
    let path = format!("{BASE}/sps-requests?{PAIR}");
    let body = r#"{"createType":"san"}"#;
    let host = sim.addr.to_string();
    let request = spsdash::edgegrid::signer::RequestToSign {
        method: "POST",
        scheme: "http",
        host: &host,
        relative_url: &path,
        headers: &[],
        body: body.as_bytes(),
    };
    let signature = spsdash::edgegrid::signer::sign(
        &sim.credentials,
        &request,
        &spsdash::edgegrid::signer::timestamp_now(),
        &spsdash::edgegrid::signer::new_nonce(),
    );
    let response = client()
        .post(url)
        .header("Content-Type", "application/json")
        .header("Authorization", signature.authorization)
        .body(body)
        .send()
        .await
        .unwrap();
    assert_eq!(response.status().as_u16(), 400);
    assert!(
        response
            .text()
            .await
            .unwrap()
            .contains("x-www-form-urlencoded")
    );
}

#[tokio::test]
async fn stats_count_calls_by_route_template_and_status_but_not_hooks() {
    let sim = stopped_sim().await;
    let list = format!("{BASE}/sps-requests?{PAIR}");
    get(&sim, &list).await;
    get(&sim, &format!("{BASE}/sps-requests/?{PAIR}")).await;
    Call::get(list.clone()).send_unsigned(&sim).await;
    let first = items(&get(&sim, &list).await)[0]["spsId"].as_u64().unwrap();
    get(&sim, &format!("{BASE}/sps-requests/{first}?{PAIR}")).await;
    get(&sim, &format!("{BASE}/sps-requests/999999?{PAIR}")).await;
    hook(&sim, "POST", "/_sim/advance?seconds=1").await;
    hook(&sim, "GET", "/_sim/clock").await;

    let stats = hook(&sim, "GET", "/_sim/stats").await.json();
    let calls = stats["calls"].as_array().unwrap();
    let count = |method: &str, route: &str, status: u64| {
        calls
            .iter()
            .find(|call| {
                call["method"] == method && call["route"] == route && call["status"] == status
            })
            .map_or(0, |call| call["count"].as_u64().unwrap())
    };
    let list_route = format!("{BASE}/sps-requests");
    let one_route = format!("{BASE}/sps-requests/{{spsId}}");
    assert_eq!(count("GET", &list_route, 200), 3);
    assert_eq!(count("GET", &list_route, 401), 1);
    assert_eq!(count("GET", &one_route, 200), 1);
    assert_eq!(count("GET", &one_route, 404), 1);
    assert!(
        calls
            .iter()
            .all(|call| !call["route"].as_str().unwrap().starts_with("/_sim")),
        "{stats}"
    );
    assert_eq!(sim.calls().iter().map(|call| call.count).sum::<u64>(), 6);
}

#[tokio::test]
async fn shutting_down_closes_the_port() {
    let sim = stopped_sim().await;
    let addr = sim.addr;
    assert_eq!(get(&sim, "/papi/v1/groups").await.status, 200);
    sim.shutdown().await;
    assert!(tokio::net::TcpStream::connect(addr).await.is_err());
}

#[tokio::test]
async fn dropping_the_simulator_stops_it() {
    let sim = stopped_sim().await;
    let addr = sim.addr;
    drop(sim);
    // The server task ends on its own thread; give it a moment of real time.
    let mut refused = false;
    for _ in 0..200 {
        if tokio::net::TcpStream::connect(addr).await.is_err() {
            refused = true;
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(10)).await;
    }
    assert!(refused, "still accepting on {addr}");
}

#[tokio::test]
async fn only_loopback_addresses_are_accepted() {
    let error = spsdash::sim::start(spsdash::sim::SimOptions {
        listen: "0.0.0.0:0".parse().unwrap(),
        ..spsdash::sim::SimOptions::default()
    })
    .await
    .unwrap_err();
    assert!(error.to_string().contains("loopback"), "{error}");
}

#[tokio::test]
async fn unknown_paths_are_signed_404s_counted_as_unmatched() {
    let sim = stopped_sim().await;
    let answer = get(&sim, &format!("{BASE}/certificates?{PAIR}")).await;
    assert_eq!(answer.status, 404);
    assert_eq!(answer.content_type, "application/problem+json");
    assert_eq!(
        Call::get(format!("{BASE}/certificates"))
            .send_unsigned(&sim)
            .await
            .status,
        401
    );
    let unmatched: Vec<u16> = sim
        .calls()
        .iter()
        .filter(|call| call.route == "(unmatched)")
        .map(|call| call.status)
        .collect();
    assert_eq!(unmatched, [401, 404]);
}

#[tokio::test]
async fn new_requests_keep_arriving_with_growing_ids() {
    let sim = stopped_sim().await;
    let before = every_sps_id(&sim).await;
    let submitted = create_request(&sim, &encode(&san_form())).await;
    let submitted = submitted.json()["spsId"].as_u64().unwrap();
    assert!(submitted > *before.last().unwrap());
    sim.advance(3600);
    let after = every_sps_id(&sim).await;
    assert!(
        after.len() > before.len() + 5,
        "{} then {}",
        before.len(),
        after.len()
    );
    assert!(
        *after.last().unwrap() > submitted,
        "arrivals come after what was submitted before"
    );
}

async fn every_sps_id(sim: &spsdash::sim::RunningSim) -> Vec<u64> {
    let mut ids = Vec::new();
    for (contract, group) in sim.pairs() {
        let path = format!("{BASE}/sps-requests?contractId={contract}&groupId={group}");
        ids.extend(
            items(&get(sim, &path).await)
                .iter()
                .filter_map(|item| item["spsId"].as_u64()),
        );
    }
    ids.sort_unstable();
    ids
}
