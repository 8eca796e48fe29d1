//! Copy to the clipboard by OSC 52, wrapped for tmux (issue 6).
