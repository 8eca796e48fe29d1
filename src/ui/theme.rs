//! Styles. With `NO_COLOR` set every colour is dropped; what matters is also said in words or
//! glyphs and shown with modifiers (bold, reverse), so nothing depends on colour alone.
//!
//! A theme file (`[ui] theme`, loaded by `config::theme`) replaces the style of the roles it
//! names; the text drawn is the same whatever the theme, only its paint changes.

use ratatui::style::{Color, Modifier, Style};

use crate::app::{FreshnessLevel, Level};
use crate::config::theme::{Palette, Role};
use crate::model::RequestState;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Theme {
    pub color: bool,
    /// The theme file's styles (`None`: the default theme). Ignored without colour, so
    /// `--color never` and `NO_COLOR` still give mono.
    pub palette: Option<Palette>,
}

impl Theme {
    /// The default theme in colour.
    pub const COLOUR: Theme = Theme {
        color: true,
        palette: None,
    };
    /// No colour at all (`NO_COLOR`, `--color never`, `theme = "mono"`).
    pub const MONO: Theme = Theme {
        color: false,
        palette: None,
    };

    /// Colour unless `NO_COLOR` is set to anything non-empty (https://no-color.org).
    pub fn from_env() -> Theme {
        let no_color = std::env::var_os("NO_COLOR").is_some_and(|value| !value.is_empty());
        Theme {
            color: !no_color,
            palette: None,
        }
    }

    /// `--color always|never` when given (`forced`), else [`Theme::from_env`].
    pub fn chosen(forced: Option<bool>) -> Theme {
        match forced {
            Some(color) => Theme {
                color,
                palette: None,
            },
            None => Theme::from_env(),
        }
    }

    /// The theme file's style for `role` when there is one and colour is on, else `coded`.
    fn pick(self, role: Role, coded: Style) -> Style {
        match self.palette.and_then(|palette| palette.get(role)) {
            Some(style) if self.color => style,
            _ => coded,
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
        self.pick(
            Role::Selected,
            Style::new().add_modifier(Modifier::REVERSED),
        )
    }

    pub fn header(self) -> Style {
        self.pick(Role::Header, Style::new().add_modifier(Modifier::BOLD))
    }

    pub fn dim(self) -> Style {
        let coded = if self.color {
            Style::new().fg(Color::DarkGray)
        } else {
            Style::new()
        };
        self.pick(Role::Dim, coded)
    }

    /// A problem to fix (the wizard's field errors): red, and always with a ✗ or words.
    pub fn problem(self) -> Style {
        self.pick(Role::Problem, self.fg(Color::Red))
    }

    /// Something to notice, not an error.
    pub fn warning(self) -> Style {
        self.pick(Role::Warning, self.fg(Color::Yellow))
    }

    pub fn key(self) -> Style {
        self.pick(Role::Key, self.fg(Color::Cyan).add_modifier(Modifier::BOLD))
    }

    pub fn banner(self) -> Style {
        let style = Style::new().add_modifier(Modifier::BOLD | Modifier::REVERSED);
        let coded = if self.color {
            style.fg(Color::Yellow)
        } else {
            style
        };
        self.pick(Role::Banner, coded)
    }

    pub fn state(self, state: RequestState) -> Style {
        match state {
            RequestState::AwaitingUser => self.pick(
                Role::StateAwaitingUser,
                self.fg(Color::Yellow).add_modifier(Modifier::BOLD),
            ),
            RequestState::InProgress => self.pick(Role::StateInProgress, self.fg(Color::Cyan)),
            RequestState::Failed => self.pick(Role::StateFailed, self.fg(Color::Red)),
            RequestState::Complete => self.pick(Role::StateComplete, self.fg(Color::Green)),
        }
    }

    pub fn level(self, level: Level) -> Style {
        match level {
            Level::Info => self.pick(Role::LevelInfo, self.fg(Color::Cyan)),
            Level::Warning => self.pick(
                Role::LevelWarning,
                self.fg(Color::Yellow).add_modifier(Modifier::BOLD),
            ),
            Level::Error => self.pick(
                Role::LevelError,
                self.fg(Color::Red).add_modifier(Modifier::BOLD),
            ),
        }
    }

    pub fn freshness(self, level: FreshnessLevel) -> Style {
        match level {
            FreshnessLevel::Loading => self.pick(Role::FreshnessLoading, self.dim()),
            FreshnessLevel::Fresh => self.pick(Role::FreshnessFresh, self.fg(Color::Green)),
            FreshnessLevel::Late => self.pick(Role::FreshnessLate, self.level(Level::Warning)),
            FreshnessLevel::Outdated => {
                self.pick(Role::FreshnessOutdated, self.level(Level::Error))
            }
        }
    }
}

/// `[ui] theme` at start: its palette, whether to draw without colour (`mono`, `--color
/// never`, `NO_COLOR`), and the start warnings with one more when the theme file cannot be used
/// (the default theme is used then). `config_path` is the config file in use: its directory
/// holds `themes/`.
pub fn choose(
    config: &crate::config::Config,
    config_path: Option<&std::path::Path>,
    force_color: Option<bool>,
    mut warnings: Vec<String>,
) -> (Option<Palette>, bool, Vec<String>) {
    let no_color = !Theme::chosen(force_color).color || config.ui.theme == "mono";
    let config_dir = config_path.and_then(std::path::Path::parent);
    let palette = match crate::config::theme::load(&config.ui.theme, config_dir) {
        Ok(palette) => palette,
        Err(warning) => {
            warnings.push(warning);
            None
        }
    };
    (palette, no_color, warnings)
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
        assert_eq!(Theme::chosen(Some(false)), Theme::MONO);
        assert_eq!(Theme::chosen(Some(true)), Theme::COLOUR);
        assert_eq!(Theme::chosen(None), Theme::from_env());
    }

    #[test]
    fn mono_draws_no_colour_but_keeps_the_modifiers() {
        let mono = Theme::MONO;
        let colour = Theme::COLOUR;
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

    #[test]
    fn a_palette_paints_in_colour_and_never_in_mono() {
        let palette = crate::config::theme::load("256", None).unwrap();
        let themed = Theme {
            color: true,
            palette,
        };
        assert_eq!(
            themed.state(RequestState::Failed).fg,
            Some(Color::Indexed(203))
        );
        assert_eq!(themed.banner().bg, Some(Color::Indexed(214)));
        // `--color never` / NO_COLOR keep mono even with a theme chosen.
        let forced_mono = Theme {
            color: false,
            palette,
        };
        assert_eq!(
            forced_mono.state(RequestState::Failed),
            Theme::MONO.state(RequestState::Failed)
        );
        assert_eq!(forced_mono.banner(), Theme::MONO.banner());
    }

    #[test]
    fn choosing_at_start_warns_about_a_bad_file_and_honours_mono() {
        let dir = tempfile::tempdir().unwrap();
        let config_path = dir.path().join("config.toml");
        std::fs::create_dir_all(dir.path().join("themes")).unwrap();
        std::fs::write(dir.path().join("themes/mine.toml"), "header = 7").unwrap();
        let mut config = crate::config::Config::default();
        config.ui.theme = "mine".into();
        let (palette, no_color, warnings) = choose(
            &config,
            Some(&config_path),
            Some(true),
            vec!["earlier".into()],
        );
        assert_eq!(palette, None);
        assert!(!no_color);
        assert_eq!(warnings.len(), 2);
        assert!(warnings[1].contains("mine.toml"), "{warnings:?}");

        config.ui.theme = "256".into();
        let (palette, no_color, warnings) = choose(&config, Some(&config_path), Some(true), vec![]);
        assert!(palette.is_some() && !no_color && warnings.is_empty());
        // `--color never` wins over any theme.
        let (_, no_color, _) = choose(&config, Some(&config_path), Some(false), vec![]);
        assert!(no_color);
        config.ui.theme = "mono".into();
        let (palette, no_color, _) = choose(&config, None, Some(true), vec![]);
        assert!(palette.is_none() && no_color);
    }
}
