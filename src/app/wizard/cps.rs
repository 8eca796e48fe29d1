//! The wizard on CPS: the order is an enrollment (CPS's own rules on top of the model's) and
//! its PAPI edge hostname (which needs the group), and the review shows both requests as the
//! host's client plans them.

use super::steps::{Flow, Step};
use super::{FieldProblem, Wizard};
use crate::model::{Api, Scope};
use crate::orders::cps_order::CpsOrder;
use crate::orders::shown::Shown;

/// A checked CPS order and where it goes: the enrollment to the scope's contract, the edge
/// hostname to its group.
#[derive(Debug, Clone, PartialEq)]
pub struct CpsCreate {
    pub scope: Scope,
    pub order: CpsOrder,
}

impl Wizard {
    /// The same wizard, ordering through `backend` (CPS also asks for the PAPI group of the
    /// edge hostname, the pair's own when it has one).
    pub fn with_backend(mut self, backend: Api) -> Wizard {
        self.backend = backend;
        if backend == Api::Cps
            && self.values.get("group_id").trim().is_empty()
            && let Some(group) = self.pair.group_id.clone()
        {
            self.values.set("group_id", &group);
        }
        self.refresh();
        self
    }

    pub fn backend(&self) -> Api {
        self.backend
    }

    /// On CPS's review: the order whose exact requests the host should plan (the client builds
    /// them, so the review shows what is sent), once per order.
    pub fn cps_plan_wanted(&mut self) -> Option<Box<CpsCreate>> {
        if self.backend != Api::Cps || self.nav.step != Step::Review {
            return None;
        }
        let create = self.cps_create()?;
        let planned = self
            .cps_planned
            .as_ref()
            .is_some_and(|(known, _)| *known == create);
        if planned || self.cps_plan_asked.as_ref() == Some(&create) {
            return None;
        }
        self.cps_plan_asked = Some(create.clone());
        Some(Box::new(create))
    }

    /// The host planned `create`: the enrollment's request, then the edge hostname's.
    pub fn cps_planned(&mut self, create: CpsCreate, result: Result<Vec<Shown>, String>) {
        if self.cps_plan_asked.as_ref() == Some(&create) {
            self.cps_plan_asked = None;
        }
        self.cps_planned = Some((create, result));
    }

    /// The planned requests of the order as it is now (`None` while planning).
    pub(super) fn cps_requests(&self) -> Option<&Result<Vec<Shown>, String>> {
        let create = self.cps_create()?;
        self.cps_planned
            .as_ref()
            .filter(|(known, _)| *known == create)
            .map(|(_, planned)| planned)
    }

    /// The flows the first screen offers: on CPS names and edge hostnames of existing
    /// enrollments are `a` and `e` on the enrollment itself.
    pub fn flows(&self) -> &'static [Flow] {
        match self.backend {
            Api::Sps => &Flow::ALL,
            Api::Cps => &[Flow::NewCertificate],
        }
    }

    /// CPS's own rules on top of the model's (a product, Let's Encrypt's names…) and the
    /// PAPI group the edge hostname goes to; the order is kept once every rule holds.
    pub(super) fn refresh_cps_order(&mut self) {
        let mut problems = Vec::new();
        if self.values.get("group_id").trim().is_empty() {
            problems.push(FieldProblem::new(
                "group_id",
                "required on CPS: the PAPI group the edge hostname goes to, e.g. grp_30101 \
                 (`spsdash groups` lists them)",
            ));
        }
        match crate::orders::cps_order::cps_order_of(&self.values.new_certificate(), false) {
            Ok(order) if problems.is_empty() => self.checks.cps_order = Some(order),
            Ok(_) => {}
            Err(found) => problems.extend(found),
        }
        for problem in problems {
            if !self
                .checks
                .problems
                .iter()
                .any(|known| known.field == problem.field)
            {
                self.checks.problems.push(problem);
            }
        }
        if !self.checks.problems.is_empty() {
            self.checks.checked = None;
            self.checks.cps_order = None;
        }
    }

    /// The CPS order and its scope (the pair's contract, the typed group), once checked.
    pub(super) fn cps_create(&self) -> Option<CpsCreate> {
        let order = self.checks.cps_order.clone()?;
        let group = self.values.get("group_id").trim().to_string();
        Some(CpsCreate {
            scope: Scope::pair(self.pair.contract_id.clone(), group),
            order,
        })
    }
}
