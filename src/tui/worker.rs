//! The cockpit's app thread: it owns the store and the app, handles every key, tick and job,
//! and draws each frame into a buffer it hands to the UI thread.
//!
//! Store work can wait: a write waits up to the busy timeout for another process's transaction
//! (an import, a cron job). It waits here, so the UI thread keeps the terminal live: the clock
//! ticks, Ctrl-C quits, and the screen says it is waiting. Keys typed while a write waits are
//! ignored, deliberately and visibly: the write decides where the next key would go (a form that
//! closes, or stays open with an error), so a key typed blind must not land anywhere.

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc::{Receiver, Sender};
use std::sync::{Arc, Mutex};
use std::time::Instant;

use crossterm::event::KeyEvent;

use super::App;
use super::jobs::JobResult;
use super::terminal::{self, Shared};
use super::theme::Theme;
use crate::clock::Clock;
use crate::config::Config;
use crate::error::{Error, Result};
use crate::store::Store;

/// What the UI thread hands the app thread.
pub enum In {
    /// A key, and when it was typed (to tell the keys typed while a write waited).
    Key(KeyEvent, Instant),
    Paste(String, Instant),
    /// The terminal changed size (the UI thread has resized it): draw afresh.
    Resize,
    Tick,
    /// What came back from `$EDITOR`.
    EditorDone(Result<String>),
    /// The UI thread ignored this many keys while a write waited: say so.
    Ignored(usize),
    Job(JobResult),
}

/// What the app thread hands the UI thread.
pub enum Out {
    /// A write started waiting for another process (`Some(since)`), or stopped (`None`).
    Waiting(Option<Instant>),
    /// Hand this text to `$EDITOR`, then send back `In::EditorDone`.
    Editor(String),
    Quit,
    /// The app could not start.
    Failed(Error),
}

/// The current wait, as the app thread sees it: when it started, and when it ended.
type Wait = Arc<Mutex<Option<(Instant, Option<Instant>)>>>;

/// Everything the app thread owns.
pub struct Worker {
    pub store: Store,
    pub config: Config,
    pub clock: Clock,
    pub theme: Theme,
    /// The terminal: this thread draws each frame on it as soon as it is ready.
    pub screen: Shared,
    /// Set while a write waits for another process (the input thread then holds keys back).
    pub waiting: Arc<AtomicBool>,
}

impl Worker {
    /// Start the app thread; it runs until the app quits or the UI thread is gone.
    pub fn spawn(
        mut self,
        inbox: Receiver<In>,
        itself: Sender<In>,
        out: tokio::sync::mpsc::UnboundedSender<Out>,
    ) -> Result<()> {
        let wait: Wait = Arc::default();
        let (told, seen, flag) = (out.clone(), wait.clone(), self.waiting.clone());
        self.store.watch_waits(Box::new(move |waiting| {
            let now = Instant::now();
            flag.store(waiting, Ordering::SeqCst);
            if let Ok(mut w) = seen.lock() {
                *w = if waiting { Some((now, None)) } else { w.map(|(start, _)| (start, Some(now))) };
            }
            let _ = told.send(Out::Waiting(waiting.then_some(now)));
        }));
        std::thread::Builder::new()
            .name("mktg-app".into())
            .spawn(move || self.run(&inbox, &itself, &out, &wait))
            .map(|_| ())
            .map_err(|e| Error::system(format!("cannot start: {e}")))
    }

    fn run(
        self,
        inbox: &Receiver<In>,
        itself: &Sender<In>,
        out: &tokio::sync::mpsc::UnboundedSender<Out>,
        wait: &Wait,
    ) {
        let Worker { store, config, clock, theme, screen, waiting: _ } = self;
        let mut app = match App::new(&store, &config, clock, theme) {
            Ok(app) => app,
            Err(e) => {
                let _ = out.send(Out::Failed(e));
                return;
            }
        };
        // Recomputations after a write run on their own thread; the last result stays on screen.
        app.run_jobs_in_background();
        let mut dirty = true;
        let mut ignored = 0usize;
        loop {
            if dirty {
                // The frame goes straight to the terminal from here: one diff, one write.
                let mut held = terminal::lock(&screen);
                if held.is_closed() {
                    return;
                }
                if let Err(e) = held.draw(|f| super::draw_safely(&mut app, f)) {
                    let _ = out.send(Out::Failed(e));
                    return;
                }
                if app.bell {
                    app.bell = false;
                    held.bell();
                }
                dirty = false;
            }
            // The UI thread is gone: the cockpit has ended.
            let Ok(event) = inbox.recv() else { return };
            match event {
                In::Key(key, at) => {
                    if typed_while_waiting(wait, at) {
                        ignored += 1;
                    } else {
                        app.on_key(key);
                    }
                    dirty = true;
                }
                In::Paste(text, at) => {
                    if typed_while_waiting(wait, at) {
                        ignored += 1;
                    } else {
                        app.on_paste(&text);
                    }
                    dirty = true;
                }
                In::Resize => dirty = true,
                In::Tick => dirty |= app.on_tick(),
                In::EditorDone(result) => {
                    app.editor_done(result);
                    dirty = true;
                }
                In::Ignored(n) => ignored += n,
                In::Job(result) => {
                    app.job_done(result);
                    dirty = true;
                }
            }
            if ignored > 0 && inbox_is_quiet(wait) {
                let keys = if ignored == 1 { "1 key" } else { &format!("{ignored} keys") };
                app.note(&format!("{keys} typed while waiting for the store ignored"));
                ignored = 0;
                dirty = true;
            }
            if app.quit {
                let _ = out.send(Out::Quit);
                return;
            }
            if let Some((job, db, now)) = app.take_job() {
                let back = itself.clone();
                let idle = job.may_idle();
                // Named, so a scheduler trace tells it from the app thread it was started by.
                let spawned = std::thread::Builder::new().name("mktg-job".into()).spawn(move || {
                    yield_to_keys(idle);
                    let _ = back.send(In::Job(job.run(&db, now)));
                });
                if let Err(e) = spawned {
                    app.note(&format!("cannot start background work: {e}"));
                }
            }
            if let Some(text) = app.take_editor_request() {
                let _ = out.send(Out::Editor(text));
            }
        }
    }
}

/// Whether a key typed at `at` came while a write waited (the wait under way, or the last one).
fn typed_while_waiting(wait: &Wait, at: Instant) -> bool {
    let Ok(w) = wait.lock() else { return false };
    matches!(*w, Some((start, end)) if at >= start && end.is_none_or(|end| at <= end))
}

/// No write is waiting now.
fn inbox_is_quiet(wait: &Wait) -> bool {
    wait.lock().map(|w| !matches!(*w, Some((_, None)))).unwrap_or(true)
}

/// Background work (a recompute after another process wrote, a palette command) gives way to
/// the threads that answer keys: on two busy cores, a 10M-row brief recomputed at the same
/// priority held a core for most of each second while keys waited for one.
///
/// With `idle` (the recompute, see `Job::may_idle`), on Linux the thread runs under `SCHED_IDLE`:
/// a key's wake-up, and the kernel worker that passes its frame to the terminal, then preempt it
/// at once (a nice-10 thread only weighs less: a perf sched trace at 10M showed a frame's bytes
/// waiting 2.6 ms for the recompute to leave a core). It still gets every cycle nobody else
/// wants, and nothing besides. Otherwise, or where that policy is refused, nice 10.
fn yield_to_keys(idle: bool) {
    // Linux applies both calls to the calling thread alone when given 0 (on other systems they
    // would name the whole process, so other systems are left as they are).
    #[cfg(target_os = "linux")]
    // SAFETY: plain system calls on integers and a parameter block that lives across the call;
    // a refusal leaves the policy or the priority unchanged.
    unsafe {
        let param = libc::sched_param { sched_priority: 0 };
        if !idle || libc::sched_setscheduler(0, libc::SCHED_IDLE, &param) != 0 {
            libc::setpriority(libc::PRIO_PROCESS, 0, 10);
        }
    }
    #[cfg(not(target_os = "linux"))]
    let _ = idle;
}
