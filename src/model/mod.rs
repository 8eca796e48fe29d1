//! The neutral model above the wire: what the dashboard, the commands, the exporters and the
//! readiness check work on, whichever API (SPS or CPS) the account speaks. Each API converts
//! into it in its own module; nothing here knows a path, a media type or a wire name.

pub mod certificate;
pub mod expiry;
pub mod scope;
pub mod time;

pub use certificate::{
    CertificateFacts, CertificateRecord, DnsTxtRecord, NetworkFacts, PendingFacts,
};
pub use expiry::{CertificateExpiry, ExpiryBand, Network, days_left, describe_days_left};
pub use scope::{GroupContract, NamedPair};
pub use time::{StatusChange, parse_time};
