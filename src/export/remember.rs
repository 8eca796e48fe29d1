//! Remembering the last export format in the config file (`export.format`), changing only
//! that one line so the operator's comments and layout survive.

use std::path::Path;

use super::ExportFormat;

/// `text` with `export.format` set to `format`: the existing key replaced in place, else
/// added under `[export]`, else a new `[export]` table appended. The result is parsed back
/// and must say `format`, or the edit is refused.
pub fn set_export_format(text: &str, format: ExportFormat) -> Result<String, String> {
    let value = format!("format = \"{}\"", format.name());
    let mut lines: Vec<String> = text.lines().map(str::to_string).collect();
    let mut table = String::new();
    let mut export_header = None;
    let mut replaced = false;
    for (index, line) in lines.iter_mut().enumerate() {
        let trimmed = line.trim();
        if trimmed.starts_with('[') {
            table = trimmed
                .trim_start_matches('[')
                .split(']')
                .next()
                .unwrap_or("")
                .trim()
                .to_string();
            if table == "export" {
                export_header = Some(index);
            }
            continue;
        }
        let key = trimmed.split('=').next().unwrap_or("").trim();
        let is_format =
            (table == "export" && key == "format") || (table.is_empty() && key == "export.format");
        if is_format && trimmed.contains('=') {
            let indent: String = line.chars().take_while(|c| c.is_whitespace()).collect();
            *line = if table.is_empty() {
                format!("{indent}export.{value}")
            } else {
                format!("{indent}{value}")
            };
            replaced = true;
            break;
        }
    }
    if !replaced {
        match export_header {
            Some(index) => lines.insert(index + 1, value),
            None => {
                if lines.last().is_some_and(|line| !line.trim().is_empty()) {
                    lines.push(String::new());
                }
                lines.push("[export]".to_string());
                lines.push(value);
            }
        }
    }
    let mut edited = lines.join("\n");
    edited.push('\n');
    let parsed: toml::Table = edited
        .parse()
        .map_err(|error| format!("the edited config does not parse ({error})"))?;
    let saved = parsed
        .get("export")
        .and_then(|export| export.get("format"))
        .and_then(|format| format.as_str());
    if saved != Some(format.name()) {
        return Err("could not find where export.format is set".to_string());
    }
    Ok(edited)
}

/// Saves `format` as `export.format` in the config file at `path` (created if missing).
pub fn remember_format(path: &Path, format: ExportFormat) -> Result<(), String> {
    // The config file, read like every file spsdash reads back: a regular file, capped.
    let text = match crate::private_fs::read_text(path, crate::private_fs::MAX_INPUT_BYTES) {
        Ok(text) => text,
        Err(error) if error.kind() == std::io::ErrorKind::NotFound => String::new(),
        Err(error) => return Err(format!("cannot read {}: {error}", path.display())),
    };
    let edited = set_export_format(&text, format).map_err(|why| {
        format!(
            "cannot remember the format in {}: {why}; set export.format there by hand",
            path.display()
        )
    })?;
    if let Some(parent) = path
        .parent()
        .filter(|parent| !parent.as_os_str().is_empty())
    {
        std::fs::create_dir_all(parent)
            .map_err(|error| format!("cannot create {}: {error}", parent.display()))?;
    }
    std::fs::write(path, edited)
        .map_err(|error| format!("cannot write {}: {error}", path.display()))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn format_of(text: &str) -> Option<String> {
        let table: toml::Table = text.parse().ok()?;
        Some(table.get("export")?.get("format")?.as_str()?.to_string())
    }

    #[test]
    fn replaces_in_place_keeping_comments_and_other_keys() {
        let before = "# my config\nread_only = true\n\n[export]\n# last used\n  format = \"nginx\" # was\n\n[clipboard]\nmode = \"off\"\n";
        let after = set_export_format(before, ExportFormat::Caddy).expect("edits");
        assert_eq!(
            after,
            "# my config\nread_only = true\n\n[export]\n# last used\n  format = \"caddy\"\n\n[clipboard]\nmode = \"off\"\n"
        );
    }

    #[test]
    fn adds_the_key_or_the_table_when_missing() {
        let after =
            set_export_format("[export]\n[ui]\nbell = true\n", ExportFormat::Iis).expect("edits");
        assert_eq!(format_of(&after).as_deref(), Some("iis"));
        assert!(after.contains("bell = true"));
        let after = set_export_format("read_only = false", ExportFormat::Json).expect("edits");
        assert_eq!(after, "read_only = false\n\n[export]\nformat = \"json\"\n");
        let after = set_export_format("", ExportFormat::Plain).expect("edits");
        assert_eq!(format_of(&after).as_deref(), Some("plain"));
        let after =
            set_export_format("export.format = \"csv\"\n", ExportFormat::Apache).expect("edits");
        assert_eq!(after, "export.format = \"apache\"\n");
    }

    #[test]
    fn refuses_what_it_cannot_edit_safely() {
        // An inline table: the line edit cannot reach it, and the check notices.
        assert!(
            set_export_format("export = { format = \"nginx\" }\n", ExportFormat::Caddy).is_err()
        );
        assert!(set_export_format("this is = not [toml\n", ExportFormat::Caddy).is_err());
    }

    #[test]
    fn remember_writes_the_file() {
        let dir = tempfile::tempdir().expect("tempdir");
        let path = dir.path().join("spsdash/config.toml");
        remember_format(&path, ExportFormat::Haproxy).expect("saves");
        let text = std::fs::read_to_string(&path).expect("read");
        assert_eq!(format_of(&text).as_deref(), Some("haproxy"));
        remember_format(&path, ExportFormat::Nginx).expect("saves");
        let text = std::fs::read_to_string(&path).expect("read");
        assert_eq!(format_of(&text).as_deref(), Some("nginx"));
        assert_eq!(text.matches("[export]").count(), 1);
    }
}
