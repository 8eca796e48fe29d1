//! The dashboard's CPS orders on an existing enrollment: `a` adds names, `e` makes its secure
//! edge hostname, `A` answers what its change waits for. Each goes the same way: type what is
//! needed (names, the edge hostname), read and plan (an effect: the enrollment, the change's
//! info, the readiness of its domains), review the exact request(s) and pick an answer, send
//! (an effect, journaled in `orders`), and the outcome in the flash line with the list read
//! again. A change that moved meanwhile (409) is read again and asked again. The popup is drawn
//! by `ui::cps_prompt`.

use std::sync::Arc;

use crossterm::event::{Event as TermEvent, KeyCode, KeyEvent};
use tui_input::Input;
use tui_input::backend::crossterm::EventHandler;

use crate::config::CheckConfig;
use crate::cps::writes::PlannedWrite;
use crate::model::{CertRequest, Scope};
use crate::orders::cps_answer::WaitingInput;
use crate::orders::cps_names::PlannedNames;
use crate::orders::papi_edge::PlannedEdgeHostname;
use crate::orders::shown::Shown;

/// Which order the popup makes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CpsPromptKind {
    AddNames,
    EdgeHost,
    Answer,
}

/// The popup: one enrollment, one order, where it stands.
#[derive(Debug, Clone)]
pub struct CpsPrompt {
    pub kind: CpsPromptKind,
    pub scope: Scope,
    pub enrollment_id: u64,
    pub common_name: String,
    pub stage: CpsPromptStage,
    /// Lines scrolled off the top of the review.
    pub scroll: u16,
    /// What the readiness check needs when the change waits for challenges.
    request: Box<CertRequest>,
    check: CheckConfig,
}

#[derive(Debug, Clone)]
pub enum CpsPromptStage {
    /// The names to add, or the edge hostname and its product; `problem` says what is wrong.
    Typing {
        input: Input,
        problem: Option<String>,
    },
    /// Reading and planning, or sending: what is under way.
    Working(String),
    Review(CpsReview),
}

/// What CPS said, and the answers the operator can give, each with its exact request.
#[derive(Debug, Clone, Default)]
pub struct CpsReview {
    pub lines: Vec<String>,
    /// The warnings as CPS worded them (for `[cps] auto_acknowledge_warnings`).
    pub warnings: Vec<String>,
    pub options: Vec<ReviewOption>,
}

#[derive(Debug, Clone)]
pub struct ReviewOption {
    pub key: char,
    pub label: String,
    pub request: Shown,
    pub send: CpsSend,
}

/// A planned write, ready to send as reviewed.
#[derive(Debug)]
pub enum CpsSendJob {
    Names {
        scope: Scope,
        planned: PlannedNames,
    },
    EdgeHost {
        scope: Scope,
        edge: PlannedEdgeHostname,
    },
    Answer {
        scope: Scope,
        waiting: WaitingInput,
        write: PlannedWrite,
    },
}

/// Shared so the effect sends the very plan the operator read; two are equal when they are
/// the same plan.
#[derive(Debug, Clone)]
pub struct CpsSend(pub Arc<CpsSendJob>);

impl PartialEq for CpsSend {
    fn eq(&self, other: &CpsSend) -> bool {
        Arc::ptr_eq(&self.0, &other.0)
    }
}

/// What to read and plan.
#[derive(Debug, Clone, PartialEq)]
pub enum CpsPlanJob {
    AddNames {
        scope: Scope,
        enrollment_id: u64,
        names: Vec<String>,
    },
    EdgeHost {
        scope: Scope,
        enrollment_id: u64,
        prefix: String,
        product: String,
    },
    Answer {
        scope: Scope,
        request: Box<CertRequest>,
        check: CheckConfig,
    },
}

/// How a send ended.
#[derive(Debug, Clone)]
pub enum CpsSent {
    Done(String),
    /// The change moved since it was read (409): read again, ask again.
    Moved(String),
    Failed(String),
}

/// What a key in the popup asks the dashboard to do.
#[derive(Debug, Clone, PartialEq)]
pub enum PromptOutcome {
    Continue,
    Close,
    Plan(CpsPlanJob),
    Send(CpsSend),
}

impl CpsPrompt {
    /// True when the enrollment's change waits for change management (the popup then says
    /// what staging serves, from the last probe).
    pub fn awaits_change_management(&self) -> bool {
        self.request.awaiting == Some(crate::model::Awaiting::ChangeManagement)
    }

    pub fn new(
        kind: CpsPromptKind,
        scope: Scope,
        request: &CertRequest,
        check: CheckConfig,
    ) -> CpsPrompt {
        let common_name = request
            .common_name
            .as_deref()
            .map(str::to_string)
            .unwrap_or_default();
        let typed = match kind {
            CpsPromptKind::AddNames => Some(String::new()),
            CpsPromptKind::EdgeHost => Some(format!(
                "{} ",
                common_name.strip_prefix("*.").unwrap_or(&common_name)
            )),
            CpsPromptKind::Answer => None,
        };
        let stage = match typed {
            Some(text) => CpsPromptStage::Typing {
                input: Input::new(text),
                problem: None,
            },
            None => CpsPromptStage::Working(format!(
                "reading what enrollment {} waits for…",
                request.id
            )),
        };
        CpsPrompt {
            kind,
            scope,
            enrollment_id: request.id,
            common_name,
            stage,
            scroll: 0,
            request: Box::new(request.clone()),
            check,
        }
    }

    pub fn title(&self) -> String {
        let what = match self.kind {
            CpsPromptKind::AddNames => "Add names to",
            CpsPromptKind::EdgeHost => "Secure edge hostname for",
            CpsPromptKind::Answer => "Answer the change of",
        };
        format!(
            "{what} enrollment {} ({})",
            self.enrollment_id, self.common_name
        )
    }

    /// The words above the input while typing.
    pub fn typing_label(&self) -> &'static str {
        match self.kind {
            CpsPromptKind::AddNames => "Names to add (spaces or commas between them):",
            _ => {
                "Edge hostname prefix, the PAPI product, and the group if the contract has no default (e.g. www.example.com prd_SPM grp_30101):"
            }
        }
    }

    /// The read and plan to start with (`A` reads at once; the others after typing).
    pub fn first_plan(&self) -> Option<CpsPlanJob> {
        (self.kind == CpsPromptKind::Answer).then(|| self.answer_job())
    }

    fn answer_job(&self) -> CpsPlanJob {
        CpsPlanJob::Answer {
            scope: self.scope.clone(),
            request: self.request.clone(),
            check: self.check.clone(),
        }
    }

    pub fn handle_key(&mut self, key: KeyEvent) -> PromptOutcome {
        if key.code == KeyCode::Esc {
            return PromptOutcome::Close;
        }
        match &mut self.stage {
            CpsPromptStage::Working(_) => PromptOutcome::Continue,
            CpsPromptStage::Typing { input, problem } => {
                if key.code != KeyCode::Enter {
                    input.handle_event(&TermEvent::Key(key));
                    *problem = None;
                    return PromptOutcome::Continue;
                }
                let typed = input.value().to_string();
                match self.job_of(&typed) {
                    Ok(job) => {
                        self.stage = CpsPromptStage::Working(format!(
                            "reading enrollment {} and planning…",
                            self.enrollment_id
                        ));
                        PromptOutcome::Plan(job)
                    }
                    Err(why) => {
                        if let CpsPromptStage::Typing { problem, .. } = &mut self.stage {
                            *problem = Some(why);
                        }
                        PromptOutcome::Continue
                    }
                }
            }
            CpsPromptStage::Review(review) => {
                let scroll = &mut self.scroll;
                match key.code {
                    KeyCode::Up | KeyCode::Char('k') => *scroll = scroll.saturating_sub(1),
                    KeyCode::Down | KeyCode::Char('j') => *scroll = scroll.saturating_add(1),
                    KeyCode::PageUp => *scroll = scroll.saturating_sub(10),
                    KeyCode::PageDown => *scroll = scroll.saturating_add(10),
                    KeyCode::Char(pressed) => {
                        if let Some(option) = review.options.iter().find(|o| o.key == pressed) {
                            let send = option.send.clone();
                            self.stage =
                                CpsPromptStage::Working(format!("sending: {}…", option.label));
                            return PromptOutcome::Send(send);
                        }
                    }
                    _ => {}
                }
                PromptOutcome::Continue
            }
        }
    }

    /// The plan for what was typed, or what is wrong with it.
    fn job_of(&self, typed: &str) -> Result<CpsPlanJob, String> {
        let words: Vec<&str> = typed
            .split(|c: char| c.is_whitespace() || c == ',')
            .filter(|word| !word.is_empty())
            .collect();
        match self.kind {
            CpsPromptKind::AddNames => {
                if words.is_empty() {
                    return Err("type at least one name, e.g. shop.example.com".to_string());
                }
                let mut names = Vec::new();
                for word in words {
                    let parsed = crate::sps::hostname::parse_hostname(
                        word,
                        crate::sps::hostname::Wildcard::Allowed,
                    )
                    .map_err(|why| format!("{word}: {why}"))?;
                    names.push(parsed.ascii);
                }
                Ok(CpsPlanJob::AddNames {
                    scope: self.scope.clone(),
                    enrollment_id: self.enrollment_id,
                    names,
                })
            }
            _ => {
                let (prefix, product, group) = match words.as_slice() {
                    [prefix, product] => (*prefix, *product, self.scope.group_id.clone()),
                    [prefix, product, group] => (*prefix, *product, Some(group.to_string())),
                    _ => {
                        return Err("type the prefix and the PAPI product, and the group when \
                                    the contract has several, e.g. www.example.com prd_SPM \
                                    grp_30101 (`spsdash groups` lists groups)"
                            .to_string());
                    }
                };
                let Some(group) = group else {
                    return Err(format!(
                        "add the PAPI group after the product, e.g. {prefix} {product} grp_30101 \
                         (`spsdash groups` lists them)"
                    ));
                };
                let prefix = crate::sps::hostname::parse_hostname(
                    prefix,
                    crate::sps::hostname::Wildcard::Refused,
                )
                .map_err(|why| format!("{prefix}: {why}"))?;
                Ok(CpsPlanJob::EdgeHost {
                    scope: Scope::pair(self.scope.contract_id.clone(), group),
                    enrollment_id: self.enrollment_id,
                    prefix: prefix.ascii,
                    product: product.to_string(),
                })
            }
        }
    }

    /// The plan came back: the review, or why there is nothing to send.
    pub fn planned(&mut self, result: Result<CpsReview, String>) {
        self.scroll = 0;
        self.stage = CpsPromptStage::Review(result.unwrap_or_else(|why| CpsReview {
            lines: vec![why],
            ..CpsReview::default()
        }));
    }

    /// The change moved while the answer was read (only answers are told 409 for that):
    /// read it again and ask again.
    pub fn read_again(&mut self) -> CpsPlanJob {
        self.stage = CpsPromptStage::Working(format!(
            "the change moved; reading enrollment {} again…",
            self.enrollment_id
        ));
        self.answer_job()
    }
}
