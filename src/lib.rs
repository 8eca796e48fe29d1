//! spsdash: a terminal dashboard for Akamai certificate operators (CPS v2 and PAPI; SPS v1).
//!
//! Data flows one way: terminal input, poller results and a clock tick become events; the
//! reducer (`app`) changes state and returns effects; effects run on tasks whose results come
//! back as events; rendering (`ui`) only reads.
//!
//! Modules import downward only (`tests/layers.rs` holds the exact table):
//! `edgegrid, model → {sps, cps, papi} → source → config → {store, export, dvcheck, notify,
//! served, sim} → orders → app → {ui, poll} → {tui, commands} → main`, with the leaves `text`,
//! `private_fs` and `tolerant` below whatever uses them.
//! `app` is state and reducer only: no I/O, no clock, nothing from `ui`, `store` or `tui`; all
//! of the dashboard's I/O runs in `tui::effects`.

pub mod app;
pub mod cli;
pub mod clipboard;
pub mod commands;
pub mod config;
pub mod cps;
pub mod dvcheck;
pub mod edgegrid;
pub mod export;
pub mod logging;
pub mod memory;
pub mod model;
pub mod notify;
pub mod orders;
pub mod papi;
pub mod poll;
pub mod private_fs;
pub mod served;
pub mod sim;
pub mod source;
pub mod sps;
pub mod store;
pub mod text;
pub mod threads;
pub mod tolerant;
pub mod tui;
pub mod ui;
