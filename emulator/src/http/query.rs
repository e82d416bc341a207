//! Query-string parameters: pagination, booleans and integers, each rejected with 400 naming the
//! parameter when malformed.

use crate::error::ErrorResponse;

/// Decoded `name=value` pairs, in order.
pub struct Query(Vec<(String, String)>);

/// A page request.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Page {
    pub limit: usize,
    pub offset: usize,
}

/// The largest `limit`.
pub const MAX_LIMIT: usize = 1000;

impl Query {
    /// Parses a raw query string.
    pub fn parse(raw: Option<&str>) -> Result<Query, ErrorResponse> {
        match raw {
            None => Ok(Query(Vec::new())),
            Some(raw) => serde_urlencoded::from_str(raw)
                .map(Query)
                .map_err(|e| ErrorResponse::bad_request(format!("Invalid query string: {e}"))),
        }
    }

    /// The first value of `name`.
    pub fn get(&self, name: &str) -> Option<&str> {
        self.0
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
    }

    /// An integer parameter.
    pub fn int(&self, name: &str) -> Result<Option<i64>, ErrorResponse> {
        match self.get(name) {
            None => Ok(None),
            Some(v) => v.trim().parse::<i64>().map(Some).map_err(|_| {
                ErrorResponse::bad_request(format!("{name} must be an integer, not {v:?}"))
            }),
        }
    }

    /// A boolean parameter (`true`/`false`; absent is false).
    pub fn flag(&self, name: &str) -> Result<bool, ErrorResponse> {
        match self.get(name) {
            None => Ok(false),
            Some("true") => Ok(true),
            Some("false") => Ok(false),
            Some(v) => Err(ErrorResponse::bad_request(format!(
                "{name} must be true or false, not {v:?}"
            ))),
        }
    }

    /// `limit` (1..=1000, default `default_limit`) and `offset` (>= 0, default 0).
    pub fn page(&self, default_limit: usize) -> Result<Page, ErrorResponse> {
        let limit = match self.int("limit")? {
            None => default_limit,
            Some(n) if (1..=MAX_LIMIT as i64).contains(&n) => n as usize,
            Some(n) => {
                return Err(ErrorResponse::bad_request(format!(
                    "limit must be from 1 to {MAX_LIMIT}, not {n}"
                )))
            }
        };
        let offset = match self.int("offset")? {
            None => 0,
            Some(n) if n >= 0 => usize::try_from(n).unwrap_or(usize::MAX),
            Some(n) => {
                return Err(ErrorResponse::bad_request(format!(
                    "offset must be 0 or more, not {n}"
                )))
            }
        };
        Ok(Page { limit, offset })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pages() {
        let q = Query::parse(Some("limit=10&offset=5")).unwrap();
        assert_eq!(
            q.page(25).unwrap(),
            Page {
                limit: 10,
                offset: 5
            }
        );
        assert_eq!(
            Query::parse(None).unwrap().page(25).unwrap(),
            Page {
                limit: 25,
                offset: 0
            }
        );
        for bad in [
            "limit=0",
            "limit=1001",
            "offset=-1",
            "limit=x",
            "offset=1.5",
        ] {
            assert!(Query::parse(Some(bad)).unwrap().page(25).is_err(), "{bad}");
        }
    }

    #[test]
    fn flags() {
        assert!(Query::parse(Some("showAll=true"))
            .unwrap()
            .flag("showAll")
            .unwrap());
        assert!(!Query::parse(Some("showAll=false"))
            .unwrap()
            .flag("showAll")
            .unwrap());
        assert!(Query::parse(Some("showAll=yes"))
            .unwrap()
            .flag("showAll")
            .is_err());
    }
}
