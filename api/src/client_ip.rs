//! Which address a request comes from, behind load balancers.
//!
//! The TCP peer is the client unless it is one of `TRUSTED_PROXIES`. A trusted
//! peer's `Forwarded` (RFC 7239) or `X-Forwarded-For` header is believed, and its
//! chain is walked from the right (the hop nearest to us) past every trusted
//! proxy: the first untrusted address is the client. Everything left of it was
//! written by the client and may be forged, so it is never read.
//!
//! Anything doubtful falls back to the peer — a malformed or `unknown` hop, or
//! both headers present and naming different clients (a client can send the
//! header its load balancer does not set, hoping it is read instead). Falling
//! back to the proxy's address lumps such requests together: it can throttle
//! them, never let them pose as someone else.

use std::net::{IpAddr, Ipv6Addr};

use actix_web::http::header::HeaderMap;
use ipnet::IpNet;

/// The client address of a request with these headers from `peer`.
pub fn client_ip(peer: IpAddr, headers: &HeaderMap, trusted: &[IpNet]) -> IpAddr {
    let values = |name: &str| -> Option<Vec<&str>> { headers.get_all(name).map(|v| v.to_str().ok()).collect() };
    match (values("forwarded"), values("x-forwarded-for")) {
        (Some(forwarded), Some(x_forwarded_for)) => client_ip_from(peer, &forwarded, &x_forwarded_for, trusted),
        // A header line that is not visible ASCII is malformed.
        _ => peer.to_canonical(),
    }
}

/// The client address from the values (one per header line, in order) of
/// `Forwarded` and `X-Forwarded-For` sent by `peer`.
pub fn client_ip_from(peer: IpAddr, forwarded: &[&str], x_forwarded_for: &[&str], trusted: &[IpNet]) -> IpAddr {
    let peer = peer.to_canonical();
    if !is_trusted(peer, trusted) {
        return peer;
    }
    let from_forwarded = (!forwarded.is_empty()).then(|| forwarded_hops(forwarded).and_then(|hops| walk(&hops, trusted)));
    let from_xff = (!x_forwarded_for.is_empty()).then(|| xff_hops(x_forwarded_for).and_then(|hops| walk(&hops, trusted)));
    match (from_forwarded, from_xff) {
        (None, None) => peer,
        (Some(Some(ip)), None) | (None, Some(Some(ip))) => ip,
        (Some(Some(a)), Some(Some(b))) if a == b => a,
        _ => peer,
    }
}

fn is_trusted(ip: IpAddr, trusted: &[IpNet]) -> bool {
    let ip = ip.to_canonical();
    trusted.iter().any(|net| net.contains(&ip))
}

/// From the right, the first hop that is not a trusted proxy; when every hop is
/// trusted, the leftmost one (the farthest we can see). `None` for an empty chain.
fn walk(hops: &[IpAddr], trusted: &[IpNet]) -> Option<IpAddr> {
    hops.iter().rev().find(|ip| !is_trusted(**ip, trusted)).or_else(|| hops.first()).copied()
}

/// The `for=` addresses of every `Forwarded` element, left to right; `None` when
/// any element is malformed, lacks `for=`, or names an `unknown` or obfuscated node.
fn forwarded_hops(values: &[&str]) -> Option<Vec<IpAddr>> {
    let mut hops = Vec::new();
    for value in values {
        for element in split_outside_quotes(value, ',') {
            let mut node = None;
            for pair in split_outside_quotes(element, ';') {
                let (key, val) = pair.split_once('=')?;
                if key.trim().eq_ignore_ascii_case("for") {
                    if node.is_some() {
                        return None;
                    }
                    node = Some(parse_node(unquote(val.trim())?)?);
                }
            }
            hops.push(node?);
        }
    }
    (!hops.is_empty()).then_some(hops)
}

/// The addresses of `X-Forwarded-For`, left to right; `None` when any is malformed.
fn xff_hops(values: &[&str]) -> Option<Vec<IpAddr>> {
    let hops = values.iter().flat_map(|v| v.split(',')).map(|hop| parse_node(hop.trim())).collect::<Option<Vec<_>>>()?;
    (!hops.is_empty()).then_some(hops)
}

/// Splits on `sep` except inside double quotes (RFC 7230 quoted strings).
fn split_outside_quotes(text: &str, sep: char) -> Vec<&str> {
    let mut parts = Vec::new();
    let (mut start, mut quoted, mut escaped) = (0, false, false);
    for (i, c) in text.char_indices() {
        match c {
            _ if escaped => escaped = false,
            '\\' if quoted => escaped = true,
            '"' => quoted = !quoted,
            c if c == sep && !quoted => {
                parts.push(&text[start..i]);
                start = i + c.len_utf8();
            }
            _ => {}
        }
    }
    parts.push(&text[start..]);
    parts
}

/// A token or a quoted string without its quotes (no escapes are valid in a node).
fn unquote(value: &str) -> Option<&str> {
    match value.strip_prefix('"') {
        Some(rest) => rest.strip_suffix('"').filter(|inner| !inner.contains(['"', '\\'])),
        None => Some(value),
    }
}

/// A node: `1.2.3.4`, `1.2.3.4:port`, `[v6]`, `[v6]:port`, or a bare IPv6 address
/// (as `X-Forwarded-For` writes it). `unknown` and `_obfuscated` names are `None`.
fn parse_node(node: &str) -> Option<IpAddr> {
    if let Ok(ip) = node.parse::<IpAddr>() {
        return Some(ip.to_canonical());
    }
    if let Some(rest) = node.strip_prefix('[') {
        let (v6, after) = rest.split_once(']')?;
        if !(after.is_empty() || is_port(after.strip_prefix(':')?)) {
            return None;
        }
        return v6.parse::<Ipv6Addr>().ok().map(|ip| IpAddr::V6(ip).to_canonical());
    }
    let (v4, port) = node.split_once(':')?;
    if !is_port(port) {
        return None;
    }
    v4.parse::<std::net::Ipv4Addr>().ok().map(IpAddr::V4)
}

/// A port number, or an obfuscated port (`_abc`) as RFC 7239 allows.
fn is_port(text: &str) -> bool {
    text.parse::<u16>().is_ok()
        || (text.starts_with('_') && text.len() > 1 && text[1..].chars().all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '_' | '-')))
}

#[cfg(test)]
mod tests {
    use actix_web::http::header::{HeaderName, HeaderValue};

    use super::*;

    const LB: &str = "10.0.0.5";

    fn ip(text: &str) -> IpAddr {
        text.parse().expect("an address")
    }

    fn nets(list: &[&str]) -> Vec<IpNet> {
        list.iter().map(|n| n.parse().expect("a CIDR block")).collect()
    }

    /// The client seen from `peer` with these `Forwarded` and `X-Forwarded-For` lines,
    /// trusting 10.0.0.0/8 and fd00::/8.
    fn seen(peer: &str, forwarded: &[&str], xff: &[&str]) -> String {
        client_ip_from(ip(peer), forwarded, xff, &nets(&["10.0.0.0/8", "fd00::/8"])).to_string()
    }

    #[test]
    fn an_untrusted_peer_is_the_client_whatever_its_headers_say() {
        assert_eq!(seen("203.0.113.9", &[], &["198.51.100.1"]), "203.0.113.9");
        assert_eq!(seen("203.0.113.9", &["for=198.51.100.1"], &[]), "203.0.113.9");
        assert_eq!(client_ip_from(ip(LB), &[], &["198.51.100.1"], &[]).to_string(), LB, "nobody is trusted by default");
    }

    #[test]
    fn a_trusted_peer_without_headers_is_the_client() {
        assert_eq!(seen(LB, &[], &[]), LB);
    }

    #[test]
    fn the_chain_is_walked_from_the_right_past_trusted_proxies() {
        assert_eq!(seen(LB, &[], &["198.51.100.1"]), "198.51.100.1");
        assert_eq!(seen(LB, &[], &["198.51.100.1, 10.1.1.1, 10.2.2.2"]), "198.51.100.1");
        assert_eq!(seen(LB, &[], &["6.6.6.6, 198.51.100.1, 10.1.1.1"]), "198.51.100.1", "a forged left part is never read");
        assert_eq!(seen(LB, &[], &["6.6.6.6", "198.51.100.1"]), "198.51.100.1", "header lines are one list, in order");
        assert_eq!(seen(LB, &[], &["10.9.9.9, 10.1.1.1"]), "10.9.9.9", "all trusted: the farthest hop");
    }

    #[test]
    fn forwarded_follows_rfc_7239() {
        assert_eq!(seen(LB, &["for=192.0.2.43"], &[]), "192.0.2.43");
        assert_eq!(seen(LB, &["For=\"[2001:db8:cafe::17]:4711\";proto=https;by=10.0.0.5"], &[]), "2001:db8:cafe::17");
        assert_eq!(seen(LB, &["for=6.6.6.6, for=192.0.2.43;proto=http, for=10.1.1.1"], &[]), "192.0.2.43");
        assert_eq!(seen(LB, &["for=\"192.0.2.43:8080\""], &[]), "192.0.2.43");
        assert_eq!(seen(LB, &["for=\"[2001:db8::1]\""], &[]), "2001:db8::1");
        assert_eq!(seen(LB, &["for=\"192.0.2.43:_hidden\""], &[]), "192.0.2.43", "an obfuscated port is allowed");
        assert_eq!(seen(LB, &["proto=https;for=192.0.2.43;host=\"a;b,c\""], &[]), "192.0.2.43", "separators inside quotes");
        assert_eq!(seen(LB, &["for=6.6.6.6", "for=192.0.2.43"], &[]), "192.0.2.43");
    }

    #[test]
    fn x_forwarded_for_accepts_ports_and_bare_ipv6() {
        assert_eq!(seen(LB, &[], &["198.51.100.1:5555"]), "198.51.100.1");
        assert_eq!(seen(LB, &[], &["2001:db8::7"]), "2001:db8::7");
        assert_eq!(seen(LB, &[], &["[2001:db8::7]:443"]), "2001:db8::7");
        assert_eq!(seen("fd00::1", &[], &["198.51.100.1"]), "198.51.100.1", "an IPv6 proxy");
    }

    #[test]
    fn ipv4_mapped_addresses_are_compared_as_ipv4() {
        assert_eq!(seen("::ffff:10.0.0.5", &[], &["::ffff:198.51.100.1"]), "198.51.100.1");
        assert_eq!(seen("::ffff:203.0.113.9", &[], &["198.51.100.1"]), "203.0.113.9");
    }

    #[test]
    fn malformed_values_fall_back_to_the_peer() {
        for xff in ["", "not-an-ip", "198.51.100.1,,10.1.1.1", "198.51.100.1:99999", "1.2.3.4.5", "[2001:db8::1", "unknown"] {
            assert_eq!(seen(LB, &[], &[xff]), LB, "X-Forwarded-For: {xff}");
        }
        for forwarded in [
            "for=unknown",
            "for=_hidden",
            "proto=https",
            "for=192.0.2.43;for=192.0.2.44",
            "for",
            "for=\"192.0.2.43",
            "for=\"[2001:db8::1]:x\"",
            "for=192.0.2.43, for=bogus",
            "",
        ] {
            assert_eq!(seen(LB, &[forwarded], &[]), LB, "Forwarded: {forwarded}");
        }
    }

    #[test]
    fn both_headers_must_agree_or_the_peer_is_used() {
        assert_eq!(seen(LB, &["for=198.51.100.1"], &["198.51.100.1"]), "198.51.100.1");
        // The load balancer appends X-Forwarded-For; the client forged Forwarded.
        assert_eq!(seen(LB, &["for=6.6.6.6"], &["198.51.100.1"]), LB);
        assert_eq!(seen(LB, &["for=198.51.100.1"], &["garbage"]), LB);
    }

    #[test]
    fn headers_are_read_from_a_request_header_map() {
        let mut headers = HeaderMap::new();
        headers.append(HeaderName::from_static("x-forwarded-for"), HeaderValue::from_static("6.6.6.6, 198.51.100.1"));
        headers.append(HeaderName::from_static("x-forwarded-for"), HeaderValue::from_static("10.1.1.1"));
        let trusted = nets(&["10.0.0.0/8"]);
        assert_eq!(client_ip(ip(LB), &headers, &trusted).to_string(), "198.51.100.1");
        assert_eq!(client_ip(ip("203.0.113.9"), &headers, &trusted).to_string(), "203.0.113.9");
        headers.insert(HeaderName::from_static("forwarded"), HeaderValue::from_bytes(b"for=\xff").expect("opaque bytes"));
        assert_eq!(client_ip(ip(LB), &headers, &trusted).to_string(), LB, "a header that is not text");
    }
}
