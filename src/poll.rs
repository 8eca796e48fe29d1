//! The background poller: fetches, sends results as events, never touches UI state (issue 4).
