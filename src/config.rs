//! `config/touchline.toml` plus environment overrides, validated at start.

use std::path::{Path, PathBuf};

use serde::Deserialize;

use crate::announce::AnnounceSettings;
use crate::ingest::fetch::FetchConfig;
use crate::ingest::sources::SourceConfig;

/// Default place of the config file.
pub const DEFAULT_CONFIG: &str = "config/touchline.toml";

/// The whole configuration.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Config {
    #[serde(default)]
    pub corpus: CorpusConfig,
    #[serde(default)]
    pub ingest: IngestConfig,
    #[serde(default)]
    pub discord: DiscordConfig,
    #[serde(default)]
    pub announce: AnnounceSettings,
    /// How reports are fetched from the web (feeds, article pages, `/ingest`).
    #[serde(default)]
    pub fetch: FetchConfig,
    /// Feeds, pages and folders polled for new reports.
    #[serde(default)]
    pub sources: Vec<SourceConfig>,
    /// The HTTP interactions endpoint (`touchline serve`).
    #[serde(default)]
    pub serve: ServeConfig,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CorpusConfig {
    #[serde(default = "default_database")]
    pub database: PathBuf,
    /// Teams file; the built-in copy is used when absent.
    pub teams: Option<PathBuf>,
    /// Reports loaded into an empty corpus.
    pub samples: Option<PathBuf>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct IngestConfig {
    #[serde(default = "default_max_report_bytes")]
    pub max_report_bytes: u64,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DiscordConfig {
    #[serde(default = "default_api_url")]
    pub api_url: String,
    pub dev_guild: Option<u64>,
    /// The application's public key (hex, Developer Portal > General Information); the
    /// interactions endpoint verifies every request with it.
    pub public_key: Option<String>,
    /// Which gateway shards this process runs.
    #[serde(default)]
    pub shards: ShardSpec,
    /// This process's share of the bot's global limit, in requests per second (Discord
    /// allows about 50 per bot, across all its processes).
    #[serde(default = "default_global_rate")]
    pub global_rate_per_sec: u32,
}

/// The `[serve]` section: the HTTP interactions endpoint.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ServeConfig {
    /// Address to listen on; `--listen` overrides it.
    #[serde(default = "default_listen")]
    pub listen: String,
    /// Also announce results and poll sources in this process (else run
    /// `touchline run --no-gateway` once per deployment for that).
    #[serde(default)]
    pub announce: bool,
}

/// The gateway shards one process runs: `"auto"`, `"0-3 of 8"` or `"2 of 8"`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Deserialize)]
#[serde(try_from = "String")]
pub enum ShardSpec {
    /// One shard, the whole bot (fine below 2,500 servers).
    #[default]
    Single,
    /// As many as Discord recommends (`GET /gateway/bot`), all in this process.
    Auto,
    /// Shards `first..=last` of `total`; the other processes run the rest.
    Range { first: u32, last: u32, total: u32 },
}

impl std::str::FromStr for ShardSpec {
    type Err = String;

    fn from_str(text: &str) -> Result<ShardSpec, String> {
        let text = text.trim();
        let shape = || {
            format!(
                "discord.shards must be \"auto\", \"FIRST-LAST of TOTAL\" (e.g. \"0-3 of 8\") \
                 or \"N of TOTAL\", got {text:?}"
            )
        };
        if text.eq_ignore_ascii_case("auto") {
            return Ok(ShardSpec::Auto);
        }
        let (range, total) = text.split_once(" of ").ok_or_else(shape)?;
        let number = |s: &str| s.trim().parse::<u32>().map_err(|_| shape());
        let total = number(total)?;
        let (first, last) = match range.split_once('-') {
            Some((a, b)) => (number(a)?, number(b)?),
            None => (number(range)?, number(range)?),
        };
        if total == 0 {
            return Err(format!(
                "discord.shards {text:?}: the total must be at least 1"
            ));
        }
        if first > last {
            return Err(format!(
                "discord.shards {text:?}: the first shard ({first}) comes after the last ({last})"
            ));
        }
        if last >= total {
            return Err(format!(
                "discord.shards {text:?}: shards are numbered 0 to {}, so {last} does not exist",
                total - 1
            ));
        }
        Ok(ShardSpec::Range { first, last, total })
    }
}

impl TryFrom<String> for ShardSpec {
    type Error = String;
    fn try_from(text: String) -> Result<ShardSpec, String> {
        text.parse()
    }
}

fn default_database() -> PathBuf {
    PathBuf::from("data/touchline.db")
}
fn default_max_report_bytes() -> u64 {
    1024 * 1024
}
fn default_api_url() -> String {
    "https://discord.com".to_string()
}
fn default_global_rate() -> u32 {
    50
}
fn default_listen() -> String {
    "127.0.0.1:8080".to_string()
}

impl Default for CorpusConfig {
    fn default() -> Self {
        CorpusConfig {
            database: default_database(),
            teams: None,
            samples: None,
        }
    }
}
impl Default for IngestConfig {
    fn default() -> Self {
        IngestConfig {
            max_report_bytes: default_max_report_bytes(),
        }
    }
}
impl Default for DiscordConfig {
    fn default() -> Self {
        DiscordConfig {
            api_url: default_api_url(),
            dev_guild: None,
            public_key: None,
            shards: ShardSpec::default(),
            global_rate_per_sec: default_global_rate(),
        }
    }
}
impl Default for ServeConfig {
    fn default() -> Self {
        ServeConfig {
            listen: default_listen(),
            announce: false,
        }
    }
}

/// Errors reading the configuration.
#[derive(Debug, thiserror::Error)]
pub enum ConfigError {
    #[error("cannot read config file {path}: {source}")]
    Read {
        path: String,
        source: std::io::Error,
    },
    #[error("config file {path} is not valid: {source}")]
    Parse {
        path: String,
        source: toml::de::Error,
    },
    #[error("config file {path}: {message}")]
    Invalid { path: String, message: String },
}

impl Config {
    /// Reads the file at `path` and applies `TOUCHLINE_DISCORD_API`.
    /// A missing file at the default path yields the defaults; a missing file that was
    /// asked for by name is an error.
    pub fn load(path: &Path, explicit: bool) -> Result<Config, ConfigError> {
        let display = path.display().to_string();
        let mut config = match std::fs::read_to_string(path) {
            Ok(text) => toml::from_str::<Config>(&text).map_err(|source| ConfigError::Parse {
                path: display.clone(),
                source,
            })?,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound && !explicit => Config {
                corpus: CorpusConfig::default(),
                ingest: IngestConfig::default(),
                discord: DiscordConfig::default(),
                announce: AnnounceSettings::default(),
                fetch: FetchConfig::default(),
                sources: Vec::new(),
                serve: ServeConfig::default(),
            },
            Err(source) => {
                return Err(ConfigError::Read {
                    path: display,
                    source,
                })
            }
        };
        if let Ok(url) = std::env::var("TOUCHLINE_DISCORD_API") {
            config.discord.api_url = url;
        }
        config.validate(&display)?;
        Ok(config)
    }

    fn validate(&self, path: &str) -> Result<(), ConfigError> {
        let invalid = |message: String| ConfigError::Invalid {
            path: path.to_string(),
            message,
        };
        if self.ingest.max_report_bytes == 0 {
            return Err(invalid("ingest.max_report_bytes must be above 0".into()));
        }
        let mut names = std::collections::HashSet::new();
        for source in &self.sources {
            source.validate().map_err(invalid)?;
            if !names.insert(source.name.as_str()) {
                return Err(invalid(format!("two sources are named {:?}", source.name)));
            }
        }
        crate::ingest::fetch::Fetcher::new(&self.fetch)
            .map_err(|e| invalid(format!("[fetch]: {e}")))?;
        let api = &self.discord.api_url;
        if !(api.starts_with("http://") || api.starts_with("https://")) {
            return Err(invalid(format!(
                "discord.api_url must start with http:// or https://, got {api:?}"
            )));
        }
        if let Some(key) = &self.discord.public_key {
            crate::discord::endpoint::parse_public_key(key).map_err(invalid)?;
        }
        if self.discord.global_rate_per_sec == 0 {
            return Err(invalid(
                "discord.global_rate_per_sec must be above 0 (Discord allows about 50 per bot)"
                    .into(),
            ));
        }
        if self.serve.listen.parse::<std::net::SocketAddr>().is_err() {
            return Err(invalid(format!(
                "serve.listen must be an address and port such as 127.0.0.1:8080, got {:?}",
                self.serve.listen
            )));
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shipped_config_parses() {
        let c = Config::load(Path::new(DEFAULT_CONFIG), true).unwrap();
        assert_eq!(c.corpus.database, PathBuf::from("data/touchline.db"));
    }

    #[test]
    fn unknown_keys_are_refused_with_the_file_named() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("bad.toml");
        std::fs::write(&p, "[corpus]\ndatabse = 'x'\n").unwrap();
        let err = Config::load(&p, true).unwrap_err().to_string();
        assert!(err.contains("bad.toml"), "{err}");
        assert!(err.contains("databse"), "{err}");
    }

    #[test]
    fn shard_specs_read_auto_ranges_and_single_shards() {
        assert_eq!("auto".parse(), Ok(ShardSpec::Auto));
        assert_eq!(" AUTO ".parse(), Ok(ShardSpec::Auto));
        assert_eq!(
            "0-3 of 8".parse(),
            Ok(ShardSpec::Range {
                first: 0,
                last: 3,
                total: 8
            })
        );
        assert_eq!(
            "7 of 8".parse(),
            Ok(ShardSpec::Range {
                first: 7,
                last: 7,
                total: 8
            })
        );
    }

    #[test]
    fn impossible_shard_specs_say_what_is_wrong() {
        let err = |s: &str| s.parse::<ShardSpec>().unwrap_err();
        assert!(
            err("4-3 of 8").contains("comes after"),
            "{}",
            err("4-3 of 8")
        );
        assert!(err("0-8 of 8").contains("0 to 7"), "{}", err("0-8 of 8"));
        assert!(err("0 of 0").contains("at least 1"), "{}", err("0 of 0"));
        for shape in [
            "",
            "8",
            "0-3",
            "0-3 of",
            "a-b of 8",
            "-1-3 of 8",
            "0..3 of 8",
        ] {
            assert!(
                err(shape).contains("FIRST-LAST of TOTAL"),
                "{shape}: {}",
                err(shape)
            );
        }
    }

    #[test]
    fn a_bad_shard_spec_or_key_in_the_file_is_refused_with_the_file_named() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("shards.toml");
        std::fs::write(&p, "[discord]\nshards = '2-9 of 4'\n").unwrap();
        let err = Config::load(&p, true).unwrap_err().to_string();
        assert!(
            err.contains("shards.toml") && err.contains("0 to 3"),
            "{err}"
        );
        std::fs::write(&p, "[discord]\npublic_key = 'abc'\n").unwrap();
        let err = Config::load(&p, true).unwrap_err().to_string();
        assert!(err.contains("public_key"), "{err}");
        std::fs::write(
            &p,
            "[discord]\nshards = '1-2 of 4'\nglobal_rate_per_sec = 25\n[serve]\nannounce = true\n",
        )
        .unwrap();
        let c = Config::load(&p, true).unwrap();
        assert_eq!(
            c.discord.shards,
            ShardSpec::Range {
                first: 1,
                last: 2,
                total: 4
            }
        );
        assert_eq!(c.discord.global_rate_per_sec, 25);
        assert!(c.serve.announce);
    }
}
