//! The wizard's state in named parts, each owning its fields.

use std::collections::BTreeSet;

use super::draft::WizardDraft;
use super::steps::{Flow, Step};
use crate::sps::request::{CheckedRequest, FieldProblem};

/// Where the operator is.
#[derive(Debug, Clone)]
pub(super) struct Navigation {
    pub(super) flow: Flow,
    pub(super) step: Step,
    /// The highlighted option on a choice step.
    pub(super) cursor: usize,
    /// The focused field on a text step.
    pub(super) focus: usize,
    /// Lines scrolled on the review (it is longer than a small terminal).
    pub(super) review_scroll: u16,
}

impl Default for Navigation {
    fn default() -> Self {
        Navigation {
            flow: Flow::NewCertificate,
            step: Step::Flow,
            cursor: 0,
            focus: 0,
            review_scroll: 0,
        }
    }
}

/// What the request model and the server said about the values.
#[derive(Debug, Clone, Default)]
pub(super) struct Checks {
    /// The model's problems with the current values (refreshed after every change).
    pub(super) problems: Vec<FieldProblem>,
    /// The request exactly as it would be sent, when there are no problems.
    pub(super) checked: Option<CheckedRequest>,
    /// Steps the operator tried to leave: their empty required fields say so too.
    pub(super) attempted: BTreeSet<Step>,
    /// What SPS said about fields in its last 400.
    pub(super) server_problems: Vec<FieldProblem>,
    /// On CPS: the enrollment order, once CPS's own rules hold too.
    pub(super) cps_order: Option<crate::orders::cps_order::CpsOrder>,
}

/// The submission in flight, or the memory of one whose answer never came.
#[derive(Debug, Clone, Default)]
pub(super) struct Sending {
    pub(super) in_flight: bool,
    /// The last submission got no answer: it may exist, so another one needs a deliberate `S`.
    pub(super) lost_submission: bool,
}

/// Unsaved changes, and the draft offered when the wizard opened.
#[derive(Debug, Clone, Default)]
pub(super) struct DraftTracking {
    /// The operator changed something (quitting asks first).
    pub(super) touched: bool,
    /// A step changed since the host last took the draft.
    pub(super) save_pending: bool,
    pub(super) offered_draft: Option<WizardDraft>,
}
