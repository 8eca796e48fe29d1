//! Notifications: telling the operator (or a pipeline) when a request needs them, finished,
//! or failed, without anyone watching the dashboard.
//!
//! Layer: below `app`, beside `store`; it knows the SPS model and its own `[notify]` config,
//! nothing of the dashboard. Whoever sees a change (the dashboard's effects, `spsdash watch`)
//! makes a [`NotifyEvent`] from plain data and offers it to a [`Notifier`], which drops what
//! was already announced (the [`announced`] record survives restarts), groups bursts, and
//! sends each event to the sinks its level is routed to: the terminal (bell and OSC 9/777/99),
//! a command run without a shell, a webhook. Sink failures come back as values.

pub mod announced;
pub mod command;
pub mod dispatch;
pub mod event;
pub mod group;
pub mod outage;
pub mod pending;
pub mod served;
pub mod terminal;
pub mod transitions;
pub mod webhook;

pub use announced::Announced;
pub use dispatch::{Delivery, Notifier, Outcome, TerminalWriter};
pub use event::{EventKind, Level, Moved, NotifyEvent};
pub use group::Grouper;
pub use outage::OutageWatch;
pub use terminal::{TerminalCaps, notification_bytes};
pub use transitions::events_for;

/// The announced record's file name, in whatever state directory the caller keeps.
pub const ANNOUNCED_FILE: &str = "notify-announced.txt";
