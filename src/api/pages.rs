//! Chaining token-list pages: `_links.next` when the server sends it, else offsets against `totalCount`.

use super::ListParams;
use crate::model::Tokens;

/// Reads `name=value` from the query of `href` (no percent-decoding: the values read are numbers and booleans).
fn query_value<'a>(href: &'a str, name: &str) -> Option<&'a str> {
    let query = href.split_once('?')?.1.split('#').next()?;
    query
        .split('&')
        .filter_map(|pair| pair.split_once('='))
        .find(|(key, _)| *key == name)
        .map(|(_, value)| value)
}

/// The parameters of the page after `page` (fetched with `current`), or `None` when it was the last.
///
/// Prefers the server's `_links.next` (its `limit`/`offset`); without one, continues at `offset +
/// items.len()` while that is below `totalCount`. A next offset that does not move forward ends the walk,
/// so a misbehaving server cannot make a caller loop forever.
pub fn next_page(current: &ListParams, page: &Tokens) -> Option<ListParams> {
    let offset = current.offset.unwrap_or(0);
    let next_href = page
        .links
        .as_ref()
        .and_then(|links| links.get("next"))
        .and_then(|link| link.href.as_deref());
    let next = if let Some(href) = next_href {
        ListParams {
            show_all: current.show_all,
            limit: query_value(href, "limit")
                .and_then(|v| v.parse().ok())
                .or(current.limit),
            offset: Some(query_value(href, "offset")?.parse().ok()?),
        }
    } else {
        let seen = offset.checked_add(page.items.len() as u64)?;
        if page.items.is_empty() || seen >= page.total_count? {
            return None;
        }
        ListParams {
            offset: Some(seen),
            ..*current
        }
    };
    (next.offset.unwrap_or(0) > offset).then_some(next)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Link, Links, Token};

    fn token(id: &str) -> Token {
        serde_json::from_value(serde_json::json!({
            "_id": id, "ownerId": "o", "memberId": "m", "creationDate": 1, "lastModified": 1
        }))
        .unwrap()
    }

    fn page(n: usize, total: Option<u64>, next: Option<&str>) -> Tokens {
        let links = next.map(|href| {
            let mut l = Links::new();
            l.insert("next".into(), Link::json(href));
            l
        });
        Tokens {
            items: (0..n).map(|i| token(&i.to_string())).collect(),
            links,
            total_count: total,
        }
    }

    #[test]
    fn follows_next_links() {
        let cur = ListParams {
            show_all: Some(true),
            limit: Some(2),
            offset: None,
        };
        let next = next_page(
            &cur,
            &page(
                2,
                Some(5),
                Some("/api/v2/tokens?limit=2&offset=2&showAll=true"),
            ),
        )
        .unwrap();
        assert_eq!(
            next,
            ListParams {
                show_all: Some(true),
                limit: Some(2),
                offset: Some(2)
            }
        );
    }

    #[test]
    fn falls_back_to_offsets_and_total_count() {
        let cur = ListParams {
            limit: Some(2),
            offset: Some(2),
            ..ListParams::default()
        };
        assert_eq!(
            next_page(&cur, &page(2, Some(5), None)).unwrap().offset,
            Some(4)
        );
        assert_eq!(next_page(&cur, &page(2, Some(4), None)), None);
        assert_eq!(next_page(&cur, &page(0, Some(9), None)), None);
        assert_eq!(next_page(&cur, &page(2, None, None)), None);
    }

    #[test]
    fn links_that_do_not_advance_end_the_walk() {
        let cur = ListParams {
            offset: Some(4),
            ..ListParams::default()
        };
        assert_eq!(
            next_page(&cur, &page(2, Some(9), Some("/api/v2/tokens?offset=4"))),
            None
        );
        assert_eq!(
            next_page(&cur, &page(2, Some(9), Some("/api/v2/tokens?offset=x"))),
            None
        );
        assert_eq!(
            next_page(&cur, &page(2, Some(9), Some("/api/v2/tokens"))),
            None
        );
    }
}
