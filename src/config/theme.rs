//! Theme files (`[ui] theme = "NAME"`): TOML that names a style per role of the dashboard.
//!
//! Looked up as `<config dir>/themes/NAME.toml` first (so an operator can override a built-in
//! one), then the themes shipped in `assets/themes/` (embedded). `default` (the terminal's
//! 16-colour palette) and `mono` are built into `ui::theme` and need no file.
//!
//! A style is words separated by spaces: a colour for the text (`red`, `bright-blue`, a
//! 256-colour index like `208`, or `#rrggbb`), `on COLOUR` for the background, and modifiers
//! (`bold`, `dim`, `italic`, `underlined`, `reversed`, `crossed-out`, `slow-blink`).
//! A role the file leaves out keeps the default theme's style.

use std::path::Path;

use ratatui::style::{Color, Modifier, Style};

/// Every role a theme styles; the names are the keys of a theme file.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Role {
    Selected,
    Header,
    Dim,
    Problem,
    Warning,
    Key,
    Banner,
    StateAwaitingUser,
    StateInProgress,
    StateFailed,
    StateComplete,
    LevelInfo,
    LevelWarning,
    LevelError,
    FreshnessLoading,
    FreshnessFresh,
    FreshnessLate,
    FreshnessOutdated,
}

/// `(table, key, role)`: a role is `key` at the top of the file (table "") or in `[table]`.
const ROLES: [(&str, &str, Role); 18] = [
    ("", "selected", Role::Selected),
    ("", "header", Role::Header),
    ("", "dim", Role::Dim),
    ("", "problem", Role::Problem),
    ("", "warning", Role::Warning),
    ("", "key", Role::Key),
    ("", "banner", Role::Banner),
    ("state", "awaiting-user", Role::StateAwaitingUser),
    ("state", "in-progress", Role::StateInProgress),
    ("state", "failed", Role::StateFailed),
    ("state", "complete", Role::StateComplete),
    ("level", "info", Role::LevelInfo),
    ("level", "warning", Role::LevelWarning),
    ("level", "error", Role::LevelError),
    ("freshness", "loading", Role::FreshnessLoading),
    ("freshness", "fresh", Role::FreshnessFresh),
    ("freshness", "late", Role::FreshnessLate),
    ("freshness", "outdated", Role::FreshnessOutdated),
];

/// Themes shipped with spsdash, embedded so the binary needs no files beside it.
const BUILT_IN: [(&str, &str); 1] = [("256", include_str!("../../assets/themes/256.toml"))];

/// Names that `ui::theme` draws itself, without a file.
pub const CODED_THEMES: [&str; 2] = ["default", "mono"];

/// A loaded theme: a style per role, `None` where the file leaves the default's.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Palette {
    styles: [Option<Style>; ROLES.len()],
}

impl Palette {
    pub fn get(&self, role: Role) -> Option<Style> {
        self.styles[role as usize]
    }
}

/// Every theme name spsdash knows without looking in the config dir.
pub fn built_in_names() -> Vec<&'static str> {
    CODED_THEMES
        .iter()
        .copied()
        .chain(BUILT_IN.iter().map(|(name, _)| *name))
        .collect()
}

/// A theme name is a file name stem: letters, digits, `-` and `_` (no paths).
pub fn valid_name(name: &str) -> bool {
    !name.is_empty()
        && name.len() <= 64
        && name
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
}

/// The palette for `name`: `Ok(None)` for the coded themes, else the config dir's file or the
/// embedded one. `Err` is one line naming the file and the fault, for a start warning.
pub fn load(name: &str, config_dir: Option<&Path>) -> Result<Option<Palette>, String> {
    if CODED_THEMES.contains(&name) {
        return Ok(None);
    }
    if !valid_name(name) {
        return Err(format!(
            "theme \"{name}\": a theme name is letters, digits, - and _; using the default theme"
        ));
    }
    if let Some(dir) = config_dir {
        let path = dir.join("themes").join(format!("{name}.toml"));
        match crate::private_fs::read_text(&path, crate::private_fs::cap::THEME) {
            Ok(text) => {
                return parse(&text).map(Some).map_err(|fault| {
                    format!("{}: {fault}; using the default theme", path.display())
                });
            }
            Err(error) if error.kind() == std::io::ErrorKind::NotFound => {}
            Err(error) => {
                return Err(format!(
                    "{}: cannot read it ({error}); using the default theme",
                    path.display()
                ));
            }
        }
    }
    if let Some((_, text)) = BUILT_IN.iter().find(|(built_in, _)| *built_in == name) {
        return parse(text)
            .map(Some)
            .map_err(|fault| format!("built-in theme {name}: {fault}"));
    }
    let place = config_dir.map_or_else(
        || "no config dir".to_string(),
        |dir| {
            dir.join("themes")
                .join(format!("{name}.toml"))
                .display()
                .to_string()
        },
    );
    Err(format!(
        "theme \"{name}\" not found ({place}; built in: {}); using the default theme",
        built_in_names().join(", ")
    ))
}

/// A theme file's text: every key a known role, every value a style.
pub fn parse(text: &str) -> Result<Palette, String> {
    let table: toml::Table = toml::from_str(text)
        .map_err(|error| format!("not TOML: {}", error.message().trim().replace('\n', " ")))?;
    let mut palette = Palette::default();
    for (key, value) in &table {
        match value {
            toml::Value::String(style) => set(&mut palette, "", key, style)?,
            toml::Value::Table(inner) => {
                if !ROLES.iter().any(|(table, _, _)| table == key) {
                    return Err(unknown_role(key));
                }
                for (inner_key, inner_value) in inner {
                    let dotted = format!("{key}.{inner_key}");
                    let Some(style) = inner_value.as_str() else {
                        return Err(format!(
                            "`{dotted}`: a style is a string, e.g. \"bold 208\""
                        ));
                    };
                    set(&mut palette, key, inner_key, style)?;
                }
            }
            _ => return Err(format!("`{key}`: a style is a string, e.g. \"bold 208\"")),
        }
    }
    Ok(palette)
}

fn set(palette: &mut Palette, table: &str, key: &str, text: &str) -> Result<(), String> {
    let dotted = if table.is_empty() {
        key.to_string()
    } else {
        format!("{table}.{key}")
    };
    let Some((_, _, role)) = ROLES.iter().find(|(t, k, _)| *t == table && *k == key) else {
        return Err(unknown_role(&dotted));
    };
    let style = parse_style(text).map_err(|fault| format!("`{dotted}` = \"{text}\": {fault}"))?;
    palette.styles[*role as usize] = Some(style);
    Ok(())
}

fn unknown_role(key: &str) -> String {
    let known: Vec<String> = ROLES
        .iter()
        .map(|(table, key, _)| {
            if table.is_empty() {
                (*key).to_string()
            } else {
                format!("{table}.{key}")
            }
        })
        .collect();
    format!("unknown role `{key}`; roles: {}", known.join(", "))
}

/// `"bold 208 on #202020"` → a style.
pub fn parse_style(text: &str) -> Result<Style, String> {
    let mut style = Style::new();
    let mut words = text.split_whitespace();
    while let Some(word) = words.next() {
        let lower = word.to_ascii_lowercase();
        if lower == "on" {
            let Some(colour) = words.next() else {
                return Err("`on` needs a colour after it".to_string());
            };
            style = style.bg(parse_colour(colour)?);
        } else if let Some(modifier) = parse_modifier(&lower) {
            style = style.add_modifier(modifier);
        } else {
            style = style.fg(parse_colour(word)?);
        }
    }
    Ok(style)
}

fn parse_modifier(word: &str) -> Option<Modifier> {
    Some(match word {
        "bold" => Modifier::BOLD,
        "dim" => Modifier::DIM,
        "italic" => Modifier::ITALIC,
        "underlined" | "underline" => Modifier::UNDERLINED,
        "reversed" | "reverse" => Modifier::REVERSED,
        "crossed-out" => Modifier::CROSSED_OUT,
        "slow-blink" => Modifier::SLOW_BLINK,
        "hidden" => Modifier::HIDDEN,
        _ => return None,
    })
}

/// A colour name, a 256-colour index (0–255) or `#rrggbb`.
pub fn parse_colour(word: &str) -> Result<Color, String> {
    let lower = word.to_ascii_lowercase();
    if let Some(hex) = lower.strip_prefix('#') {
        let valid = hex.len() == 6 && hex.chars().all(|c| c.is_ascii_hexdigit());
        if let Some(rgb) = valid.then(|| u32::from_str_radix(hex, 16).ok()).flatten() {
            return Ok(Color::from_u32(rgb));
        }
        return Err(format!("`{word}` is not a #rrggbb colour"));
    }
    if lower.chars().all(|c| c.is_ascii_digit()) {
        return lower
            .parse::<u8>()
            .map(Color::Indexed)
            .map_err(|_| format!("`{word}`: a colour index is 0 to 255"));
    }
    let colour = match lower.as_str() {
        "black" => Color::Black,
        "red" => Color::Red,
        "green" => Color::Green,
        "yellow" => Color::Yellow,
        "blue" => Color::Blue,
        "magenta" => Color::Magenta,
        "cyan" => Color::Cyan,
        "gray" | "grey" => Color::Gray,
        "dark-gray" | "dark-grey" | "bright-black" => Color::DarkGray,
        "bright-red" => Color::LightRed,
        "bright-green" => Color::LightGreen,
        "bright-yellow" => Color::LightYellow,
        "bright-blue" => Color::LightBlue,
        "bright-magenta" => Color::LightMagenta,
        "bright-cyan" => Color::LightCyan,
        "white" | "bright-white" => Color::White,
        "reset" => Color::Reset,
        _ => {
            return Err(format!(
                "`{word}` is not a colour or modifier (a name like red or bright-blue, 0-255, \
                 #rrggbb; bold, dim, italic, underlined, reversed, crossed-out)"
            ));
        }
    };
    Ok(colour)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn styles_read_names_indexes_hex_backgrounds_and_modifiers() {
        assert_eq!(
            parse_style("bold 208 on #10a0FF").unwrap(),
            Style::new()
                .fg(Color::Indexed(208))
                .bg(Color::Rgb(0x10, 0xa0, 0xff))
                .add_modifier(Modifier::BOLD)
        );
        assert_eq!(
            parse_style("bright-blue reversed").unwrap(),
            Style::new()
                .fg(Color::LightBlue)
                .add_modifier(Modifier::REVERSED)
        );
        assert_eq!(parse_style("").unwrap(), Style::new());
        assert!(parse_style("256").unwrap_err().contains("0 to 255"));
        assert!(parse_style("#12345").unwrap_err().contains("#rrggbb"));
        assert!(parse_style("#12345g").unwrap_err().contains("#rrggbb"));
        assert!(
            parse_style("purplish")
                .unwrap_err()
                .contains("not a colour")
        );
        assert!(
            parse_style("red on")
                .unwrap_err()
                .contains("needs a colour")
        );
    }

    #[test]
    fn a_file_sets_the_roles_it_names_and_leaves_the_rest() {
        let palette = parse(
            "header = \"bold 208\"\n[state]\nfailed = \"196\"\n[freshness]\nlate = \"214 bold\"\n",
        )
        .unwrap();
        assert_eq!(
            palette.get(Role::Header),
            Some(
                Style::new()
                    .fg(Color::Indexed(208))
                    .add_modifier(Modifier::BOLD)
            )
        );
        assert_eq!(
            palette.get(Role::StateFailed),
            Some(Style::new().fg(Color::Indexed(196)))
        );
        assert!(palette.get(Role::FreshnessLate).is_some());
        assert_eq!(palette.get(Role::Selected), None);
    }

    #[test]
    fn faults_name_the_key_and_what_is_allowed() {
        let unknown = parse("headr = \"bold\"").unwrap_err();
        assert!(unknown.contains("unknown role `headr`"), "{unknown}");
        assert!(unknown.contains("header"), "{unknown}");
        let unknown_in_table = parse("[state]\ndone = \"green\"").unwrap_err();
        assert!(
            unknown_in_table.contains("`state.done`"),
            "{unknown_in_table}"
        );
        let bad_colour = parse("[level]\nerror = \"bold crimson\"").unwrap_err();
        assert!(bad_colour.contains("`level.error`"), "{bad_colour}");
        assert!(bad_colour.contains("crimson"), "{bad_colour}");
        assert!(
            parse("key = 3")
                .unwrap_err()
                .contains("`key`: a style is a string")
        );
        assert!(parse("key = \"bold").unwrap_err().starts_with("not TOML"));
    }

    #[test]
    fn the_built_in_themes_parse_and_set_every_role() {
        for (name, text) in BUILT_IN {
            let palette = parse(text).unwrap_or_else(|fault| panic!("{name}: {fault}"));
            for (table, key, role) in ROLES {
                assert!(palette.get(role).is_some(), "{name} leaves {table}.{key}");
            }
        }
    }

    #[test]
    fn loading_prefers_the_config_dir_and_warns_instead_of_failing() {
        let dir = tempfile::tempdir().unwrap();
        assert_eq!(load("default", Some(dir.path())), Ok(None));
        assert_eq!(load("mono", None), Ok(None));
        // The embedded one, when the config dir has none.
        assert!(load("256", Some(dir.path())).unwrap().is_some());
        let themes = dir.path().join("themes");
        std::fs::create_dir_all(&themes).unwrap();
        std::fs::write(themes.join("256.toml"), "header = \"#ff0000\"").unwrap();
        let mine = load("256", Some(dir.path())).unwrap().unwrap();
        assert_eq!(
            mine.get(Role::Header),
            Some(Style::new().fg(Color::Rgb(255, 0, 0)))
        );
        assert_eq!(mine.get(Role::Dim), None);

        std::fs::write(themes.join("broken.toml"), "[state]\nfailed = \"ultra\"").unwrap();
        let broken = load("broken", Some(dir.path())).unwrap_err();
        assert!(broken.contains("broken.toml"), "{broken}");
        assert!(broken.contains("state.failed"), "{broken}");
        assert!(broken.contains("using the default theme"), "{broken}");

        let missing = load("nosuch", Some(dir.path())).unwrap_err();
        assert!(missing.contains("nosuch.toml"), "{missing}");
        assert!(missing.contains("not found"), "{missing}");
        assert!(missing.contains("256"), "{missing}");

        let sneaky = load("../etc/passwd", Some(dir.path())).unwrap_err();
        assert!(sneaky.contains("letters, digits"), "{sneaky}");
    }

    #[test]
    fn the_config_names_a_theme_and_refuses_a_path() {
        let path = Path::new("config.toml");
        let config = crate::config::Config::from_toml(path, "[ui]\ntheme = \"256\"\n").unwrap();
        assert_eq!(config.ui.theme, "256");
        assert_eq!(crate::config::Config::default().ui.theme, "default");
        let error = crate::config::Config::from_toml(path, "[ui]\ntheme = \"../x\"\n")
            .unwrap_err()
            .to_string();
        assert!(error.contains("`ui.theme`"), "{error}");
        assert!(error.contains("256"), "{error}");
    }
}
