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
}
