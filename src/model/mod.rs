//! The neutral model above the wire: what the dashboard, the commands, the exporters and the
//! readiness check work on, whichever API (SPS or CPS) the account speaks. Each API converts
//! into it in its own module (`sps::neutral`, `cps::neutral`); nothing here knows a path, a
//! media type or a wire name.

pub mod api_time;
pub mod certificate;
pub mod domain;
pub mod expiry;
pub mod field_problem;
pub mod fingerprint;
pub mod kind;
pub mod known;
pub mod read_list;
pub mod request;
pub mod scope;
pub mod served;
pub mod state;
pub mod submission;
pub mod time;
pub mod transition;

pub use certificate::{
    CertificateFacts, CertificateRecord, DnsTxtRecord, NetworkFacts, PendingFacts,
};
pub use domain::{DnsChallenge, DomainStatus, DomainValidation, domain_state};
pub use expiry::{CertificateExpiry, ExpiryBand, Network, days_left, describe_days_left};
pub use field_problem::FieldProblem;
pub use fingerprint::Fingerprint;
pub use kind::{Awaiting, ValidationType};
pub use known::Text;
pub use read_list::{ReadItem, ReadList, TextHash};
pub use request::{Api, CertRequest, Detail, PendingChange, RequestStatus, compact_list};
pub use scope::{NamedScope, Scope};
pub use state::RequestState;
pub use time::{StatusChange, parse_time};
pub use transition::{StatusText, Transition};
