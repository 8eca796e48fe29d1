//! The simulator's own CPS vocabulary: media types, the kinds of input a change waits for,
//! change states and statuses, and paths. Deliberately not the client's constants: the
//! simulator is what spsdash is tested against, so it must not share spsdash's mistakes.
//!
//! Where each word comes from:
//! - media types, `statusInfo.state` values, `pendingChanges[].changeType` values, the
//!   `input/info/{…}` and `input/update/{…}` names, change-history `action`/`status`: Akamai's
//!   published CPS v2 definitions (`akamai/akamai-apis`, `apis/cps/v2/openapi.json` and
//!   `parameters/allowedInput*TypeParam-path.yaml`);
//! - `wait-upload-third-party` and `allowedInput[].type` `third-party-certificate`: the same
//!   repository's example `examples/change.v1-no-error-allowed-input-3p.json`;
//! - the other `statusInfo.status` codes (`coodinate-domain-validation` with the API's own
//!   misspelling, `wait-review-pre-verification-safety-checks`, `wait-review-cert-warning`,
//!   `wait-ack-change-management`, `pre-verification-safety-checks`, `complete`) and the input
//!   types `lets-encrypt-challenges`, `pre-verification-warnings-acknowledgement`: Akamai's
//!   Terraform provider (`akamai/terraform-provider-akamai`, `pkg/providers/cps`), which tests
//!   against what CPS answers; the input types `change-management` and
//!   `post-verification-warnings-acknowledgement`: Akamai's CPS CLI (`akamai/cli-cps`,
//!   `bin/akamai-cps`). The definitions link status codes to a web page rather than list them.
//! - the media types of the writes (`enrollment-status.v1`, `change-id.v1`,
//!   `acknowledgement.v1`, `acknowledgement-with-hash.v1`, `certificate-and-trust-chain.v1`/
//!   `.v2`) and which `update` link takes which: the same definitions (the update operation's
//!   `Content-Type` enum) and Akamai's page "Change input content type mapping";
//! - The statuses marked [ours] below: the published material names no code for those steps.

/// `GET /cps/v2/enrollments?contractId=…`.
pub const ENROLLMENTS_V11: &str = "application/vnd.akamai.cps.enrollments.v11+json";
pub const ENROLLMENT_V11: &str = "application/vnd.akamai.cps.enrollment.v11+json";
pub const CHANGE_V2: &str = "application/vnd.akamai.cps.change.v2+json";
pub const DV_CHALLENGES_V2: &str = "application/vnd.akamai.cps.dv-challenges.v2+json";
pub const WARNINGS_V1: &str = "application/vnd.akamai.cps.warnings.v1+json";
pub const CHANGE_MANAGEMENT_INFO_V5: &str =
    "application/vnd.akamai.cps.change-management-info.v5+json";
/// The version Akamai's page on change input media types names for change management.
pub const CHANGE_MANAGEMENT_INFO_V4: &str =
    "application/vnd.akamai.cps.change-management-info.v4+json";
pub const CSR_V2: &str = "application/vnd.akamai.cps.csr.v2+json";
pub const CSR_V1: &str = "application/vnd.akamai.cps.csr.v1+json";
pub const CHANGE_HISTORY_V5: &str = "application/vnd.akamai.cps.change-history.v5+json";
/// The answer to a create or update of an enrollment (`POST`/`PUT`, 200 or 202).
pub const ENROLLMENT_STATUS_V1: &str = "application/vnd.akamai.cps.enrollment-status.v1+json";
/// The answer to an input given to a change, and to a cancelled change.
pub const CHANGE_ID_V1: &str = "application/vnd.akamai.cps.change-id.v1+json";
pub const ACKNOWLEDGEMENT_V1: &str = "application/vnd.akamai.cps.acknowledgement.v1+json";
pub const ACKNOWLEDGEMENT_WITH_HASH_V1: &str =
    "application/vnd.akamai.cps.acknowledgement-with-hash.v1+json";
pub const CERTIFICATE_AND_TRUST_CHAIN_V1: &str =
    "application/vnd.akamai.cps.certificate-and-trust-chain.v1+json";
pub const CERTIFICATE_AND_TRUST_CHAIN_V2: &str =
    "application/vnd.akamai.cps.certificate-and-trust-chain.v2+json";
/// The published version of the deployments answers is v7; Akamai's Go and PowerShell
/// clients (and spsdash today) send v8. The simulator answers either, in the shape of v7.
pub const DEPLOYMENTS: [&str; 2] = [
    "application/vnd.akamai.cps.deployments.v7+json",
    "application/vnd.akamai.cps.deployments.v8+json",
];
pub const DEPLOYMENT_V7: &str = "application/vnd.akamai.cps.deployment.v7+json";
pub const DEPLOYMENT_V8: &str = "application/vnd.akamai.cps.deployment.v8+json";
pub const DEPLOYMENT: [&str; 2] = [DEPLOYMENT_V7, DEPLOYMENT_V8];

pub const CPS_BASE: &str = "/cps/v2";

/// `/cps/v2/enrollments/{id}`.
pub fn enrollment_path(enrollment_id: u64) -> String {
    format!("{CPS_BASE}/enrollments/{enrollment_id}")
}

/// How Akamai's own published example writes an enrollment's location (`/cps-api/…`); one
/// enrollment of the demo is written this way so clients meet it.
pub fn legacy_enrollment_path(enrollment_id: u64) -> String {
    format!("/cps-api/enrollments/{enrollment_id}")
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Network {
    Production,
    Staging,
}

impl Network {
    pub fn parse(text: &str) -> Option<Network> {
        match text {
            "production" => Some(Network::Production),
            "staging" => Some(Network::Staging),
            _ => None,
        }
    }
}

/// `statusInfo.state` (the published enum).
pub mod state {
    pub const RUNNING: &str = "running";
    pub const AWAITING_INPUT: &str = "awaiting-input";
    pub const CANCELLED: &str = "cancelled";
    pub const COMPLETED: &str = "completed";
    pub const ERROR: &str = "error";
}

/// `statusInfo.status`.
pub mod status {
    pub const PRE_VERIFICATION: &str = "pre-verification-safety-checks";
    pub const REVIEW_PRE_VERIFICATION: &str = "wait-review-pre-verification-safety-checks";
    /// Sic: CPS spells it this way.
    pub const DOMAIN_VALIDATION: &str = "coodinate-domain-validation";
    pub const REVIEW_CERT_WARNING: &str = "wait-review-cert-warning";
    pub const UPLOAD_THIRD_PARTY: &str = "wait-upload-third-party";
    pub const ACK_CHANGE_MANAGEMENT: &str = "wait-ack-change-management";
    pub const COMPLETE: &str = "complete";
    /// [ours] the CA validating the organization (OV).
    pub const CA_VALIDATION: &str = "wait-ca-validation";
    /// [ours] the new certificate going out to the staging network.
    pub const DEPLOY_STAGING: &str = "deploy-to-staging";
    /// [ours] the new certificate going out to the production network.
    pub const DEPLOY_PRODUCTION: &str = "deploy-to-production";
    /// [ours] a change cancelled before it finished.
    pub const CANCELLED: &str = "cancelled";
}

/// `pendingChanges[].changeType` (the published enum).
pub mod change_type {
    pub const NEW_CERTIFICATE: &str = "new-certificate";
    pub const MODIFY_SAN: &str = "modify-san";
    pub const RENEWAL: &str = "renewal";
}

/// What a change waits for: `allowedInput[].type`, the name of its `info` and `update` links,
/// and the media type its info is served as.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum InputKind {
    LetsEncryptChallenges,
    PreVerificationWarnings,
    PostVerificationWarnings,
    ChangeManagement,
    ThirdPartyCertificate,
}

impl InputKind {
    pub const ALL: [InputKind; 5] = [
        InputKind::LetsEncryptChallenges,
        InputKind::PreVerificationWarnings,
        InputKind::PostVerificationWarnings,
        InputKind::ChangeManagement,
        InputKind::ThirdPartyCertificate,
    ];

    /// `allowedInput[].type`.
    pub fn input_type(self) -> &'static str {
        match self {
            InputKind::LetsEncryptChallenges => "lets-encrypt-challenges",
            InputKind::PreVerificationWarnings => "pre-verification-warnings-acknowledgement",
            InputKind::PostVerificationWarnings => "post-verification-warnings-acknowledgement",
            InputKind::ChangeManagement => "change-management",
            InputKind::ThirdPartyCertificate => "third-party-certificate",
        }
    }

    /// The last segment of the `info` link (`…/input/info/{this}`).
    pub fn info_name(self) -> &'static str {
        match self {
            InputKind::LetsEncryptChallenges => "lets-encrypt-challenges",
            InputKind::PreVerificationWarnings => "pre-verification-warnings",
            InputKind::PostVerificationWarnings => "post-verification-warnings",
            InputKind::ChangeManagement => "change-management-info",
            InputKind::ThirdPartyCertificate => "third-party-csr",
        }
    }

    /// The last segment of the `update` link (`…/input/update/{this}`).
    pub fn update_name(self) -> &'static str {
        match self {
            InputKind::LetsEncryptChallenges => "lets-encrypt-challenges-completed",
            InputKind::PreVerificationWarnings => "pre-verification-warnings-ack",
            InputKind::PostVerificationWarnings => "post-verification-warnings-ack",
            InputKind::ChangeManagement => "change-management-ack",
            InputKind::ThirdPartyCertificate => "third-party-cert-and-trust-chain",
        }
    }

    /// The `Content-Type`s its `update` link takes, the one Akamai's mapping page names first
    /// (`change-management-ack` also takes a plain acknowledgement, which the update
    /// operation's published header enum allows).
    pub fn update_media_types(self) -> &'static [&'static str] {
        match self {
            InputKind::LetsEncryptChallenges
            | InputKind::PreVerificationWarnings
            | InputKind::PostVerificationWarnings => &[ACKNOWLEDGEMENT_V1],
            InputKind::ChangeManagement => &[ACKNOWLEDGEMENT_WITH_HASH_V1, ACKNOWLEDGEMENT_V1],
            InputKind::ThirdPartyCertificate => &[
                CERTIFICATE_AND_TRUST_CHAIN_V2,
                CERTIFICATE_AND_TRUST_CHAIN_V1,
            ],
        }
    }

    /// The media types its info is served in, the newest first. Change management's info is
    /// its validation (change-management-info v5 or v4: the published definitions list
    /// v1/v2/v4/v5, Akamai's mapping page names v4) or the deployment staging has (deployment
    /// v7, or v8 as the mapping page and Akamai's clients ask). dv-challenges v1 (a flat list
    /// before the http-01/dns-01 split) and the older versions are not served.
    pub fn info_media_types(self) -> &'static [&'static str] {
        match self {
            InputKind::LetsEncryptChallenges => &[DV_CHALLENGES_V2],
            InputKind::PreVerificationWarnings | InputKind::PostVerificationWarnings => {
                &[WARNINGS_V1]
            }
            InputKind::ChangeManagement => &[
                CHANGE_MANAGEMENT_INFO_V5,
                CHANGE_MANAGEMENT_INFO_V4,
                DEPLOYMENT_V7,
                DEPLOYMENT_V8,
            ],
            InputKind::ThirdPartyCertificate => &[CSR_V2, CSR_V1],
        }
    }

    /// Challenges can be answered another way (CPS checks them itself); every other input
    /// must come before the change moves on.
    pub fn required_to_proceed(self) -> bool {
        self != InputKind::LetsEncryptChallenges
    }

    pub fn from_info_name(name: &str) -> Option<InputKind> {
        InputKind::ALL
            .into_iter()
            .find(|kind| kind.info_name() == name)
    }

    pub fn from_update_name(name: &str) -> Option<InputKind> {
        InputKind::ALL
            .into_iter()
            .find(|kind| kind.update_name() == name)
    }
}

/// The route template of a CPS path, for `/_sim/stats` (`/cps/v2/enrollments`,
/// `…/enrollments/{enrollmentId}/…`; the networks and input names as they are).
pub(super) fn route_template(path: &str) -> Option<String> {
    let list = format!("{CPS_BASE}/enrollments");
    if path == list {
        return Some(list);
    }
    let rest = path.strip_prefix(&format!("{list}/"))?;
    let segments: Vec<&str> = rest.split('/').collect();
    let numeric =
        |segment: &str| !segment.is_empty() && segment.bytes().all(|b| b.is_ascii_digit());
    let template = match segments.as_slice() {
        [id] if numeric(id) => "{enrollmentId}".to_string(),
        [id, "deployments"] if numeric(id) => "{enrollmentId}/deployments".to_string(),
        [id, "deployments", network @ ("production" | "staging")] if numeric(id) => {
            format!("{{enrollmentId}}/deployments/{network}")
        }
        [id, "history", "changes"] if numeric(id) => "{enrollmentId}/history/changes".to_string(),
        [id, "changes", change] if numeric(id) && numeric(change) => {
            "{enrollmentId}/changes/{changeId}".to_string()
        }
        [id, "changes", change, "input", "info", kind] if numeric(id) && numeric(change) => {
            let kind = if InputKind::from_info_name(kind).is_some() {
                kind
            } else {
                "{type}"
            };
            format!("{{enrollmentId}}/changes/{{changeId}}/input/info/{kind}")
        }
        [id, "changes", change, "input", "update", kind] if numeric(id) && numeric(change) => {
            let kind = if InputKind::from_update_name(kind).is_some() {
                kind
            } else {
                "{type}"
            };
            format!("{{enrollmentId}}/changes/{{changeId}}/input/update/{kind}")
        }
        _ => return None,
    };
    Some(format!("{list}/{template}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cps_paths_are_counted_by_route() {
        let template = |path: &str| route_template(path).unwrap_or_default();
        assert_eq!(template("/cps/v2/enrollments"), "/cps/v2/enrollments");
        assert_eq!(
            template("/cps/v2/enrollments/10002"),
            "/cps/v2/enrollments/{enrollmentId}"
        );
        assert_eq!(
            template("/cps/v2/enrollments/10002/deployments/staging"),
            "/cps/v2/enrollments/{enrollmentId}/deployments/staging"
        );
        assert_eq!(
            template("/cps/v2/enrollments/10002/history/changes"),
            "/cps/v2/enrollments/{enrollmentId}/history/changes"
        );
        assert_eq!(
            template("/cps/v2/enrollments/1/changes/44434"),
            "/cps/v2/enrollments/{enrollmentId}/changes/{changeId}"
        );
        assert_eq!(
            template("/cps/v2/enrollments/1/changes/44434/input/info/lets-encrypt-challenges"),
            "/cps/v2/enrollments/{enrollmentId}/changes/{changeId}/input/info/lets-encrypt-challenges"
        );
        assert_eq!(
            template("/cps/v2/enrollments/1/changes/44434/input/info/nonsense"),
            "/cps/v2/enrollments/{enrollmentId}/changes/{changeId}/input/info/{type}"
        );
        assert_eq!(
            template("/cps/v2/enrollments/1/changes/44434/input/update/change-management-ack"),
            "/cps/v2/enrollments/{enrollmentId}/changes/{changeId}/input/update/change-management-ack"
        );
        assert_eq!(
            template("/cps/v2/enrollments/1/changes/44434/input/update/change-management-info"),
            "/cps/v2/enrollments/{enrollmentId}/changes/{changeId}/input/update/{type}"
        );
        assert_eq!(route_template("/cps/v2/enrollments/x"), None);
        assert_eq!(route_template("/cps/v2/enrollments/1/elsewhere"), None);
    }

    #[test]
    fn every_input_kind_has_its_own_names() {
        for kind in InputKind::ALL {
            assert_eq!(InputKind::from_info_name(kind.info_name()), Some(kind));
            assert_eq!(InputKind::from_update_name(kind.update_name()), Some(kind));
            assert!(!kind.update_media_types().is_empty());
        }
        assert_eq!(
            InputKind::ChangeManagement.info_media_types()[0],
            "application/vnd.akamai.cps.change-management-info.v5+json"
        );
        assert_eq!(InputKind::from_info_name("change-management"), None);
        assert_eq!(enrollment_path(7), "/cps/v2/enrollments/7");
    }
}
