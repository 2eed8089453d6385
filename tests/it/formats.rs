//! Every command's `--help` names only the formats it prints (#15): walk the whole command tree,
//! and run every command that takes `--format` with every value its parser (and so its help)
//! lists, on a demo store. A format added to a command's list but not handled by it fails here:
//! refused, empty, or printed exactly like another format of the same command.

use std::collections::BTreeMap;

use clap::CommandFactory;

use crate::common::Sandbox;

/// The arguments a command needs besides `--format`, on the seed-1 demo store. A command that
/// takes `--format` and needs more than its flags must be named here (the test says so).
const SAMPLES: &[(&str, &[&str])] = &[
    ("compete card", &["globex"]),
    ("experiment readout", &["1"]),
    ("experiment plan", &["--baseline", "5%", "--mde", "10%"]),
    ("kpi record", &["leads", "12", "--date", "yesterday", "--channel", "email"]),
    ("workflow show", &["Win/loss review"]),
];

/// Every command path (`["compete", "card"]`) with `--format`, and the values it lists.
fn commands_with_format(cmd: &clap::Command, path: Vec<String>, out: &mut BTreeMap<String, Vec<String>>) {
    if let Some(arg) = cmd.get_arguments().find(|a| a.get_long() == Some("format")) {
        let values: Vec<String> = arg.get_possible_values().iter().map(|v| v.get_name().to_string()).collect();
        assert!(!values.is_empty(), "`mktg {}` --format lists no values", path.join(" "));
        out.insert(path.join(" "), values);
    }
    for sub in cmd.get_subcommands() {
        let mut p = path.clone();
        p.push(sub.get_name().to_string());
        commands_with_format(sub, p, out);
    }
}

#[test]
fn every_format_a_commands_help_names_is_printed_by_that_command() {
    let mut commands = BTreeMap::new();
    // Subcommands build their arguments only when entered (`defer`): build the whole tree first.
    let mut cli = mktg::cli::Cli::command();
    cli.build();
    commands_with_format(&cli, Vec::new(), &mut commands);
    assert!(commands.len() >= 30, "the walk found only {:?}", commands.keys());
    let s = Sandbox::demo();
    for (path, formats) in &commands {
        let extra = SAMPLES.iter().find(|(p, _)| p == path).map_or(&[][..], |(_, a)| a);
        let mut printed: Vec<(String, String)> = Vec::new();
        for format in formats {
            let mut args: Vec<&str> = path.split(' ').collect();
            args.extend_from_slice(extra);
            args.extend(["--format", format]);
            let out = s.run(&args);
            let (stdout, stderr) = (String::from_utf8_lossy(&out.stdout), String::from_utf8_lossy(&out.stderr));
            // `alert check` says "something fired" with exit 3.
            let ok = out.status.success() || (path == "alert check" && out.status.code() == Some(3));
            assert!(
                ok,
                "`mktg {}` refused a format its help lists ({:?}): {stderr}\n(a command that needs \
                 arguments besides --format gets them in SAMPLES)",
                args.join(" "),
                out.status.code()
            );
            assert!(!stdout.trim().is_empty(), "`mktg {}` printed nothing", args.join(" "));
            if format == "json" {
                serde_json::from_str::<serde_json::Value>(&stdout)
                    .unwrap_or_else(|e| panic!("`mktg {}` is not JSON ({e}): {stdout}", args.join(" ")));
            }
            // `kpi record` writes a new observation each time: its words carry a new id.
            if let Some((same, _)) = printed.iter().find(|(_, o)| *o == stdout && path != "kpi record") {
                panic!("`mktg {path}` prints {format} exactly as {same}: is {format} handled?\n{stdout}");
            }
            printed.push((format.clone(), stdout.into_owned()));
        }
    }
}

#[test]
fn a_format_a_command_does_not_print_is_refused_by_the_parser_naming_the_ones_it_does() {
    let s = Sandbox::demo();
    let err = s.fails(&["today", "--format", "csv"], 2);
    assert_eq!(err.lines().count(), 1, "{err}");
    assert!(err.starts_with("error: invalid value 'csv' for '--format"), "{err}");
    assert!(err.contains(": text or json"), "{err}");
    let err = s.fails(&["export", "kpis", "--format", "ics"], 2);
    assert!(err.contains("one of csv or json") || err.contains(": csv or json"), "{err}");
    // The help of each lists exactly its own.
    let help = s.ok(&["export", "kpis", "--help"]);
    assert!(help.contains("[possible values: csv, json]"), "{help}");
    let help = s.ok(&["team", "load", "--help"]);
    assert!(help.contains("[possible values: text, json]"), "{help}");
}
