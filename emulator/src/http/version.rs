//! `LD-API-Version`: which of LaunchDarkly's API versions a request speaks, from its header or else from the
//! calling token's `defaultApiVersion`.
//!
//! The emulator serves the three dated versions LaunchDarkly's Terraform provider accepts
//! ([`KNOWN_API_VERSIONS`]) and `beta`, which behaves as the newest ([`API_VERSION`], also what a request
//! without a version and a token without a default speak). The only difference between them that
//! the token endpoints show is pagination: `20240415` made `GET /api/v2/tokens` paginated, and the older
//! two return every visible token at once.

use crate::error::ErrorResponse;
use crate::fixture::API_VERSION;
use axum::http::HeaderMap;
use tokengate::{BETA_API_VERSION, KNOWN_API_VERSIONS};

/// The version that made the token list paginated.
pub const PAGINATED_SINCE: i64 = 20240415;

/// An API version the emulator serves.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ApiVersion(i64);

impl ApiVersion {
    /// The version a request speaks: its `LD-API-Version` header, or else the token's `defaultApiVersion`,
    /// or else the newest. An unknown header is 400 naming the supported versions.
    pub fn negotiate(
        headers: &HeaderMap,
        token_default: Option<i64>,
    ) -> Result<Self, ErrorResponse> {
        let Some(value) = headers.get("ld-api-version") else {
            return match token_default {
                None => Ok(ApiVersion(API_VERSION)),
                Some(version) => Self::known(version).ok_or_else(|| {
                    ErrorResponse::bad_request(format!(
                        "The token's default API version {version} is not supported; send LD-API-Version: {}",
                        supported()
                    ))
                }),
            };
        };
        let value = value.to_str().unwrap_or("").trim();
        if value == BETA_API_VERSION {
            return Ok(ApiVersion(API_VERSION));
        }
        value.parse().ok().and_then(Self::known).ok_or_else(|| {
            ErrorResponse::bad_request(format!(
                "Unknown LD-API-Version {value:?}: supported versions are {} and {BETA_API_VERSION}",
                supported()
            ))
        })
    }

    /// `version` if the emulator serves it (as a header or a token's `defaultApiVersion`).
    pub fn known(version: i64) -> Option<Self> {
        KNOWN_API_VERSIONS
            .contains(&version)
            .then_some(ApiVersion(version))
    }

    /// Whether `GET /api/v2/tokens` pages (with `limit`/`offset`) rather than returning every token.
    pub fn paginates_token_list(self) -> bool {
        self.0 >= PAGINATED_SINCE
    }
}

/// The dated versions, for messages: `20240415, 20191212, 20160426`.
pub fn supported() -> String {
    KNOWN_API_VERSIONS
        .iter()
        .map(i64::to_string)
        .collect::<Vec<_>>()
        .join(", ")
}

#[cfg(test)]
mod tests {
    use super::*;
    use axum::http::HeaderValue;

    fn with_header(value: &str) -> HeaderMap {
        let mut headers = HeaderMap::new();
        headers.insert("ld-api-version", HeaderValue::from_str(value).unwrap());
        headers
    }

    #[test]
    fn the_header_wins_over_the_token_default() {
        let old = ApiVersion::negotiate(&with_header("20160426"), Some(PAGINATED_SINCE)).unwrap();
        assert!(!old.paginates_token_list());
        let beta = ApiVersion::negotiate(&with_header("beta"), Some(20191212)).unwrap();
        assert!(beta.paginates_token_list());
        let default = ApiVersion::negotiate(&HeaderMap::new(), Some(20191212)).unwrap();
        assert!(!default.paginates_token_list());
        assert!(ApiVersion::negotiate(&HeaderMap::new(), None)
            .unwrap()
            .paginates_token_list());
        assert!(ApiVersion::negotiate(&with_header("20220603"), None).is_err());
    }
}
