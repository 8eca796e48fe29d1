//! Read-only views of the wizard for rendering: what each field shows and the review.

use tui_input::Input;

use super::Wizard;
use super::steps::{FieldKind, FieldSpec, Flow, Step, label_of};
use crate::edgegrid::client::Endpoint;
use crate::sps::hostname::{Wildcard, parse_hostname};

/// One text field as the screen shows it.
#[derive(Debug, Clone)]
pub struct FieldView<'a> {
    pub spec: FieldSpec,
    pub input: Option<&'a Input>,
    pub focused: bool,
    /// The problem to show next to it.
    pub problem: Option<String>,
    /// A helpful note next to it (the resulting edge hostname, the punycode form).
    pub hint: Option<String>,
}

/// One name of a name list.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ListItemView {
    pub name: String,
    /// The other spelling of an internationalised name.
    pub other_spelling: Option<String>,
    pub problem: Option<String>,
    /// The common name, always included once.
    pub is_common_name: bool,
}

/// Where the dashboard's calls go, so the review can show the whole URL a submission is sent
/// to, built as the client builds it (what `--dry-run` prints).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ApiTarget {
    /// `https://akab-….luna.akamaiapis.net` or `http://127.0.0.1:PORT`.
    pub origin: String,
    pub account_switch_key: Option<String>,
}

/// The review: every value, and the request exactly as it will be sent.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReviewView {
    pub values: Vec<(String, String)>,
    /// `POST https://host/config-…/sps-requests?contractId=…&groupId=…`, the whole URL when
    /// the API is known (`absolute`), else the path and query alone.
    pub request_line: String,
    pub absolute: bool,
    /// The form body on one line, as on the wire and as `--dry-run` prints it.
    pub body: String,
}

impl Wizard {
    pub fn field_views(&self) -> Vec<FieldView<'_>> {
        self.visible_fields()
            .into_iter()
            .enumerate()
            .map(|(index, spec)| {
                let problem = if spec.kind == FieldKind::NameList {
                    // The list's own problems (the count, an empty list) show at its input.
                    self.checks
                        .problems
                        .iter()
                        .chain(&self.checks.server_problems)
                        .find(|problem| problem.field == spec.key)
                        .filter(|_| {
                            !self.list_is_empty(spec.key)
                                || self.checks.attempted.contains(&self.nav.step)
                        })
                        .map(|problem| problem.message.clone())
                } else {
                    self.shown_problem(spec.key)
                        .map(|problem| problem.message.clone())
                };
                // On CPS the edge hostname needs its product and PAPI group.
                let mut spec = spec;
                if self.backend == crate::model::Api::Cps
                    && matches!(spec.key, "product" | "group_id")
                {
                    spec.optional = false;
                }
                FieldView {
                    spec,
                    input: self.values.inputs.get(spec.key),
                    focused: index == self.nav.focus,
                    problem,
                    hint: self.hint_for(spec.key),
                }
            })
            .collect()
    }

    fn list_is_empty(&self, key: &str) -> bool {
        self.values.list(key).is_empty()
    }

    fn hint_for(&self, key: &str) -> Option<String> {
        let value = self.values.get(key);
        match key {
            "cname_hostname" => {
                let cname = if value.trim().is_empty() {
                    self.values.default_cname_hostname()
                } else {
                    value.trim().to_lowercase()
                };
                let ascii = parse_hostname(&cname, Wildcard::Refused)
                    .map(|name| name.ascii)
                    .unwrap_or(cname);
                (!ascii.is_empty()).then(|| format!("→ {ascii}.edgekey.net"))
            }
            "common_name" => parse_hostname(value, Wildcard::Allowed)
                .ok()
                .filter(|name| name.is_internationalised())
                .map(|name| format!("→ {}", name.ascii)),
            "sans" | "domains" => Some(format!(
                "{} name(s){}",
                self.list_count(key),
                if key == "sans" {
                    " with the common name; at most 100"
                } else {
                    ""
                }
            )),
            _ => None,
        }
    }

    fn list_count(&self, key: &str) -> usize {
        let listed = self.values.list(key).len();
        if key == "sans" { listed + 1 } else { listed }
    }

    /// The names of a name-list field, each with its problem; for the SAN list the common name
    /// comes first.
    pub fn list_items(&self, key: &str) -> Vec<ListItemView> {
        let mut items = Vec::new();
        if key == "sans" {
            let cn = self.values.get("common_name").trim().to_lowercase();
            if !cn.is_empty() {
                items.push(self.item(&cn, None, true));
            }
        }
        for (index, name) in self.values.list(key).iter().enumerate() {
            let field = format!("{key}[{index}]");
            let problem = self
                .checks
                .server_problems
                .iter()
                .chain(&self.checks.problems)
                .find(|problem| problem.field == field)
                .map(|problem| problem.message.clone());
            items.push(self.item(name, problem, false));
        }
        items
    }

    fn item(&self, name: &str, problem: Option<String>, is_common_name: bool) -> ListItemView {
        let other_spelling = parse_hostname(name, Wildcard::Allowed)
            .ok()
            .filter(|parsed| parsed.is_internationalised())
            .map(|parsed| {
                if parsed.ascii == name {
                    parsed.unicode
                } else {
                    parsed.ascii
                }
            });
        ListItemView {
            name: name.to_string(),
            other_spelling,
            problem,
            is_common_name,
        }
    }

    /// The review, once every check passes.
    pub fn review(&self) -> Option<ReviewView> {
        let checked = self.checks.checked.as_ref()?;
        let values = &self.values;
        let mut rows: Vec<(String, String)> = vec![("Pair".into(), self.pair.to_string())];
        let yes_no = |yes: bool| if yes { "yes" } else { "no" }.to_string();
        match self.nav.flow {
            Flow::NewCertificate => {
                rows.push(("Kind".into(), values.kind.create_type().into()));
                rows.push((
                    "Validation".into(),
                    format!(
                        "{} (issuer {})",
                        values.validation.as_str().to_uppercase(),
                        values.validation.issuer()
                    ),
                ));
                let names: Vec<String> = checked
                    .names
                    .iter()
                    .map(|name| name.display_both())
                    .collect();
                rows.push((format!("Names ({})", names.len()), names.join(", ")));
                rows.push((
                    "Edge hostname".into(),
                    format!("{}.edgekey.net", checked.cname_hostname),
                ));
                rows.push(("Signature".into(), values.signature.as_str().into()));
                rows.push(("SNI only".into(), yes_no(values.sni_only)));
                rows.push(("IP version".into(), values.ip_version.as_str().into()));
                rows.push(("Product".into(), product_shown(values.get("product"))));
                for step in [
                    Step::Subject,
                    Step::Organization,
                    Step::AdminContact,
                    Step::TechnicalContact,
                ] {
                    let text: Vec<String> = step
                        .fields()
                        .iter()
                        .map(|spec| values.get(spec.key).trim().to_string())
                        .filter(|value| !value.is_empty())
                        .collect();
                    let label = match step {
                        Step::Subject => "Subject",
                        _ => step.title(),
                    };
                    rows.push((label.into(), text.join(", ")));
                }
            }
            Flow::AddDomains => {
                rows.push(("Certificate".into(), checked.cname_hostname.clone()));
                rows.push(("jobId".into(), values.get("job_id").trim().into()));
                rows.push(("Validation".into(), values.validation.issuer().into()));
                let names: Vec<String> = checked
                    .names
                    .iter()
                    .map(|name| name.display_both())
                    .collect();
                rows.push((format!("Adding ({})", names.len()), names.join(", ")));
            }
            Flow::EdgeHost => {
                rows.push((
                    "Edge hostname".into(),
                    format!("{}.edgekey.net", checked.cname_hostname),
                ));
                rows.push((
                    "enrollmentId".into(),
                    values.get("enrollment_id").trim().into(),
                ));
                rows.push(("IP version".into(), values.ip_version.as_str().into()));
                rows.push(("Product".into(), product_shown(values.get("product"))));
            }
        }
        if self.backend == crate::model::Api::Cps {
            rows.push(("Group (PAPI)".into(), values.get("group_id").trim().into()));
            return Some(self.cps_review(rows));
        }
        let path = checked.endpoint.path();
        let query = [
            ("contractId", self.pair.contract_id.clone()),
            ("groupId", self.pair.group_id.clone().unwrap_or_default()),
        ];
        // The client's own URL builder, so the line is the URL sent, encoding included.
        let whole = self.api.as_ref().and_then(|api| {
            Endpoint::parse(&api.origin)
                .and_then(|endpoint| endpoint.url(path, &query, api.account_switch_key.as_deref()))
                .ok()
        });
        let request_line = match &whole {
            Some(url) => format!("POST {url}"),
            None => format!(
                "POST {path}?contractId={}&groupId={}",
                query[0].1, query[1].1
            ),
        };
        Some(ReviewView {
            values: rows,
            request_line,
            absolute: whole.is_some(),
            body: checked.form.encode(),
        })
    }

    /// CPS's review: the enrollment's request and the edge hostname's, as the client planned
    /// them (the host plans them when the review opens).
    fn cps_review(&self, values: Vec<(String, String)>) -> ReviewView {
        let (request_line, body) = match self.cps_requests() {
            None => ("(planning the requests…)".to_string(), String::new()),
            Some(Err(why)) => (
                format!("The requests cannot be planned: {why}"),
                String::new(),
            ),
            Some(Ok(requests)) => {
                let mut lines: Vec<String> = Vec::new();
                for (at, shown) in requests.iter().enumerate() {
                    if at > 0 {
                        lines.push(String::new());
                        lines.push(
                            "then, with the new enrollment's id as certEnrollmentId:".to_string(),
                        );
                    }
                    lines.extend(shown.lines());
                }
                let first = if lines.is_empty() {
                    String::new()
                } else {
                    lines.remove(0)
                };
                (first, lines.join("\n"))
            }
        };
        ReviewView {
            values,
            request_line,
            absolute: matches!(self.cps_requests(), Some(Ok(_))),
            body,
        }
    }

    /// Server problems for the review, with the label of the field they name.
    pub fn labelled_server_problems(&self) -> Vec<String> {
        self.checks
            .server_problems
            .iter()
            .map(|problem| format!("{}: {}", label_of(&problem.field), problem.message))
            .collect()
    }
}

/// The product as the review shows it: empty means SPS picks the contract's default.
fn product_shown(product: &str) -> String {
    let product = product.trim();
    if product.is_empty() {
        "(default)".into()
    } else {
        product.into()
    }
}
