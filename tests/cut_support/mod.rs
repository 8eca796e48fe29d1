//! The check that a value shown on a screen is whole or cut with "…": a name cut silently
//! ("store.example.co") reads as another, valid name. Shared by the narrow-screen tests of
//! both worlds (`ui_narrow.rs`, `ui_narrow_cps.rs`).

/// Every place in `screen` where one of `names` starts (its first 8 characters, unique per
/// name) and stops short of its end without "…" right after, unless the value wraps: it
/// reaches the box's edge and the next line goes on with the rest of the name.
pub fn silent_cuts(screen: &[String], names: &[&str]) -> Vec<String> {
    let mut found = Vec::new();
    for (index, line) in screen.iter().enumerate() {
        let characters: Vec<char> = line.chars().collect();
        for name in names {
            let name: Vec<char> = name.chars().collect();
            for start in 0..characters.len() {
                if !characters[start..].starts_with(&name[..8]) {
                    continue;
                }
                let same = characters[start..]
                    .iter()
                    .zip(&name)
                    .take_while(|(a, b)| a == b)
                    .count();
                let whole = same == name.len();
                let rest: String = name[same..].iter().collect();
                let wraps = matches!(characters.get(start + same), None | Some('│'))
                    && screen.get(index + 1).is_some_and(|next| {
                        next.trim_start_matches('│').trim_start().starts_with(&rest)
                    });
                if !whole && !wraps && characters.get(start + same) != Some(&'…') {
                    found.push(format!(
                        "{line:?} cuts {:?}",
                        name.iter().collect::<String>()
                    ));
                }
            }
        }
    }
    found
}
