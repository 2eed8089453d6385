//! Running the real binary against a temporary store at a fixed clock.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

pub const NOW: &str = "2026-11-20T08:45";

pub struct Sandbox {
    pub dir: tempfile::TempDir,
}

impl Sandbox {
    /// A fresh folder with an empty `config.toml` (defaults): `--config` must name a file that
    /// exists, and a test that needs settings writes them there.
    pub fn new() -> Sandbox {
        let dir = tempfile::tempdir().expect("temp dir");
        std::fs::write(dir.path().join("config.toml"), "").expect("empty config");
        Sandbox { dir }
    }

    /// A sandbox whose store exists but was never set up (no role): the cockpit and `render`
    /// open on onboarding. Only the cockpit creates such a store; commands refuse a missing one.
    pub fn bare() -> Sandbox {
        let s = Sandbox::new();
        mktg::store::Store::create(&s.db(), false).expect("create a bare store");
        s
    }

    /// A sandbox whose store holds the seed-1 demo data.
    pub fn demo() -> Sandbox {
        let s = Sandbox::new();
        s.ok(&["demo", "--days", "120"]);
        s
    }

    pub fn db(&self) -> PathBuf {
        self.dir.path().join("mktg.db")
    }

    pub fn path(&self, name: &str) -> PathBuf {
        self.dir.path().join(name)
    }

    /// `mktg --db <store> --now NOW --config <sandbox config.toml> args...`
    pub fn cmd(&self, args: &[&str]) -> Command {
        let mut c = Command::new(env!("CARGO_BIN_EXE_mktg"));
        c.arg("--db").arg(self.db()).arg("--now").arg(NOW);
        c.arg("--config").arg(self.dir.path().join("config.toml"));
        c.args(args);
        c.env_remove("MKTG_DB").env_remove("MKTG_NOW").env_remove("MKTG_CONFIG").env("NO_COLOR", "1");
        c
    }

    pub fn run(&self, args: &[&str]) -> Output {
        self.cmd(args).output().expect("run mktg")
    }

    /// Run and insist on success; returns stdout.
    pub fn ok(&self, args: &[&str]) -> String {
        let out = self.run(args);
        assert!(
            out.status.success(),
            "mktg {args:?} failed ({:?}): {}",
            out.status.code(),
            String::from_utf8_lossy(&out.stderr)
        );
        String::from_utf8(out.stdout).expect("utf-8 output")
    }

    /// Run and insist on failure with `code`; returns stderr.
    pub fn fails(&self, args: &[&str], code: i32) -> String {
        let out = self.run(args);
        let err = String::from_utf8_lossy(&out.stderr).into_owned();
        assert_eq!(out.status.code(), Some(code), "mktg {args:?}: stderr {err}");
        err
    }
}

pub fn read(p: &Path) -> Vec<u8> {
    std::fs::read(p).expect("read file")
}

/// Imports `text` (named `name`) into `store` in process, as `dana` at `now`, the way `mktg import`
/// does; a parse failure or a refusal fails the test.
pub fn import_text(
    store: &mktg::store::Store,
    name: &str,
    text: &str,
    now: chrono::NaiveDateTime,
) -> mktg::store::imports::ImportOutcome {
    use mktg::io::import::{fingerprint, parse};
    use mktg::store::imports::{ImportOutcome, ImportRequest};
    let parsed = parse(text.as_bytes(), None).unwrap_or_else(|e| panic!("{e:?}\n{text}"));
    let print = fingerprint(text.as_bytes());
    let req =
        ImportRequest { file_name: name, fingerprint: &print, parsed: &parsed, now, dry_run: false, user: "dana" };
    match store.imports().import(&req, &mut |_, _| {}).expect("import") {
        ImportOutcome::Refused(e) => panic!("refused: {e:?}"),
        outcome => outcome,
    }
}
