//! The `:` command line's state (the line being typed, Tab completion, the session's history)
//! and what Enter does: each command runs the same action its key runs.

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

use super::command::{self, Command, PairChoice};
use super::export::ExportKey;
use super::keymap::Action;
use super::table::SortSpec;
use super::{App, Effect, Level};
use crate::model::Scope;

/// The open prompt.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Prompt {
    pub input: String,
    /// The candidates the last Tab offered, and which one is in `input`.
    pub completions: Vec<String>,
    pub completion: Option<usize>,
    /// Where ↑/↓ are in the history (`None`: the line being typed).
    history_at: Option<usize>,
}

/// The command line: open or not, and the lines run this session (oldest first).
#[derive(Debug, Clone, Default)]
pub struct CommandLine {
    pub prompt: Option<Prompt>,
    pub history: Vec<String>,
}

impl CommandLine {
    pub fn is_open(&self) -> bool {
        self.prompt.is_some()
    }
}

impl App {
    pub(crate) fn open_command_line(&mut self) {
        self.command_line.prompt = Some(Prompt::default());
    }

    /// Pairs as `:pair` takes them, for completion.
    pub fn pair_ids(&self) -> Vec<String> {
        self.datasets
            .iter()
            .map(|dataset| dataset.pair.short())
            .collect()
    }

    pub(crate) fn on_command_key(&mut self, key: KeyEvent) -> Vec<Effect> {
        let pairs = self.pair_ids();
        let sections = self.accounts.sections.clone();
        let history = self.command_line.history.clone();
        let Some(prompt) = self.command_line.prompt.as_mut() else {
            return Vec::new();
        };
        match key.code {
            KeyCode::Esc => self.command_line.prompt = None,
            KeyCode::Enter => {
                let line = prompt.input.trim().to_string();
                self.command_line.prompt = None;
                if line.is_empty() {
                    return Vec::new();
                }
                if self.command_line.history.last() != Some(&line) {
                    self.command_line.history.push(line.clone());
                }
                return match command::parse(&line) {
                    Ok(command) => self.run_command(command),
                    Err(answer) => {
                        self.flash(answer, Level::Warning);
                        Vec::new()
                    }
                };
            }
            KeyCode::Tab | KeyCode::BackTab => {
                let step: isize = if key.code == KeyCode::Tab { 1 } else { -1 };
                match prompt.completion {
                    Some(at) if !prompt.completions.is_empty() => {
                        let count = prompt.completions.len() as isize;
                        let next = (at as isize + step).rem_euclid(count) as usize;
                        prompt.completion = Some(next);
                        prompt.input = prompt.completions[next].clone();
                    }
                    _ => {
                        prompt.completions = command::complete(&prompt.input, &pairs, &sections);
                        if let Some(first) = prompt.completions.first() {
                            prompt.input = first.clone();
                            prompt.completion = Some(0);
                        }
                        // A single candidate is final: go on to the next word.
                        if prompt.completions.len() == 1 {
                            prompt.input.push(' ');
                            prompt.completions.clear();
                            prompt.completion = None;
                        }
                    }
                }
            }
            KeyCode::Up | KeyCode::Down => {
                if history.is_empty() {
                    return Vec::new();
                }
                let at = match (key.code, prompt.history_at) {
                    (KeyCode::Up, None) => Some(history.len() - 1),
                    (KeyCode::Up, Some(at)) => Some(at.saturating_sub(1)),
                    (_, Some(at)) if at + 1 < history.len() => Some(at + 1),
                    _ => None,
                };
                prompt.history_at = at;
                prompt.input = at.map(|at| history[at].clone()).unwrap_or_default();
                prompt.completions.clear();
                prompt.completion = None;
            }
            KeyCode::Backspace => {
                if prompt.input.pop().is_none() {
                    // Backspace on an empty line closes it, as in vim.
                    self.command_line.prompt = None;
                    return Vec::new();
                }
                prompt.completions.clear();
                prompt.completion = None;
            }
            KeyCode::Char('u') if key.modifiers.contains(KeyModifiers::CONTROL) => {
                prompt.input.clear();
                prompt.completions.clear();
                prompt.completion = None;
            }
            KeyCode::Char(c) if !key.modifiers.contains(KeyModifiers::CONTROL) => {
                prompt.input.push(c);
                prompt.completions.clear();
                prompt.completion = None;
            }
            _ => {}
        }
        Vec::new()
    }

    pub(crate) fn on_command_paste(&mut self, text: &str) -> bool {
        let Some(prompt) = self.command_line.prompt.as_mut() else {
            return false;
        };
        prompt
            .input
            .push_str(text.lines().next().unwrap_or("").trim());
        true
    }

    /// Runs a parsed command through the actions the keys use.
    pub(crate) fn run_command(&mut self, command: Command) -> Vec<Effect> {
        match command {
            Command::Pair(PairChoice::All) => self.set_scope(None),
            Command::Pair(PairChoice::Pair { contract, group }) => {
                let pair = Scope::pair(contract.as_str(), group.as_str());
                match self.dataset_index(&pair) {
                    Some(index) => self.set_scope(Some(index)),
                    None => self.flash(
                        format!(
                            "no pair {contract}/{group} here; known: {}",
                            self.pair_ids().join(", ")
                        ),
                        Level::Warning,
                    ),
                }
            }
            Command::Filter(text) => {
                self.requests.filter = text;
                self.requests.filter_editing = false;
            }
            Command::Sort(column, None) => return self.act(Action::SortBy(column)),
            Command::Sort(column, Some(descending)) => {
                self.requests.sort = SortSpec { column, descending };
            }
            Command::Export(format) => return self.export_in_format(format),
            Command::Check if self.detail().is_none() => self.flash(
                ":check checks the open request's domains: open one first (Enter)".to_string(),
                Level::Warning,
            ),
            Command::Check => return self.act(Action::Export(ExportKey::Check)),
            Command::New => return self.act(Action::NewRequest),
            Command::Refresh => return self.act(Action::Refresh),
            Command::Pause => return self.act(Action::Pause),
            Command::Errors => return self.act(Action::Errors),
            Command::Quit => return self.act(Action::Quit),
            Command::Account(choice) => return self.request_account(choice),
        }
        Vec::new()
    }
}
