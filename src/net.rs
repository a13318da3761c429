//! Outgoing HTTP on behalf of others: the address guard.
//!
//! Owns: which addresses the service may connect to when a URL comes from someone else (a
//! harvest source, the validator's URL field, a distribution's access URL in the quality
//! check), and the one way to build such a client ([`Guard::client`]):
//!
//! - every name is resolved by [`GuardedResolver`], which refuses the name if any of its
//!   addresses is in a network that is not the public internet ([`classify`]: loopback,
//!   private, shared (CGNAT), link-local, unique-local, site-local, multicast, unspecified,
//!   broadcast, documentation, benchmarking, reserved; IPv4-mapped, IPv4-compatible, NAT64 and
//!   6to4 addresses are judged by the IPv4 address inside them), and hands the client exactly
//!   the addresses it checked: the connection goes to an address that was checked, so a name
//!   that answers differently the second time (DNS rebinding) gains nothing;
//! - an IP literal in a URL is checked before the request ([`Guard::check_url`]; a resolver is
//!   not asked about literals), and so is every redirect hop (at most [`MAX_REDIRECTS`]);
//! - no proxy from the environment is used (a proxy would resolve names where they cannot be
//!   checked).
//!
//! An operator may allow private networks in the configuration file only
//! (`[harvest] allow_private`, read by [`Guard::allowing`]); the public validator page never
//! allows any.

use std::fmt;
use std::net::{IpAddr, Ipv4Addr, Ipv6Addr, SocketAddr, ToSocketAddrs};
use std::sync::Arc;

/// Redirects followed at most, each checked like the first URL.
pub const MAX_REDIRECTS: usize = 5;

/// A network: an address and a prefix length (`10.1.0.0/16`, `::1/128`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Net {
    addr: IpAddr,
    prefix: u8,
}

impl Net {
    /// Reads `a.b.c.d`, `a.b.c.d/n`, an IPv6 address or `addr/n`; the error says what is wrong.
    pub fn parse(s: &str) -> Result<Self, String> {
        let s = s.trim();
        let (addr, prefix) = match s.split_once('/') {
            Some((a, p)) => (a, Some(p)),
            None => (s, None),
        };
        let addr: IpAddr = addr
            .trim_matches(['[', ']'])
            .parse()
            .map_err(|_| format!("{s:?} is not an IP address or network (10.1.0.0/16, 127.0.0.1, fd00::/8)"))?;
        let max = if addr.is_ipv4() { 32 } else { 128 };
        let prefix = match prefix {
            None => max,
            Some(p) => p
                .parse::<u8>()
                .ok()
                .filter(|p| *p <= max)
                .ok_or_else(|| format!("{s:?}: the prefix length must be a number from 0 to {max}"))?,
        };
        Ok(Self { addr: canonical(addr), prefix })
    }

    pub fn contains(&self, ip: IpAddr) -> bool {
        match (self.addr, canonical(ip)) {
            (IpAddr::V4(net), IpAddr::V4(ip)) => {
                let mask = u32::MAX.checked_shl(32 - u32::from(self.prefix)).unwrap_or(0);
                u32::from(net) & mask == u32::from(ip) & mask
            }
            (IpAddr::V6(net), IpAddr::V6(ip)) => {
                let mask = u128::MAX.checked_shl(128 - u32::from(self.prefix)).unwrap_or(0);
                u128::from(net) & mask == u128::from(ip) & mask
            }
            _ => false,
        }
    }
}

impl fmt::Display for Net {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}/{}", self.addr, self.prefix)
    }
}

/// An IPv4-mapped IPv6 address as its IPv4 address; everything else as it is.
fn canonical(ip: IpAddr) -> IpAddr {
    match ip {
        IpAddr::V6(v6) => v6.to_ipv4_mapped().map_or(ip, IpAddr::V4),
        v4 => v4,
    }
}

/// The kind of network an address belongs to when that is not the public internet; `None` for
/// a public address.
pub fn classify(ip: IpAddr) -> Option<&'static str> {
    match ip {
        IpAddr::V4(v4) => classify_v4(v4),
        IpAddr::V6(v6) => classify_v6(v6),
    }
}

fn classify_v4(ip: Ipv4Addr) -> Option<&'static str> {
    let [a, b, c, _] = ip.octets();
    Some(match (a, b, c) {
        (0, ..) => "unspecified (\"this network\", 0.0.0.0/8)",
        (10, ..) => "private (10.0.0.0/8)",
        (100, 64..=127, _) => "shared address space (CGNAT, 100.64.0.0/10)",
        (127, ..) => "loopback (127.0.0.0/8)",
        (169, 254, _) => "link-local (169.254.0.0/16)",
        (172, 16..=31, _) => "private (172.16.0.0/12)",
        (192, 0, 0) => "IETF protocol assignments (192.0.0.0/24)",
        (192, 0, 2) | (198, 51, 100) | (203, 0, 113) => "documentation",
        (192, 88, 99) => "6to4 relay anycast (192.88.99.0/24)",
        (192, 168, _) => "private (192.168.0.0/16)",
        (198, 18..=19, _) => "benchmarking (198.18.0.0/15)",
        (224..=239, ..) => "multicast (224.0.0.0/4)",
        (255, 255, 255) if ip.is_broadcast() => "broadcast",
        (240..=255, ..) => "reserved (240.0.0.0/4)",
        _ => return None,
    })
}

fn classify_v6(ip: Ipv6Addr) -> Option<&'static str> {
    let bits = u128::from(ip);
    let s = ip.segments();
    let embedded = |v4: u32| classify_v4(Ipv4Addr::from(v4));
    if bits == 0 {
        return Some("unspecified (::)");
    }
    if bits == 1 {
        return Some("loopback (::1)");
    }
    // ::ffff:a.b.c.d (IPv4-mapped) and ::a.b.c.d (IPv4-compatible, deprecated): the IPv4 address
    if bits >> 32 == 0xffff || bits >> 32 == 0 {
        return embedded(bits as u32).map(|_| "an IPv4 address inside IPv6 (::ffff:a.b.c.d or ::a.b.c.d) that is not public");
    }
    // 64:ff9b::/96, NAT64: the IPv4 address in the last 32 bits
    if bits >> 32 == 0x0064_ff9b_0000_0000_0000_0000 {
        return embedded(bits as u32).map(|_| "NAT64 (64:ff9b::/96) of an IPv4 address that is not public");
    }
    // 2002::/16, 6to4: the IPv4 address in bits 16..48
    if s[0] == 0x2002 {
        return embedded((bits >> 80) as u32).map(|_| "6to4 (2002::/16) of an IPv4 address that is not public");
    }
    Some(match s[0] {
        0x0064 if s[1] == 0xff9b && s[2] == 0x0001 => "NAT64 local use (64:ff9b:1::/48)",
        0x0100 if s[1..4] == [0, 0, 0] => "discard only (100::/64)",
        0x2001 if s[1] == 0 => "Teredo (2001::/32)",
        0x2001 if s[1] == 0x0002 && s[2] == 0 => "benchmarking (2001:2::/48)",
        0x2001 if (0x0010..=0x002f).contains(&s[1]) => "ORCHID (2001:10::/28, 2001:20::/28)",
        0x2001 if s[1] == 0x0db8 => "documentation (2001:db8::/32)",
        0x3fff if s[1] < 0x1000 => "documentation (3fff::/20)",
        x if x & 0xfe00 == 0xfc00 => "unique local (fc00::/7)",
        x if x & 0xffc0 == 0xfe80 => "link-local (fe80::/10)",
        x if x & 0xffc0 == 0xfec0 => "site-local (fec0::/10)",
        x if x & 0xff00 == 0xff00 => "multicast (ff00::/8)",
        // only 2000::/3 is global unicast
        x if x & 0xe000 != 0x2000 => "reserved (outside 2000::/3)",
        _ => return None,
    })
}

/// A refused address (the error a guarded client's requests fail with).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Refused {
    pub host: String,
    pub addr: IpAddr,
    pub range: &'static str,
}

impl fmt::Display for Refused {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.host.trim_matches(['[', ']']) == self.addr.to_string() {
            write!(f, "{} is in a {} network, inside the server's own network, and is not fetched from", self.addr, self.range)
        } else {
            write!(
                f,
                "{} has the address {}, in a {} network, inside the server's own network, and is not fetched from",
                self.host, self.addr, self.range
            )
        }
    }
}

impl std::error::Error for Refused {}

/// A URL a guarded client will not request at all.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum UrlRefused {
    #[error("{0} is not an http or https URL")]
    NotHttp(String),
    #[error(transparent)]
    Address(#[from] Refused),
    #[error("more than {MAX_REDIRECTS} redirects")]
    TooManyRedirects,
}

/// The networks a client may reach besides the public internet (none unless the operator's
/// configuration names them).
#[derive(Clone, Debug, Default)]
pub struct Guard {
    allowed: Arc<[Net]>,
}

impl Guard {
    /// Only public addresses.
    pub fn public_only() -> Self {
        Self::default()
    }

    /// Public addresses and these networks.
    pub fn allowing(nets: impl IntoIterator<Item = Net>) -> Self {
        Self { allowed: nets.into_iter().collect() }
    }

    /// The networks allowed besides the public internet.
    pub fn allowed(&self) -> &[Net] {
        &self.allowed
    }

    /// Checks one address of `host`.
    pub fn check_ip(&self, host: &str, ip: IpAddr) -> Result<(), Refused> {
        match classify(ip) {
            Some(range) if !self.allowed.iter().any(|n| n.contains(ip)) => Err(Refused { host: host.to_owned(), addr: ip, range }),
            _ => Ok(()),
        }
    }

    /// Checks what can be checked of a URL before a request: http or https, and an IP literal
    /// host (names are checked when they are resolved).
    pub fn check_url(&self, url: &reqwest::Url) -> Result<(), UrlRefused> {
        if !matches!(url.scheme(), "http" | "https") {
            return Err(UrlRefused::NotHttp(url.to_string()));
        }
        // the URL parser has already turned every IPv4 spelling (2130706433, 0x7f.1) into
        // dotted decimal and put IPv6 literals in brackets
        let host = url.host_str().ok_or_else(|| UrlRefused::NotHttp(url.to_string()))?;
        match host.trim_matches(['[', ']']).parse::<IpAddr>() {
            Ok(ip) => Ok(self.check_ip(host, ip)?),
            Err(_) => Ok(()),
        }
    }

    /// Makes `builder` a guarded client: names resolved and checked by [`GuardedResolver`],
    /// every redirect hop checked (at most [`MAX_REDIRECTS`]), no proxy.
    pub fn client(&self, builder: reqwest::blocking::ClientBuilder) -> reqwest::blocking::ClientBuilder {
        let guard = self.clone();
        builder.no_proxy().dns_resolver(Arc::new(GuardedResolver { guard: self.clone() })).redirect(reqwest::redirect::Policy::custom(
            move |attempt| {
                if attempt.previous().len() > MAX_REDIRECTS {
                    return attempt.error(UrlRefused::TooManyRedirects);
                }
                match guard.check_url(attempt.url()) {
                    Ok(()) => attempt.follow(),
                    Err(e) => attempt.error(e),
                }
            },
        ))
    }
}

/// The refusal in an error's chain of causes, if the guard refused the request.
pub fn refusal(e: &(dyn std::error::Error + 'static)) -> Option<UrlRefused> {
    let mut cur = Some(e);
    while let Some(err) = cur {
        if let Some(r) = err.downcast_ref::<Refused>() {
            return Some(UrlRefused::Address(r.clone()));
        }
        if let Some(r) = err.downcast_ref::<UrlRefused>() {
            return Some(r.clone());
        }
        cur = err.source();
    }
    None
}

/// Resolves a name and hands back its addresses only when every one of them is allowed.
pub struct GuardedResolver {
    guard: Guard,
}

impl reqwest::dns::Resolve for GuardedResolver {
    fn resolve(&self, name: reqwest::dns::Name) -> reqwest::dns::Resolving {
        let guard = self.guard.clone();
        let host = name.as_str().to_owned();
        Box::pin(async move {
            let lookup = host.clone();
            let addrs: Vec<SocketAddr> = tokio::task::spawn_blocking(move || (lookup.as_str(), 0).to_socket_addrs().map(Iterator::collect))
                .await
                .map_err(|e| Box::new(e) as Box<dyn std::error::Error + Send + Sync>)??;
            for a in &addrs {
                guard.check_ip(&host, a.ip())?;
            }
            Ok(Box::new(addrs.into_iter()) as reqwest::dns::Addrs)
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ip(s: &str) -> IpAddr {
        s.parse().unwrap()
    }

    #[test]
    fn the_classifier_knows_every_network_that_is_not_the_public_internet() {
        for s in [
            "0.0.0.0",
            "0.1.2.3",
            "10.0.0.1",
            "100.64.0.1",
            "100.127.255.254",
            "127.0.0.1",
            "127.1.2.3",
            "169.254.169.254",
            "172.16.0.1",
            "172.31.255.255",
            "192.0.0.170",
            "192.0.2.1",
            "192.88.99.1",
            "192.168.1.1",
            "198.18.0.1",
            "198.51.100.7",
            "203.0.113.9",
            "224.0.0.1",
            "239.255.255.250",
            "240.0.0.1",
            "255.255.255.255",
            "::",
            "::1",
            "::127.0.0.1",
            "::ffff:127.0.0.1",
            "::ffff:10.0.0.1",
            "::ffff:169.254.169.254",
            "::10.1.2.3",
            "64:ff9b::127.0.0.1",
            "64:ff9b::a9fe:a9fe",
            "64:ff9b:1::1",
            "2002:7f00:1::",
            "2002:c0a8:101::1",
            "2001::1",
            "2001:db8::1",
            "2001:2::1",
            "2001:10::1",
            "3fff::1",
            "100::1",
            "fc00::1",
            "fd12:3456::1",
            "fe80::1",
            "fec0::1",
            "ff02::1",
            "::2",
            "1::1",
            "4000::1",
        ] {
            assert!(classify(ip(s)).is_some(), "{s} is not public");
        }
        for s in [
            "8.8.8.8",
            "1.1.1.1",
            "100.63.255.255",
            "100.128.0.1",
            "172.15.255.255",
            "172.32.0.1",
            "192.0.1.1",
            "192.169.0.1",
            "193.10.1.1",
            "223.255.255.255",
            "2a00:1450:4001::1",
            "2001:4860:4860::8888",
            "2606:4700::1111",
            "::ffff:8.8.8.8",
            "64:ff9b::808:808",
            "2002:0808:0808::1",
            "3fff:1000::1",
        ] {
            assert_eq!(classify(ip(s)), None, "{s} is public");
        }
    }

    #[test]
    fn allowed_networks_let_exactly_their_addresses_through() {
        let guard =
            Guard::allowing([Net::parse("127.0.0.1").unwrap(), Net::parse("10.1.0.0/16").unwrap(), Net::parse("fd00::/8").unwrap()]);
        assert!(guard.check_ip("a", ip("127.0.0.1")).is_ok());
        assert!(guard.check_ip("a", ip("::ffff:127.0.0.1")).is_ok(), "the mapped form of an allowed address");
        assert!(guard.check_ip("a", ip("127.0.0.2")).is_err());
        assert!(guard.check_ip("a", ip("10.1.200.3")).is_ok());
        assert!(guard.check_ip("a", ip("10.2.0.1")).is_err());
        assert!(guard.check_ip("a", ip("fd12::1")).is_ok());
        assert!(guard.check_ip("a", ip("fe80::1")).is_err());
        assert!(guard.check_ip("a", ip("8.8.8.8")).is_ok());
        assert!(Guard::public_only().check_ip("a", ip("127.0.0.1")).is_err());
        assert!(Net::parse("0.0.0.0/0").unwrap().contains(ip("10.0.0.1")));
        for bad in ["", "localhost", "10.0.0.0/33", "::1/129", "10.0.0.0/x"] {
            assert!(Net::parse(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn literal_hosts_are_checked_before_any_request() {
        let guard = Guard::public_only();
        for u in [
            "http://127.0.0.1/",
            "http://[::1]/",
            "http://[::127.0.0.1]/",
            "http://[::ffff:127.0.0.1]/",
            "http://[::ffff:7f00:1]/",
            "http://2130706433/",
            "http://0x7f.1/",
            "http://0/",
            "http://[64:ff9b::7f00:1]/",
            "http://[2002:7f00:1::]/",
            "https://169.254.169.254/latest",
        ] {
            let url = reqwest::Url::parse(u).unwrap();
            assert!(matches!(guard.check_url(&url), Err(UrlRefused::Address(_))), "{u}");
        }
        assert!(matches!(guard.check_url(&reqwest::Url::parse("file:///etc/passwd").unwrap()), Err(UrlRefused::NotHttp(_))));
        assert!(guard.check_url(&reqwest::Url::parse("https://8.8.8.8/").unwrap()).is_ok());
        assert!(guard.check_url(&reqwest::Url::parse("https://www.scb.se/").unwrap()).is_ok(), "names wait for the resolver");
    }

    #[test]
    fn a_name_that_resolves_inside_is_refused_by_the_client() {
        let client = Guard::public_only().client(reqwest::blocking::Client::builder()).build().unwrap();
        let err = client.get("http://localhost:9/").send().unwrap_err();
        let refused = refusal(&err).expect("refused by the guard, not a connection error");
        assert!(refused.to_string().contains("localhost has the address"), "{refused}");
    }
}
