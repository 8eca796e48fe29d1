//! A world for the served-certificate tests: the simulator (CPS), a DNS server, a test CA,
//! and TLS servers on one port at 127.0.0.1 and ::1 (production) and 127.0.0.2 (staging).
//! A test crate using it declares `mod dns_support; mod served_support; mod support;`.

use std::net::{IpAddr, Ipv4Addr, Ipv6Addr, SocketAddr};

use serde_json::Value;
use spsdash::sim::RunningSim;

use super::{EdgeServer, Leaf, TestCa};
use crate::dns_support::{DnsServer, Rr};
use crate::support::cli::{CliEnv, CliOutput};

pub const PRODUCTION_V4: Ipv4Addr = Ipv4Addr::new(127, 0, 0, 1);
pub const PRODUCTION_V6: Ipv6Addr = Ipv6Addr::LOCALHOST;
pub const STAGING_V4: Ipv4Addr = Ipv4Addr::new(127, 0, 0, 2);
/// Nothing listens there.
pub const SILENT_V4: Ipv4Addr = Ipv4Addr::new(127, 0, 0, 3);

/// One enrollment of the demo world: its id and names (common name first).
#[derive(Debug, Clone)]
pub struct Enrollment {
    pub id: u64,
    pub names: Vec<String>,
}

impl Enrollment {
    pub fn cn(&self) -> &str {
        &self.names[0]
    }
    pub fn edge(&self) -> String {
        format!("{}.edgekey.net", self.cn())
    }
    pub fn staging_edge(&self) -> String {
        format!("{}.edgekey-staging.net", self.cn())
    }
}

pub struct Edge {
    pub sim: RunningSim,
    pub env: CliEnv,
    pub dns: DnsServer,
    pub ca: TestCa,
    pub production_v4: EdgeServer,
    pub production_v6: EdgeServer,
    pub staging: EdgeServer,
    pub port: u16,
}

impl Edge {
    pub async fn start() -> Edge {
        let (sim, env) = crate::support::cli::sim_home(None).await;
        let dns = DnsServer::start().await;
        // One port on every address, as the edge answers on 443 everywhere.
        let (production_v4, production_v6, staging) = loop {
            let v4 = EdgeServer::start(SocketAddr::new(IpAddr::V4(PRODUCTION_V4), 0))
                .await
                .unwrap();
            let port = v4.addr.port();
            let v6 = EdgeServer::start(SocketAddr::new(IpAddr::V6(PRODUCTION_V6), port)).await;
            let staging = EdgeServer::start(SocketAddr::new(IpAddr::V4(STAGING_V4), port)).await;
            if let (Ok(v6), Ok(staging)) = (v6, staging) {
                break (v4, v6, staging);
            }
        };
        let port = production_v4.addr.port();
        Edge {
            sim,
            env,
            dns,
            ca: TestCa::new("Served Probe Test CA"),
            production_v4,
            production_v6,
            staging,
            port,
        }
    }

    /// The demo world's enrollments with a certificate on production, without wildcards;
    /// `settled`: on staging too, and nothing pending.
    pub async fn enrollments(&self, settled: bool) -> Vec<Enrollment> {
        let out = self.env.run(&["--backend", "cps", "certs", "--json"]).await;
        assert_eq!(out.code, Some(0), "{}", out.stderr);
        let rows: Vec<Value> = serde_json::from_str(&out.stdout).unwrap();
        rows.iter()
            .filter(|row| row["production"].is_object())
            .filter(|row| !settled || (row["pending_changes"] == 0 && row["staging"].is_object()))
            .map(|row| {
                let cn = row["common_name"].as_str().unwrap().to_string();
                let mut names = vec![cn.clone()];
                for san in row["sans_requested"].as_array().unwrap() {
                    let san = san.as_str().unwrap().to_string();
                    if !names.contains(&san) {
                        names.push(san);
                    }
                }
                Enrollment {
                    id: row["enrollment_id"].as_u64().unwrap(),
                    names,
                }
            })
            .filter(|enrollment| enrollment.names.iter().all(|name| !name.starts_with('*')))
            .collect()
    }

    /// CPS deploys `leaf` on `network` (the simulator's hook).
    pub async fn deploy(&self, enrollment: &Enrollment, network: &str, leaf: &Leaf) {
        let url = format!(
            "{}/_sim/deployed-certificate?enrollment={}&network={network}",
            self.sim.base_url, enrollment.id
        );
        let answer = reqwest::Client::new()
            .post(url)
            .body(leaf.pem.clone())
            .send()
            .await
            .unwrap();
        assert_eq!(answer.status(), 200, "{}", answer.text().await.unwrap());
    }

    /// Every name CNAMEs to the edge hostname, which has both families; the staging edge
    /// hostname answers on the staging address.
    pub fn on_akamai(&self, enrollment: &Enrollment, production: [IpAddr; 2], staging: Ipv4Addr) {
        for name in &enrollment.names {
            self.dns.add(name, Rr::Cname(enrollment.edge()));
        }
        for address in production {
            match address {
                IpAddr::V4(ip) => self.dns.add(&enrollment.edge(), Rr::A(ip)),
                IpAddr::V6(ip) => self.dns.add(&enrollment.edge(), Rr::Aaaa(ip)),
            };
        }
        self.dns.add(&enrollment.staging_edge(), Rr::A(staging));
    }

    /// Both production addresses and staging serve `production` / `staging` for every name.
    pub fn serve(&self, enrollment: &Enrollment, production: &Leaf, staging: &Leaf) {
        for name in &enrollment.names {
            self.production_v4.serve(name, production);
            self.production_v6.serve(name, production);
            self.staging.serve(name, staging);
        }
    }

    pub async fn served(&self, enrollment: &Enrollment, extra: &[&str]) -> CliOutput {
        let id = enrollment.id.to_string();
        let nameserver = self.dns.address.to_string();
        let port = self.port.to_string();
        let mut args = vec![
            "--backend",
            "cps",
            "served",
            id.as_str(),
            "--nameserver",
            nameserver.as_str(),
            "--port",
            port.as_str(),
        ];
        args.extend_from_slice(extra);
        let out = self.env.run(&args).await;
        out.assert_no_secrets();
        out
    }
}
