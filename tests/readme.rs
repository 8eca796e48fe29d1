#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]
//! The README describes what is there: every subcommand, every `:` command, every config
//! section and every theme role the code knows is named in it, and it names none that the
//! code does not know. (The screens are checked by `tests/screens.rs`.)

use clap::CommandFactory;

fn readme() -> String {
    std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/README.md")).unwrap()
}

#[test]
fn every_subcommand_is_in_the_readme() {
    let readme = readme();
    let missing: Vec<String> = spsdash::cli::Cli::command()
        .get_subcommands()
        .map(|command| command.get_name().to_string())
        .filter(|name| name != "help" && !readme.contains(&format!("spsdash {name}")))
        .collect();
    assert!(
        missing.is_empty(),
        "README never shows `spsdash {missing:?}`"
    );
}

#[test]
fn every_command_line_command_is_in_the_readme_and_no_other() {
    let readme = readme();
    let missing: Vec<&&str> = spsdash::app::command::COMMANDS
        .iter()
        .filter(|name| {
            !readme.contains(&format!("`:{name}")) && !readme.contains(&format!(" `:{name}`"))
        })
        .collect();
    assert!(missing.is_empty(), "README does not describe :{missing:?}");
    // Every `:word` in the command table is a command the parser knows (or `:q`).
    let named = table_commands(&readme);
    assert!(
        named.len() >= 5,
        "the command table was not read (it names {named:?})"
    );
    let unknown: Vec<&String> = named.iter().filter(|name| !known_command(name)).collect();
    assert!(
        unknown.is_empty(),
        "README's command table names {unknown:?}, which the command line does not know"
    );
}

/// The `:word`s of the README's command table (its rows, after the header and rule).
fn table_commands(readme: &str) -> Vec<String> {
    let after_header = readme
        .split("| command | does |")
        .nth(1)
        .expect("README has the command table");
    // The rest of the header's own line first, then the rule, then the rows.
    let rows: String = after_header
        .lines()
        .skip(1)
        .take_while(|line| line.starts_with('|'))
        .collect();
    rows.split("`:")
        .skip(1)
        .map(|word| word.chars().take_while(char::is_ascii_alphabetic).collect())
        .collect()
}

fn known_command(name: &str) -> bool {
    name == "q" || spsdash::app::command::COMMANDS.contains(&name)
}

/// The mutation this check was meant to catch: a row naming a command nobody wrote.
#[test]
fn a_command_table_row_the_parser_does_not_know_is_seen() {
    let readme = "intro\n\n| command | does |\n|---|---|\n| `:pair <p>` | a |\n| `:frobnicate` | b |\n\nafter `:nothing`";
    let named = table_commands(readme);
    assert_eq!(named, ["pair", "frobnicate"]);
    assert!(known_command("pair") && !known_command("frobnicate"));
}

#[test]
fn every_config_section_is_in_the_readme() {
    let example =
        std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/config.example.toml"))
            .unwrap();
    let readme = readme();
    let missing: Vec<&str> = example
        .lines()
        .filter_map(|line| line.strip_prefix('[')?.strip_suffix(']'))
        .filter(|section| !section.starts_with('['))
        .filter(|section| {
            !readme.contains(&format!("[{section}]")) && !readme.contains(&format!("[{section}."))
        })
        .collect();
    assert!(
        missing.is_empty(),
        "README never names the config sections {missing:?}"
    );
}

/// How the README's key table writes a key name of `assets/keymap.toml`.
fn readme_key(key: &str) -> String {
    match key {
        "up" | "down" => "↑↓".to_string(),
        "left" | "right" => "←→".to_string(),
        "pgup" => "PgUp".to_string(),
        "pgdn" => "PgDn".to_string(),
        "ctrl-d" | "ctrl-u" | "ctrl-c" => format!("Ctrl-{}", &key[5..]),
        named if named.chars().count() > 1 => {
            let mut chars = named.chars();
            let first = chars.next().unwrap().to_ascii_uppercase();
            format!("{first}{}", chars.as_str())
        }
        single => single.to_string(),
    }
}

#[test]
fn every_default_key_is_in_the_readme_dashboard_section() {
    let readme = readme();
    let start = readme.find("## The dashboard").unwrap();
    let end = readme[start..].find("\n## ").unwrap() + start;
    let section = &readme[start..end];
    // Every word inside backticks in the section.
    let words: Vec<&str> = section
        .split('`')
        .skip(1)
        .step_by(2)
        .flat_map(str::split_whitespace)
        .collect();
    let digits_as_range = section.contains("`1`…`9`");
    let keymap: toml::Table = toml::from_str(include_str!("../assets/keymap.toml")).unwrap();
    let mut missing = Vec::new();
    for entries in keymap.values() {
        for entry in entries.as_array().unwrap() {
            for key in entry["keys"].as_array().unwrap() {
                let key = key.as_str().unwrap();
                let written = readme_key(key);
                let is_digit = key.len() == 1 && key.chars().all(|c| c.is_ascii_digit());
                if !(words.contains(&written.as_str()) || is_digit && digits_as_range) {
                    missing.push(format!("{key} (as `{written}`)"));
                }
            }
        }
    }
    missing.dedup();
    assert!(
        missing.is_empty(),
        "keys of assets/keymap.toml that README's dashboard section never names: {missing:?}"
    );
}

#[test]
fn every_file_the_readme_names_is_there() {
    // A path in backquotes under src/, tests/, benches/ or assets/ is a file or folder of the
    // repository (a re-layering that moves a file moves its mention too).
    let readme = readme();
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    let missing: Vec<&str> = readme
        .split('`')
        .skip(1)
        .step_by(2)
        .filter(|quoted| {
            ["src/", "tests/", "benches/", "assets/"]
                .iter()
                .any(|top| quoted.starts_with(top))
        })
        .filter(|path| !path.contains(char::is_whitespace) && !path.contains('*'))
        .filter(|path| !root.join(path).exists())
        .collect();
    assert!(
        missing.is_empty(),
        "README names files that are not there: {missing:?}"
    );
}
