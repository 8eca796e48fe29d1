//! The wizard's records kept between uses: the saved draft it offers, the submissions whose
//! answer never came (matched against each fresh list), and the request to select once it
//! shows up.

use super::table::RowKey;
use super::wizard::WizardDraft;
use crate::sps::submission::Submission;

#[derive(Debug, Clone, Default, PartialEq)]
pub struct SubmissionState {
    /// The saved wizard draft, offered when the wizard opens.
    pub stored_draft: Option<WizardDraft>,
    /// Submissions that got no answer, matched against each fresh list.
    pub unresolved: Vec<Submission>,
    /// A submitted request to select once it shows up in its list.
    pub pending_select: Option<RowKey>,
}
