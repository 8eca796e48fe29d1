//! Styles. With `NO_COLOR` set every colour is dropped; what matters is also said in words or
//! glyphs and shown with modifiers (bold, reverse), so nothing depends on colour alone.

use ratatui::style::{Color, Modifier, Style};

use crate::app::{FreshnessLevel, Level};
use crate::sps::model::RequestState;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Theme {
    pub color: bool,
}

impl Theme {
    /// Colour unless `NO_COLOR` is set to anything non-empty (https://no-color.org).
    pub fn from_env() -> Theme {
        let no_color = std::env::var_os("NO_COLOR").is_some_and(|value| !value.is_empty());
        Theme { color: !no_color }
    }

    fn fg(self, color: Color) -> Style {
        if self.color {
            Style::new().fg(color)
        } else {
            Style::new()
        }
    }

    pub fn selected(self) -> Style {
        Style::new().add_modifier(Modifier::REVERSED)
    }

    pub fn header(self) -> Style {
        Style::new().add_modifier(Modifier::BOLD)
    }

    pub fn dim(self) -> Style {
        if self.color {
            Style::new().fg(Color::DarkGray)
        } else {
            Style::new()
        }
    }

    pub fn key(self) -> Style {
        self.fg(Color::Cyan).add_modifier(Modifier::BOLD)
    }

    pub fn banner(self) -> Style {
        let style = Style::new().add_modifier(Modifier::BOLD | Modifier::REVERSED);
        if self.color {
            style.fg(Color::Yellow)
        } else {
            style
        }
    }

    pub fn state(self, state: RequestState) -> Style {
        match state {
            RequestState::AwaitingUser => self.fg(Color::Yellow).add_modifier(Modifier::BOLD),
            RequestState::InProgress => self.fg(Color::Cyan),
            RequestState::Failed => self.fg(Color::Red),
            RequestState::Complete => self.fg(Color::Green),
        }
    }

    pub fn level(self, level: Level) -> Style {
        match level {
            Level::Info => self.fg(Color::Cyan),
            Level::Warning => self.fg(Color::Yellow).add_modifier(Modifier::BOLD),
            Level::Error => self.fg(Color::Red).add_modifier(Modifier::BOLD),
        }
    }

    pub fn freshness(self, level: FreshnessLevel) -> Style {
        match level {
            FreshnessLevel::Loading => self.dim(),
            FreshnessLevel::Fresh => self.fg(Color::Green),
            FreshnessLevel::Late => self.level(Level::Warning),
            FreshnessLevel::Outdated => self.level(Level::Error),
        }
    }
}

/// A one-character mark per state, so states read without colour.
pub fn state_glyph(state: RequestState) -> &'static str {
    match state {
        RequestState::AwaitingUser => "⚑",
        RequestState::InProgress => "…",
        RequestState::Failed => "✗",
        RequestState::Complete => "✓",
    }
}
