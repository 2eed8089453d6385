//! The command palette's commands (`:` in the cockpit): what a line says, and running it with the
//! very functions the command line calls (`io::import_file`, `io::export`, `Store::backup_to`).
//! It runs as a background job, on its own connection to the store file, off the event loop.

use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};

use chrono::NaiveDateTime;

use crate::config::Config;
use crate::io::import_file::{self, ImportFile};
use crate::output::Format;
use crate::store::Store;

/// The command names Tab completes, with their synopsis for the palette's help line.
pub const COMMANDS: [(&str, &str); 4] = [
    ("import", "import FILE [--preset P] [--date-order dmy|mdy]: dry run, then y"),
    ("export", "export kpis|launches|budget|decisions|cadence --out FILE [--format F]"),
    ("report exec", "report exec --out FILE [--format markdown|text|json] [--period P]"),
    ("backup", "backup FILE: a copy of the store (FILE must not exist)"),
];

/// A palette line, understood.
#[derive(Debug, Clone, PartialEq)]
pub enum Command {
    /// `import FILE`: the dry run first (`dry_run`), then, once confirmed, the import.
    Import {
        file: PathBuf,
        preset: Option<String>,
        date_order: Option<String>,
        dry_run: bool,
    },
    Export {
        what: String,
        out: PathBuf,
        format: Option<Format>,
        period: Option<String>,
    },
    ReportExec {
        out: PathBuf,
        format: Format,
        period: String,
    },
    Backup {
        file: PathBuf,
    },
}

/// Progress a running command reports (facts done of total), read by the palette to draw it.
#[derive(Debug, Default)]
pub struct Progress {
    pub done: AtomicUsize,
    pub total: AtomicUsize,
}

/// What a command said: the report to show, or the one error line (and, for a refused file,
/// the problems one per line).
#[derive(Debug, Clone, PartialEq)]
pub enum Said {
    Done(String),
    Failed { line: String, list: Option<String> },
}

impl Command {
    /// Parse a palette line; a refusal is the one line the command line would print.
    pub fn parse(line: &str) -> Result<Command, String> {
        let words = split(line)?;
        let mut it = words.iter().map(String::as_str);
        let name = it.next().ok_or_else(|| "type a command: import, export, report exec or backup".to_string())?;
        let mut rest: Vec<&str> = it.collect();
        let mut flag = |name: &str| -> Result<Option<String>, String> {
            let Some(i) = rest.iter().position(|w| *w == name || w.starts_with(&format!("{name}="))) else {
                return Ok(None);
            };
            let w = rest.remove(i);
            if let Some(v) = w.strip_prefix(&format!("{name}=")) {
                return Ok(Some(v.to_string()));
            }
            if i < rest.len() && !rest[i].starts_with("--") {
                return Ok(Some(rest.remove(i).to_string()));
            }
            Err(format!("{name} needs a value"))
        };
        let cmd = match name {
            "import" => {
                let preset = flag("--preset")?;
                let date_order = flag("--date-order")?;
                let file = one(&mut rest, "import needs a FILE to read")?;
                Command::Import { file: expand(&file), preset, date_order, dry_run: true }
            }
            "export" => {
                let out = flag("--out")?.ok_or("export needs --out FILE: the cockpit writes exports to a file")?;
                let format = flag("--format")?.map(|f| format(&f)).transpose()?;
                let period = flag("--period")?;
                let what = one(&mut rest, &format!("export needs what: {}", crate::io::export::WHATS.join(", ")))?;
                Command::Export { what, out: expand(&out), format, period }
            }
            "report" => {
                let out = flag("--out")?.ok_or("report exec needs --out FILE: the cockpit writes reports to a file")?;
                let format = flag("--format")?.map(|f| format(&f)).transpose()?.unwrap_or(Format::Markdown);
                let period = flag("--period")?.unwrap_or_else(|| "month".into());
                match one(&mut rest, "report needs which: exec")?.as_str() {
                    "exec" => Command::ReportExec { out: expand(&out), format, period },
                    other => return Err(format!("report '{other}': the palette writes report exec")),
                }
            }
            "backup" => {
                Command::Backup { file: expand(&one(&mut rest, "backup needs a FILE to write (must not exist)")?) }
            }
            other => {
                let names: Vec<&str> = COMMANDS.iter().map(|(n, _)| *n).collect();
                return Err(format!("unknown command '{other}' (one of: {})", names.join(", ")));
            }
        };
        if let Some(extra) = rest.first() {
            return Err(format!("{name}: unexpected '{extra}'"));
        }
        Ok(cmd)
    }

    /// What the palette says while this runs.
    pub fn working(&self) -> String {
        match self {
            Command::Import { file, dry_run: true, .. } => format!("reading {} (dry run)", file.display()),
            Command::Import { file, .. } => format!("importing {}", file.display()),
            Command::Export { what, out, .. } => format!("exporting {what} to {}", out.display()),
            Command::ReportExec { out, .. } => format!("writing the exec report to {}", out.display()),
            Command::Backup { file } => format!("backing up to {}", file.display()),
        }
    }

    /// Run it on its own connection to the store file (a background job).
    pub fn run(&self, db: &Path, config: &Config, now: NaiveDateTime, progress: &Arc<Progress>) -> Said {
        let store = match Store::open(db) {
            Ok(s) => s,
            Err(e) => return failed(e),
        };
        match self {
            Command::Import { file, preset, date_order, dry_run } => {
                let req = match ImportFile::parse(preset.as_deref(), date_order.as_deref(), *dry_run) {
                    Ok(r) => r,
                    Err(e) => return failed(e),
                };
                let mut report = |done: usize, total: usize| {
                    progress.done.store(done, Ordering::Relaxed);
                    progress.total.store(total, Ordering::Relaxed);
                };
                match import_file::import(&store, config, now, file, &req, &mut report) {
                    Ok(Ok(text)) => Said::Done(text),
                    Ok(Err(refused)) => Said::Failed { line: refused.line("below"), list: refused.list },
                    Err(e) => failed(e),
                }
            }
            Command::Export { what, out, format, period } => {
                let written = crate::io::export::export(&store, config, now, what, *format, period.as_deref())
                    .map_err(|e| e.to_string())
                    .and_then(|(text, f)| crate::io::export::write_file(out, f, &text).map_err(|e| e.to_string()));
                match written {
                    Ok(()) => Said::Done(format!("exported {what} to {}", out.display())),
                    Err(e) => failed(e),
                }
            }
            Command::ReportExec { out, format, period } => {
                let written = crate::io::export::decisions::exec_text(&store, config, now, *format, period)
                    .map_err(|e| e.to_string())
                    .and_then(|text| crate::io::export::write_file(out, *format, &text).map_err(|e| e.to_string()));
                match written {
                    Ok(()) => Said::Done(format!("wrote the exec report to {}", out.display())),
                    Err(e) => failed(e),
                }
            }
            Command::Backup { file } => match store.backup_to(file) {
                Ok(()) => Said::Done(format!("backed up {} to {}", db.display(), file.display())),
                Err(e) => failed(e),
            },
        }
    }
}

fn failed(e: impl std::fmt::Display) -> Said {
    Said::Failed { line: format!("error: {e}"), list: None }
}

fn format(s: &str) -> Result<Format, String> {
    <Format as clap::ValueEnum>::from_str(s, true)
        .map_err(|_| format!("--format '{s}': one of text, csv, json, markdown, ics"))
}

/// The one positional argument left.
fn one(rest: &mut Vec<&str>, missing: &str) -> Result<String, String> {
    if rest.is_empty() {
        return Err(missing.to_string());
    }
    Ok(rest.remove(0).to_string())
}

/// `~/x` is in the home folder, as in a shell.
fn expand(p: &str) -> PathBuf {
    match (p.strip_prefix("~/"), std::env::var_os("HOME")) {
        (Some(rest), Some(home)) => PathBuf::from(home).join(rest),
        _ => PathBuf::from(p),
    }
}

/// Words split on spaces; "double" or 'single' quotes keep spaces inside a path.
pub fn split(line: &str) -> Result<Vec<String>, String> {
    let mut words = Vec::new();
    let mut word = String::new();
    let mut quote: Option<char> = None;
    let mut started = false;
    for c in line.chars() {
        match (quote, c) {
            (Some(q), c) if c == q => quote = None,
            (Some(_), c) => word.push(c),
            (None, '"' | '\'') => {
                quote = Some(c);
                started = true;
            }
            (None, c) if c.is_whitespace() => {
                if started || !word.is_empty() {
                    words.push(std::mem::take(&mut word));
                }
                started = false;
            }
            (None, c) => word.push(c),
        }
    }
    if quote.is_some() {
        return Err("a quote is not closed".into());
    }
    if started || !word.is_empty() {
        words.push(word);
    }
    Ok(words)
}

/// What Tab may complete the line to: a command name while the first word is typed, else the
/// last word as a file path (folders end in `/`), or an export's what. Sorted, at most 50.
pub fn completions(line: &str) -> Vec<String> {
    let (head, last) = match line.rfind(' ') {
        Some(i) => (&line[..=i], &line[i + 1..]),
        None => ("", line),
    };
    if head.trim().is_empty() {
        let mut names: Vec<String> =
            COMMANDS.iter().map(|(n, _)| *n).filter(|n| n.starts_with(last)).map(|n| format!("{n} ")).collect();
        names.dedup();
        return names;
    }
    let words: Vec<&str> = head.split_whitespace().collect();
    if words == ["report"] {
        return ["exec "].iter().filter(|w| w.starts_with(last)).map(|w| format!("{head}{w}")).collect();
    }
    if words == ["export"] {
        return crate::io::export::WHATS
            .iter()
            .filter(|w| w.starts_with(last))
            .map(|w| format!("{head}{w} --out "))
            .collect();
    }
    if last.starts_with("--") {
        return Vec::new();
    }
    paths(last).into_iter().map(|p| format!("{head}{p}")).collect()
}

/// Files and folders whose path starts with `typed`.
fn paths(typed: &str) -> Vec<String> {
    let (dir, prefix) = match typed.rfind('/') {
        Some(i) => (&typed[..=i], &typed[i + 1..]),
        None => ("", typed),
    };
    let read = if dir.is_empty() { PathBuf::from(".") } else { expand(dir) };
    let Ok(entries) = std::fs::read_dir(&read) else { return Vec::new() };
    let mut out: Vec<String> = entries
        .filter_map(|e| e.ok())
        .filter_map(|e| {
            let name = e.file_name().to_str()?.to_string();
            // Hidden files only when asked for with a leading dot.
            if !name.starts_with(prefix) || (name.starts_with('.') && !prefix.starts_with('.')) {
                return None;
            }
            let slash = if e.file_type().ok()?.is_dir() { "/" } else { "" };
            Some(format!("{dir}{name}{slash}"))
        })
        .collect();
    out.sort();
    out.truncate(50);
    out
}

/// The longest start every candidate shares.
pub fn common_prefix(cands: &[String]) -> String {
    let Some(first) = cands.first() else { return String::new() };
    let mut n = first.chars().count();
    for c in &cands[1..] {
        n = n.min(first.chars().zip(c.chars()).take_while(|(a, b)| a == b).count());
    }
    first.chars().take(n).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lines_parse_into_the_commands_flags() {
        assert_eq!(
            Command::parse("export kpis --out /tmp/k.csv --format json"),
            Ok(Command::Export {
                what: "kpis".into(),
                out: "/tmp/k.csv".into(),
                format: Some(Format::Json),
                period: None
            })
        );
        assert_eq!(
            Command::parse("import 'my file.csv' --preset kpi-csv"),
            Ok(Command::Import {
                file: "my file.csv".into(),
                preset: Some("kpi-csv".into()),
                date_order: None,
                dry_run: true
            })
        );
        assert_eq!(Command::parse("backup b.db"), Ok(Command::Backup { file: "b.db".into() }));
        assert!(Command::parse("export kpis").unwrap_err().contains("--out"));
        assert!(Command::parse("frobnicate").unwrap_err().starts_with("unknown command 'frobnicate'"));
        assert!(Command::parse("backup a b").unwrap_err().contains("unexpected 'b'"));
    }

    #[test]
    fn tab_completes_names_whats_and_a_shared_prefix() {
        assert_eq!(completions("im"), vec!["import ".to_string()]);
        assert_eq!(completions("report "), vec!["report exec ".to_string()]);
        assert_eq!(completions("export la"), vec!["export launches --out ".to_string()]);
        assert_eq!(common_prefix(&["abcd".into(), "abce".into(), "abx".into()]), "ab");
        assert_eq!(common_prefix(&["same".into()]), "same");
    }
}
