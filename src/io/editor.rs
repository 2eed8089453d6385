//! Handing text to the user's `$VISUAL` / `$EDITOR` and reading back what they saved: one way for
//! every face (the command line's `compete edit`, the cockpit's Ctrl-E, which restores the
//! terminal around it).

use crate::io::error::{Error, Result};

/// Write `text` to a `files::Scratch` (an unguessable name inside a new owner-only folder, read
/// back without following links, removed with its folder afterwards), open `$VISUAL`/`$EDITOR`
/// (else `vi`) on it and return what was saved. An editor that exits with a failure, or cannot
/// be run, is the input's fault: nothing is kept.
pub fn edit(text: &str) -> Result<String> {
    let editor = ["VISUAL", "EDITOR"]
        .iter()
        .find_map(|k| std::env::var(k).ok().filter(|e| !e.trim().is_empty()))
        .unwrap_or_else(|| "vi".into());
    let scratch = crate::files::Scratch::with_text(text, ".md").map_err(|e| Error::System(e.to_string()))?;
    // Through the shell, so EDITOR="code --wait" works as it does for git.
    let status = std::process::Command::new("sh")
        .arg("-c")
        .arg(format!("{editor} \"$1\""))
        .arg("mktg-editor")
        .arg(scratch.path())
        .status();
    match status {
        Ok(s) if s.success() => scratch.read().map_err(|e| Error::System(e.to_string())),
        Ok(s) => Err(Error::input(format!("{editor} exited with {s}; the field was left as it was"))),
        Err(e) => Err(Error::input(format!("cannot run {editor}: {e}"))),
    }
}
