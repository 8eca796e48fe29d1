//! Screen geometry: how big each part of the screen is. It lives in `app::geometry`, so the
//! reducer hit-tests mouse clicks with the very layout drawn here.

pub use crate::app::geometry::{
    Areas, MIN_HEIGHT, MIN_WIDTH, areas, requests_split, sidebar_entry_heights,
    sidebar_first_entry, sidebar_width, too_small,
};
