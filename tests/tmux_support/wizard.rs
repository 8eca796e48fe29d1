//! What the wizard's end-to-end runs share: a config whose profile fills the subject,
//! organization and contacts, and walking the wizard's steps with Enter.
#![allow(dead_code)]

use std::time::Duration;

use super::Tmux;

/// The profile the wizard prefills its subject, organization and contact steps from.
pub const PROFILE_CONFIG: &str = r#"
[profile.subject]
country = "US"
state = "MA"
locality = "Cambridge"
organization = "Example Corp"
unit = "Web"

[profile.organization]
name = "Example Corp"
address_line_one = "1 Main St"
city = "Cambridge"
region = "MA"
postal_code = "02142"
country = "US"
phone = "+1 617 555 0100"

[profile.admin_contact]
first_name = "Ann"
last_name = "Lee"
phone = "+1 617 555 0101"
email = "ann@example.com"

[profile.technical_contact]
first_name = "Tom"
last_name = "Ng"
phone = "+1 617 555 0102"
email = "tom@example.com"
"#;

/// Enter until the wizard shows `title` (Enter walks a step's fields, then the next step).
pub fn enter_until(tmux: &Tmux, title: &str) {
    for _ in 0..40 {
        if tmux.screen().contains(title) {
            return;
        }
        tmux.send(&["Enter"]);
        std::thread::sleep(Duration::from_millis(60));
    }
    tmux.wait_for(title, |screen| screen.contains(title));
}
