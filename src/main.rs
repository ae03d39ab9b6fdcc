//! The `touchline` command line: ingest, extract, ask, run, bench.
use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::Context;
use clap::{Parser, Subcommand};
use touchline::extract::{extract, ReportContext};
use touchline::teams::TeamBook;

#[derive(Parser)]
#[command(
    name = "touchline",
    version,
    about = "Quotes, results and ties from football match reports"
)]
struct Cli {
    #[command(subcommand)]
    command: Cmd,
}

#[derive(Subcommand)]
enum Cmd {
    /// Print one report's extraction.
    Extract {
        file: PathBuf,
        /// Print the evaluation JSON format.
        #[arg(long)]
        json: bool,
    },
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    match run(cli) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("touchline: {e:#}");
            ExitCode::FAILURE
        }
    }
}

fn run(cli: Cli) -> anyhow::Result<()> {
    match cli.command {
        Cmd::Extract { file, json } => {
            let text = std::fs::read_to_string(&file)
                .with_context(|| format!("reading {}", file.display()))?;
            let teams = TeamBook::embedded();
            let x = extract(&text, &ReportContext::default(), &teams);
            let _ = json;
            println!("{}", serde_json::to_string_pretty(&x)?);
            Ok(())
        }
    }
}
