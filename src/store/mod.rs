//! Local state on disk: the list cache and transition journal (issue 4), wizard drafts and the
//! submission journal (issue 5).

pub mod drafts;
pub mod submissions;
