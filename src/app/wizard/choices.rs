//! The choice steps: their options, which are refused and why, and what choosing one does.

use super::steps::{Flow, Step};
use super::{Level, Wizard};
use crate::sps::request::{CertificateKind, IpVersion, SignatureAlgorithm, Validation, dv_refusal};

/// One option of a choice step.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ChoiceOption {
    pub label: String,
    /// Why it cannot be chosen here, shown next to it.
    pub refused: Option<&'static str>,
    /// A caution shown next to it (SHA-1).
    pub warning: Option<&'static str>,
    /// The value currently chosen.
    pub chosen: bool,
}

const SHA1_WARNING: &str =
    "weaker: only for clients that cannot use SHA-256 (affects the certificate, not cipher suites)";

fn option(label: impl Into<String>, chosen: bool) -> ChoiceOption {
    ChoiceOption {
        label: label.into(),
        refused: None,
        warning: None,
        chosen,
    }
}

impl Wizard {
    /// The options of the current step (empty on text steps and the review).
    pub fn choices(&self) -> Vec<ChoiceOption> {
        let values = &self.values;
        match self.nav.step {
            Step::Flow => self
                .flows()
                .iter()
                .map(|flow| option(flow.label(), *flow == self.nav.flow))
                .collect(),
            Step::Kind => CertificateKind::ALL
                .iter()
                .map(|kind| option(kind.label(), *kind == values.kind))
                .collect(),
            Step::Validation => Validation::ALL
                .iter()
                .map(|validation| ChoiceOption {
                    refused: self.validation_refusal(*validation),
                    ..option(validation.label(), *validation == values.validation)
                })
                .collect(),
            Step::Signature => SignatureAlgorithm::ALL
                .iter()
                .map(|algorithm| ChoiceOption {
                    warning: (*algorithm == SignatureAlgorithm::Sha1).then_some(SHA1_WARNING),
                    ..option(
                        match algorithm {
                            SignatureAlgorithm::Sha256 => "SHA-256 (recommended)",
                            SignatureAlgorithm::Sha1 => "SHA-1",
                        },
                        *algorithm == values.signature,
                    )
                })
                .collect(),
            Step::SniOnly => vec![
                option(
                    "Yes: SNI only (served on shared IPs by server name)",
                    values.sni_only,
                ),
                option("No: also for clients without SNI", !values.sni_only),
            ],
            Step::IpVersion => IpVersion::ALL
                .iter()
                .map(|version| {
                    option(
                        match version {
                            IpVersion::Ipv4 => "ipv4",
                            IpVersion::Ipv6 => "ipv6 (dual stack)",
                        },
                        *version == values.ip_version,
                    )
                })
                .collect(),
            _ => Vec::new(),
        }
    }

    pub fn choice_cursor(&self) -> usize {
        self.nav.cursor
    }

    /// Why a validation cannot be chosen: DV only for SAN. Adding domains keeps the existing
    /// certificate's validation, whatever it is.
    fn validation_refusal(&self, validation: Validation) -> Option<&'static str> {
        if self.nav.flow == Flow::NewCertificate && validation == Validation::Dv {
            dv_refusal(self.values.kind)
        } else {
            None
        }
    }

    /// Moves the highlight; an allowed option is chosen at once (so drafts keep it), a refused
    /// one says why.
    pub(super) fn move_cursor(&mut self, index: usize) {
        let options = self.choices();
        if options.is_empty() {
            return;
        }
        self.nav.cursor = index.min(options.len() - 1);
        match options[self.nav.cursor].refused {
            Some(reason) => self.set_notice(Level::Warning, reason),
            None => {
                self.notice = None;
                self.apply_choice(self.nav.cursor);
                if let Some(warning) = options[self.nav.cursor].warning {
                    self.set_notice(Level::Warning, format!("SHA-1 is {warning}"));
                }
            }
        }
    }

    /// Confirms the highlighted option. False (with the reason shown) when it is refused.
    pub(super) fn confirm_choice(&mut self) -> bool {
        let options = self.choices();
        let Some(chosen) = options.get(self.nav.cursor) else {
            return true;
        };
        if let Some(reason) = chosen.refused {
            self.set_notice(Level::Error, reason);
            return false;
        }
        self.apply_choice(self.nav.cursor);
        true
    }

    fn apply_choice(&mut self, index: usize) {
        self.tracking.touched = true;
        let values = &mut self.values;
        match self.nav.step {
            Step::Flow => {
                if let Some(flow) = self.flows().get(index) {
                    self.nav.flow = *flow;
                }
            }
            Step::Kind => {
                if let Some(kind) = CertificateKind::ALL.get(index) {
                    values.kind = *kind;
                    if *kind != CertificateKind::San && values.validation == Validation::Dv {
                        values.validation = Validation::Ov;
                        self.set_notice(
                            Level::Warning,
                            "DV (Let's Encrypt) is only available for SAN certificates: validation set to OV (Symantec)",
                        );
                    }
                }
            }
            Step::Validation => {
                if let Some(validation) = Validation::ALL.get(index) {
                    values.validation = *validation;
                }
            }
            Step::Signature => {
                if let Some(algorithm) = SignatureAlgorithm::ALL.get(index) {
                    values.signature = *algorithm;
                }
            }
            Step::SniOnly => values.sni_only = index == 0,
            Step::IpVersion => {
                if let Some(version) = IpVersion::ALL.get(index) {
                    values.ip_version = *version;
                }
            }
            _ => {}
        }
        self.refresh();
    }
}

/// The highlight when entering a step: the value already chosen.
pub(super) fn cursor_for(wizard: &Wizard) -> usize {
    wizard
        .choices()
        .iter()
        .position(|option| option.chosen)
        .unwrap_or(0)
}
