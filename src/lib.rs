//! spsdash: a terminal dashboard for Akamai's Secure Provisioning Service.
//!
//! Data flows one way: terminal input, poller results and a clock tick become events; the
//! reducer (`app`) changes state and returns effects; effects run on tasks whose results come
//! back as events; rendering (`ui`) only reads.

pub mod app;
pub mod cli;
pub mod clipboard;
pub mod commands;
pub mod config;
pub mod dvcheck;
pub mod edgegrid;
pub mod export;
pub mod logging;
pub mod notify;
pub mod poll;
pub mod private_fs;
pub mod sim;
pub mod sps;
pub mod store;
pub mod text;
pub mod tui;
pub mod ui;
