//! Redirect rules and challenge files for web servers (issue 6).
