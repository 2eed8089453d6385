//! Every file under `tests/configs/`: valid ones load, invalid ones are refused with one line
//! naming the file and the exact line of the mistake (from the parser's spans, not a text search).

use std::path::{Path, PathBuf};
use std::process::Output;

use crate::common::{NOW, Sandbox};

fn files(kind: &str) -> Vec<PathBuf> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/configs").join(kind);
    let mut out: Vec<PathBuf> = std::fs::read_dir(&dir)
        .expect("tests/configs folder")
        .map(|e| e.expect("dir entry").path())
        .filter(|p| p.extension().is_some_and(|e| e == "toml"))
        .collect();
    out.sort();
    assert!(!out.is_empty(), "no config files in {}", dir.display());
    out
}

/// `mktg --config FILE render dashboard` on a fresh store.
fn render_with(s: &Sandbox, config: &Path) -> Output {
    std::process::Command::new(env!("CARGO_BIN_EXE_mktg"))
        .arg("--db")
        .arg(s.db())
        .arg("--now")
        .arg(NOW)
        .arg("--config")
        .arg(config)
        .args(["render", "dashboard"])
        .env_remove("MKTG_DB")
        .env_remove("MKTG_NOW")
        .env_remove("MKTG_CONFIG")
        .env("NO_COLOR", "1")
        .output()
        .expect("run mktg")
}

#[test]
fn every_valid_config_loads() {
    let s = Sandbox::bare();
    for f in files("valid") {
        let out = render_with(&s, &f);
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(out.status.success(), "{}: {err}", f.display());
        assert!(err.is_empty(), "{}: {err}", f.display());
    }
}

#[test]
fn every_invalid_config_names_its_file_and_line_in_one_line() {
    let s = Sandbox::new();
    for f in files("invalid") {
        let text = std::fs::read_to_string(&f).expect("read config");
        // First line: `# expect: line N: words the message contains`.
        let expect = text.lines().next().and_then(|l| l.strip_prefix("# expect: line ")).unwrap_or_else(|| {
            panic!("{}: the first line must be '# expect: line N: ...'", f.display());
        });
        let (line, words) = expect.split_once(": ").expect("'N: words'");
        let out = render_with(&s, &f);
        let err = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(2), "{}: {err}", f.display());
        assert_eq!(err.lines().count(), 1, "{}: one line expected: {err}", f.display());
        let head = format!("error: {}:{line}: ", f.display());
        assert!(err.starts_with(&head), "{}: expected '{head}...', got {err}", f.display());
        assert!(err.contains(words.trim()), "{}: expected '{words}' in {err}", f.display());
        assert!(out.stdout.is_empty(), "{}: nothing drawn on a refused config", f.display());
    }
}
