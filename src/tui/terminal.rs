//! Taking the terminal over and giving it back exactly as it was: on quit, on error, on panic.
//!
//! The terminal is shared by the cockpit's two threads (`Shared`): the app thread draws each
//! frame into it as soon as a key is handled (one diff, one write), and the UI thread draws on
//! it only while the app thread cannot (the waiting overlay, a resize, the editor), from the
//! copy of the last frame kept beside it.

use std::io::{BufWriter, Stdout, Write, stdout};
use std::sync::{Arc, Mutex, MutexGuard};

use crossterm::event::{DisableBracketedPaste, EnableBracketedPaste};
use crossterm::terminal::{EnterAlternateScreen, LeaveAlternateScreen, disable_raw_mode, enable_raw_mode};
use crossterm::{cursor, execute};
use ratatui::Terminal;
use ratatui::backend::CrosstermBackend;
use ratatui::buffer::Buffer;

use crate::error::{Error, Result};

/// Frames go out through a buffer big enough for a full 4K-wide redraw, flushed once at the end
/// of each draw: one `write` a frame. (Stdout alone is line-buffered in 1 KiB pieces: a help
/// popup went out in five writes, each waking the terminal's reader.)
pub type Term = Terminal<CrosstermBackend<BufWriter<Stdout>>>;
const FRAME_BUFFER: usize = 256 * 1024;

/// The terminal and the last frame drawn on it.
pub struct Screen {
    pub term: Term,
    /// What the app last drew: the UI thread redraws it under the waiting line.
    pub last: Option<Buffer>,
    /// The terminal has been given back: nobody draws on it any more.
    closed: bool,
}

impl Screen {
    /// Draw a frame unless the terminal has been given back; the frame is kept as `last`
    /// (copied after it has been written: the copy is not on the way from a key to its frame).
    pub fn draw(&mut self, render: impl FnOnce(&mut ratatui::Frame)) -> Result<()> {
        if self.closed {
            return Ok(());
        }
        let done = self.term.draw(render).map_err(|e| Error::system(format!("drawing: {e}")))?;
        match &mut self.last {
            Some(last) => {
                last.area = done.buffer.area;
                last.content.clone_from(&done.buffer.content);
            }
            None => self.last = Some(done.buffer.clone()),
        }
        Ok(())
    }

    /// Ring the terminal's bell.
    pub fn bell(&mut self) {
        if !self.closed {
            let out = self.term.backend_mut();
            let _ = out.write_all(b"\x07").and_then(|_| out.flush());
        }
    }

    pub fn is_closed(&self) -> bool {
        self.closed
    }
}

/// The terminal, shared by the UI thread and the app thread.
pub type Shared = Arc<Mutex<Screen>>;

/// Take the shared terminal; a thread that panicked while drawing leaves it usable.
pub fn lock(shared: &Shared) -> MutexGuard<'_, Screen> {
    shared.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
}

/// Restores the terminal when dropped, whichever way the cockpit ends.
pub struct Guard {
    pub screen: Shared,
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
        let term = fixed_terminal(out).map_err(|e| {
            restore();
            Error::system(format!("cannot take the terminal: {e}"))
        })?;
        Ok(Guard { screen: Arc::new(Mutex::new(Screen { term, last: None, closed: false })) })
    }
}

impl Drop for Guard {
    fn drop(&mut self) {
        // Wait for a frame being drawn to be written whole, and let no thread draw after this.
        let mut screen = lock(&self.screen);
        screen.closed = true;
        let _ = screen.term.backend_mut().flush();
        restore();
    }
}

/// The whole screen as a fixed viewport: a fullscreen one asks the terminal for its size before
/// every frame (opening /dev/tty each time, on the way from a key to its frame); the size only
/// changes on a resize event, and `fit` follows it then.
fn fixed_terminal(out: Stdout) -> std::io::Result<Term> {
    let (width, height) = crossterm::terminal::size()?;
    let viewport = ratatui::Viewport::Fixed(ratatui::layout::Rect::new(0, 0, width, height));
    Terminal::with_options(
        CrosstermBackend::new(BufWriter::with_capacity(FRAME_BUFFER, out)),
        ratatui::TerminalOptions { viewport },
    )
}

/// Fit the terminal to its size now (after a resize event, or coming back from the editor):
/// the screen is cleared and the next frame is drawn whole.
pub fn fit(terminal: &mut Term) -> Result<()> {
    // `resize` clears the screen and forgets the last frame, so the next draw repaints everything
    // (`Terminal::clear` would ask the terminal for the cursor position, which not every terminal answers).
    let size = terminal.size().map_err(|e| Error::system(format!("resize: {e}")))?;
    terminal
        .resize(ratatui::layout::Rect::new(0, 0, size.width, size.height))
        .map_err(|e| Error::system(format!("resize: {e}")))
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
    fit(terminal)
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
