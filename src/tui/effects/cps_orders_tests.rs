//! The dashboard's CPS orders against the in-process simulator (its clock stopped, so the
//! world holds still between steps): `A` reads what a change waits for and offers each answer
//! with its exact request, the answer moves the change on (or, denied, cancels it), a change
//! answered twice is 409 and read again; `a` adds names with the enrollment sent back whole,
//! `e` makes the edge hostname, the wizard's order plans and makes an enrollment and its edge
//! hostname. Every send is journaled.

use std::time::Duration;

use tokio::sync::mpsc;

use super::cps_orders;
use crate::app::cps_prompt::{CpsPlanJob, CpsReview, CpsSent};
use crate::app::wizard::CpsCreate;
use crate::app::{CpsCreatedNote, Event};
use crate::config::CheckConfig;
use crate::edgegrid::ClientOptions;
use crate::model::{Api, Scope};
use crate::orders::shown::Shown;
use crate::sim::{self, RunningSim, SimOptions};
use crate::source::Backend;
use crate::store::submissions::SubmissionJournal;

struct World {
    sim: RunningSim,
    backend: Backend,
    journal: SubmissionJournal,
    _dir: tempfile::TempDir,
}

async fn world() -> World {
    crate::edgegrid::install_crypto_provider();
    let sim = sim::start(SimOptions {
        speed: 0.0,
        ..SimOptions::default()
    })
    .await
    .expect("simulator starts");
    let client = crate::edgegrid::Client::new(sim.credentials.clone(), ClientOptions::default())
        .expect("client");
    let dir = tempfile::tempdir().expect("tempdir");
    let journal = SubmissionJournal::in_dir(dir.path());
    World {
        sim,
        backend: Backend::new(client, Api::Cps),
        journal,
        _dir: dir,
    }
}

/// The next event, within a generous limit (the simulator answers in milliseconds).
async fn next(incoming: &mut mpsc::UnboundedReceiver<Event>) -> Event {
    tokio::time::timeout(Duration::from_secs(30), incoming.recv())
        .await
        .expect("an event in time")
        .expect("the channel is open")
}

impl World {
    async fn plan(&self, job: CpsPlanJob) -> Result<CpsReview, String> {
        let (results, mut incoming) = mpsc::unbounded_channel();
        cps_orders::plan(self.backend.clone(), job, results);
        match next(&mut incoming).await {
            Event::CpsPlanned { result, .. } => result,
            other => panic!("not a plan: {other:?}"),
        }
    }

    async fn answer_job(&self, contract: &str, enrollment_id: u64) -> CpsPlanJob {
        let request = self
            .backend
            .get(None, enrollment_id)
            .await
            .expect("the enrollment reads");
        CpsPlanJob::Answer {
            scope: Scope::contract(contract),
            request: Box::new(request),
            check: CheckConfig::default(),
        }
    }

    async fn send(&self, review: &CpsReview, key: char) -> CpsSent {
        let option = review
            .options
            .iter()
            .find(|option| option.key == key)
            .unwrap_or_else(|| panic!("no option {key}: {review:?}"));
        let (results, mut incoming) = mpsc::unbounded_channel();
        cps_orders::send(
            self.backend.clone(),
            Some(self.journal.clone()),
            option.send.clone(),
            results,
        );
        match next(&mut incoming).await {
            Event::CpsSent { sent, .. } => sent,
            other => panic!("not a send: {other:?}"),
        }
    }

    fn group_of(&self, contract: &str) -> String {
        self.sim
            .pairs()
            .into_iter()
            .find(|(pair_contract, _)| pair_contract == contract)
            .map(|(_, group)| group)
            .expect("the contract has a group")
    }

    /// The CPS world's own enrollment of `contract` with this common name.
    async fn enrollment_named(&self, contract: &str, common_name: &str) -> u64 {
        self.backend
            .cps()
            .enrollments(contract)
            .await
            .expect("the contract lists")
            .enrollments
            .iter()
            .find(|enrollment| enrollment.common_name() == Some(common_name))
            .and_then(|enrollment| enrollment.enrollment_id())
            .unwrap_or_else(|| panic!("{contract} has no {common_name}"))
    }

    fn journaled(&self) -> Vec<String> {
        self.journal
            .entries()
            .expect("journal reads")
            .into_iter()
            .map(|entry| entry.endpoint)
            .collect()
    }
}

fn request_of(review: &CpsReview, key: char) -> &Shown {
    &review
        .options
        .iter()
        .find(|option| option.key == key)
        .unwrap_or_else(|| panic!("no option {key}: {review:?}"))
        .request
}

fn done(sent: CpsSent) -> String {
    match sent {
        CpsSent::Done(text) => text,
        other => panic!("not done: {other:?}"),
    }
}

/// press.tv.example (10054) waits for its post-verification warnings.
const POST_WARNINGS: u64 = 10054;
/// loyalty.example.net (10050) waits for change management.
const CHANGE_MANAGEMENT: u64 = 10050;
/// A Let's Encrypt certificate of the CPS world with no change pending.
const SETTLED_CONTRACT: &str = "C-2EXSHP";
const SETTLED_NAME: &str = "shop.example.net";

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn warnings_are_shown_acknowledged_once_and_a_second_answer_is_told_the_change_moved() {
    let world = world().await;
    let review = world
        .plan(world.answer_job("C-3EXNEWS", POST_WARNINGS).await)
        .await
        .expect("a review");
    let text = review.lines.join("\n");
    assert!(
        text.contains("waits for post-verification warnings"),
        "{text}"
    );
    assert!(!review.warnings.is_empty(), "CPS's warnings: {review:?}");
    let keys: Vec<char> = review.options.iter().map(|option| option.key).collect();
    assert_eq!(keys, vec!['y', 'd']);
    let acknowledge = request_of(&review, 'y');
    assert_eq!(acknowledge.method, "POST");
    assert!(
        acknowledge
            .url
            .ends_with("/input/update/post-verification-warnings-ack"),
        "{}",
        acknowledge.url
    );
    assert_eq!(
        acknowledge.content_type,
        "application/vnd.akamai.cps.acknowledgement.v1+json"
    );
    assert_eq!(
        acknowledge.accept,
        "application/vnd.akamai.cps.change-id.v1+json"
    );
    assert_eq!(
        serde_json::from_str::<serde_json::Value>(&acknowledge.body).expect("json"),
        serde_json::json!({"acknowledgement": "acknowledge"})
    );
    assert_eq!(
        serde_json::from_str::<serde_json::Value>(&request_of(&review, 'd').body).expect("json"),
        serde_json::json!({"acknowledgement": "deny"})
    );
    let text = done(world.send(&review, 'y').await);
    assert!(text.contains("enrollment 10054"), "{text}");
    // The same reviewed answer again: the change no longer waits for it.
    match world.send(&review, 'y').await {
        CpsSent::Moved(why) => assert!(why.contains("moved"), "{why}"),
        other => panic!("a second answer must be told the change moved: {other:?}"),
    }
    // Read again: on its way to staging, it waits for nothing.
    let again = world
        .plan(world.answer_job("C-3EXNEWS", POST_WARNINGS).await)
        .await;
    assert!(
        again
            .as_ref()
            .is_err_and(|why| why.contains("waits for nothing")),
        "{again:?}"
    );
    assert_eq!(
        world.journaled(),
        vec!["cps-change-input", "cps-change-input"]
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn change_management_denied_cancels_the_change() {
    let world = world().await;
    let review = world
        .plan(world.answer_job("C-2EXSHP", CHANGE_MANAGEMENT).await)
        .await
        .expect("a review");
    assert!(
        review.lines.join("\n").contains("change management"),
        "{review:?}"
    );
    let deny = request_of(&review, 'd');
    assert!(
        deny.url.ends_with("/input/update/change-management-ack"),
        "{}",
        deny.url
    );
    done(world.send(&review, 'd').await);
    let after = world
        .backend
        .get(None, CHANGE_MANAGEMENT)
        .await
        .expect("reads");
    assert_ne!(
        after.state,
        crate::model::RequestState::AwaitingUser,
        "denied: {after:?}"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn names_are_added_by_sending_the_enrollment_back_whole() {
    let world = world().await;
    let settled = world.enrollment_named(SETTLED_CONTRACT, SETTLED_NAME).await;
    let review = world
        .plan(CpsPlanJob::AddNames {
            scope: Scope::contract(SETTLED_CONTRACT),
            enrollment_id: settled,
            names: vec!["extra.shop.example.net".to_string()],
        })
        .await
        .expect("a review");
    let put = request_of(&review, 'y');
    assert_eq!(put.method, "PUT");
    assert!(
        put.url.contains(&format!("/cps/v2/enrollments/{settled}")),
        "{}",
        put.url
    );
    assert!(
        !put.url.contains("allow-cancel-pending-changes"),
        "{}",
        put.url
    );
    assert_eq!(
        put.content_type,
        "application/vnd.akamai.cps.enrollment.v11+json"
    );
    let body: serde_json::Value = serde_json::from_str(&put.body).expect("json");
    let sans = body["csr"]["sans"].as_array().expect("sans");
    assert!(
        sans.iter().any(|san| san == "extra.shop.example.net"),
        "{body}"
    );
    assert!(
        body["networkConfiguration"].is_object(),
        "sent whole: {body}"
    );
    let text = done(world.send(&review, 'y').await);
    assert!(text.contains("CPS started change"), "{text}");
    // CPS checks first; five minutes on, the change waits for the new name's challenge.
    world.sim.advance(5 * 60);
    let after = world.backend.get(None, settled).await.expect("reads");
    assert!(
        after
            .domains
            .iter()
            .any(|domain| domain.domain == "extra.shop.example.net"),
        "the new change waits for the new name: {after:?}"
    );
    assert_eq!(world.journaled(), vec!["cps-enrollment-update"]);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_edge_hostname_is_made_for_an_enrollment() {
    let world = world().await;
    let settled = world.enrollment_named(SETTLED_CONTRACT, SETTLED_NAME).await;
    let group = world.group_of(SETTLED_CONTRACT);
    let review = world
        .plan(CpsPlanJob::EdgeHost {
            scope: Scope::pair(SETTLED_CONTRACT, group.clone()),
            enrollment_id: settled,
            prefix: "shop.example.net".to_string(),
            product: "prd_SPM".to_string(),
        })
        .await
        .expect("a review");
    let post = request_of(&review, 'y');
    assert!(post.url.contains("/papi/v1/edgehostnames?"), "{}", post.url);
    let body: serde_json::Value = serde_json::from_str(&post.body).expect("json");
    assert_eq!(body["certEnrollmentId"], settled);
    assert_eq!(body["secureNetwork"], "ENHANCED_TLS");
    assert_eq!(body["domainSuffix"], "edgekey.net");
    let text = done(world.send(&review, 'y').await);
    assert!(text.contains("shop.example.net.edgekey.net"), "{text}");
    assert_eq!(world.journaled(), vec!["papi-edgehostnames"]);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_wizards_order_is_planned_then_made_once() {
    let world = world().await;
    let group = world.group_of("C-1EXMPL");
    // The example REQ.toml (subject, organization, contacts) with the wizard's names.
    let mut request = crate::sps::request::NewCertificate::from_toml(include_str!(
        "../../../assets/request.example.toml"
    ))
    .expect("the example reads");
    request.common_name = "new.wizard.example.com".to_string();
    request.sans = vec!["www.wizard.example.com".to_string()];
    request.cname_hostname = None;
    request.product = Some("prd_SPM".to_string());
    let order = crate::orders::cps_order::cps_order_of(&request, false).expect("a valid order");
    let create = Box::new(CpsCreate {
        scope: Scope::pair("C-1EXMPL", group),
        order,
    });
    let (results, mut incoming) = mpsc::unbounded_channel();
    cps_orders::plan_create(&world.backend, create.clone(), &results);
    let planned = match next(&mut incoming).await {
        Event::CpsCreatePlanned { result, .. } => result.expect("planned"),
        other => panic!("not a plan: {other:?}"),
    };
    assert_eq!(planned.len(), 2);
    assert!(
        planned[0]
            .url
            .ends_with("/cps/v2/enrollments?contractId=C-1EXMPL"),
        "{}",
        planned[0].url
    );
    assert!(
        planned[1].url.contains("/papi/v1/edgehostnames?"),
        "{}",
        planned[1].url
    );
    cps_orders::create(
        world.backend.clone(),
        Some(world.journal.clone()),
        create.clone(),
        results.clone(),
    );
    let note: CpsCreatedNote = match next(&mut incoming).await {
        Event::CpsCreated { result, .. } => result.expect("ordered"),
        other => panic!("not a create: {other:?}"),
    };
    assert!(!note.edge_hostname_failed, "{note:?}");
    assert!(
        note.text.contains("new.wizard.example.com.edgekey.net"),
        "{note:?}"
    );
    world.sim.advance(5 * 60);
    let made = world
        .backend
        .get(None, note.enrollment_id)
        .await
        .expect("the new enrollment reads");
    assert_eq!(
        made.state,
        crate::model::RequestState::AwaitingUser,
        "{made:?}"
    );
    // The same order again is refused: the contract already has it.
    cps_orders::create(
        world.backend.clone(),
        Some(world.journal.clone()),
        create,
        results,
    );
    match next(&mut incoming).await {
        Event::CpsCreated {
            result: Err(why), ..
        } => {
            assert!(why.contains("already has enrollment"), "{why}")
        }
        other => panic!("a second order must be refused: {other:?}"),
    }
    assert_eq!(
        world.journaled(),
        vec!["cps-enrollments", "papi-edgehostnames"]
    );
}

/// members.example.com (10041) waits for login.members.example.com's challenge.
const CHALLENGES: u64 = 10041;
/// partners-b2b.example.net waits for its third-party certificate.
const THIRD_PARTY_CONTRACT: &str = "C-2EXSHP";
const THIRD_PARTY_NAME: &str = "partners-b2b.example.net";

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn challenges_not_served_are_checked_first_and_told_only_on_purpose() {
    let world = world().await;
    let review = world
        .plan(world.answer_job("C-1EXMPL", CHALLENGES).await)
        .await
        .expect("a review");
    let text = review.lines.join("\n");
    assert!(
        text.contains("waits for the Let's Encrypt challenges"),
        "{text}"
    );
    // The readiness check ran (example names resolve nowhere here): not ready, so the only
    // answer is the deliberate one.
    assert!(text.contains("readiness: "), "{text}");
    assert!(text.contains("Not every domain is ready"), "{text}");
    let keys: Vec<char> = review.options.iter().map(|option| option.key).collect();
    assert_eq!(keys, vec!['S']);
    let told = request_of(&review, 'S');
    assert!(
        told.url
            .ends_with("/input/update/lets-encrypt-challenges-completed"),
        "{}",
        told.url
    );
    assert_eq!(
        serde_json::from_str::<serde_json::Value>(&told.body).expect("json"),
        serde_json::json!({"acknowledgement": "acknowledge"})
    );
    done(world.send(&review, 'S').await);
    assert_eq!(world.journaled(), vec!["cps-change-input"]);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_third_party_change_shows_its_csr_and_offers_nothing_to_send_here() {
    let world = world().await;
    let id = world
        .enrollment_named(THIRD_PARTY_CONTRACT, THIRD_PARTY_NAME)
        .await;
    let review = world
        .plan(world.answer_job(THIRD_PARTY_CONTRACT, id).await)
        .await
        .expect("a review");
    let text = review.lines.join("\n");
    assert!(text.contains("CSR ("), "{text}");
    assert!(text.contains("BEGIN CERTIFICATE REQUEST"), "{text}");
    assert!(
        text.contains(&format!("spsdash proceed {id} --certificate FILE")),
        "{text}"
    );
    assert!(review.options.is_empty(), "{review:?}");
    assert!(world.journaled().is_empty());
}
