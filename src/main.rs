//! Entry point: hand over to the command line and turn its result into an exit status.

fn main() -> std::process::ExitCode {
    mktg::cli::main()
}
