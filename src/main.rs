//! The composition root: the only place that knows every face. The command line runs the
//! program and hands over to the cockpit and the MCP server through `Faces`, so no
//! face imports another.

fn main() -> std::process::ExitCode {
    mktg::cli::main(mktg::context::Faces {
        cockpit: mktg::tui::run,
        render: mktg::tui::render_to_text,
        mcp: mktg::mcp::serve,
    })
}
