#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]
//! `spsdash watch --once` and the events that are not status changes (issue 15): the
//! certificates behind the requests (read from the simulator's CPS, whose demo world has
//! certificates 3, 20 and 200 days from expiry) and the submissions journal (a lost
//! submission that turned up is told accepted, one no list shows long after is told lost).
//! Each is told exactly once (a command sink with a script that records its arguments), and
//! not again by the next run.

mod sim_support;
mod support;

use std::path::PathBuf;

use chrono::Utc;
use spsdash::model::Scope;
use spsdash::sim::RunningSim;
use spsdash::sps::submission::SubmissionOutcome;
use spsdash::sps::{FormBody, PostEndpoint};
use spsdash::store::submissions::SubmissionJournal;
use support::cli::CliEnv;

struct World {
    sim: RunningSim,
    env: CliEnv,
    calls: PathBuf,
    data: PathBuf,
}

async fn world() -> World {
    let (sim, mut env) = support::cli::sim_home(None).await;
    let home = env.home().to_path_buf();
    let (script, calls) = support::recorder::recorder(&home);
    let config = format!(
        "[api]\ntimeout_secs = 5\nretries = 0\n[cps]\nreads_per_minute = 600\n\
         [notify]\ncommand = [\"{}\", \"{{event}}\", \"{{name}}\", \"{{sps_id}}\"]\ngroup_secs = 0\n\
         [[pairs]]\ncontract = \"C-1EXMPL\"\ngroup = \"10010\"\n\
         [[pairs]]\ncontract = \"C-1EXMPL\"\ngroup = \"10001\"\n",
        script.display()
    );
    env.write_private(&home.join(".config/spsdash/config.toml"), &config);
    let data = home.join("data");
    env.env(
        spsdash::store::DATA_DIR_ENV,
        data.to_str().expect("utf-8 path"),
    );
    World {
        sim,
        env,
        calls,
        data,
    }
}

impl World {
    /// Each call as its arguments: event, name, spsId.
    fn calls(&self) -> Vec<Vec<String>> {
        support::recorder::recorded_calls(&self.calls)
    }

    fn calls_of(&self, event: &str) -> Vec<Vec<String>> {
        self.calls()
            .into_iter()
            .filter(|call| call.first().map(String::as_str) == Some(event))
            .collect()
    }
}

#[tokio::test]
async fn each_certificate_is_told_once_for_the_band_it_is_in() {
    let world = world().await;
    let first = world.env.run(&["watch", "--once"]).await;
    assert_eq!(first.code, Some(0), "{first:?}");
    let critical = world.calls_of("certificate_critical");
    let warning = world.calls_of("certificate_expiring");
    assert_eq!(critical.len(), 1, "{:?}", world.calls());
    assert!(critical[0][1].contains("www.example.com"), "{critical:?}");
    assert_eq!(warning.len(), 1, "{:?}", world.calls());
    assert!(warning[0][1].contains("careers.example.com"), "{warning:?}");
    assert!(
        world
            .calls()
            .iter()
            .all(|call| !call.iter().any(|part| part.contains("static.example.com"))),
        "200 days from expiry is fine: {:?}",
        world.calls()
    );
    let told = world.calls();
    // The next run (a new process) reads the same certificates: nothing is told again.
    let second = world.env.run(&["watch", "--once"]).await;
    assert_eq!(second.code, Some(0), "{second:?}");
    assert_eq!(world.calls(), told);
}

#[tokio::test]
async fn lost_submissions_are_told_accepted_when_found_and_lost_when_given_up() {
    let world = world().await;
    let pair = Scope::pair("C-1EXMPL", "10010");
    let form = sim_support::encode(&sim_support::san_form());
    let created = sim_support::create_request(&world.sim, &form).await;
    assert_eq!(created.status, 202, "{}", created.body);
    let sps_id = created.json()["spsId"].as_u64().expect("spsId");
    let journal = SubmissionJournal::in_dir(&world.data);
    let lost = |cname: &str, minutes_ago: i64| {
        let sent = Utc::now() - chrono::Duration::minutes(minutes_ago);
        let form = FormBody::decode(&form);
        let id = journal
            .begin(&pair, PostEndpoint::SpsRequests, &form, cname, sent)
            .expect("journal");
        journal
            .complete(
                &id,
                SubmissionOutcome::Lost {
                    message: "timed out".into(),
                },
                sent,
            )
            .expect("journal");
        id
    };
    // Its answer was lost, but it was created: the list shows it.
    let found = lost("new-shop.example.com", 1);
    // Sent ten minutes ago and in no list: not created.
    lost("gone.example.com", 10);
    // Sent just now: a list may not show it yet, nothing is decided.
    lost("fresh.example.com", 0);

    let args = [
        "watch",
        "--once",
        "--contract",
        "C-1EXMPL",
        "--group",
        "10010",
    ];
    let first = world.env.run(&args).await;
    assert_eq!(first.code, Some(0), "{first:?}");
    let accepted = world.calls_of("submission_accepted");
    assert_eq!(accepted.len(), 1, "{:?}", world.calls());
    assert_eq!(accepted[0][1], "new-shop.example.com");
    assert_eq!(accepted[0][2], sps_id.to_string());
    let given_up = world.calls_of("submission_lost");
    assert_eq!(given_up.len(), 1, "{:?}", world.calls());
    assert_eq!(given_up[0][1], "gone.example.com");
    let entries = journal.entries().expect("journal");
    let outcome = |id: &str| {
        entries
            .iter()
            .find(|entry| entry.id == id)
            .map(|entry| entry.outcome.clone())
    };
    assert_eq!(
        outcome(&found),
        Some(SubmissionOutcome::Reconciled { sps_id }),
        "the match is recorded, as the dashboard records it"
    );
    let told = world.calls();
    let second = world.env.run(&args).await;
    assert_eq!(second.code, Some(0), "{second:?}");
    assert_eq!(world.calls(), told, "nothing told twice");
}
