//! Which addresses are not public: IANA's special-purpose ranges for IPv4 and IPv6 in
//! one table, and the IPv6 forms that carry an IPv4 address, judged by the IPv4 rows.
//! The fetch guard (`fetch.rs`) refuses what this table names unless allowed.

use std::fmt;
use std::net::{IpAddr, Ipv4Addr, Ipv6Addr};

use ipnet::IpNet;

/// Why an address is not public: its kind, and the IPv6 form that carried it when the
/// kind is that of an embedded IPv4 address.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Special {
    pub kind: &'static str,
    pub form: Option<&'static str>,
}

impl fmt::Display for Special {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.form {
            None => write!(f, "{} address", self.kind),
            Some(form) => write!(f, "{} address in {form} form", self.kind),
        }
    }
}

/// How a special-purpose range is treated.
#[derive(Debug, Clone, Copy)]
enum Rule {
    /// Never fetched: the kind of address.
    Refuse(&'static str),
    /// Carries IPv4 addresses, judged by the IPv4 rows: the form's name, where they sit.
    Embeds(&'static str, Embedded),
}

#[derive(Debug, Clone, Copy)]
enum Embedded {
    /// The last 32 bits (IPv4-mapped, -compatible, -translated, NAT64 /96).
    Last32,
    /// Bits 16..48 (6to4, RFC 3056).
    SixToFour,
    /// The server at bits 32..64 and the client, inverted, in the last 32 (RFC 4380).
    Teredo,
}

/// IANA's special-purpose address registries (RFC 6890 and later), IPv4 and IPv6 in one
/// table; the longest matching prefix decides. Anything here is refused unless allowed,
/// except that an IPv6 form carrying an IPv4 address is as forbidden as that address.
const SPECIAL: &[(&str, Rule)] = &[
    ("0.0.0.0/8", Rule::Refuse("\"this network\" (unspecified)")),
    ("10.0.0.0/8", Rule::Refuse("private")),
    ("100.64.0.0/10", Rule::Refuse("shared (carrier-grade NAT)")),
    ("127.0.0.0/8", Rule::Refuse("loopback")),
    ("169.254.0.0/16", Rule::Refuse("link-local")),
    ("172.16.0.0/12", Rule::Refuse("private")),
    ("192.0.0.0/24", Rule::Refuse("IETF protocol assignment")),
    ("192.0.2.0/24", Rule::Refuse("documentation")),
    ("192.88.99.0/24", Rule::Refuse("6to4 relay anycast")),
    ("192.168.0.0/16", Rule::Refuse("private")),
    ("198.18.0.0/15", Rule::Refuse("benchmarking")),
    ("198.51.100.0/24", Rule::Refuse("documentation")),
    ("203.0.113.0/24", Rule::Refuse("documentation")),
    ("224.0.0.0/4", Rule::Refuse("multicast")),
    ("240.0.0.0/4", Rule::Refuse("reserved")),
    ("255.255.255.255/32", Rule::Refuse("broadcast")),
    ("::/128", Rule::Refuse("unspecified")),
    ("::1/128", Rule::Refuse("loopback")),
    ("::/96", Rule::Embeds("IPv4-compatible", Embedded::Last32)),
    (
        "::ffff:0:0/96",
        Rule::Embeds("IPv4-mapped", Embedded::Last32),
    ),
    (
        "::ffff:0:0:0/96",
        Rule::Embeds("IPv4-translated", Embedded::Last32),
    ),
    ("64:ff9b::/96", Rule::Embeds("NAT64", Embedded::Last32)),
    ("64:ff9b:1::/48", Rule::Refuse("local-use NAT64")),
    ("100::/64", Rule::Refuse("discard-only")),
    ("2001::/23", Rule::Refuse("IETF protocol assignment")),
    ("2001::/32", Rule::Embeds("Teredo", Embedded::Teredo)),
    ("2001:2::/48", Rule::Refuse("benchmarking")),
    ("2001:10::/28", Rule::Refuse("ORCHID")),
    ("2001:20::/28", Rule::Refuse("ORCHIDv2")),
    ("2001:db8::/32", Rule::Refuse("documentation")),
    ("2002::/16", Rule::Embeds("6to4", Embedded::SixToFour)),
    ("3fff::/20", Rule::Refuse("documentation")),
    ("5f00::/16", Rule::Refuse("segment routing (SRv6 SID)")),
    ("fc00::/7", Rule::Refuse("private (unique local)")),
    ("fe80::/10", Rule::Refuse("link-local")),
    ("fec0::/10", Rule::Refuse("site-local")),
    ("ff00::/8", Rule::Refuse("multicast")),
];

fn special_table() -> &'static [(IpNet, Rule)] {
    static TABLE: std::sync::OnceLock<Vec<(IpNet, Rule)>> = std::sync::OnceLock::new();
    TABLE.get_or_init(|| {
        SPECIAL
            .iter()
            .map(|&(net, rule)| (net.parse().expect("a valid built-in network"), rule))
            .collect()
    })
}

/// The kind of non-public address `ip` is, if it is one.
pub fn special_kind(ip: IpAddr) -> Option<Special> {
    let (_, rule) = special_table()
        .iter()
        .filter(|(net, _)| net.contains(&ip))
        .max_by_key(|(net, _)| net.prefix_len())?;
    match (*rule, ip) {
        (Rule::Refuse(kind), _) => Some(Special { kind, form: None }),
        (Rule::Embeds(form, how), IpAddr::V6(v6)) => embedded(v6, how)
            .into_iter()
            .flatten()
            .find_map(|v4| special_kind(IpAddr::V4(v4)))
            .map(|inner| Special {
                kind: inner.kind,
                form: Some(form),
            }),
        (Rule::Embeds(..), IpAddr::V4(_)) => None,
    }
}

/// The IPv4 addresses an IPv6 address of an embedding form carries.
fn embedded(ip: Ipv6Addr, how: Embedded) -> [Option<Ipv4Addr>; 2] {
    let bits = u128::from(ip);
    let at = |shift: u32| Some(Ipv4Addr::from((bits >> shift) as u32));
    match how {
        Embedded::Last32 => [at(0), None],
        Embedded::SixToFour => [at(80), None],
        Embedded::Teredo => [at(64), Some(Ipv4Addr::from(!(bits as u32)))],
    }
}
