//! The cockpit: a tokio loop merging terminal events, a clock tick and signals into one app.

mod app;
mod jobs;
mod onboarding;
pub mod popups;
pub mod screen;
pub mod screens;
mod terminal;
pub mod theme;
pub mod widgets;

use std::time::Duration;

use crossterm::event::{Event, EventStream, KeyEventKind};
use futures_util::StreamExt;
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use ratatui::buffer::Buffer;

pub use app::App;

use crate::context::{Context, RenderRequest};
use crate::error::{Error, Result};
use crate::store::Store;
use screen::ScreenId;
use theme::Theme;

/// Open the cockpit on the store and run until the user quits.
pub fn run(env: &Context) -> Result<()> {
    use std::io::IsTerminal;
    if !std::io::stdout().is_terminal() || !std::io::stdin().is_terminal() {
        return Err(Error::input(
            "the cockpit needs a terminal; for scripts use a subcommand (mktg --help), e.g. mktg render dashboard",
        ));
    }
    let store = env.open_store()?;
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .map_err(|e| Error::system(format!("cannot start: {e}")))?;
    let mut guard = terminal::Guard::enter()?;
    let mut app = App::new(&store, &env.config, env.clock.clone(), Theme::from_env())?;
    app.run_jobs_in_background();
    runtime.block_on(event_loop(&mut guard.terminal, &mut app))
}

async fn event_loop(terminal: &mut terminal::Term, app: &mut App<'_>) -> Result<()> {
    let mut events = EventStream::new();
    let mut tick = tokio::time::interval(Duration::from_secs(1));
    tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Skip);
    let mut hangup = signal(tokio::signal::unix::SignalKind::hangup())?;
    let mut terminate = signal(tokio::signal::unix::SignalKind::terminate())?;
    let (done_tx, mut done_rx) = tokio::sync::mpsc::unbounded_channel::<jobs::JobResult>();
    let mut dirty = true;
    loop {
        if dirty {
            terminal.draw(|f| app.draw(f)).map_err(|e| Error::system(format!("drawing: {e}")))?;
            if app.bell {
                app.bell = false;
                print!("\x07");
            }
            dirty = false;
        }
        tokio::select! {
            ev = events.next() => match ev {
                Some(Ok(Event::Key(key))) if key.kind != KeyEventKind::Release => {
                    app.on_key(key);
                    dirty = true;
                }
                Some(Ok(Event::Paste(text))) => {
                    app.on_paste(&text);
                    dirty = true;
                }
                Some(Ok(Event::Resize(..))) => {
                    // Resizing clears the screen and resets the back buffer: the next draw is a full redraw.
                    // (Not `Terminal::clear`, which asks the terminal for the cursor position.)
                    terminal.autoresize().map_err(|e| Error::system(format!("resize: {e}")))?;
                    dirty = true;
                }
                Some(Ok(_)) => {}
                Some(Err(e)) => return Err(Error::system(format!("reading the terminal: {e}"))),
                None => return Ok(()),
            },
            // Once a second: other processes' writes, the meeting highlight, the top bar's minute.
            _ = tick.tick() => dirty |= app.on_tick(),
            Some(result) = done_rx.recv() => {
                app.job_done(result);
                dirty = true;
            }
            _ = hangup.recv() => return Ok(()),
            _ = terminate.recv() => return Ok(()),
        }
        if app.quit {
            return Ok(());
        }
        if let Some((job, db, now)) = app.take_job() {
            let done = done_tx.clone();
            tokio::task::spawn_blocking(move || {
                let _ = done.send(job.run(&db, now));
            });
        }
        if let Some(text) = app.take_editor_request() {
            // The request comes from a key the stream has just delivered, so its reader thread
            // is idle until the stream is polled again: the editor gets every key typed in it.
            let result = terminal::edit_in_editor(&text);
            terminal::resume(terminal)?;
            app.editor_done(result);
            dirty = true;
        }
    }
}

fn signal(kind: tokio::signal::unix::SignalKind) -> Result<tokio::signal::unix::Signal> {
    tokio::signal::unix::signal(kind).map_err(|e| Error::system(format!("signals: {e}")))
}

/// Draw `screen` at `width` x `height` after replaying `keys`, through the same app
/// the cockpit runs, on a frozen clock; the frame as plain text, one line per row.
pub fn render_to_text(store: &Store, env: &Context, req: &RenderRequest<'_>) -> Result<String> {
    let RenderRequest { screen, width, height, keys } = *req;
    let id = ScreenId::parse(screen).ok_or_else(|| {
        Error::input(format!("'{screen}' is not a screen (one of: {})", ScreenId::ALL.map(|s| s.name()).join(", ")))
    })?;
    let mut app = App::new(store, &env.config, env.clock.freeze(), Theme::plain())?;
    app.select(id);
    let mut terminal =
        Terminal::new(TestBackend::new(width, height)).map_err(|e| Error::system(format!("render: {e}")))?;
    // Draw once first so screens know their size, as in the live cockpit.
    terminal.draw(|f| app.draw(f)).map_err(|e| Error::system(format!("render: {e}")))?;
    for key in keys {
        if app.quit {
            break;
        }
        app.on_key(*key);
        // Headless: background work runs to completion before the next key, as if awaited.
        if let Some((job, db, now)) = app.take_job() {
            app.job_done(job.run(&db, now));
        }
        terminal.draw(|f| app.draw(f)).map_err(|e| Error::system(format!("render: {e}")))?;
    }
    Ok(buffer_to_text(terminal.backend().buffer()))
}

/// The buffer as text: one line per row, wide characters once, each row exactly `width` cells.
pub fn buffer_to_text(buf: &Buffer) -> String {
    let mut out = String::new();
    for y in 0..buf.area.height {
        let mut skip = 0usize;
        for x in 0..buf.area.width {
            if skip > 0 {
                skip -= 1;
                continue;
            }
            let sym = buf[(x, y)].symbol();
            let w = unicode_width::UnicodeWidthStr::width(sym);
            out.push_str(if sym.is_empty() { " " } else { sym });
            skip = w.saturating_sub(1);
        }
        out.push('\n');
    }
    out
}
