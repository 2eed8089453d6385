//! Modal dialogs shared by every screen.

pub mod confirm;
pub mod decision_form;
pub mod help;
pub mod imports;
pub mod note_form;
pub mod palette;
