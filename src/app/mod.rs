//! Dashboard state and the pure reducer: `update(&mut App, Event) -> Vec<Effect>` (issue 4).

pub mod wizard;
