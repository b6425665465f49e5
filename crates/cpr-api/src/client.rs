//! Who a request comes from, before it is authenticated: the bearer token it carries (by
//! its digest: the token itself is never kept) or, for an anonymous request, the client's
//! address. Rate limits and idempotency keys are scoped to it.

use std::net::{IpAddr, SocketAddr};

use axum::extract::{ConnectInfo, Request};
use axum::http::{HeaderName, header};

/// Where the client's address is read.
#[derive(Clone, Debug, Default)]
pub enum ClientAddress {
    /// The TCP peer: the server faces the clients itself.
    #[default]
    Peer,
    /// The last address of this header (`X-Forwarded-For`, as the load balancer in front
    /// appends it; earlier ones are the client's own claims), else the peer.
    ForwardedBy(HeaderName),
}

/// The origin of a request.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub enum Client {
    /// The SHA-256 of the bearer token, hex.
    Token(String),
    /// An anonymous client; `None` when the address is unknown (a test harness without
    /// connection info).
    Address(Option<IpAddr>),
}

impl Client {
    pub fn of(request: &Request, address: &ClientAddress) -> Client {
        let token = request
            .headers()
            .get(header::AUTHORIZATION)
            .and_then(|value| value.to_str().ok())
            .and_then(|value| value.strip_prefix("Bearer "))
            .map(str::trim)
            .filter(|token| !token.is_empty());
        if let Some(token) = token {
            return Client::Token(cpr_service::hash_token(token));
        }
        let forwarded = match address {
            ClientAddress::Peer => None,
            ClientAddress::ForwardedBy(name) => request
                .headers()
                .get_all(name)
                .iter()
                .filter_map(|value| value.to_str().ok())
                .flat_map(|value| value.split(','))
                .filter_map(|part| part.trim().parse::<IpAddr>().ok())
                .next_back(),
        };
        let peer = || {
            request
                .extensions()
                .get::<ConnectInfo<SocketAddr>>()
                .map(|info| info.0.ip())
        };
        Client::Address(forwarded.or_else(peer))
    }

    /// The scope of this client's idempotency keys.
    pub fn scope(&self) -> String {
        match self {
            Client::Token(digest) => format!("token:{digest}"),
            Client::Address(Some(ip)) => format!("address:{ip}"),
            Client::Address(None) => "address:unknown".to_owned(),
        }
    }
}
