//! Random but plausible requests for large worlds (`--requests N`) and for the demo's steady
//! stream of new arrivals, and the form each request was "submitted" with.

use std::collections::HashMap;

use chrono::{DateTime, Utc};
use rand::Rng;
use rand::rngs::StdRng;

use super::SimError;
use super::lifecycle::{CertKind, Issuer};
use super::stories::{self, Story};
use super::world::{Draft, World};
use super::world_file::ContractFile;

/// The form a request was submitted with, echoed by `information=true`.
pub(super) fn parameters(
    contract: &ContractFile,
    kind: CertKind,
    issuer: Issuer,
    cname: &str,
    names: &[String],
) -> Vec<(String, String)> {
    let mut fields: Vec<(String, String)> = Vec::new();
    let mut push = |name: &str, value: &str| fields.push((name.to_string(), value.to_string()));
    push("cnameHostname", cname);
    match kind {
        CertKind::EdgeHost => {
            push("ipVersion", "ipv4");
            push("product", "alta");
            return fields;
        }
        CertKind::ModSan => {
            push("createType", "modSan");
            push("issuer", issuer.token());
            for name in names {
                push("add.sans", name);
            }
            return fields;
        }
        _ => {}
    }
    push("createType", kind.create_type());
    push("issuer", issuer.token());
    if let Some(common_name) = names.first() {
        push("csr.cn", common_name);
    }
    push("csr.c", &contract.country);
    push("csr.st", &contract.region);
    push("csr.l", &contract.city);
    push("csr.o", &contract.organization);
    push("csr.ou", &contract.unit);
    if kind == CertKind::San {
        for name in names {
            push("csr.sans", name);
        }
    }
    let org = "organization-information";
    push(&format!("{org}.organization-name"), &contract.organization);
    push(&format!("{org}.address-line-one"), &contract.address);
    push(&format!("{org}.city"), &contract.city);
    push(&format!("{org}.region"), &contract.region);
    push(&format!("{org}.postal-code"), &contract.postal_code);
    push(&format!("{org}.country"), &contract.country);
    push(&format!("{org}.phone"), &contract.phone);
    for (prefix, person) in [
        ("admin-contact", &contract.admin),
        ("technical-contact", &contract.tech),
    ] {
        for (suffix, value) in ["first-name", "last-name", "phone", "email"]
            .iter()
            .zip(person.iter())
        {
            push(&format!("{prefix}.{suffix}"), value);
        }
    }
    push("ipVersion", "ipv4");
    push("slot-deployment.klass", "esslType");
    push("signature-algorithm", "SHA-256");
    push("sni-only", "true");
    fields
}

const BRANDS: &[&str] = &[
    "acme",
    "northwind",
    "contoso",
    "fabrikam",
    "tailspin",
    "wingtip",
    "adatum",
    "litware",
    "proseware",
    "woodgrove",
    "lucerne",
    "margie",
    "fourthcoffee",
    "alpine",
    "bluesky",
    "coho",
    "datum",
    "fineart",
    "graphic",
    "humongous",
    "lamna",
    "nod",
    "relecloud",
    "southridge",
    "trey",
    "wideworld",
    "blueyonder",
    "consolidated",
    "greenleaf",
    "harbor",
    "ironwood",
    "juniper",
    "keystone",
    "lakeside",
    "meridian",
    "oakridge",
    "pinecrest",
    "quarry",
    "redwood",
    "summit",
];
const ZONES: &[&str] = &["example.com", "example.net", "example.org", "example"];
const PREFIXES: &[&str] = &[
    "www", "shop", "api", "cdn", "static", "img", "m", "blog", "login", "pay", "media", "news",
    "app", "docs", "status", "assets", "video", "store", "account", "help",
];

/// Where generated worlds put a third of their requests.
const BUSY_PAIR: (&str, &str) = ("C-1EXMPL", "10010");

/// Draws random but plausible requests over the account's pairs.
pub(super) struct Generator {
    pairs: Vec<(String, String)>,
    contracts: HashMap<String, ContractFile>,
    /// Certificates drawn so far, per pair, for modSan and edge hosts to point at.
    certificates: HashMap<(String, String), Vec<String>>,
}

impl Generator {
    /// Fails on an account without a single group/contract pair to put requests in.
    pub(super) fn new(
        world: &World,
        contracts: HashMap<String, ContractFile>,
    ) -> Result<Self, SimError> {
        let pairs = world.pairs();
        if pairs.is_empty() {
            return Err(SimError::World(
                "the account has no group/contract pair to put requests in".to_string(),
            ));
        }
        Ok(Generator {
            pairs,
            contracts,
            certificates: HashMap::new(),
        })
    }

    pub(super) fn draft(
        &mut self,
        rng: &mut StdRng,
        index: usize,
        now: DateTime<Utc>,
        story: Option<Story>,
    ) -> (Draft, Option<String>) {
        // A third of all requests land in one busy pair, so a large world has a list of
        // thousands to scroll; the rest spread evenly.
        let busy = self
            .pairs
            .iter()
            .position(|(contract, group)| contract == BUSY_PAIR.0 && group == BUSY_PAIR.1)
            .unwrap_or(0);
        let chosen = if rng.random_bool(0.35) {
            busy
        } else {
            rng.random_range(0..self.pairs.len())
        };
        let (contract_id, group_id) = self.pairs[chosen].clone();
        let pair = (contract_id.clone(), group_id.clone());
        let brand = BRANDS[rng.random_range(0..BRANDS.len())];
        let zone = ZONES[rng.random_range(0..ZONES.len())];
        let round = index / (BRANDS.len() * ZONES.len());
        let base = if round == 0 {
            format!("{brand}.{zone}")
        } else {
            format!("{brand}{round}.{zone}")
        };
        let roll: f64 = rng.random();
        let existing = self
            .certificates
            .get(&pair)
            .filter(|names| !names.is_empty());
        let mut kind = if roll < 0.40 {
            CertKind::San
        } else if roll < 0.65 {
            CertKind::Single
        } else if roll < 0.75 {
            CertKind::Wildcard
        } else if roll < 0.85 {
            CertKind::ModSan
        } else {
            CertKind::EdgeHost
        };
        let on = match (kind, existing) {
            (CertKind::ModSan | CertKind::EdgeHost, Some(names)) => {
                Some(names[rng.random_range(0..names.len())].clone())
            }
            (CertKind::ModSan | CertKind::EdgeHost, None) => {
                kind = CertKind::San;
                None
            }
            _ => None,
        };
        let issuer = match kind {
            CertKind::San | CertKind::ModSan if rng.random_bool(0.6) => Issuer::LetsEncrypt,
            _ => Issuer::Symantec,
        };
        let prefix = PREFIXES[rng.random_range(0..PREFIXES.len())];
        let (cname, names) = match kind {
            CertKind::Single => {
                let name = format!("{prefix}.{base}");
                (name.clone(), vec![name])
            }
            CertKind::Wildcard => (format!("wildcard.{base}"), vec![format!("*.{base}")]),
            CertKind::San => {
                let count = rng.random_range(1..=5);
                let mut names = vec![format!("{prefix}.{base}")];
                while names.len() <= count {
                    let extra = PREFIXES[rng.random_range(0..PREFIXES.len())];
                    let name = format!("{extra}.{base}");
                    if names.contains(&name) {
                        break;
                    }
                    names.push(name);
                }
                (names[0].clone(), names)
            }
            CertKind::ModSan => {
                let target = on.clone().unwrap_or_default();
                let zone = target
                    .split_once('.')
                    .map_or(target.as_str(), |(_, zone)| zone);
                (target.clone(), vec![format!("{prefix}{index}.{zone}")])
            }
            CertKind::EdgeHost => (format!("{prefix}-v6.{base}"), Vec::new()),
        };
        let story = story.unwrap_or_else(|| {
            let roll: f64 = rng.random();
            let drawn = if kind == CertKind::EdgeHost {
                if roll < 0.15 {
                    Story::EdgeCreating
                } else if roll < 0.25 {
                    Story::EdgeExists
                } else {
                    Story::Complete
                }
            } else if roll < 0.45 {
                Story::Complete
            } else if roll < 0.55 {
                Story::CpsRunning
            } else if roll < 0.60 {
                Story::Pending
            } else if roll < 0.70 {
                Story::Validating
            } else if roll < 0.80 {
                Story::NeedsUser
            } else if roll < 0.85 {
                Story::Invalid
            } else if roll < 0.92 {
                Story::Cancelled
            } else {
                Story::Expired
            };
            if drawn.fits(kind, issuer) {
                drawn
            } else {
                Story::Complete
            }
        });
        let plan = stories::plan(story, kind, issuer, &names, now, rng);
        if matches!(kind, CertKind::San | CertKind::Single | CertKind::Wildcard) {
            self.certificates
                .entry(pair)
                .or_default()
                .push(cname.clone());
        }
        let parameters = match self.contracts.get(&contract_id) {
            Some(contract) => parameters(contract, kind, issuer, &cname, &names),
            None => Vec::new(),
        };
        (
            Draft {
                contract_id,
                group_id,
                kind,
                issuer,
                cname_hostname: cname,
                names,
                parameters,
                plan,
                enrollment_of: None,
            },
            on,
        )
    }
}
