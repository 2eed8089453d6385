//! `workflow add | edit | triage | rank | list | show | backlog`.

use std::path::PathBuf;

use clap::Subcommand;

use super::formats;
use crate::context::Context;
use crate::domain::workflow::Question;
use crate::domain::workflow::template::{parse, render};
use crate::error::{Context as _, Error, Result};
use crate::io::export::workflows as export;
use crate::output::{Format, print_json, print_raw, print_text};
use crate::store::workflows::{NewWorkflow, TriageInput, WorkflowPatch};
use crate::views::workflows as view;

#[derive(Debug, Subcommand)]
#[command(defer = true)]
pub enum WorkflowCmd {
    /// Add a workflow in one of the nine categories
    Add {
        name: String,
        /// One of the nine categories, as a slug (a unique start is enough: content, sales...)
        #[arg(long)]
        category: String,
        #[arg(long)]
        owner: String,
        /// The meeting that runs it: a template key or name (positioning-review)
        #[arg(long)]
        meeting: Option<String>,
        /// A metric it informs (repeat, or separate with commas)
        #[arg(long = "metric", value_name = "KEY")]
        metrics: Vec<String>,
    },
    /// Edit the nine sections and four criteria in $EDITOR (or from --file); with only
    /// --category/--owner/--meeting/--metric, change those without opening an editor
    Edit {
        name: String,
        /// Read the edited template from this file instead of opening $EDITOR
        #[arg(long)]
        file: Option<PathBuf>,
        #[arg(long)]
        category: Option<String>,
        /// The owner ("" clears it)
        #[arg(long)]
        owner: Option<String>,
        /// The meeting that runs it ("" clears it)
        #[arg(long)]
        meeting: Option<String>,
        /// The metrics it informs, replacing the list (repeat; "" clears it)
        #[arg(long = "metric", value_name = "KEY")]
        metrics: Option<Vec<String>>,
    },
    /// Answer the five backlog questions (omitted ones keep their answer); a blank one leaves it untriaged
    Triage {
        name: String,
        /// Who needs this?
        #[arg(long)]
        who: Option<String>,
        /// What decision does it unblock?
        #[arg(long)]
        unblocks: Option<String>,
        /// What breaks if it doesn't exist?
        #[arg(long)]
        breaks: Option<String>,
        /// Why now?
        #[arg(long)]
        why_now: Option<String>,
        /// What is the impact if it works?
        #[arg(long)]
        impact: Option<String>,
    },
    /// Set a triaged workflow's rank (1 first); the others keep their order
    Rank { name: String, rank: usize },
    /// The nine categories with the workflows in each, and the empty ones
    List {
        #[arg(long, default_value = "text", value_parser = formats::of(&[Format::Text, Format::Markdown, Format::Json]))]
        format: Format,
    },
    /// One workflow: its facts, criteria, the five answers, the nine sections
    Show {
        name: String,
        #[arg(long, default_value = "text", value_parser = formats::of(&[Format::Text, Format::Markdown, Format::Json]))]
        format: Format,
    },
    /// The backlog: ranked, triaged but not ranked, untriaged
    Backlog {
        #[arg(long, default_value = "text", value_parser = formats::of(&[Format::Text, Format::Markdown, Format::Json]))]
        format: Format,
    },
}

fn print(format: Format, text: String) -> Result<()> {
    if format == Format::Markdown { print_raw(&text) } else { print_text(&text) }
}

pub fn run(env: &Context, cmd: WorkflowCmd) -> Result<()> {
    let store = env.open_store()?;
    let now = env.clock.now();
    match cmd {
        WorkflowCmd::Add { name, category, owner, meeting, metrics } => {
            let w = NewWorkflow { name, category, owner: Some(owner.clone()), meeting, metrics };
            let added = store.write(|tx| tx.workflows().add(&w, now))?;
            super::team::note_owner(env, &store, &owner)?;
            print_text(&format!(
                "added workflow '{}' ({}): mktg workflow edit to write its nine sections, then triage it\n",
                added.name,
                added.category.label()
            ))
        }
        WorkflowCmd::Edit { name, file, category, owner, meeting, metrics } => {
            let patch = WorkflowPatch { category, owner: owner.clone(), meeting, metrics };
            let current = store.workflows().get(&name)?;
            let doc = match (&file, patch.is_empty()) {
                (Some(f), _) => {
                    let text = std::fs::read_to_string(f).map_err(|e| Error::input(format!("{}: {e}", f.display())))?;
                    Some(parse(&text).context(f.display())?)
                }
                (None, false) => None,
                (None, true) => Some(edit_in_editor(&store, &current.name)?),
            };
            let saved = store.write(|tx| {
                if !patch.is_empty() {
                    tx.workflows().patch(&current.name, &patch, now)?;
                }
                match &doc {
                    Some(d) => tx.workflows().save_doc(&current.name, d, now),
                    None => tx.workflows().get(&current.name),
                }
            })?;
            if let Some(o) = owner.filter(|o| !o.trim().is_empty()) {
                super::team::note_owner(env, &store, &o)?;
            }
            let mut msg = format!("saved '{}'", saved.name);
            if let Some(d) = &doc {
                let empty = d.sections.empty();
                if !empty.is_empty() {
                    let names: Vec<&str> = empty.iter().map(|s| s.label()).collect();
                    msg.push_str(&format!("; still empty: {}", names.join(", ")));
                }
            }
            msg.push('\n');
            for f in saved.criteria.flags() {
                msg.push_str(&format!("! {f}\n"));
            }
            print_text(&msg)
        }
        WorkflowCmd::Triage { name, who, unblocks, breaks, why_now, impact } => {
            let input = TriageInput { who, unblocks, breaks, why_now, impact };
            if [&input.who, &input.unblocks, &input.breaks, &input.why_now, &input.impact].iter().all(|a| a.is_none()) {
                return Err(Error::input("give at least one answer: --who, --unblocks, --breaks, --why-now, --impact"));
            }
            let t = store.write(|tx| tx.workflows().triage(&name, &input, now))?;
            let blank = t.blank();
            let mut msg = if blank.is_empty() {
                format!("triaged '{}': rank it with mktg workflow rank NAME N\n", t.workflow.name)
            } else {
                let labels: Vec<&str> = blank.iter().map(|q| Question::label(*q)).collect();
                format!("untriaged: {} {} blank\n", labels.join(", "), if blank.len() == 1 { "is" } else { "are" })
            };
            if t.rank_dropped {
                msg.push_str("it lost its rank (an untriaged workflow cannot hold one); the others closed up\n");
            }
            print_text(&msg)
        }
        WorkflowCmd::Rank { name, rank } => {
            let order = store.write(|tx| tx.workflows().rank(&name, rank, now))?;
            let lines: Vec<String> = order.iter().enumerate().map(|(i, n)| format!("{}. {n}", i + 1)).collect();
            print_text(&format!("{}\n", lines.join("\n")))
        }
        WorkflowCmd::List { format } => {
            let v = view::list(&store)?;
            if format == Format::Json {
                print_json(&v)
            } else {
                print(format, export::list(&v, format == Format::Markdown))
            }
        }
        WorkflowCmd::Show { name, format } => {
            let v = view::show(&store, &name)?;
            if format == Format::Json {
                print_json(&v)
            } else {
                print(format, export::show(&v, format == Format::Markdown))
            }
        }
        WorkflowCmd::Backlog { format } => {
            let v = view::backlog(&store)?;
            if format == Format::Json {
                print_json(&v)
            } else {
                print(format, export::backlog(&v, format == Format::Markdown))
            }
        }
    }
}

/// The template in `$EDITOR`, read back and checked. A file refused (a heading missing, renamed
/// or out of order) is kept, so nothing typed is lost: the error says where, and how to retry.
fn edit_in_editor(store: &crate::store::Store, name: &str) -> Result<crate::domain::workflow::template::WorkflowDoc> {
    let (w, doc) = store.workflows().doc(name)?;
    let edited = crate::io::editor::edit(&render(&w.name, &doc))?;
    match parse(&edited) {
        Ok(d) => Ok(d),
        Err(e) => {
            let slug = crate::domain::text::channel_slug(&w.name);
            let keep = std::env::temp_dir().join(format!("mktg-workflow-{slug}.md"));
            let kept = write_private(&keep, &edited).is_ok();
            let retry = if kept {
                format!(
                    "; your text is in {} (mktg workflow edit '{}' --file {})",
                    keep.display(),
                    w.name,
                    keep.display()
                )
            } else {
                String::new()
            };
            Err(Error::input(format!("{e}{retry}; nothing was saved")))
        }
    }
}

fn write_private(path: &std::path::Path, text: &str) -> std::io::Result<()> {
    use std::io::Write as _;
    let mut opts = std::fs::OpenOptions::new();
    opts.write(true).create(true).truncate(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        opts.mode(0o600);
    }
    opts.open(path)?.write_all(text.as_bytes())
}
