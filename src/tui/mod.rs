//! The cockpit: a tokio loop merging terminal events, a clock tick and signals into one app.

mod app;
mod footer;
mod headless;
mod input;
mod jobs;
mod kept;
mod onboarding;
mod palette;
pub mod popups;
pub mod screen;
pub mod screens;
mod terminal;
pub mod theme;
mod views;
pub mod widgets;
mod worker;

use std::time::Duration;

use ratatui::Terminal;
use ratatui::buffer::Buffer;

pub use app::App;

use crate::clock::Clock;
use crate::context::{Context, RenderRequest};
use crate::error::{Error, Result};
use crate::store::Store;
use screen::ScreenId;
use theme::Theme;

/// Open the cockpit on the store and run until the user quits.
///
/// Two threads: this one owns the terminal (keys in, frames out, the clock, signals, the
/// editor) and never touches the store; the app thread (`worker`) owns the store and the app.
/// Whatever the store waits for, the terminal stays live.
pub fn run(env: &Context) -> Result<()> {
    use std::io::IsTerminal;
    if !std::io::stdout().is_terminal() || !std::io::stdin().is_terminal() {
        return Err(Error::input(
            "the cockpit needs a terminal; for scripts use a subcommand (mktg --help), e.g. mktg render dashboard",
        ));
    }
    // The cockpit's onboarding is the third way in, with `init` and `demo`, that creates a store.
    let store = env.open_or_create_store()?;
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .map_err(|e| Error::system(format!("cannot start: {e}")))?;
    let guard = terminal::Guard::enter()?;
    let theme = Theme::from_env();
    let (to_app, inbox) = std::sync::mpsc::channel();
    let (out, from_app) = tokio::sync::mpsc::unbounded_channel();
    let (to_ui, from_input) = tokio::sync::mpsc::unbounded_channel();
    let waiting = std::sync::Arc::new(std::sync::atomic::AtomicBool::new(false));
    let worker = worker::Worker {
        store,
        config: env.config.clone(),
        clock: env.clock.clone(),
        theme: theme.clone(),
        screen: guard.screen.clone(),
        waiting: waiting.clone(),
    };
    worker.spawn(inbox, to_app.clone(), out)?;
    let input = input::Input::spawn(to_app.clone(), to_ui, waiting)?;
    let ui = Ui { to_app, input, clock: env.clock.clone(), theme, waiting: None, ignored: 0 };
    let ended = runtime.block_on(ui.run(&guard.screen, from_app, from_input));
    // Restore the terminal before anything else, signal or not.
    drop(guard);
    drop(runtime);
    match ended? {
        // A shell, a supervisor or a closed window asked us to stop: exit as 128 + the signal,
        // the convention scripts and `timeout` read, now that the terminal is restored.
        Some(signal) => std::process::exit(128 + signal),
        None => Ok(()),
    }
}

/// SIGHUP and SIGTERM: the same numbers on every Unix the cockpit runs on.
const SIGHUP: i32 = 1;
const SIGTERM: i32 = 15;

/// The UI thread's state: whether the app is waiting for the store.
///
/// The app thread draws its frames on the terminal itself (a key's frame goes out from the
/// thread that handled the key, with no hop back here); this thread draws only while the app
/// thread cannot: the waiting line over the last frame, a resize, the editor.
struct Ui {
    to_app: std::sync::mpsc::Sender<worker::In>,
    input: input::Input,
    clock: Clock,
    theme: Theme,
    /// Since when a write has been waiting for another process.
    waiting: Option<std::time::Instant>,
    /// Keys ignored while it waits.
    ignored: usize,
}

impl Ui {
    /// Runs until the user quits (`None`) or a hangup or terminate signal arrives (its number).
    async fn run(
        mut self,
        screen: &terminal::Shared,
        mut from_app: tokio::sync::mpsc::UnboundedReceiver<worker::Out>,
        mut from_input: tokio::sync::mpsc::UnboundedReceiver<input::ToUi>,
    ) -> Result<Option<i32>> {
        use input::ToUi;
        use worker::{In, Out};
        let mut tick = tokio::time::interval(Duration::from_secs(1));
        tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Skip);
        let mut hangup = signal(tokio::signal::unix::SignalKind::hangup())?;
        let mut terminate = signal(tokio::signal::unix::SignalKind::terminate())?;
        loop {
            tokio::select! {
                // Keys and pastes go from the input thread to the app thread; this is the rest.
                msg = from_input.recv() => match msg {
                    // Ctrl-C always quits, even while the app thread waits for the store:
                    // the write it waits for is simply not made.
                    Some(ToUi::Quit) | None => return Ok(None),
                    Some(ToUi::Ignored) => {
                        self.ignored += 1;
                        if self.waiting.is_none() {
                            // The wait ended as the key came: the app thread says it was ignored.
                            let _ = self.to_app.send(In::Ignored(std::mem::take(&mut self.ignored)));
                        }
                        self.show(screen)?;
                    }
                    Some(ToUi::Resize) => {
                        // Resizing clears the screen and resets the back buffer: the next draw is a full redraw.
                        terminal::fit(&mut terminal::lock(screen).term)?;
                        let _ = self.to_app.send(In::Resize);
                        self.show(screen)?;
                    }
                    Some(ToUi::Failed(e)) => return Err(e),
                },
                // Once a second: other processes' writes, the meeting highlight, the top bar's minute.
                // While the app waits, this thread keeps the clock and the waiting line moving.
                _ = tick.tick() => {
                    if self.waiting.is_some() {
                        self.show(screen)?;
                    } else {
                        let _ = self.to_app.send(In::Tick);
                    }
                }
                msg = from_app.recv() => match msg {
                    Some(Out::Waiting(since)) => {
                        self.waiting = since;
                        if since.is_none() && self.ignored > 0 {
                            let _ = self.to_app.send(In::Ignored(std::mem::take(&mut self.ignored)));
                        }
                        self.show(screen)?;
                    }
                    Some(Out::Editor(text)) => {
                        // Stop reading the terminal while the editor owns it: the input thread
                        // would otherwise take keys typed in the editor. The app thread draws
                        // nothing meanwhile: this thread holds the terminal until it is back.
                        self.input.pause();
                        let mut held = terminal::lock(screen);
                        let result = terminal::edit_in_editor(&text);
                        let back = terminal::resume(&mut held.term);
                        drop(held);
                        self.input.resume();
                        back?;
                        let _ = self.to_app.send(In::EditorDone(result));
                    }
                    Some(Out::Quit) | None => return Ok(None),
                    Some(Out::Failed(e)) => return Err(e),
                },
                _ = hangup.recv() => return Ok(Some(SIGHUP)),
                _ = terminate.recv() => return Ok(Some(SIGTERM)),
            }
        }
    }

    /// Show the app's last frame again; while it waits for the store, with the clock kept
    /// current and the footer saying so.
    fn show(&self, screen: &terminal::Shared) -> Result<()> {
        let mut held = terminal::lock(screen);
        let held = &mut *held;
        let Some(last) = &held.last else { return Ok(()) };
        if held.is_closed() {
            return Ok(());
        }
        held.term
            .draw(|f| {
                let area = f.area();
                let buf = f.buffer_mut();
                for y in 0..area.height.min(last.area.height) {
                    for x in 0..area.width.min(last.area.width) {
                        buf[(x, y)] = last[(x, y)].clone();
                    }
                }
                if let Some(since) = self.waiting {
                    waiting_overlay(f, &self.clock, &self.theme, since, self.ignored);
                }
            })
            .map_err(|e| Error::system(format!("drawing: {e}")))?;
        Ok(())
    }
}

/// What the screen says while a write waits: the top bar's clock, current, and the footer.
fn waiting_overlay(f: &mut ratatui::Frame, clock: &Clock, theme: &Theme, since: std::time::Instant, ignored: usize) {
    use ratatui::layout::Rect;
    use ratatui::widgets::Paragraph;
    let area = f.area();
    if area.width < app::MIN_WIDTH || area.height < app::MIN_HEIGHT {
        return;
    }
    let time = clock.now().format(" %a %d %b %H:%M ").to_string();
    let w = time.chars().count() as u16;
    f.render_widget(
        Paragraph::new(time).style(theme.accent()),
        Rect::new(area.width.saturating_sub(w), 0, w.min(area.width), 1),
    );
    let secs = since.elapsed().as_secs();
    let keys = match ignored {
        0 => String::new(),
        1 => " · 1 key ignored".into(),
        n => format!(" · {n} keys ignored"),
    };
    let line = format!(" waiting for another mktg to finish writing ({secs} s){keys} · Ctrl-C quits");
    f.render_widget(
        Paragraph::new(crate::domain::text::truncate(&line, area.width as usize).into_owned()).style(theme.warn()),
        Rect::new(0, area.height - 1, area.width, 1),
    );
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
        Terminal::new(headless::Headless::new(width, height)).map_err(|e| Error::system(format!("render: {e}")))?;
    // Draw once first so screens know their size, as in the live cockpit. Only the last frame
    // is printed: the others are drawn for what drawing does to the screens (their size, a
    // reload), as in the cockpit.
    let first = terminal.draw(|f| draw_safely(&mut app, f)).map_err(render_error)?;
    let mut text = if keys.is_empty() { buffer_to_text(first.buffer) } else { String::new() };
    for (i, key) in keys.iter().enumerate() {
        if app.quit {
            break;
        }
        app.on_key(*key);
        // Headless: background work runs to completion before the next key, as if awaited.
        if let Some((job, db, now)) = app.take_job() {
            app.job_done(job.run(&db, now));
        }
        let frame = terminal.draw(|f| draw_safely(&mut app, f)).map_err(render_error)?;
        if i + 1 == keys.len() || app.quit {
            text = buffer_to_text(frame.buffer);
        }
    }
    Ok(text)
}

fn render_error(e: std::convert::Infallible) -> Error {
    match e {}
}

/// Draw the app, then make sure no cell carries a character a terminal would obey or that
/// disguises text: screens show stored text through `safe()`, and this pass makes it a property
/// of every frame rather than of every call site.
fn draw_safely(app: &mut App<'_>, frame: &mut ratatui::Frame) {
    app.draw(frame);
    sanitise(frame.buffer_mut());
}

/// Replace every cell whose symbol holds an unsafe character with `�`.
pub fn sanitise(buf: &mut Buffer) {
    for cell in buf.content.iter_mut() {
        // Most cells hold one printable ASCII character, which is never unsafe: this pass runs
        // over every cell of every frame, on the way from a key to its frame.
        let sym = cell.symbol().as_bytes();
        if sym.len() == 1 && (b' '..=b'~').contains(&sym[0]) {
            continue;
        }
        if cell.symbol().chars().any(crate::domain::text::is_unsafe) {
            cell.set_symbol("\u{FFFD}");
        }
    }
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
