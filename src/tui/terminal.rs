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

/// Take the terminal back after handing it to another program, and redraw everything.
pub fn resume(terminal: &mut Term) -> Result<()> {
    enable_raw_mode().map_err(|e| Error::system(format!("cannot take the terminal back: {e}")))?;
    execute!(stdout(), EnterAlternateScreen, EnableBracketedPaste, cursor::Hide)
        .map_err(|e| Error::system(format!("cannot take the terminal back: {e}")))?;
    // `resize` clears the screen and forgets the last frame, so the next draw repaints everything
    // (`Terminal::clear` would ask the terminal for the cursor position, which not every terminal answers).
    let size = terminal.size().map_err(|e| Error::system(format!("redraw: {e}")))?;
    terminal
        .resize(ratatui::layout::Rect::new(0, 0, size.width, size.height))
        .map_err(|e| Error::system(format!("redraw: {e}")))?;
    Ok(())
}

/// Hand `text` to `$VISUAL`/`$EDITOR` (`io::editor`) with the terminal restored, and return
/// what was saved; the caller takes the terminal back (`resume`).
pub fn edit_in_editor(text: &str) -> Result<String> {
    restore();
    Ok(crate::io::editor::edit(text)?)
}

fn install_panic_hook() {
    let previous = std::panic::take_hook();
    std::panic::set_hook(Box::new(move |info| {
        restore();
        previous(info);
    }));
}
