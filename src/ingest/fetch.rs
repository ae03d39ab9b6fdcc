//! Fetching a URL safely: bounded in time and size, redirects followed by hand, and
//! every hop refused when it would reach a private, loopback or link-local address
//! (a server-side request forgery guard) unless the configuration allows it.
//!
//! The guard has two halves, because reqwest resolves names but not IP literals:
//! a DNS resolver that drops forbidden addresses of every name it resolves (so the
//! address connected to is the address checked), and a check of literal-IP hosts
//! before each hop. Proxies are off, so no one else resolves for us.

use std::collections::HashSet;
use std::error::Error as StdError;
use std::fmt;
use std::net::{IpAddr, SocketAddr};
use std::sync::Arc;
use std::time::Duration;

use futures_util::StreamExt;
use ipnet::IpNet;
use reqwest::dns::{Addrs, Name, Resolve, Resolving};
use reqwest::header::{
    HeaderMap, HeaderValue, CONTENT_LENGTH, CONTENT_TYPE, ETAG, IF_MODIFIED_SINCE, IF_NONE_MATCH,
    LAST_MODIFIED, LOCATION,
};
use url::{Host, Url};

pub use super::addresses::{special_kind, Special};

/// The `[fetch]` section of the configuration: limits for every web request.
#[derive(Debug, Clone, PartialEq, Eq, serde::Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct FetchConfig {
    /// Seconds for a whole request, redirects and body included, so a slow server cannot hold a poller.
    pub timeout_secs: u64,
    /// Bodies are streamed and cut off past this many bytes, so a huge page cannot exhaust memory.
    pub max_body_bytes: u64,
    /// Redirects followed before giving up (loops are caught before this).
    pub max_redirects: usize,
    /// IPs or CIDRs reachable despite being private, loopback or link-local (e.g. a LAN news server, tests).
    pub allow_private: Vec<String>,
    /// Sent with every request so site owners can tell who is fetching.
    pub user_agent: String,
    /// Seconds one poll of a source may take in all: article pages of a feed not read by
    /// then are left for the next poll (many slow pages each under `timeout_secs` add up).
    pub poll_deadline_secs: u64,
}

impl Default for FetchConfig {
    fn default() -> Self {
        FetchConfig {
            timeout_secs: 20,
            max_body_bytes: 5 * 1024 * 1024,
            max_redirects: 5,
            allow_private: Vec::new(),
            user_agent: "Touchline/0.1 (+https://github.com/touchline)".to_string(),
            poll_deadline_secs: 120,
        }
    }
}

/// HTTP cache validators, kept between polls so an unchanged feed costs one 304.
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Validators {
    pub etag: Option<String>,
    pub last_modified: Option<String>,
}

impl Validators {
    /// True when neither validator is known (the request is unconditional).
    pub fn is_empty(&self) -> bool {
        self.etag.is_none() && self.last_modified.is_none()
    }
}

/// What a GET gave.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Fetched {
    /// 304: the validators still hold, nothing to read.
    NotModified,
    Page(Page),
}

/// A successfully fetched body.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Page {
    /// The final URL, after redirects (relative links resolve against it).
    pub url: String,
    pub content_type: Option<String>,
    pub bytes: Vec<u8>,
    /// The response's validators, for the next conditional GET.
    pub validators: Validators,
}

/// Why a fetch failed; every variant names the URL concerned.
#[derive(Debug, thiserror::Error)]
pub enum FetchError {
    #[error("{url}: not a usable URL: {reason}")]
    BadUrl { url: String, reason: String },
    #[error("{url}: refused: {reason}")]
    Refused { url: String, reason: String },
    #[error("{url}: the server answered HTTP {status}")]
    Status { url: String, status: u16 },
    #[error("{url}: the body is over the limit of {limit} bytes (fetch.max_body_bytes)")]
    TooLarge { url: String, limit: u64 },
    #[error("{url}: no complete answer within {secs} s (fetch.timeout_secs)")]
    Timeout { url: String, secs: u64 },
    #[error("{url}: more than {limit} redirects, or a redirect loop (fetch.max_redirects)")]
    TooManyRedirects { url: String, limit: usize },
    /// Displayed with its causes down to the root ("Connection refused", a DNS failure):
    /// reqwest's own message alone says only that sending failed.
    #[error("{url}: {}", error_chain(source))]
    Network {
        url: String,
        #[source]
        source: reqwest::Error,
    },
    #[error("fetch.allow_private: {entry:?} is not an IP address or CIDR")]
    BadConfig { entry: String },
}

/// An HTTP client with the limits and the address guard of a [`FetchConfig`]; cheap to clone.
#[derive(Clone)]
pub struct Fetcher {
    client: reqwest::Client,
    guard: Arc<Guard>,
    timeout: Duration,
    max_body_bytes: u64,
    max_redirects: usize,
}

impl fmt::Debug for Fetcher {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Fetcher")
            .field("allow_private", &self.guard.allow)
            .field("timeout", &self.timeout)
            .field("max_body_bytes", &self.max_body_bytes)
            .field("max_redirects", &self.max_redirects)
            .finish()
    }
}

impl Fetcher {
    /// Builds the client; fails only on an unreadable `allow_private` entry.
    pub fn new(cfg: &FetchConfig) -> Result<Fetcher, FetchError> {
        let guard = Arc::new(Guard::new(&cfg.allow_private)?);
        let timeout = Duration::from_secs(cfg.timeout_secs.max(1));
        let client = reqwest::Client::builder()
            .user_agent(cfg.user_agent.clone())
            .redirect(reqwest::redirect::Policy::none())
            .no_proxy()
            .dns_resolver(Arc::new(GuardedResolver(Arc::clone(&guard))))
            .connect_timeout(timeout)
            .timeout(timeout)
            .build()
            .map_err(|source| FetchError::Network {
                url: String::new(),
                source,
            })?;
        Ok(Fetcher {
            client,
            guard,
            timeout,
            max_body_bytes: cfg.max_body_bytes,
            max_redirects: cfg.max_redirects,
        })
    }

    /// GET with conditional headers (If-None-Match / If-Modified-Since) from `validators`,
    /// following redirects by hand so each hop passes the address guard.
    pub async fn get(&self, url: &str, validators: &Validators) -> Result<Fetched, FetchError> {
        match tokio::time::timeout(self.timeout, self.get_unbounded(url, validators)).await {
            Ok(result) => result,
            Err(_) => Err(FetchError::Timeout {
                url: url.to_string(),
                secs: self.timeout.as_secs(),
            }),
        }
    }

    async fn get_unbounded(
        &self,
        start: &str,
        validators: &Validators,
    ) -> Result<Fetched, FetchError> {
        let mut url = parse_url(start)?;
        let mut visited = HashSet::new();
        let conditional = conditional_headers(validators);
        loop {
            self.guard.check_url(&url)?;
            if !visited.insert(url.to_string()) {
                return Err(FetchError::TooManyRedirects {
                    url: url.to_string(),
                    limit: self.max_redirects,
                });
            }
            let response = self
                .client
                .get(url.clone())
                .headers(conditional.clone())
                .send()
                .await
                .map_err(|e| self.classify(&url, e))?;
            let status = response.status();
            if status.is_redirection() && status != reqwest::StatusCode::NOT_MODIFIED {
                let Some(location) = response.headers().get(LOCATION) else {
                    return Err(FetchError::Status {
                        url: url.to_string(),
                        status: status.as_u16(),
                    });
                };
                if visited.len() > self.max_redirects {
                    return Err(FetchError::TooManyRedirects {
                        url: start.to_string(),
                        limit: self.max_redirects,
                    });
                }
                let location = location.to_str().map_err(|_| FetchError::BadUrl {
                    url: url.to_string(),
                    reason: "the redirect's Location is not text".into(),
                })?;
                url = url.join(location).map_err(|e| FetchError::BadUrl {
                    url: location.to_string(),
                    reason: format!("redirect from {url}: {e}"),
                })?;
                continue;
            }
            if status == reqwest::StatusCode::NOT_MODIFIED {
                return Ok(Fetched::NotModified);
            }
            if !status.is_success() {
                return Err(FetchError::Status {
                    url: url.to_string(),
                    status: status.as_u16(),
                });
            }
            return self.read_page(url, response).await.map(Fetched::Page);
        }
    }

    /// Streams the body, stopping as soon as it passes the size limit.
    async fn read_page(&self, url: Url, response: reqwest::Response) -> Result<Page, FetchError> {
        let too_large = || FetchError::TooLarge {
            url: url.to_string(),
            limit: self.max_body_bytes,
        };
        let headers = response.headers();
        let declared = headers
            .get(CONTENT_LENGTH)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.trim().parse::<u64>().ok());
        if declared.is_some_and(|n| n > self.max_body_bytes) {
            return Err(too_large());
        }
        let text = |name| {
            headers
                .get(name)
                .and_then(|v: &HeaderValue| v.to_str().ok())
                .map(str::to_string)
        };
        let content_type = text(CONTENT_TYPE);
        let validators = Validators {
            etag: text(ETAG),
            last_modified: text(LAST_MODIFIED),
        };
        let cap = usize::try_from(self.max_body_bytes).unwrap_or(usize::MAX);
        let mut bytes = Vec::with_capacity(declared.map_or(0, |n| n as usize).min(cap));
        let mut stream = response.bytes_stream();
        while let Some(chunk) = stream.next().await {
            let chunk = chunk.map_err(|e| self.classify(&url, e))?;
            if (bytes.len() as u64).saturating_add(chunk.len() as u64) > self.max_body_bytes {
                return Err(too_large());
            }
            bytes.extend_from_slice(&chunk);
        }
        Ok(Page {
            url: url.to_string(),
            content_type,
            bytes,
            validators,
        })
    }

    /// Turns a reqwest error into ours, recovering the guard's refusal from the resolver.
    fn classify(&self, url: &Url, error: reqwest::Error) -> FetchError {
        let mut cause: Option<&(dyn StdError + 'static)> = Some(&error);
        while let Some(e) = cause {
            if let Some(blocked) = e.downcast_ref::<Blocked>() {
                return FetchError::Refused {
                    url: url.to_string(),
                    reason: blocked.to_string(),
                };
            }
            cause = e.source();
        }
        if error.is_timeout() {
            return FetchError::Timeout {
                url: url.to_string(),
                secs: self.timeout.as_secs(),
            };
        }
        FetchError::Network {
            url: url.to_string(),
            source: error,
        }
    }
}

/// A reqwest error and its causes on one line, each said once, without the URL (ours
/// names it already).
pub fn error_chain(error: &reqwest::Error) -> String {
    let top = error.to_string();
    let mut line = match error.url() {
        Some(url) => top
            .replace(&format!(" for url ({url})"), "")
            .replace(&format!(" ({url})"), ""),
        None => top,
    };
    let mut cause = error.source();
    while let Some(e) = cause {
        let text = e.to_string();
        if !text.is_empty() && !line.contains(&text) {
            line.push_str(": ");
            line.push_str(&text);
        }
        cause = e.source();
    }
    line
}

fn parse_url(raw: &str) -> Result<Url, FetchError> {
    Url::parse(raw.trim()).map_err(|e| FetchError::BadUrl {
        url: raw.to_string(),
        reason: e.to_string(),
    })
}

fn conditional_headers(validators: &Validators) -> HeaderMap {
    let mut headers = HeaderMap::new();
    let pairs = [
        (IF_NONE_MATCH, &validators.etag),
        (IF_MODIFIED_SINCE, &validators.last_modified),
    ];
    for (name, value) in pairs {
        if let Some(value) = value.as_deref().and_then(|v| HeaderValue::from_str(v).ok()) {
            headers.insert(name, value);
        }
    }
    headers
}

/// Which addresses may be reached.
#[derive(Debug)]
struct Guard {
    allow: Vec<IpNet>,
}

impl Guard {
    fn new(entries: &[String]) -> Result<Guard, FetchError> {
        let allow = entries
            .iter()
            .map(|entry| {
                let e = entry.trim();
                e.parse::<IpNet>()
                    .or_else(|_| e.parse::<IpAddr>().map(IpNet::from))
                    .map_err(|_| FetchError::BadConfig {
                        entry: entry.clone(),
                    })
            })
            .collect::<Result<_, _>>()?;
        Ok(Guard { allow })
    }

    /// Refuses other schemes and forbidden literal-IP hosts (names are checked on resolution).
    fn check_url(&self, url: &Url) -> Result<(), FetchError> {
        let refused = |reason: String| FetchError::Refused {
            url: url.to_string(),
            reason,
        };
        if !matches!(url.scheme(), "http" | "https") {
            return Err(refused(format!(
                "the scheme {:?} is not http or https",
                url.scheme()
            )));
        }
        let ip = match url.host() {
            None => return Err(refused("the URL has no host".into())),
            Some(Host::Domain(_)) => return Ok(()),
            Some(Host::Ipv4(ip)) => IpAddr::V4(ip),
            Some(Host::Ipv6(ip)) => IpAddr::V6(ip),
        };
        match self.forbidden(ip) {
            Some(special) => Err(refused(Blocked { ip, special }.to_string())),
            None => Ok(()),
        }
    }

    /// Why `ip` may not be reached, or None when it may. The allow list names addresses
    /// as connected to: an IPv4-mapped address is its IPv4 address, other forms that
    /// carry one (NAT64, 6to4, ...) reach another host and must be listed themselves.
    fn forbidden(&self, ip: IpAddr) -> Option<Special> {
        let special = special_kind(ip)?;
        let mapped = match ip {
            IpAddr::V6(v6) => v6.to_ipv4_mapped().map(IpAddr::V4),
            IpAddr::V4(_) => None,
        };
        let allowed = self
            .allow
            .iter()
            .any(|net| net.contains(&ip) || mapped.is_some_and(|m| net.contains(&m)));
        (!allowed).then_some(special)
    }
}

/// The guard's refusal, carried through reqwest's error chain from the resolver.
#[derive(Debug)]
struct Blocked {
    ip: IpAddr,
    special: Special,
}

impl fmt::Display for Blocked {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{} is a {} (not in fetch.allow_private)",
            self.ip, self.special
        )
    }
}

impl StdError for Blocked {}

/// The system resolver, minus the addresses the guard forbids.
struct GuardedResolver(Arc<Guard>);

impl Resolve for GuardedResolver {
    fn resolve(&self, name: Name) -> Resolving {
        let guard = Arc::clone(&self.0);
        let host = name.as_str().to_string();
        Box::pin(async move {
            let found: Vec<SocketAddr> =
                tokio::net::lookup_host((host.as_str(), 0)).await?.collect();
            let mut refused = None;
            let allowed: Vec<SocketAddr> = found
                .into_iter()
                .filter(|addr| match guard.forbidden(addr.ip()) {
                    Some(special) => {
                        refused.get_or_insert(Blocked {
                            ip: addr.ip(),
                            special,
                        });
                        false
                    }
                    None => true,
                })
                .collect();
            match (allowed.is_empty(), refused) {
                (true, Some(blocked)) => Err(Box::new(blocked) as Box<dyn StdError + Send + Sync>),
                _ => Ok(Box::new(allowed.into_iter()) as Addrs),
            }
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn guard(allow: &[&str]) -> Guard {
        Guard::new(&allow.iter().map(|s| s.to_string()).collect::<Vec<_>>()).unwrap()
    }

    #[test]
    fn private_and_special_addresses_are_forbidden_by_default() {
        let g = guard(&[]);
        for ip in [
            "10.1.2.3",
            "172.16.0.1",
            "172.31.255.255",
            "192.168.1.1",
            "127.0.0.1",
            "127.9.9.9",
            "169.254.169.254",
            "0.0.0.0",
            "100.64.0.1",
            "255.255.255.255",
            "224.0.0.1",
            "::1",
            "::",
            "fc00::1",
            "fd12:3456::1",
            "fe80::1",
            "ff02::1",
            "::ffff:127.0.0.1",
            "::ffff:10.0.0.1",
            "::ffff:169.254.169.254",
        ] {
            let ip: IpAddr = ip.parse().unwrap();
            assert!(g.forbidden(ip).is_some(), "{ip} should be forbidden");
        }
        for ip in ["8.8.8.8", "172.32.0.1", "100.128.0.1", "1.1.1.1"] {
            let ip: IpAddr = ip.parse().unwrap();
            assert!(g.forbidden(ip).is_none(), "{ip} should be allowed");
        }
    }

    fn kind(ip: &str) -> Option<Special> {
        special_kind(ip.parse().unwrap())
    }

    #[test]
    fn every_special_purpose_ipv4_range_is_refused_and_its_edges_are_exact() {
        for (inside, outside, what) in [
            ("0.255.255.255", "1.0.0.0", "unspecified"),
            ("10.255.255.255", "11.0.0.0", "private"),
            ("100.127.255.255", "100.63.255.255", "carrier-grade"),
            ("127.255.255.254", "128.0.0.0", "loopback"),
            ("169.254.0.1", "169.255.0.1", "link-local"),
            ("172.31.0.1", "172.15.255.255", "private"),
            ("192.0.0.8", "192.0.1.0", "IETF"),
            ("192.0.2.200", "192.0.3.0", "documentation"),
            ("192.88.99.1", "192.88.98.255", "6to4 relay"),
            ("192.168.255.255", "192.169.0.0", "private"),
            ("198.19.255.255", "198.20.0.0", "benchmarking"),
            ("198.51.100.7", "198.51.101.0", "documentation"),
            ("203.0.113.9", "203.0.114.0", "documentation"),
            ("239.255.255.250", "223.255.255.255", "multicast"),
            ("240.0.0.1", "223.0.0.1", "reserved"),
            ("255.255.255.255", "8.8.4.4", "broadcast"),
        ] {
            let got = kind(inside).unwrap_or_else(|| panic!("{inside} should be special"));
            assert!(got.kind.contains(what), "{inside}: {got}");
            assert_eq!(got.form, None);
            assert_eq!(kind(outside), None, "{outside} is public");
        }
    }

    #[test]
    fn ipv6_forms_carrying_an_ipv4_address_are_judged_by_the_ipv4_rules() {
        for (ip, what, form) in [
            ("::127.0.0.1", "loopback", "IPv4-compatible"),
            ("::7f00:1", "loopback", "IPv4-compatible"),
            ("::169.254.169.254", "link-local", "IPv4-compatible"),
            ("::ffff:127.0.0.1", "loopback", "IPv4-mapped"),
            ("::ffff:10.0.0.1", "private", "IPv4-mapped"),
            ("::ffff:0:192.168.1.1", "private", "IPv4-translated"),
            ("64:ff9b::127.0.0.1", "loopback", "NAT64"),
            ("64:ff9b::a9fe:a9fe", "link-local", "NAT64"),
            ("64:ff9b::10.1.1.1", "private", "NAT64"),
            ("2002:7f00:1::", "loopback", "6to4"),
            ("2002:a9fe:a9fe:1::1", "link-local", "6to4"),
            ("2002:c0a8:101::1", "private", "6to4"),
            // Teredo: server 127.0.0.1, client public (8.8.8.8 inverted).
            ("2001:0:7f00:1:0:0:f7f7:f7f7", "loopback", "Teredo"),
            // Teredo: server public, client 10.0.0.1 (inverted: f5ff:fffe).
            ("2001:0:808:808:0:0:f5ff:fffe", "private", "Teredo"),
        ] {
            let got = kind(ip).unwrap_or_else(|| panic!("{ip} should be special"));
            assert!(got.kind.contains(what), "{ip}: {got}");
            assert_eq!(got.form, Some(form), "{ip}");
            assert!(got.to_string().contains(form), "{got}");
        }
        // The same forms carrying a public address are public.
        for ip in [
            "::8.8.8.8",
            "::ffff:8.8.8.8",
            "64:ff9b::8.8.8.8",
            "2002:808:808::1",
            "2001:0:808:808:0:0:f7f7:f7f7",
        ] {
            assert_eq!(kind(ip), None, "{ip} carries a public address");
        }
    }

    #[test]
    fn the_other_special_purpose_ipv6_ranges_are_refused() {
        for (ip, what) in [
            ("::", "unspecified"),
            ("::1", "loopback"),
            ("64:ff9b:1::1", "local-use NAT64"),
            ("100::1", "discard"),
            ("2001:1::1", "IETF"),
            ("2001:2::1", "benchmarking"),
            ("2001:10::1", "ORCHID"),
            ("2001:20::1", "ORCHIDv2"),
            ("2001:db8::1", "documentation"),
            ("2001:db8:ffff::1", "documentation"),
            ("3fff::1", "documentation"),
            ("5f00::1", "SRv6"),
            ("fc00::1", "unique local"),
            ("fd12:3456::1", "unique local"),
            ("fe80::1", "link-local"),
            ("febf::1", "link-local"),
            ("fec0::1", "site-local"),
            ("ff02::1", "multicast"),
            ("ff0e::1", "multicast"),
        ] {
            let got = kind(ip).unwrap_or_else(|| panic!("{ip} should be special"));
            assert!(got.kind.contains(what), "{ip}: {got}");
            assert_eq!(got.form, None, "{ip}");
        }
        for ip in [
            "2606:4700:4700::1111",
            "2a00:1450:4001::1",
            "2001:4860:4860::8888",
            "2001:200::1",
            "2003::1",
            "64:ff9b:2::1",
        ] {
            assert_eq!(kind(ip), None, "{ip} is public");
        }
    }

    #[test]
    fn the_allow_list_reaches_mapped_addresses_but_not_other_forms() {
        let g = guard(&["127.0.0.1"]);
        assert!(g.forbidden("::ffff:127.0.0.1".parse().unwrap()).is_none());
        for ip in ["::127.0.0.1", "64:ff9b::127.0.0.1", "2002:7f00:1::"] {
            assert!(g.forbidden(ip.parse().unwrap()).is_some(), "{ip}");
        }
        let g = guard(&["64:ff9b::/96"]);
        assert!(g.forbidden("64:ff9b::10.0.0.1".parse().unwrap()).is_none());
    }

    #[test]
    fn allow_private_takes_addresses_and_networks() {
        let g = guard(&["127.0.0.1", "10.0.0.0/8"]);
        assert!(g.forbidden("127.0.0.1".parse().unwrap()).is_none());
        assert!(g.forbidden("::ffff:127.0.0.1".parse().unwrap()).is_none());
        assert!(g.forbidden("10.200.0.1".parse().unwrap()).is_none());
        assert!(g.forbidden("127.0.0.2".parse().unwrap()).is_some());
        assert!(g.forbidden("::1".parse().unwrap()).is_some());
        assert!(g.forbidden("169.254.169.254".parse().unwrap()).is_some());
        assert!(matches!(
            Guard::new(&["localhost".to_string()]),
            Err(FetchError::BadConfig { .. })
        ));
    }

    #[test]
    fn urls_are_checked_for_scheme_and_literal_hosts() {
        let g = guard(&[]);
        let check = |u: &str| g.check_url(&Url::parse(u).unwrap());
        assert!(check("https://example.org/feed").is_ok());
        assert!(matches!(
            check("file:///etc/passwd"),
            Err(FetchError::Refused { .. })
        ));
        assert!(matches!(
            check("ftp://example.org/x"),
            Err(FetchError::Refused { .. })
        ));
        assert!(matches!(
            check("http://169.254.169.254/latest/meta-data"),
            Err(FetchError::Refused { .. })
        ));
        assert!(matches!(
            check("http://[::ffff:7f00:1]/"),
            Err(FetchError::Refused { .. })
        ));
        // Integer and short forms are normalised by the URL parser.
        assert!(matches!(
            check("http://2130706433/"),
            Err(FetchError::Refused { .. })
        ));
        assert!(matches!(
            check("http://127.1/"),
            Err(FetchError::Refused { .. })
        ));
        match check("http://[::127.0.0.1]:8080/") {
            Err(FetchError::Refused { reason, .. }) => {
                assert!(
                    reason.contains("loopback address in IPv4-compatible form"),
                    "{reason}"
                )
            }
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn default_config_matches_the_documented_values() {
        let c = FetchConfig::default();
        assert_eq!(c.timeout_secs, 20);
        assert_eq!(c.max_body_bytes, 5 * 1024 * 1024);
        assert_eq!(c.max_redirects, 5);
        assert_eq!(c.poll_deadline_secs, 120);
        assert!(c.allow_private.is_empty());
        let parsed: FetchConfig = toml::from_str("timeout_secs = 3").unwrap();
        assert_eq!(parsed.timeout_secs, 3);
        assert_eq!(parsed.max_redirects, 5);
        assert!(toml::from_str::<FetchConfig>("nope = 1").is_err());
    }
}
