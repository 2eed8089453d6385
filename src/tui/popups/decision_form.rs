//! The decision form, opened by one key from anywhere (placeholder until the decision log lands).

use crate::tui::screen::{Ctx, Links, Popup};

/// The form to log a decision linked to `links`; `None` while unavailable.
pub fn open(_links: Links, _cx: &Ctx) -> Option<Box<dyn Popup>> {
    None
}
