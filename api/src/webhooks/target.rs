//! Where a webhook may be sent (SSRF): in production only `https` URLs whose
//! host is a public address, checked when the endpoint is registered and
//! again at each connection, by the resolver the sending client uses — so a
//! name that later resolves to a private address (DNS rebinding) is refused
//! too, and no redirect or proxy can lead elsewhere (the client follows
//! neither). In development `http` and local addresses are allowed, so a
//! receiver on the same machine can be tried.

use std::{
    net::{IpAddr, Ipv4Addr, Ipv6Addr, SocketAddr},
    sync::{Arc, LazyLock},
};

use ipnet::{IpNet, Ipv6Net};
use url::{Host, Url};

/// What the deployment allows as targets.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct TargetRules {
    /// `http` URLs (development only).
    pub allow_http: bool,
    /// Loopback, private, link-local and other non-public addresses (development only).
    pub allow_private: bool,
}

impl TargetRules {
    /// Production: `https` to public addresses only.
    pub const PRODUCTION: Self = Self { allow_http: false, allow_private: false };
    /// Development: anything reachable.
    pub const DEVELOPMENT: Self = Self { allow_http: true, allow_private: true };
}

/// Why a URL may not be a target.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum TargetError {
    /// Not a URL.
    #[error("not an absolute URL")]
    Malformed,
    /// Not https (or http in development).
    #[error("the URL must use https")]
    Scheme,
    /// `user:password@` in the URL.
    #[error("the URL may not hold credentials; authenticate the webhook with its signature")]
    Credentials,
    /// A fragment (`#...`) is never sent.
    #[error("the URL may not have a fragment")]
    Fragment,
    /// A loopback, private, link-local, metadata or otherwise non-public address.
    #[error("the URL's host is not a public address")]
    NotPublic,
    /// The name does not resolve.
    #[error("the URL's host does not resolve")]
    Unresolved,
    /// Longer than is kept.
    #[error("the URL is longer than 2,048 characters")]
    TooLong,
}

/// Address ranges never reached in production, beyond what `std` classifies:
/// shared address space (CGNAT), benchmarking, reserved, documentation,
/// IPv4/IPv6 translation and the like (IANA special-purpose registries).
static NON_PUBLIC: LazyLock<Vec<IpNet>> = LazyLock::new(|| {
    [
        "0.0.0.0/8",
        "10.0.0.0/8",
        "100.64.0.0/10",
        "127.0.0.0/8",
        "169.254.0.0/16",
        "172.16.0.0/12",
        "192.0.0.0/24",
        "192.0.2.0/24",
        "192.88.99.0/24",
        "192.168.0.0/16",
        "198.18.0.0/15",
        "198.51.100.0/24",
        "203.0.113.0/24",
        "224.0.0.0/4",
        "240.0.0.0/4",
        "::/128",
        "::1/128",
        "100::/64",
        "2001::/23",
        "2001:db8::/32",
        "2002::/16",
        "fc00::/7",
        "fe80::/10",
        "fec0::/10",
        "ff00::/8",
    ]
    .iter()
    .filter_map(|net| net.parse().ok())
    .collect()
});

/// True for an address a production webhook may reach: not loopback,
/// private, link-local (cloud metadata at 169.254.169.254 and fd00:ec2::254
/// included), shared, multicast, reserved or documentation space. An IPv6
/// address carrying an IPv4 one (mapped, compatible, NAT64) is judged by it.
pub fn is_public(ip: IpAddr) -> bool {
    match ip {
        IpAddr::V4(v4) => is_public_v4(v4),
        IpAddr::V6(v6) => {
            if let Some(v4) = embedded_v4(v6) {
                return is_public_v4(v4);
            }
            !NON_PUBLIC.iter().any(|net| net.contains(&IpAddr::V6(v6)))
        }
    }
}

fn is_public_v4(v4: Ipv4Addr) -> bool {
    !(v4.is_broadcast() || NON_PUBLIC.iter().any(|net| net.contains(&IpAddr::V4(v4))))
}

/// The IPv4 address inside an IPv4-mapped (`::ffff:a.b.c.d`), IPv4-compatible
/// (`::a.b.c.d`) or NAT64 (`64:ff9b::a.b.c.d`) IPv6 address.
fn embedded_v4(v6: Ipv6Addr) -> Option<Ipv4Addr> {
    if let Some(v4) = v6.to_ipv4_mapped() {
        return Some(v4);
    }
    let nat64: Ipv6Net = Ipv6Net::new(Ipv6Addr::new(0x64, 0xff9b, 0, 0, 0, 0, 0, 0), 96).ok()?;
    let compatible: Ipv6Net = Ipv6Net::new(Ipv6Addr::UNSPECIFIED, 96).ok()?;
    if (nat64.contains(&v6) || compatible.contains(&v6)) && !v6.is_unspecified() && !v6.is_loopback() {
        let [.., a, b] = v6.segments();
        return Some(Ipv4Addr::from((u32::from(a) << 16) | u32::from(b)));
    }
    None
}

/// Checks a URL's form: scheme, no credentials or fragment, and (with
/// `rules` forbidding private targets) an IP literal host must be public.
/// A name is checked by [`check_resolved`].
pub fn check_url(raw: &str, rules: TargetRules) -> Result<Url, TargetError> {
    let url = Url::parse(raw.trim()).map_err(|_| TargetError::Malformed)?;
    match url.scheme() {
        "https" => {}
        "http" if rules.allow_http => {}
        _ => return Err(TargetError::Scheme),
    }
    if !url.username().is_empty() || url.password().is_some() {
        return Err(TargetError::Credentials);
    }
    if url.fragment().is_some() {
        return Err(TargetError::Fragment);
    }
    match url.host() {
        None => return Err(TargetError::Malformed),
        Some(Host::Ipv4(ip)) if !rules.allow_private && !is_public(IpAddr::V4(ip)) => return Err(TargetError::NotPublic),
        Some(Host::Ipv6(ip)) if !rules.allow_private && !is_public(IpAddr::V6(ip)) => return Err(TargetError::NotPublic),
        Some(Host::Domain(name)) if !rules.allow_private && is_local_name(name) => return Err(TargetError::NotPublic),
        Some(_) => {}
    }
    Ok(url)
}

/// Names that are local by definition (RFC 6761, RFC 6762, RFC 8375).
fn is_local_name(name: &str) -> bool {
    let name = name.trim_end_matches('.').to_ascii_lowercase();
    name == "localhost"
        || [".localhost", ".local", ".internal", ".home.arpa"].iter().any(|suffix| name.ends_with(suffix))
        || name == "metadata.google.internal"
}

/// [`check_url`], then resolves a named host and refuses it when any of its
/// addresses is not public (production). Used when an endpoint is registered
/// or changed; [`GuardedResolver`] repeats the check at each connection.
pub async fn check_resolved(raw: &str, rules: TargetRules) -> Result<Url, TargetError> {
    let url = check_url(raw, rules)?;
    if rules.allow_private {
        return Ok(url);
    }
    if let Some(Host::Domain(name)) = url.host() {
        let port = url.port_or_known_default().unwrap_or(443);
        let addrs: Vec<SocketAddr> = tokio::net::lookup_host((name, port)).await.map_err(|_| TargetError::Unresolved)?.collect();
        if addrs.is_empty() {
            return Err(TargetError::Unresolved);
        }
        if addrs.iter().any(|a| !is_public(a.ip())) {
            return Err(TargetError::NotPublic);
        }
    }
    Ok(url)
}

/// The DNS resolver of the sending client: the system's, keeping only public
/// addresses when private targets are refused (and failing when none is left),
/// so the address connected to is the address checked.
#[derive(Clone, Copy, Debug)]
pub struct GuardedResolver {
    /// The deployment's rules.
    pub rules: TargetRules,
}

impl reqwest::dns::Resolve for GuardedResolver {
    fn resolve(&self, name: reqwest::dns::Name) -> reqwest::dns::Resolving {
        let rules = self.rules;
        let host = name.as_str().to_owned();
        Box::pin(async move {
            let found: Vec<SocketAddr> = tokio::net::lookup_host((host.as_str(), 0)).await?.collect();
            let allowed: Vec<SocketAddr> = found.into_iter().filter(|a| rules.allow_private || is_public(a.ip())).collect();
            if allowed.is_empty() {
                return Err(Box::new(TargetError::NotPublic) as Box<dyn std::error::Error + Send + Sync>);
            }
            Ok(Box::new(allowed.into_iter()) as reqwest::dns::Addrs)
        })
    }
}

/// The resolver as reqwest takes it.
pub fn resolver(rules: TargetRules) -> Arc<GuardedResolver> {
    Arc::new(GuardedResolver { rules })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn private_loopback_link_local_metadata_and_reserved_addresses_are_not_public() {
        for ip in [
            "127.0.0.1",
            "10.1.2.3",
            "172.16.0.1",
            "172.31.255.255",
            "192.168.1.1",
            "169.254.169.254",
            "100.64.0.1",
            "0.0.0.0",
            "255.255.255.255",
            "224.0.0.1",
            "198.18.0.1",
            "::1",
            "::",
            "fe80::1",
            "fd00:ec2::254",
            "fc00::1",
            "::ffff:127.0.0.1",
            "::ffff:169.254.169.254",
            "64:ff9b::a9fe:a9fe",
            "::127.0.0.1",
            "2001:db8::1",
        ] {
            assert!(!is_public(ip.parse().expect("an address")), "{ip} must not be public");
        }
        for ip in ["1.1.1.1", "8.8.8.8", "172.32.0.1", "100.128.0.1", "2606:4700:4700::1111", "::ffff:8.8.8.8"] {
            assert!(is_public(ip.parse().expect("an address")), "{ip} is public");
        }
    }

    #[test]
    fn production_takes_https_to_public_hosts_and_development_anything_reachable() {
        let p = TargetRules::PRODUCTION;
        assert!(check_url("https://hooks.example.org/civic", p).is_ok());
        assert_eq!(check_url("http://hooks.example.org/", p), Err(TargetError::Scheme));
        assert_eq!(check_url("ftp://hooks.example.org/", p), Err(TargetError::Scheme));
        assert_eq!(check_url("https://127.0.0.1/", p), Err(TargetError::NotPublic));
        assert_eq!(check_url("https://[::1]:8443/", p), Err(TargetError::NotPublic));
        assert_eq!(check_url("https://169.254.169.254/latest/meta-data", p), Err(TargetError::NotPublic));
        assert_eq!(check_url("https://localhost/", p), Err(TargetError::NotPublic));
        assert_eq!(check_url("https://db.internal/", p), Err(TargetError::NotPublic));
        assert_eq!(check_url("https://metadata.google.internal/", p), Err(TargetError::NotPublic));
        assert_eq!(check_url("https://user:pw@hooks.example.org/", p), Err(TargetError::Credentials));
        assert_eq!(check_url("https://hooks.example.org/#x", p), Err(TargetError::Fragment));
        assert_eq!(check_url("hooks.example.org", p), Err(TargetError::Malformed));
        let d = TargetRules::DEVELOPMENT;
        assert!(check_url("http://127.0.0.1:9000/hook", d).is_ok());
        assert!(check_url("http://localhost:9000/hook", d).is_ok());
        assert_eq!(check_url("ftp://127.0.0.1/", d), Err(TargetError::Scheme));
    }

    #[tokio::test]
    async fn a_name_resolving_to_loopback_is_refused_in_production_at_registration_and_at_connection() {
        assert_eq!(check_resolved("https://localhost.:8443/", TargetRules::PRODUCTION).await, Err(TargetError::NotPublic));
        assert!(check_resolved("http://localhost:8443/", TargetRules::DEVELOPMENT).await.is_ok());
        use reqwest::dns::Resolve;
        let refused = GuardedResolver { rules: TargetRules::PRODUCTION }.resolve("localhost".parse().expect("a name")).await;
        assert!(refused.is_err(), "the resolver keeps no loopback address in production");
        let allowed = GuardedResolver { rules: TargetRules::DEVELOPMENT }.resolve("localhost".parse().expect("a name")).await;
        assert!(allowed.is_ok_and(|mut addrs| addrs.next().is_some()), "development reaches localhost");
    }
}
