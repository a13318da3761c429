//! The `vardkatalog` command: thin glue from the command line to the library.

mod cli;
mod harvest_cli;

use std::process::ExitCode;

use clap::Parser;

fn main() -> ExitCode {
    let args = cli::Args::parse();
    cli::init_logging();
    match cli::run(args) {
        Ok(code) => code,
        Err(e) => {
            if let Some(io) = e.downcast_ref::<std::io::Error>()
                && io.kind() == std::io::ErrorKind::BrokenPipe
            {
                return ExitCode::SUCCESS;
            }
            vardkatalog::logging::eprint_line(format_args!("error: {e:#}"));
            ExitCode::FAILURE
        }
    }
}
