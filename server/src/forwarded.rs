//! The client's address behind a reverse proxy or a load balancer
//! (docs/scaling.md): there every request comes from the proxy, and the
//! sign-in limit per address (`rate_limit`) would count all phones as one —
//! thirty wrong passwords anywhere would lock everyone out. Behind proxies
//! named with `--trusted-proxy`, the address is read from the
//! `X-Forwarded-For` they add; from anyone else that header is ignored, so
//! a phone cannot choose the address it is counted under.

use axum::extract::{ConnectInfo, Request};
use axum::middleware::Next;
use axum::response::Response;
use axum::Router;
use std::net::{IpAddr, SocketAddr};
use std::sync::Arc;

/// The proxies whose `X-Forwarded-For` is believed.
#[derive(Debug, Clone, Default)]
pub struct TrustedProxies(Arc<Vec<IpAddr>>);

impl TrustedProxies {
    pub fn new(addresses: Vec<IpAddr>) -> Self {
        TrustedProxies(Arc::new(addresses))
    }

    fn trusts(&self, address: IpAddr) -> bool {
        // A server listening on `[::]` sees an IPv4 proxy as `::ffff:10.0.0.1`.
        self.0.iter().any(|trusted| trusted.to_canonical() == address.to_canonical())
    }

    /// The client a request from `peer` came from: walking `X-Forwarded-For`
    /// from the right (each proxy appends the address it was reached from),
    /// the first address that is not a trusted proxy. `peer` itself when it
    /// is not trusted, or the header names nothing usable.
    pub fn client(&self, peer: IpAddr, forwarded_for: Option<&str>) -> IpAddr {
        if !self.trusts(peer) {
            return peer;
        }
        let hops = forwarded_for.unwrap_or_default().rsplit(',').map(str::trim);
        let mut client = peer;
        for hop in hops {
            match hop_address(hop) {
                Some(address) if self.trusts(address) => client = address,
                Some(address) => return address.to_canonical(),
                None => return client,
            }
        }
        client
    }
}

/// One hop of `X-Forwarded-For`: an address, or (as some proxies write it)
/// an address with a port, `1.2.3.4:5678` or `[2001:db8::1]:443`.
fn hop_address(hop: &str) -> Option<IpAddr> {
    hop.parse::<IpAddr>().ok().or_else(|| hop.parse::<SocketAddr>().ok().map(|socket| socket.ip()))
}

/// `router`, reading each request's client address through `proxies`.
pub fn behind(router: Router, proxies: TrustedProxies) -> Router {
    if proxies.0.is_empty() {
        return router;
    }
    router.layer(axum::middleware::from_fn(move |request, next| client_address(proxies.clone(), request, next)))
}

async fn client_address(proxies: TrustedProxies, mut request: Request, next: Next) -> Response {
    // Every line of the header, in order: a proxy may add a line of its own
    // after one the phone wrote, and only the last hops are the proxies'.
    let lines: Option<Vec<&str>> =
        request.headers().get_all("x-forwarded-for").iter().map(|value| value.to_str().ok()).collect();
    let forwarded = lines.filter(|lines| !lines.is_empty()).map(|lines| lines.join(","));
    if let Some(ConnectInfo(peer)) = request.extensions_mut().get_mut::<ConnectInfo<SocketAddr>>() {
        peer.set_ip(proxies.client(peer.ip(), forwarded.as_deref()));
    }
    next.run(request).await
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ip(text: &str) -> IpAddr {
        text.parse().unwrap()
    }

    #[test]
    fn only_a_trusted_proxy_names_the_client() {
        let proxies = TrustedProxies::new(vec![ip("10.0.0.1"), ip("10.0.0.2")]);
        // A phone reaching the server directly cannot choose its address.
        assert_eq!(proxies.client(ip("203.0.113.5"), Some("1.2.3.4")), ip("203.0.113.5"));
        // Behind the proxy: the address it appended, whatever the phone wrote before it.
        assert_eq!(proxies.client(ip("10.0.0.1"), Some("1.2.3.4, 198.51.100.7")), ip("198.51.100.7"));
        // Two trusted proxies in a row are both skipped.
        assert_eq!(proxies.client(ip("10.0.0.1"), Some("198.51.100.7, 10.0.0.2")), ip("198.51.100.7"));
        // A proxy that sent no header, or a broken one: the proxy's own address.
        assert_eq!(proxies.client(ip("10.0.0.1"), None), ip("10.0.0.1"));
        assert_eq!(proxies.client(ip("10.0.0.1"), Some("not an address")), ip("10.0.0.1"));
        // Hops written with a port; a proxy seen as an IPv4-mapped IPv6 address.
        assert_eq!(proxies.client(ip("10.0.0.1"), Some("198.51.100.7:5678")), ip("198.51.100.7"));
        assert_eq!(proxies.client(ip("10.0.0.1"), Some("[2001:db8::1]:443")), ip("2001:db8::1"));
        assert_eq!(proxies.client(ip("::ffff:10.0.0.1"), Some("198.51.100.7")), ip("198.51.100.7"));
        // Two header lines read as one list: the phone's forged first line is not the last hop.
        assert_eq!(proxies.client(ip("10.0.0.1"), Some(&["1.2.3.4", "198.51.100.7"].join(","))), ip("198.51.100.7"));
    }
}
