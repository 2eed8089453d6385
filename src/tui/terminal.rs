//! Taking the terminal over and giving it back exactly as it was: on quit, on error, on panic.

use std::io::{Stdout, Write, stdout};

use crossterm::event::{DisableBracketedPaste, EnableBracketedPaste};
use crossterm::terminal::{EnterAlternateScreen, LeaveAlternateScreen, disable_raw_mode, enable_raw_mode};
use crossterm::{cursor, execute};
use ratatui::Terminal;
use ratatui::backend::CrosstermBackend;

use crate::error::{Error, Result};

pub type Term = Terminal<CrosstermBackend<Stdout>>;

/// Restores the terminal when dropped, whichever way the cockpit ends.
pub struct Guard {
    pub terminal: Term,
}

impl Guard {
    pub fn enter() -> Result<Guard> {
        install_panic_hook();
        enable_raw_mode().map_err(|e| Error::system(format!("cannot take the terminal: {e}")))?;
        let mut out = stdout();
        if let Err(e) = execute!(out, EnterAlternateScreen, EnableBracketedPaste, cursor::Hide) {
            restore();
            return Err(Error::system(format!("cannot take the terminal: {e}")));
        }
        let terminal = Terminal::new(CrosstermBackend::new(out)).map_err(|e| {
            restore();
            Error::system(format!("cannot take the terminal: {e}"))
        })?;
        Ok(Guard { terminal })
    }
}

impl Drop for Guard {
    fn drop(&mut self) {
        restore();
    }
}

/// Leave the alternate screen and raw mode; safe to call more than once.
pub fn restore() {
    let mut out = stdout();
    let _ = execute!(out, DisableBracketedPaste, LeaveAlternateScreen, cursor::Show);
    let _ = disable_raw_mode();
    let _ = out.flush();
}

fn install_panic_hook() {
    let previous = std::panic::take_hook();
    std::panic::set_hook(Box::new(move |info| {
        restore();
        previous(info);
    }));
}
