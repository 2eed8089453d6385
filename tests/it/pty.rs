//! The real binary in a real pseudo-terminal: keys typed, the screen read back through a vt100 model.

use std::io::{Read, Write};
use std::sync::mpsc::{Receiver, channel};
use std::time::{Duration, Instant};

use portable_pty::{Child, CommandBuilder, MasterPty, PtySize, native_pty_system};

use super::common::{NOW, Sandbox};

/// Generous: these waits are for the program to react, never a speed assertion.
const PATIENCE: Duration = Duration::from_secs(20);

pub struct Pty {
    master: Box<dyn MasterPty + Send>,
    writer: Box<dyn Write + Send>,
    child: Box<dyn Child + Send + Sync>,
    output: Receiver<Vec<u8>>,
    pub parser: vt100::Parser,
    /// Every byte the program wrote, for checks on how it left the terminal.
    pub raw: Vec<u8>,
}

impl Pty {
    /// Start `mktg --db <sandbox store> --now NOW args...` in a `cols` x `rows` terminal.
    pub fn spawn(sandbox: &Sandbox, args: &[&str], cols: u16, rows: u16) -> Pty {
        Pty::spawn_with_env(sandbox, args, cols, rows, &[])
    }

    /// As `spawn`, with extra environment variables.
    pub fn spawn_with_env(sandbox: &Sandbox, args: &[&str], cols: u16, rows: u16, env: &[(&str, &str)]) -> Pty {
        let system = native_pty_system();
        let pair = system.openpty(PtySize { rows, cols, pixel_width: 0, pixel_height: 0 }).expect("open a pty");
        let mut cmd = CommandBuilder::new(env!("CARGO_BIN_EXE_mktg"));
        cmd.arg("--db");
        cmd.arg(sandbox.db());
        cmd.arg("--config");
        cmd.arg(sandbox.path("config.toml"));
        if !args.contains(&"--now") {
            cmd.args(["--now", NOW]);
        }
        cmd.args(args);
        cmd.env("TERM", "xterm-256color");
        cmd.env("NO_COLOR", "1");
        cmd.env_remove("MKTG_DB");
        cmd.env_remove("MKTG_NOW");
        cmd.cwd(sandbox.dir.path());
        for (k, v) in env {
            cmd.env(k, v);
        }
        let child = pair.slave.spawn_command(cmd).expect("spawn mktg in the pty");
        drop(pair.slave);
        let mut reader = pair.master.try_clone_reader().expect("pty reader");
        let writer = pair.master.take_writer().expect("pty writer");
        let (tx, rx) = channel();
        std::thread::spawn(move || {
            let mut buf = [0u8; 8192];
            while let Ok(n) = reader.read(&mut buf) {
                if n == 0 || tx.send(buf[..n].to_vec()).is_err() {
                    break;
                }
            }
        });
        Pty {
            master: pair.master,
            writer,
            child,
            output: rx,
            parser: vt100::Parser::new(nz(rows), nz(cols), 0),
            raw: Vec::new(),
        }
    }

    fn pump(&mut self, wait: Duration) {
        if let Ok(bytes) = self.output.recv_timeout(wait) {
            self.parser.process(&bytes);
            self.raw.extend_from_slice(&bytes);
        }
        while let Ok(bytes) = self.output.try_recv() {
            self.parser.process(&bytes);
            self.raw.extend_from_slice(&bytes);
        }
    }

    pub fn screen(&self) -> String {
        self.parser.screen().contents()
    }

    /// Wait until the screen shows `text`; panics with the screen if it never does.
    pub fn wait_for(&mut self, text: &str) -> String {
        let start = Instant::now();
        loop {
            self.pump(Duration::from_millis(50));
            let screen = self.screen();
            if screen.contains(text) {
                return screen;
            }
            assert!(start.elapsed() < PATIENCE, "never saw {text:?}; the screen was:\n{screen}");
        }
    }

    /// Wait until the screen no longer shows `text`.
    pub fn wait_until_gone(&mut self, text: &str) {
        let start = Instant::now();
        while self.screen().contains(text) {
            self.pump(Duration::from_millis(50));
            assert!(start.elapsed() < PATIENCE, "{text:?} never went away; the screen was:\n{}", self.screen());
        }
    }

    /// Type raw bytes (letters, or escape sequences for special keys).
    pub fn send(&mut self, bytes: &str) {
        self.writer.write_all(bytes.as_bytes()).expect("write to pty");
        self.writer.flush().expect("flush pty");
    }

    /// Type a key and give the program a moment to draw.
    pub fn key(&mut self, bytes: &str) {
        self.send(bytes);
        self.pump(Duration::from_millis(100));
    }

    pub fn resize(&mut self, cols: u16, rows: u16) {
        self.master.resize(PtySize { rows, cols, pixel_width: 0, pixel_height: 0 }).expect("resize pty");
        self.parser.set_size(nz(rows), nz(cols));
    }

    /// Wait for the program to exit; its exit code.
    pub fn wait_exit(&mut self) -> u32 {
        let start = Instant::now();
        loop {
            self.pump(Duration::from_millis(50));
            if let Some(status) = self.child.try_wait().expect("child status") {
                self.pump(Duration::from_millis(100));
                return status.exit_code();
            }
            assert!(start.elapsed() < PATIENCE, "mktg did not exit; the screen was:\n{}", self.screen());
        }
    }

    /// Whether the terminal is back in cooked mode (canonical input and echo), as a shell needs it.
    #[cfg(unix)]
    pub fn is_cooked(&self) -> bool {
        let fd = self.master.as_raw_fd().expect("pty fd");
        let mut t: libc::termios = unsafe { std::mem::zeroed() };
        // SAFETY: tcgetattr only fills `t` for a valid descriptor we own.
        let ok = unsafe { libc::tcgetattr(fd, &mut t) } == 0;
        ok && (t.c_lflag & libc::ICANON) != 0 && (t.c_lflag & libc::ECHO) != 0
    }
}

fn nz(n: u16) -> std::num::NonZeroU16 {
    std::num::NonZeroU16::new(n.max(1)).unwrap_or(std::num::NonZeroU16::MIN)
}

impl Drop for Pty {
    fn drop(&mut self) {
        let _ = self.child.kill();
    }
}

#[test]
fn a_newcomer_gets_onboarding_then_demo_data_and_every_tab() {
    let s = Sandbox::new();
    let mut pty = Pty::spawn(&s, &[], 120, 40);
    pty.wait_for("Welcome to mktg");
    pty.key("1");
    pty.wait_for("load demo data");
    pty.key("y");
    pty.wait_for("5 Decisions");
    for (key, title) in [("2", "Launch"), ("3", "Budget"), ("4", "Today"), ("5", "Decision"), ("1", "Dashboard")] {
        pty.key(key);
        pty.wait_for(title);
    }
    pty.key("q");
    assert_eq!(pty.wait_exit(), 0);
    assert!(!pty.parser.screen().alternate_screen(), "left the alternate screen");
    assert!(pty.is_cooked(), "raw mode was switched off");
    assert!(s.ok(&["check"]).contains("ok"));
}

#[test]
fn a_tiny_terminal_shows_a_notice_and_recovers_when_resized_back() {
    let s = Sandbox::demo();
    let mut pty = Pty::spawn(&s, &[], 100, 30);
    pty.wait_for("1 Dashboard");
    pty.resize(20, 6);
    pty.wait_for("too small");
    pty.resize(100, 30);
    let screen = pty.wait_for("1 Dashboard");
    assert!(!screen.contains("too small"), "{screen}");
    pty.key("\x03"); // Ctrl-C quits from anywhere
    assert_eq!(pty.wait_exit(), 0);
    assert!(pty.is_cooked());
}

#[test]
fn quitting_restores_the_terminal_exactly() {
    let s = Sandbox::demo();
    let mut pty = Pty::spawn(&s, &[], 80, 24);
    pty.wait_for("1 Dashboard");
    pty.key("?");
    pty.wait_for("Keys: Dashboard");
    pty.key("\x1b");
    pty.wait_until_gone("Keys: Dashboard");
    pty.key("q");
    assert_eq!(pty.wait_exit(), 0);
    let raw = String::from_utf8_lossy(&pty.raw);
    assert!(raw.contains("\x1b[?1049l"), "leaves the alternate screen");
    assert!(raw.contains("\x1b[?25h"), "shows the cursor again");
    assert!(!pty.parser.screen().alternate_screen());
    assert!(pty.is_cooked());
}

#[cfg(unix)]
#[test]
fn long_text_can_be_written_in_the_editor_and_comes_back_into_the_form() {
    use std::os::unix::fs::PermissionsExt;
    let s = Sandbox::demo();
    // A stand-in for $EDITOR that writes two lines into the file it is given.
    let editor = s.path("fake-editor.sh");
    std::fs::write(&editor, "#!/bin/sh\nprintf 'Gate the ROI calculator\\nbehind a work email\\n' > \"$1\"\n").unwrap();
    std::fs::set_permissions(&editor, std::fs::Permissions::from_mode(0o755)).unwrap();
    let mut pty = Pty::spawn_with_env(&s, &[], 120, 40, &[("EDITOR", editor.to_str().unwrap()), ("VISUAL", "")]);
    pty.wait_for("1 Dashboard");
    pty.key("d");
    pty.wait_for("Log a decision");
    pty.send("Test a gated ROI calculator\tSam\t\t\t");
    pty.key("\x05"); // Ctrl-E on the recommendation field
    pty.wait_for("Gate the ROI calculator");
    pty.key("\r");
    pty.wait_for("logged");
    pty.key("q");
    assert_eq!(pty.wait_exit(), 0);
    assert!(pty.is_cooked());
    let json = s.ok(&["decision", "list", "--format", "json"]);
    assert!(json.contains("Gate the ROI calculator\\nbehind a work email"), "{json}");
}

/// The day's work survives quitting: a launch tiered, its gate item ticked and moved to launch,
/// and a decision logged inside the 13:00 meeting — all there when the cockpit is reopened.
#[test]
fn a_days_work_by_keys_is_all_there_after_reopening() {
    let s = Sandbox::demo();
    let mut pty = Pty::spawn(&s, &["--now", "2026-11-20T13:05"], 120, 40);
    pty.wait_for("1 Dashboard");
    pty.key("2");
    pty.wait_for("Partner Portal");
    // Re-tier Partner Portal (first by date): 4 + 4 + 4 = 12 -> Tier 1.
    pty.send("t444\r");
    pty.wait_for("total 12 of 15");
    // Open it and tick "Compliance reviewed": Tier 1's ten own items come first, then the baseline.
    pty.key("\r");
    pty.wait_for("Checklist");
    pty.send("g");
    pty.send(&"j".repeat(11));
    pty.key(" ");
    pty.wait_for("[x] Compliance reviewed");
    pty.key("\x1b");
    pty.key(">");
    pty.wait_for("Launch");
    // The 13:00 sales sync is on now: open it and log a decision inside it.
    pty.key("4");
    pty.wait_for("Sales sync");
    pty.key("\r");
    pty.wait_for("Checklist");
    pty.key("d");
    pty.wait_for("Log a decision");
    pty.send("SDRs follow up on webinar MQLs within 24h\tDana (Sales)\r");
    pty.wait_for("logged");
    // Dana is not on the team: the cockpit offers to add her; Esc keeps the owner as written.
    pty.wait_for("is not on the team: add them?");
    pty.key("\x1b");
    pty.wait_for("kept as written");
    pty.key("q");
    assert_eq!(pty.wait_exit(), 0);

    // Reopen: the launch and the decision are where she left them.
    let mut again = Pty::spawn(&s, &["--now", "2026-11-20T13:10"], 120, 40);
    again.wait_for("1 Dashboard");
    again.key("5");
    again.wait_for("SDRs follow up on webinar MQLs");
    again.key("q");
    assert_eq!(again.wait_exit(), 0);

    let launches: serde_json::Value = serde_json::from_str(&s.ok(&["launch", "list", "--format", "json"])).unwrap();
    let portal = launches.as_array().unwrap().iter().find(|l| l["name"] == "Partner Portal").unwrap();
    assert_eq!(portal["tier"], 1, "{portal}");
    assert_eq!(portal["stage"], "launch", "{portal}");
    assert!(portal["open_baseline"].as_array().unwrap().is_empty(), "{portal}");
    let decisions: serde_json::Value = serde_json::from_str(&s.ok(&["decision", "list", "--format", "json"])).unwrap();
    let logged = decisions
        .as_array()
        .unwrap()
        .iter()
        .find(|d| d["title"] == "SDRs follow up on webinar MQLs within 24h")
        .unwrap();
    assert_eq!(logged["owner"], "Dana (Sales)");
    assert_eq!(logged["meeting"], "Sales sync", "linked to the meeting it was logged in: {logged}");
    assert_eq!(logged["meeting_day"], "2026-11-20", "{logged}");
}

#[test]
fn the_cockpit_shows_what_another_process_wrote_on_its_next_refresh() {
    let s = Sandbox::demo();
    let mut pty = Pty::spawn(&s, &[], 120, 40);
    pty.wait_for("1 Dashboard");
    pty.key("5");
    pty.wait_for("Decisions (");
    // Another terminal logs a decision while the cockpit is open.
    s.ok(&["decision", "add", "Written from another terminal", "--owner", "Robin"]);
    pty.wait_for("Written from another terminal");
    // And a KPI recorded elsewhere moves the dashboard's tile: 2,716 leads month to date, +1,000.
    pty.key("1");
    pty.wait_for("2,716");
    s.ok(&["kpi", "record", "leads", "1000", "--date", "2026-11-19", "--channel", "events"]);
    pty.wait_for("3,716");
    pty.key("q");
    assert_eq!(pty.wait_exit(), 0);
}

#[test]
fn a_morning_drills_into_the_cpl_anomaly_and_jumps_from_an_attention_line_to_its_launch() {
    let s = Sandbox::demo();
    let mut pty = Pty::spawn(&s, &[], 120, 40);
    // 08:45, no key pressed: what is off track, what is due, which meeting is next.
    // (A frame can arrive in several reads: wait for each part rather than read a half-drawn screen.)
    for part in ["paid-social CPL", "decision overdue", "LinkedIn ABM pacing over +12%", "next Ad performance review"] {
        pty.wait_for(part);
    }
    // The anomaly is the first line: Enter opens the KPI's chart and channel breakdown.
    pty.key("\r");
    pty.wait_for("Blended CPL by day");
    pty.wait_for("!paid-social");
    pty.key("\x1b");
    pty.wait_until_gone("Blended CPL by day");
    // Down to the Partner Portal line (where the brief ranks it) and Enter: the launch, opened.
    let brief: serde_json::Value = serde_json::from_str(&s.ok(&["brief", "--format", "json"])).expect("json");
    let at = brief["attention"]
        .as_array()
        .expect("attention")
        .iter()
        .position(|a| a["what"].as_str().unwrap_or("").contains("Partner Portal"));
    pty.send(&"j".repeat(at.expect("the Partner Portal launch needs attention")));
    pty.key("\r");
    pty.wait_for("Go-live blocked by");
    pty.wait_for("Partner Portal");
    pty.key("q");
    assert_eq!(pty.wait_exit(), 0);
}

#[cfg(unix)]
#[test]
fn sigterm_and_sighup_exit_as_128_plus_the_signal_with_the_terminal_restored() {
    let s = Sandbox::demo();
    for (signal, code) in [(libc::SIGTERM, 143), (libc::SIGHUP, 129)] {
        let mut pty = Pty::spawn(&s, &[], 80, 24);
        pty.wait_for("1 Dashboard");
        let pid = pty.child.process_id().expect("a pid") as libc::pid_t;
        // SAFETY: kill only sends a signal to the child this test started.
        assert_eq!(unsafe { libc::kill(pid, signal) }, 0);
        assert_eq!(pty.wait_exit(), code, "signal {signal}");
        let raw = String::from_utf8_lossy(&pty.raw);
        assert!(raw.contains("\x1b[?1049l"), "leaves the alternate screen on signal {signal}");
        assert!(raw.contains("\x1b[?25h"), "shows the cursor again on signal {signal}");
        assert!(pty.is_cooked(), "raw mode off on signal {signal}");
    }
    assert!(s.ok(&["check"]).contains("ok"));
}
