//! Reading the terminal on a thread of its own, so that a key goes straight to the app thread.
//!
//! crossterm's `EventStream` reads on a thread too, but hands each event to the event loop
//! (a wake-up), which handed keys on to the app thread (a second one): on two busy cores each
//! hop is a chance to wait for a core. This thread sends keys and pastes to the app thread
//! itself, and to the UI thread only what is the UI thread's: Ctrl-C, a key typed while a write
//! waits (counted on the waiting line), a resize, a failure.

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc::Sender;
use std::sync::{Arc, Condvar, Mutex};
use std::time::{Duration, Instant};

use crossterm::event::{self, Event, KeyCode, KeyEventKind, KeyModifiers};
use tokio::sync::mpsc::UnboundedSender;

use super::worker::In;
use crate::error::{Error, Result};

/// What the input thread tells the UI thread.
pub enum ToUi {
    /// Ctrl-C: quit, even while the app thread waits for the store.
    Quit,
    /// A key or a paste came while a write waited: it was not passed on.
    Ignored,
    Resize,
    Failed(Error),
}

/// How often a paused-to-be reader looks up from the terminal: the longest the editor waits
/// to open. Keys do not wait for it: `poll` returns as soon as one comes.
const LOOK_UP: Duration = Duration::from_millis(50);

#[derive(Default)]
struct Pause {
    asked: bool,
    paused: bool,
}

/// The running input thread: paused while another program (the editor) owns the terminal.
pub struct Input {
    pause: Arc<(Mutex<Pause>, Condvar)>,
}

impl Input {
    /// Start reading; `waiting` is set while the app thread's write waits for another process.
    pub fn spawn(to_app: Sender<In>, to_ui: UnboundedSender<ToUi>, waiting: Arc<AtomicBool>) -> Result<Input> {
        let pause: Arc<(Mutex<Pause>, Condvar)> = Arc::default();
        let held = pause.clone();
        std::thread::Builder::new()
            .name("mktg-input".into())
            .spawn(move || {
                read(&to_app, &to_ui, &waiting, &held);
                // Gone for good: a pause asked for now (or later) must not wait for it.
                let (lock, cv) = &*held;
                lock.lock().unwrap_or_else(|e| e.into_inner()).paused = true;
                cv.notify_all();
            })
            .map_err(|e| Error::system(format!("cannot start: {e}")))?;
        Ok(Input { pause })
    }

    /// Stop reading the terminal, and return once the reader has stopped.
    pub fn pause(&self) {
        let (lock, cv) = &*self.pause;
        let mut p = lock.lock().unwrap_or_else(|e| e.into_inner());
        p.asked = true;
        while !p.paused {
            p = cv.wait(p).unwrap_or_else(|e| e.into_inner());
        }
    }

    pub fn resume(&self) {
        let (lock, cv) = &*self.pause;
        lock.lock().unwrap_or_else(|e| e.into_inner()).asked = false;
        cv.notify_all();
    }
}

fn read(to_app: &Sender<In>, to_ui: &UnboundedSender<ToUi>, waiting: &AtomicBool, pause: &(Mutex<Pause>, Condvar)) {
    loop {
        {
            let (lock, cv) = pause;
            let mut p = lock.lock().unwrap_or_else(|e| e.into_inner());
            if p.asked {
                p.paused = true;
                cv.notify_all();
                while p.asked {
                    p = cv.wait(p).unwrap_or_else(|e| e.into_inner());
                }
                p.paused = false;
            }
        }
        let ev = match event::poll(LOOK_UP) {
            Ok(false) => continue,
            Ok(true) => event::read(),
            Err(e) => Err(e),
        };
        let sent = match ev {
            Ok(Event::Key(key)) if key.kind != KeyEventKind::Release => {
                if key.code == KeyCode::Char('c') && key.modifiers.contains(KeyModifiers::CONTROL) {
                    to_ui.send(ToUi::Quit).is_ok()
                } else if waiting.load(Ordering::SeqCst) {
                    to_ui.send(ToUi::Ignored).is_ok()
                } else {
                    to_app.send(In::Key(key, Instant::now())).is_ok()
                }
            }
            Ok(Event::Paste(text)) => {
                if waiting.load(Ordering::SeqCst) {
                    to_ui.send(ToUi::Ignored).is_ok()
                } else {
                    to_app.send(In::Paste(text, Instant::now())).is_ok()
                }
            }
            Ok(Event::Resize(..)) => to_ui.send(ToUi::Resize).is_ok(),
            Ok(_) => true,
            Err(e) => {
                let _ = to_ui.send(ToUi::Failed(Error::system(format!("reading the terminal: {e}"))));
                false
            }
        };
        // The cockpit has ended.
        if !sent {
            return;
        }
    }
}
