//! The `:` command line's language, pure: parsing a line into a `Command` and completing a
//! partial line. What a command does lives in `command_line.rs`, which reuses the actions the
//! keys run.

use super::keymap::names::closest;
use super::table::Column;
use crate::config::ExportFormat;

/// The commands, in the order completion offers them.
pub const COMMANDS: &[&str] = &[
    "pair", "filter", "sort", "export", "check", "new", "refresh", "pause", "errors", "account",
    "q",
];

/// A sort column's name on the command line (the keymap's `sort_<name>` actions match).
pub const COLUMNS: &[(&str, Column)] = &[
    ("id", Column::SpsId),
    ("name", Column::Name),
    ("sans", Column::Sans),
    ("kind", Column::Kind),
    ("validation", Column::Validation),
    ("ca", Column::Authority),
    ("status", Column::Status),
    ("domains", Column::Domains),
    ("changed", Column::LastChange),
    ("enrollment", Column::Enrollment),
];

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PairChoice {
    All,
    /// `contract/group`, as typed (matched against the datasets when run).
    Pair {
        contract: String,
        group: String,
    },
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Command {
    Pair(PairChoice),
    /// Empty clears the filter.
    Filter(String),
    /// `None`: the column's usual direction.
    Sort(Column, Option<bool>),
    Export(ExportFormat),
    Check,
    New,
    Refresh,
    Pause,
    Errors,
    Quit,
    /// `:account <section> [<account-switch-key>]`: the account to switch to.
    Account(super::account::AccountChoice),
}

/// Reads one command line (without the `:`); the error is the answer to show.
pub fn parse(line: &str) -> Result<Command, String> {
    let line = line.trim();
    let (name, rest) = match line.split_once(char::is_whitespace) {
        Some((name, rest)) => (name, rest.trim()),
        None => (line, ""),
    };
    let no_argument = |command: Command| {
        if rest.is_empty() {
            Ok(command)
        } else {
            Err(format!(":{name} takes no argument"))
        }
    };
    match name {
        "" => Err("type a command, Tab lists them".to_string()),
        "pair" => parse_pair(rest),
        "filter" => Ok(Command::Filter(rest.to_string())),
        "sort" => parse_sort(rest),
        "export" => {
            if rest.is_empty() {
                return Err(format!(
                    ":export needs a format: {}",
                    ExportFormat::names().join(", ")
                ));
            }
            rest.parse::<ExportFormat>()
                .map(Command::Export)
                .map_err(|error| error.to_string())
        }
        "check" => no_argument(Command::Check),
        "new" => no_argument(Command::New),
        "refresh" => no_argument(Command::Refresh),
        "pause" => no_argument(Command::Pause),
        "errors" => no_argument(Command::Errors),
        "q" | "quit" => no_argument(Command::Quit),
        "account" => match rest.split_whitespace().collect::<Vec<_>>().as_slice() {
            [section] => Ok(account(section, None)),
            [section, key] => Ok(account(section, Some(key))),
            _ => Err(
                ":account needs an .edgerc section name, and optionally an account switch key"
                    .to_string(),
            ),
        },
        unknown => Err(match closest(unknown, COMMANDS.iter().copied()) {
            Some(known) => format!("unknown command :{unknown} — did you mean :{known}?"),
            None => format!(
                "unknown command :{unknown} — the commands: :{}",
                COMMANDS.join(" :")
            ),
        }),
    }
}

fn account(section: &str, key: Option<&str>) -> Command {
    Command::Account(super::account::AccountChoice {
        section: section.to_string(),
        account_switch_key: key.map(str::to_string),
    })
}

fn parse_pair(rest: &str) -> Result<Command, String> {
    if rest == "all" {
        return Ok(Command::Pair(PairChoice::All));
    }
    match rest.split_once('/') {
        Some((contract, group))
            if !contract.trim().is_empty()
                && !group.trim().is_empty()
                && !rest.contains(char::is_whitespace) =>
        {
            Ok(Command::Pair(PairChoice::Pair {
                contract: contract.to_string(),
                group: group.to_string(),
            }))
        }
        _ => Err(":pair needs <contract>/<group> or all".to_string()),
    }
}

fn parse_sort(rest: &str) -> Result<Command, String> {
    let words: Vec<&str> = rest.split_whitespace().collect();
    let names = || {
        COLUMNS
            .iter()
            .map(|(name, _)| *name)
            .collect::<Vec<_>>()
            .join(", ")
    };
    let (column, direction) = match words.as_slice() {
        [column] => (*column, None),
        [column, direction] => (*column, Some(*direction)),
        _ => return Err(format!(":sort needs a column ({}) [asc|desc]", names())),
    };
    let Some((_, column)) = COLUMNS.iter().find(|(name, _)| *name == column) else {
        let hint = closest(column, COLUMNS.iter().map(|(name, _)| *name))
            .map(|known| format!(" — did you mean {known}?"))
            .unwrap_or_else(|| format!(" (columns: {})", names()));
        return Err(format!("unknown column {column}{hint}"));
    };
    let descending = match direction {
        None => None,
        Some("asc") => Some(false),
        Some("desc") => Some(true),
        Some(other) => return Err(format!(":sort direction is asc or desc, not {other}")),
    };
    Ok(Command::Sort(*column, descending))
}

/// The candidates that complete the last word of `line`, given the pairs known (as
/// `contract/group`) for `:pair` and the `.edgerc` section names for `:account`. Each
/// candidate is the whole line after completion.
pub fn complete(line: &str, pairs: &[String], sections: &[String]) -> Vec<String> {
    let (head, word) = match line.rfind(char::is_whitespace) {
        Some(at) => (&line[..=at], &line[at + 1..]),
        None => ("", line),
    };
    let words: Vec<&str> = head.split_whitespace().collect();
    let options: Vec<String> = match words.as_slice() {
        [] => COMMANDS.iter().map(|name| name.to_string()).collect(),
        ["pair"] => std::iter::once("all".to_string())
            .chain(pairs.iter().cloned())
            .collect(),
        ["sort"] => COLUMNS.iter().map(|(name, _)| name.to_string()).collect(),
        ["sort", _] => vec!["asc".to_string(), "desc".to_string()],
        ["account"] => sections.to_vec(),
        ["export"] => ExportFormat::ALL
            .iter()
            .map(|format| format.name().to_string())
            .collect(),
        _ => Vec::new(),
    };
    options
        .into_iter()
        .filter(|option| option.starts_with(word))
        .map(|option| format!("{head}{option}"))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn commands_parse() {
        let cases = [
            ("pair all", Command::Pair(PairChoice::All)),
            (
                "pair K-0001/G-1",
                Command::Pair(PairChoice::Pair {
                    contract: "K-0001".to_string(),
                    group: "G-1".to_string(),
                }),
            ),
            (
                "filter ev.example.com",
                Command::Filter("ev.example.com".to_string()),
            ),
            ("filter", Command::Filter(String::new())),
            ("sort name", Command::Sort(Column::Name, None)),
            (
                "sort  changed desc",
                Command::Sort(Column::LastChange, Some(true)),
            ),
            ("sort id asc", Command::Sort(Column::SpsId, Some(false))),
            ("export caddy", Command::Export(ExportFormat::Caddy)),
            ("  check ", Command::Check),
            ("new", Command::New),
            ("refresh", Command::Refresh),
            ("pause", Command::Pause),
            ("errors", Command::Errors),
            ("q", Command::Quit),
            ("account prod", account("prod", None)),
            (
                "account  prod 1-ABC:1-2",
                account("prod", Some("1-ABC:1-2")),
            ),
        ];
        for (line, command) in cases {
            assert_eq!(parse(line), Ok(command), "{line}");
        }
    }

    #[test]
    fn bad_lines_answer_what_is_wrong() {
        assert_eq!(
            parse("sortt name").unwrap_err(),
            "unknown command :sortt — did you mean :sort?"
        );
        assert!(parse("paus").unwrap_err().contains("did you mean :pause?"));
        assert!(parse("xyzzyfoo").unwrap_err().contains(":pair :filter"));
        assert!(
            parse("sort nmae")
                .unwrap_err()
                .contains("did you mean name?")
        );
        assert!(parse("sort name up").unwrap_err().contains("asc or desc"));
        assert!(
            parse("pair K-1")
                .unwrap_err()
                .contains("<contract>/<group>")
        );
        assert!(parse("pair /G").is_err());
        assert!(parse("export").unwrap_err().contains("nginx"));
        assert!(parse("export word").unwrap_err().contains("nginx"));
        assert!(parse("refresh now").unwrap_err().contains("no argument"));
        assert!(parse("account").is_err());
        assert!(parse("account a b c").is_err());
        assert!(parse("").is_err());
    }

    #[test]
    fn completion_offers_commands_then_arguments() {
        let pairs = vec!["K-1/G-1".to_string(), "K-2/G-9".to_string()];
        assert_eq!(complete("so", &pairs, &[]), vec!["sort"]);
        assert_eq!(complete("p", &pairs, &[]), vec!["pair", "pause"]);
        assert_eq!(complete("", &pairs, &[]).len(), COMMANDS.len());
        assert_eq!(
            complete("pair ", &pairs, &[]),
            vec!["pair all", "pair K-1/G-1", "pair K-2/G-9"]
        );
        assert_eq!(complete("pair K-2", &pairs, &[]), vec!["pair K-2/G-9"]);
        assert_eq!(complete("sort st", &pairs, &[]), vec!["sort status"]);
        assert_eq!(complete("sort name d", &pairs, &[]), vec!["sort name desc"]);
        assert_eq!(complete("export ng", &pairs, &[]), vec!["export nginx"]);
        assert_eq!(
            complete("export ", &pairs, &[]).len(),
            ExportFormat::ALL.len()
        );
        assert!(complete("refresh ", &pairs, &[]).is_empty());
        let sections = vec![
            "default".to_string(),
            "prod".to_string(),
            "preprod".to_string(),
        ];
        assert_eq!(
            complete("account pr", &pairs, &sections),
            vec!["account prod", "account preprod"]
        );
        assert_eq!(complete("account ", &pairs, &sections).len(), 3);
        // The switch key is the operator's to type: nothing is guessed.
        assert!(complete("account prod ", &pairs, &sections).is_empty());
        // Every completed command parses.
        for line in complete("", &pairs, &[]) {
            let word = line.as_str();
            assert!(
                !parse(word).unwrap_err_or_ok().contains("unknown command"),
                "{word}"
            );
        }
    }

    trait Answer {
        fn unwrap_err_or_ok(self) -> String;
    }

    impl Answer for Result<Command, String> {
        fn unwrap_err_or_ok(self) -> String {
            self.err().unwrap_or_default()
        }
    }
}
