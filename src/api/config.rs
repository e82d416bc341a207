use super::retry::{RetryPolicy, DEFAULT_MAX_RETRIES};
use crate::model::Secret;
use std::fmt;

/// LaunchDarkly's commercial instance; the federal and EU instances are `https://app.launchdarkly.us` and
/// `https://app.eu.launchdarkly.com`.
pub const DEFAULT_BASE_URL: &str = "https://app.launchdarkly.com";
/// The API version that made token lists paginated; sent as `LD-API-Version` on every request.
pub const DEFAULT_API_VERSION: &str = "20240415";
/// The dated API versions LaunchDarkly answers to, newest first. The two older ones return every token at once
/// from `GET /api/v2/tokens`. LaunchDarkly's Terraform provider accepts exactly these as a token's
/// `default_api_version` (`apiVersionValidator` in `launchdarkly/resource_access_token_framework.go`,
/// repository `launchdarkly/terraform-provider-launchdarkly`).
pub const KNOWN_API_VERSIONS: [i64; 3] = [20240415, 20191212, 20160426];
/// The `LD-API-Version` of LaunchDarkly's beta endpoints; otherwise it behaves as the newest version.
pub const BETA_API_VERSION: &str = "beta";
/// Upper bound on `maxRetries`: beyond this a caller is hammering a limit rather than riding it out.
const MAX_RETRIES_CEILING: u32 = 10;

/// Everything a client needs besides a transport. Built once; every request reads it.
#[derive(Clone)]
pub struct ClientConfig {
    token: Secret,
    base_url: String,
    api_version: String,
    user_agent: Option<String>,
    retry: RetryPolicy,
}

/// Why a configuration was refused. The message never contains the token.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ConfigError {
    /// Always `invalid_argument`, so that it maps onto [`super::ApiError`] without translation.
    pub code: &'static str,
    /// What is wrong, naming the option.
    pub message: String,
}

impl fmt::Display for ConfigError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for ConfigError {}

fn refuse(message: impl Into<String>) -> ConfigError {
    ConfigError {
        code: super::ErrorCode::INVALID_ARGUMENT,
        message: message.into(),
    }
}

/// Whether `value` has the form of an `LD-API-Version`: a date written `YYYYMMDD`, or `beta`. The form rather
/// than [`KNOWN_API_VERSIONS`] itself, so that a version LaunchDarkly publishes later can be asked for
/// without a new release of this library.
fn is_api_version(value: &str) -> bool {
    value == BETA_API_VERSION || (value.len() == 8 && value.bytes().all(|b| b.is_ascii_digit()))
}

/// Whether `value` can travel in an HTTP header unchanged: visible ASCII and inner spaces only. Checked up
/// front because `fetch` rejects a bad header with a message that quotes the value, secret included.
fn is_header_safe(value: &str) -> bool {
    !value.is_empty() && value.bytes().all(|b| (0x20..0x7f).contains(&b)) && value.trim() == value
}

impl ClientConfig {
    /// Validates and normalises the options: the token must be a plausible header value, the base URL an
    /// absolute `http(s)` origin (a trailing `/` is dropped), the API version a `YYYYMMDD` date or `beta`.
    pub fn new(
        token: Secret,
        base_url: Option<&str>,
        api_version: Option<&str>,
        max_retries: Option<u32>,
        user_agent: Option<&str>,
    ) -> Result<Self, ConfigError> {
        if !is_header_safe(token.expose()) {
            return Err(refuse(
                "`token` must be a non-empty access token of visible ASCII characters",
            ));
        }
        let base_url = base_url.unwrap_or(DEFAULT_BASE_URL).trim_end_matches('/');
        let origin = base_url
            .strip_prefix("https://")
            .or_else(|| base_url.strip_prefix("http://"));
        match origin {
            Some(host)
                if !host.is_empty()
                    && is_header_safe(host)
                    && !host.contains(['?', '#', ' ', '\\']) => {}
            _ => {
                return Err(refuse(format!(
                    "`baseUrl` must be an absolute http(s) URL such as {DEFAULT_BASE_URL}, got {base_url:?}"
                )))
            }
        }
        let api_version = api_version.unwrap_or(DEFAULT_API_VERSION);
        if !is_api_version(api_version) {
            return Err(refuse(format!(
                "`apiVersion` must be a version date such as {DEFAULT_API_VERSION} (LaunchDarkly also serves {} and {}) or \"{BETA_API_VERSION}\"",
                KNOWN_API_VERSIONS[1], KNOWN_API_VERSIONS[2]
            )));
        }
        let max_retries = max_retries.unwrap_or(DEFAULT_MAX_RETRIES);
        if max_retries > MAX_RETRIES_CEILING {
            return Err(refuse(format!(
                "`maxRetries` must be between 0 and {MAX_RETRIES_CEILING}"
            )));
        }
        if let Some(agent) = user_agent {
            if !is_header_safe(agent) {
                return Err(refuse("`userAgent` must be a non-empty header value"));
            }
        }
        Ok(ClientConfig {
            token,
            base_url: base_url.to_owned(),
            api_version: api_version.to_owned(),
            user_agent: user_agent.map(str::to_owned),
            retry: RetryPolicy {
                max_retries,
                ..RetryPolicy::default()
            },
        })
    }

    /// The secret sent as `Authorization`.
    pub fn token(&self) -> &Secret {
        &self.token
    }

    /// The origin every path is appended to, without a trailing slash.
    pub fn base_url(&self) -> &str {
        &self.base_url
    }

    /// The `LD-API-Version` header value.
    pub fn api_version(&self) -> &str {
        &self.api_version
    }

    /// The `User-Agent` to send, if the caller chose one (browsers may ignore it).
    pub fn user_agent(&self) -> Option<&str> {
        self.user_agent.as_deref()
    }

    /// When and how long to retry.
    pub fn retry(&self) -> &RetryPolicy {
        &self.retry
    }

    /// Replaces the retry policy (tests shorten the waits; callers may cap them).
    pub fn with_retry(mut self, retry: RetryPolicy) -> Self {
        self.retry = retry;
        self
    }
}

impl fmt::Debug for ClientConfig {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ClientConfig")
            .field("token", &self.token)
            .field("base_url", &self.base_url)
            .field("api_version", &self.api_version)
            .field("user_agent", &self.user_agent)
            .field("retry", &self.retry)
            .finish()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const SECRET: &str = "api-3f2a1b4c-5d6e-4f70-8a9b-0c1d2e3f4a5b";

    #[test]
    fn defaults_and_normalisation() {
        let c = ClientConfig::new(Secret::new(SECRET), None, None, None, None).unwrap();
        assert_eq!(c.base_url(), DEFAULT_BASE_URL);
        assert_eq!(c.api_version(), "20240415");
        assert_eq!(c.retry().max_retries, 3);
        let c = ClientConfig::new(
            Secret::new(SECRET),
            Some("http://127.0.0.1:8080/"),
            Some("beta"),
            Some(0),
            Some("me/1"),
        )
        .unwrap();
        assert_eq!(c.base_url(), "http://127.0.0.1:8080");
        assert_eq!(c.api_version(), "beta");
        assert_eq!(c.user_agent(), Some("me/1"));
    }

    #[test]
    fn bad_options_are_refused_without_echoing_the_token() {
        type Case<'a> = (&'a str, Option<&'a str>, Option<&'a str>, Option<u32>);
        let cases: [Case; 10] = [
            ("", None, None, None),
            ("api-x\nInjected: 1", None, None, None),
            (SECRET, Some("app.launchdarkly.com"), None, None),
            (SECRET, Some("https://"), None, None),
            (SECRET, Some("ftp://x"), None, None),
            (SECRET, None, Some(""), None),
            (SECRET, None, None, Some(11)),
            (SECRET, None, Some("2024-04-15"), None),
            (SECRET, None, Some("latest"), None),
            (SECRET, None, Some("20240415\r\nInjected: 1"), None),
        ];
        for (token, base, version, retries) in cases {
            let err =
                ClientConfig::new(Secret::new(token), base, version, retries, None).unwrap_err();
            assert_eq!(err.code, "invalid_argument");
            assert!(!err.message.contains("api-3f2a"), "{}", err.message);
            assert!(!err.message.contains("Injected"), "{}", err.message);
        }
    }

    #[test]
    fn every_version_launchdarkly_serves_can_be_configured() {
        let configured = |version: &str| {
            ClientConfig::new(Secret::new(SECRET), None, Some(version), None, None)
                .map(|c| c.api_version().to_owned())
        };
        for version in KNOWN_API_VERSIONS {
            let text = version.to_string();
            assert_eq!(configured(&text), Ok(text));
        }
        assert_eq!(configured("beta"), Ok("beta".to_owned()));
        let err = configured("2019-12-12").unwrap_err();
        assert!(
            err.message.contains("20191212") && err.message.contains("20160426"),
            "the message lists the versions: {}",
            err.message
        );
    }

    #[test]
    fn debug_hides_the_secret() {
        let c = ClientConfig::new(Secret::new(SECRET), None, None, None, None).unwrap();
        let shown = format!("{c:?}");
        assert!(!shown.contains(SECRET));
        assert!(shown.contains("4a5b"));
    }
}
