//! Pure rendering: `render(frame, &App)`, one file per view (issue 4).

pub mod wizard;
