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

    /// `--color always|never` when given (`forced`), else [`Theme::from_env`].
    pub fn chosen(forced: Option<bool>) -> Theme {
        match forced {
            Some(color) => Theme { color },
            None => Theme::from_env(),
        }
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

    /// A problem to fix (the wizard's field errors): red, and always with a ✗ or words.
    pub fn problem(self) -> Style {
        self.fg(Color::Red)
    }

    /// Something to notice, not an error.
    pub fn warning(self) -> Style {
        self.fg(Color::Yellow)
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_color_flag_wins_over_the_environment_either_way() {
        assert_eq!(Theme::chosen(Some(false)), Theme { color: false });
        assert_eq!(Theme::chosen(Some(true)), Theme { color: true });
        assert_eq!(Theme::chosen(None), Theme::from_env());
    }

    #[test]
    fn mono_draws_no_colour_but_keeps_the_modifiers() {
        let mono = Theme { color: false };
        let colour = Theme { color: true };
        for state in [
            RequestState::AwaitingUser,
            RequestState::InProgress,
            RequestState::Failed,
            RequestState::Complete,
        ] {
            assert_eq!(mono.state(state).fg, None, "{state:?}");
            assert!(colour.state(state).fg.is_some(), "{state:?}");
        }
        assert_eq!(mono.problem().fg, None);
        assert_eq!(mono.warning().fg, None);
        assert!(mono.banner().add_modifier.contains(Modifier::REVERSED));
        assert!(
            mono.state(RequestState::AwaitingUser)
                .add_modifier
                .contains(Modifier::BOLD)
        );
    }
}
