//! The client's address, as throttling and the audit trail record it: the peer's, unless
//! the peer is a reverse proxy the configuration trusts (`trusted_proxies`); then the
//! nearest address of `X-Forwarded-For` that is not such a proxy. A header from anyone
//! else is ignored, so that nobody chooses their own address.

use ipnet::IpNet;
use std::net::IpAddr;

pub fn client_address(
    peer: Option<IpAddr>,
    forwarded_for: Option<&str>,
    trusted: &[IpNet],
) -> String {
    let is_trusted = |ip: &IpAddr| trusted.iter().any(|net| net.contains(ip));
    let Some(peer) = peer else {
        return String::new();
    };
    if !is_trusted(&peer) {
        return peer.to_string();
    }
    // Each proxy appends the address it received from: read from the right.
    let mut client = peer;
    for hop in forwarded_for.unwrap_or_default().rsplit(',') {
        match hop.trim().parse::<IpAddr>() {
            Ok(ip) => {
                client = ip;
                if !is_trusted(&ip) {
                    break;
                }
            }
            Err(_) => break,
        }
    }
    client.to_string()
}

/// Reads `trusted_proxies` as written in the configuration: addresses or networks.
pub fn parse_trusted_proxies(list: &[String]) -> Result<Vec<IpNet>, String> {
    list.iter()
        .map(|item| {
            let item = item.trim();
            item.parse::<IpNet>()
                .or_else(|_| item.parse::<IpAddr>().map(IpNet::from))
                .map_err(|_| format!("trusted_proxies : adresse ou réseau invalide : « {item} »"))
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ip(text: &str) -> Option<IpAddr> {
        text.parse().ok()
    }

    #[test]
    fn the_forwarded_address_counts_only_behind_a_trusted_proxy() {
        let trusted = parse_trusted_proxies(&["10.0.0.0/8".into(), "192.0.2.1".into()]).unwrap();
        let header = Some("203.0.113.9, 198.51.100.7, 10.1.2.3");
        assert_eq!(
            client_address(ip("10.0.0.1"), header, &trusted),
            "198.51.100.7"
        );
        assert_eq!(
            client_address(ip("192.0.2.1"), Some("203.0.113.9"), &trusted),
            "203.0.113.9"
        );
        assert_eq!(
            client_address(ip("198.51.100.1"), header, &trusted),
            "198.51.100.1"
        );
        assert_eq!(client_address(ip("10.0.0.1"), None, &trusted), "10.0.0.1");
        assert_eq!(
            client_address(ip("10.0.0.1"), Some("n'importe quoi"), &trusted),
            "10.0.0.1"
        );
        assert!(parse_trusted_proxies(&["proxy.local".into()]).is_err());
    }
}
