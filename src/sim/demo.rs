//! The demo world (`assets/demo-world.toml`: an account, its contracts, groups and a hand-picked
//! set of requests covering every status and kind) and the generator of large worlds
//! (`--requests N`). Both are deterministic for a seed; only the anchor time is "now".

use std::collections::HashMap;

use chrono::{DateTime, Duration, Utc};
use rand::Rng;
use rand::rngs::StdRng;
use serde::Deserialize;

use super::SimError;
use super::lifecycle::{CertKind, Issuer};
use super::stories::{self, Story};
use super::world::{Draft, Group, World};

const DEMO_WORLD: &str = include_str!("../../assets/demo-world.toml");

/// How many requests arrive after the start of a demo (one every few world minutes).
const DEMO_ARRIVALS: usize = 200;

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct WorldFile {
    account_id: String,
    account_name: String,
    contracts: Vec<ContractFile>,
    groups: Vec<GroupFile>,
    #[serde(default)]
    requests: Vec<RequestFile>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
struct ContractFile {
    id: String,
    organization: String,
    address: String,
    city: String,
    region: String,
    postal_code: String,
    country: String,
    phone: String,
    unit: String,
    /// first name, last name, phone, email
    admin: [String; 4],
    tech: [String; 4],
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct GroupFile {
    id: String,
    name: String,
    #[serde(default)]
    parent: Option<String>,
    contracts: Vec<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RequestFile {
    contract: String,
    group: String,
    #[serde(rename = "type")]
    kind: String,
    #[serde(default)]
    issuer: Option<String>,
    /// Common name (certificates) or nothing (edge hosts).
    #[serde(default)]
    cn: Option<String>,
    /// Defaults to the common name (without `*.` for a wildcard).
    #[serde(default)]
    cname: Option<String>,
    #[serde(default)]
    sans: Vec<String>,
    /// modSan and edgeHost: the cnameHostname of the certificate they change.
    #[serde(default)]
    on: Option<String>,
    story: String,
}

/// The demo world, anchored at `now`.
pub fn demo_world(seed: u64, now: DateTime<Utc>) -> Result<World, SimError> {
    let file: WorldFile = toml::from_str(DEMO_WORLD)
        .map_err(|error| SimError::World(format!("assets/demo-world.toml: {error}")))?;
    build(file, seed, now, true)
}

/// A world of `count` generated requests over the demo account's groups.
pub fn generated_world(seed: u64, count: usize, now: DateTime<Utc>) -> Result<World, SimError> {
    let mut file: WorldFile = toml::from_str(DEMO_WORLD)
        .map_err(|error| SimError::World(format!("assets/demo-world.toml: {error}")))?;
    file.requests.clear();
    let mut world = build(file, seed, now, false)?;
    let contracts = contracts_of(DEMO_WORLD)?;
    let mut generator = Generator::new(&world, contracts);
    let mut drafts: Vec<(Draft, Option<String>)> = (0..count)
        .map(|index| generator.draft(world.rng(), index, now, None))
        .collect();
    insert_in_creation_order(&mut world, &mut drafts);
    Ok(world)
}

fn contracts_of(text: &str) -> Result<HashMap<String, ContractFile>, SimError> {
    let file: WorldFile = toml::from_str(text)
        .map_err(|error| SimError::World(format!("assets/demo-world.toml: {error}")))?;
    Ok(file
        .contracts
        .into_iter()
        .map(|contract| (contract.id.clone(), contract))
        .collect())
}

fn build(
    file: WorldFile,
    seed: u64,
    now: DateTime<Utc>,
    arrivals: bool,
) -> Result<World, SimError> {
    let groups = file
        .groups
        .iter()
        .map(|group| Group {
            group_id: group.id.clone(),
            group_name: group.name.clone(),
            parent_group_id: group.parent.clone(),
            contract_ids: group.contracts.clone(),
        })
        .collect();
    let mut world = World::new(&file.account_id, &file.account_name, groups, seed);
    let contracts: HashMap<String, ContractFile> = file
        .contracts
        .iter()
        .map(|contract| (contract.id.clone(), contract.clone()))
        .collect();
    let mut drafts = Vec::new();
    for (index, request) in file.requests.iter().enumerate() {
        let draft = demo_draft(&world, &contracts, request)
            .map_err(|error| SimError::World(format!("demo request #{}: {error}", index + 1)))?;
        drafts.push(draft);
    }
    // Draws happen in file order so a seed always gives the same world.
    let mut planned = Vec::new();
    for picked in drafts {
        let plan = stories::plan(
            picked.story,
            picked.kind,
            picked.issuer,
            &picked.names,
            now,
            world.rng(),
        );
        let parameters = parameters(
            &contracts[&picked.contract_id],
            picked.kind,
            picked.issuer,
            &picked.cname_hostname,
            &picked.names,
        );
        planned.push((
            Draft {
                contract_id: picked.contract_id,
                group_id: picked.group_id,
                kind: picked.kind,
                issuer: picked.issuer,
                cname_hostname: picked.cname_hostname,
                names: picked.names,
                parameters,
                plan,
                enrollment_of: None,
            },
            picked.on,
        ));
    }
    if arrivals {
        let mut generator = Generator::new(&world, contracts);
        let mut at = now;
        for index in 0..DEMO_ARRIVALS {
            at += Duration::seconds(world.rng().random_range(2 * 60..=8 * 60));
            let arrival = generator.draft(world.rng(), index, at, Some(Story::Submitted));
            planned.push(arrival);
        }
    }
    insert_in_creation_order(&mut world, &mut planned);
    Ok(world)
}

/// One request of the demo file, checked, before its plan is drawn.
struct Picked {
    contract_id: String,
    group_id: String,
    kind: CertKind,
    issuer: Issuer,
    cname_hostname: String,
    names: Vec<String>,
    story: Story,
    on: Option<String>,
}

fn demo_draft(
    world: &World,
    contracts: &HashMap<String, ContractFile>,
    request: &RequestFile,
) -> Result<Picked, String> {
    if !world.is_granted(&request.contract, &request.group) {
        return Err(format!(
            "contract {} / group {} is not a pair of the account",
            request.contract, request.group
        ));
    }
    if !contracts.contains_key(&request.contract) {
        return Err(format!("no [[contracts]] entry for {}", request.contract));
    }
    let kind = match request.kind.as_str() {
        "single" => CertKind::Single,
        "wildcard" => CertKind::Wildcard,
        "san" => CertKind::San,
        "modSan" => CertKind::ModSan,
        "edgeHost" => CertKind::EdgeHost,
        other => return Err(format!("unknown type '{other}'")),
    };
    let issuer = match request.issuer.as_deref() {
        Some("lets-encrypt") => Issuer::LetsEncrypt,
        Some("symantec") | None => Issuer::Symantec,
        Some(other) => return Err(format!("unknown issuer '{other}'")),
    };
    let story = Story::from_name(&request.story)
        .ok_or_else(|| format!("unknown story '{}'", request.story))?;
    if !story.fits(kind, issuer) {
        return Err(format!(
            "story '{}' cannot happen to a {} request by {}",
            request.story,
            request.kind,
            issuer.token()
        ));
    }
    if matches!(kind, CertKind::ModSan | CertKind::EdgeHost) && request.on.is_none() {
        return Err("modSan and edgeHost need `on`".to_string());
    }
    let mut names: Vec<String> = request.cn.iter().cloned().collect();
    for name in &request.sans {
        if !names.contains(name) {
            names.push(name.clone());
        }
    }
    let cname_hostname = request
        .cname
        .clone()
        .or_else(|| {
            request
                .cn
                .as_ref()
                .map(|cn| cn.trim_start_matches("*.").to_string())
        })
        .or_else(|| request.on.clone().filter(|_| kind == CertKind::ModSan))
        .ok_or("needs cn or cname")?;
    Ok(Picked {
        contract_id: request.contract.clone(),
        group_id: request.group.clone(),
        kind,
        issuer,
        cname_hostname,
        names,
        story,
        on: request.on.clone(),
    })
}

/// Ids follow creation time, as they would on a real account. `on` names the cnameHostname
/// whose enrollment a modSan or edge host changes (the latest one created before it).
fn insert_in_creation_order(world: &mut World, drafts: &mut [(Draft, Option<String>)]) {
    drafts.sort_by_key(|(draft, _)| draft.plan.created);
    let mut by_cname: HashMap<(String, String, String), u64> = HashMap::new();
    for (draft, on) in drafts.iter() {
        let mut draft = draft.clone();
        let key = |cname: &str| {
            (
                draft.contract_id.clone(),
                draft.group_id.clone(),
                cname.to_string(),
            )
        };
        draft.enrollment_of = on.as_deref().and_then(|on| by_cname.get(&key(on)).copied());
        let own = key(&draft.cname_hostname);
        let is_certificate = matches!(
            draft.kind,
            CertKind::Single | CertKind::Wildcard | CertKind::San
        );
        if draft.kind == CertKind::ModSan
            && let Some(previous) = draft.enrollment_of.and_then(|id| world.request(id))
        {
            draft
                .parameters
                .insert(2, ("jobId".to_string(), previous.job_id.to_string()));
        }
        let sps_id = world.insert(draft);
        if is_certificate {
            by_cname.insert(own, sps_id);
        }
    }
}

/// The form a request was submitted with, echoed by `information=true`.
fn parameters(
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
struct Generator {
    pairs: Vec<(String, String)>,
    contracts: HashMap<String, ContractFile>,
    /// Certificates drawn so far, per pair, for modSan and edge hosts to point at.
    certificates: HashMap<(String, String), Vec<String>>,
}

impl Generator {
    fn new(world: &World, contracts: HashMap<String, ContractFile>) -> Self {
        Generator {
            pairs: world.pairs(),
            contracts,
            certificates: HashMap::new(),
        }
    }

    fn draft(
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

#[cfg(test)]
#[path = "demo_tests.rs"]
mod tests;
