//! The `touchline` command line: ingest, extract, ask, run, serve, bench.
use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::Context;
use clap::{Parser, Subcommand};
use touchline::app::{self, Locations};
use touchline::commands;
use touchline::ingest;
use touchline::state::Ctx;
use touchline::terminal::{escape_controls, render_payload, render_text};

#[derive(Parser)]
#[command(
    name = "touchline",
    version,
    about = "Quotes, results and ties from football match reports"
)]
struct Cli {
    /// Config file [default: config/touchline.toml]
    #[arg(long, global = true, env = "TOUCHLINE_CONFIG")]
    config: Option<PathBuf>,
    /// Corpus database [default: corpus.database from the config]
    #[arg(long, global = true, env = "TOUCHLINE_DB")]
    db: Option<PathBuf>,
    #[command(subcommand)]
    command: Cmd,
}

#[derive(Subcommand)]
enum Cmd {
    /// Add report files or folders (.txt, .md) to the corpus.
    Ingest {
        #[arg(required = true)]
        paths: Vec<PathBuf>,
    },
    /// Print one report's extraction (quotes, speakers, results, ties).
    Extract {
        file: PathBuf,
        /// Print JSON in the evaluation format.
        #[arg(long)]
        json: bool,
    },
    /// Run the Discord bot (needs DISCORD_TOKEN in the environment or .env) until Ctrl-C.
    Run {
        /// Only announce results and poll sources; commands come through `touchline serve`.
        #[arg(long)]
        no_gateway: bool,
    },
    /// Answer Discord's interactions over HTTP (the portal's Interactions Endpoint URL)
    /// instead of the gateway; needs DISCORD_TOKEN and discord.public_key.
    Serve {
        /// Address to listen on [default: serve.listen from the config]
        #[arg(long)]
        listen: Option<String>,
    },
    /// Measure extraction, ingest and command latency on a synthetic corpus.
    Bench {
        /// Reports in the synthetic corpus.
        #[arg(long, default_value_t = 100_000)]
        reports: usize,
        /// Queries timed per command.
        #[arg(long, default_value_t = 2_000)]
        queries: usize,
        /// Where the synthetic corpus goes (replaced on each run).
        #[arg(long, default_value = "data/bench.db")]
        bench_db: PathBuf,
        /// Also measure extraction on a folder of real reports (`.txt`), e.g.
        /// `../shared/eval/dev2/texts`.
        #[arg(long)]
        texts: Option<PathBuf>,
        /// Only the scaling table: extraction at 10 KB, 100 KB and 1 MB of hard patterns.
        #[arg(long)]
        scaling: bool,
    },
    /// Answer a command as the bot would, e.g. `touchline ask "/tie liverpool real"`.
    Ask {
        line: String,
        /// Print the Discord message payload instead of text.
        #[arg(long)]
        json: bool,
    },
}

fn main() -> ExitCode {
    let _ = dotenvy::dotenv();
    let cli = Cli::parse();
    // Not locked for the whole run: `run` logs from other threads to stdout.
    let mut out = std::io::stdout();
    match run(cli, &mut out).and_then(|code| {
        out.flush().context("writing to standard output")?;
        Ok(code)
    }) {
        Ok(code) => code,
        // `touchline extract ... | head`: the reader has all it wants; not an error.
        Err(e) if is_broken_pipe(&e) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("touchline: {}", one_line(&e));
            ExitCode::FAILURE
        }
    }
}

/// Logs to standard output, `RUST_LOG` or info (serenity's own at warn).
fn init_logs() {
    tracing_subscriber::fmt()
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_default_env()
                .unwrap_or_else(|_| "info,serenity=warn".into()),
        )
        .init();
}

/// The bot token from the environment (or .env), checked for shape.
fn bot_token() -> anyhow::Result<String> {
    let token = std::env::var("DISCORD_TOKEN").map_err(|_| {
        anyhow::anyhow!("DISCORD_TOKEN is not set (put it in the environment or in .env)")
    })?;
    touchline::discord::validate_token(&token)?;
    Ok(token)
}

/// True when the error comes from writing into a pipe whose reader has gone.
fn is_broken_pipe(e: &anyhow::Error) -> bool {
    e.chain().any(|cause| {
        cause
            .downcast_ref::<std::io::Error>()
            .is_some_and(|io| io.kind() == std::io::ErrorKind::BrokenPipe)
    })
}

/// The error and its causes on one line, each cause once (our error types already
/// name their cause in their message).
fn one_line(e: &anyhow::Error) -> String {
    let mut line = e.to_string();
    for cause in e.chain().skip(1) {
        let c = cause.to_string();
        if !line.contains(&c) {
            line.push_str(": ");
            line.push_str(&c);
        }
    }
    line
}

/// Runs the subcommand, writing its output to `out` (every write checked, so a closed
/// pipe ends the run quietly instead of panicking as `println!` does).
fn run(cli: Cli, out: &mut impl Write) -> anyhow::Result<ExitCode> {
    let loc = Locations {
        config: cli.config,
        db: cli.db,
    };
    match cli.command {
        Cmd::Ingest { paths } => {
            let setup = app::setup(&loc)?;
            let (urls, files): (Vec<PathBuf>, Vec<PathBuf>) = paths
                .into_iter()
                .partition(|p| app::is_url(&p.to_string_lossy()));
            let mut corpus = touchline::corpus::Corpus::open(&setup.db).with_context(|| {
                format!(
                    "opening the corpus at {}",
                    touchline::corpus::shown_location(&setup.db)
                )
            })?;
            let mut refused = false;
            if !files.is_empty() {
                let summary = ingest::ingest_paths(
                    &mut corpus,
                    &setup.teams,
                    &files,
                    &setup.config.ingest,
                    true,
                )?;
                writeln!(out, "{}", app::describe(&summary))?;
                if summary.added == 0 && summary.duplicates > 0 && summary.rejected.is_empty() {
                    writeln!(
                        out,
                        "nothing new: every report was already in {}",
                        touchline::corpus::shown_location(&setup.db)
                    )?;
                }
                refused |= !summary.rejected.is_empty();
            }
            if !urls.is_empty() {
                let urls: Vec<String> = urls
                    .iter()
                    .map(|u| u.to_string_lossy().into_owned())
                    .collect();
                let runtime =
                    tokio::runtime::Runtime::new().context("starting the async runtime")?;
                let fetcher = ingest::fetch::Fetcher::new(&setup.config.fetch)
                    .map_err(|e| anyhow::anyhow!("[fetch] settings: {e}"))?;
                let ctx =
                    Ctx::new(corpus, setup.teams).with_web(fetcher, setup.config.ingest.clone());
                for (url, outcome) in runtime.block_on(app::ingest_urls(&ctx, &urls))? {
                    match outcome {
                        Ok(line) => writeln!(out, "{url}: {line}")?,
                        Err(why) => {
                            refused = true;
                            // Fetch errors name the URL themselves.
                            if why.contains(url.as_str()) {
                                eprintln!("touchline: {why}");
                            } else {
                                eprintln!("touchline: {url}: {why}");
                            }
                        }
                    }
                }
            }
            Ok(if refused {
                ExitCode::from(2)
            } else {
                ExitCode::SUCCESS
            })
        }
        Cmd::Extract { file, json } => {
            let setup = app::setup(&loc)?;
            let name = ingest::files::path_text(&file);
            let prepared = ingest::load(&file, &setup.config.ingest)
                .map_err(|reason| anyhow::anyhow!("{name}: {reason}"))?;
            let x = ingest::extract_report(&prepared.report, prepared.body_offset, &setup.teams)
                .map_err(|reason| anyhow::anyhow!("{name}: {reason}"))?;
            if json {
                writeln!(out, "{}", serde_json::to_string_pretty(&x)?)?;
            } else {
                // Quotes are report text: escaped like `ask` output.
                for q in &x.quotes {
                    writeln!(
                        out,
                        "{}: \"{}\"",
                        escape_controls(q.speaker.as_deref().unwrap_or("(unknown)")),
                        escape_controls(&q.text)
                    )?;
                }
                for r in &x.results {
                    writeln!(
                        out,
                        "result: {}{}",
                        escape_controls(&commands::format::score_line(r)),
                        if r.aggregate { " (aggregate)" } else { "" }
                    )?;
                }
                for t in &x.ties {
                    let line = format!(
                        "tie: {} v {}: winner {:?}, next {:?}",
                        t.teams[0], t.teams[1], t.winner, t.next_opponent
                    );
                    writeln!(out, "{}", escape_controls(&line))?;
                }
            }
            Ok(ExitCode::SUCCESS)
        }
        Cmd::Run { no_gateway } => {
            init_logs();
            let token = bot_token()?;
            let setup = app::setup(&loc)?;
            let config = setup.config.clone();
            let ctx = std::sync::Arc::new(app::context(setup, false)?);
            let runtime = tokio::runtime::Runtime::new().context("starting the async runtime")?;
            let ctrl_c = async {
                let _ = tokio::signal::ctrl_c().await;
                tracing::info!("Ctrl-C: shutting down");
            };
            if no_gateway {
                let settings = touchline::discord::BotSettings::from_config(&config);
                runtime.block_on(touchline::discord::run_background(
                    settings, &token, ctx, ctrl_c,
                ))?;
            } else {
                runtime.block_on(touchline::discord::run(&config, &token, ctx, ctrl_c))?;
            }
            Ok(ExitCode::SUCCESS)
        }
        Cmd::Serve { listen } => {
            init_logs();
            let token = bot_token()?;
            let setup = app::setup(&loc)?;
            let config = setup.config.clone();
            let key = config.discord.public_key.as_deref().ok_or_else(|| {
                anyhow::anyhow!(
                    "discord.public_key is not set: copy the Public Key from the Developer \
                     Portal's General Information page into the [discord] section"
                )
            })?;
            let public_key = touchline::discord::endpoint::parse_public_key(key)
                .map_err(|e| anyhow::anyhow!(e))?;
            let listen = listen.unwrap_or_else(|| config.serve.listen.clone());
            let ctx = std::sync::Arc::new(app::context(setup, false)?);
            let runtime = tokio::runtime::Runtime::new().context("starting the async runtime")?;
            runtime.block_on(async {
                let listener = tokio::net::TcpListener::bind(&listen)
                    .await
                    .with_context(|| format!("cannot listen on {listen}"))?;
                touchline::discord::serve(&config, &token, public_key, listener, ctx, async {
                    let _ = tokio::signal::ctrl_c().await;
                    tracing::info!("Ctrl-C: shutting down");
                })
                .await
            })?;
            Ok(ExitCode::SUCCESS)
        }
        Cmd::Bench {
            reports,
            queries,
            bench_db,
            texts,
            scaling,
        } => {
            let setup = app::setup(&loc)?;
            if scaling {
                write!(out, "{}", touchline::bench::scaling(&setup.teams))?;
                return Ok(ExitCode::SUCCESS);
            }
            if let Some(dir) = &texts {
                write!(out, "{}", touchline::bench::real_texts(dir, &setup.teams)?)?;
            }
            if let Some(parent) = bench_db.parent() {
                std::fs::create_dir_all(parent)?;
            }
            if let Some(dir) = &texts {
                // A file of its own beside the synthetic corpus, removed afterwards.
                let db = bench_db.with_extension("texts.db");
                let count = reports.min(20_000);
                let line = touchline::bench::real_ingest(dir, count, &db, &setup.teams)?;
                write!(out, "{line}")?;
            }
            write!(
                out,
                "{}",
                touchline::bench::run(reports, queries, &bench_db, setup.teams)?
            )?;
            Ok(ExitCode::SUCCESS)
        }
        Cmd::Ask { line, json } => {
            let setup = app::setup(&loc)?;
            // Help needs no corpus: it answers even when the database cannot be opened.
            let reply = if commands::is_help(&line) {
                commands::help::run()
            } else {
                let ctx = app::context(setup, json)?;
                let command = match commands::parse_line(&ctx, &line) {
                    Ok(c) => c,
                    Err(message) => {
                        eprintln!("touchline: {message}");
                        return Ok(ExitCode::from(2));
                    }
                };
                commands::run(&ctx, &command)
            };
            if json {
                writeln!(
                    out,
                    "{}",
                    serde_json::to_string_pretty(&render_payload(&reply)?)?
                )?;
            } else {
                write!(out, "{}", render_text(&reply))?;
            }
            Ok(ExitCode::SUCCESS)
        }
    }
}
