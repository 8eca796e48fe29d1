//! Wizard drafts, saved on every step and offered back next time (issue 5).
