//! `_links` for a page of a collection: `self`, and `first`, `prev`, `next`, `last` where they exist.

use super::query::Page;
use tokengate::{Link, Links};

/// Links for `page` of a collection of `total` items at `base`; `extra` (such as `&showAll=true`) is
/// appended to every link.
pub fn page_links(base: &str, page: Page, total: usize, extra: &str) -> Links {
    let href = |offset: usize| {
        Link::json(format!(
            "{base}?limit={}&offset={offset}{extra}",
            page.limit
        ))
    };
    let mut links = Links::new();
    links.insert("self".into(), href(page.offset));
    if total > 0 {
        let last = (total - 1) / page.limit * page.limit;
        links.insert("first".into(), href(0));
        links.insert("last".into(), href(last));
        if page.offset > 0 {
            links.insert(
                "prev".into(),
                href(page.offset.saturating_sub(page.limit).min(last)),
            );
        }
        if page.offset.saturating_add(page.limit) < total {
            links.insert("next".into(), href(page.offset + page.limit));
        }
    }
    links
}

#[cfg(test)]
mod tests {
    use super::*;

    fn hrefs(links: &Links) -> Vec<(String, String)> {
        links
            .iter()
            .map(|(k, v)| (k.clone(), v.href.clone().unwrap_or_default()))
            .collect()
    }

    #[test]
    fn middle_page_has_all_links() {
        let links = page_links(
            "/t",
            Page {
                limit: 10,
                offset: 10,
            },
            35,
            "",
        );
        assert_eq!(
            hrefs(&links),
            vec![
                ("first".into(), "/t?limit=10&offset=0".into()),
                ("last".into(), "/t?limit=10&offset=30".into()),
                ("next".into(), "/t?limit=10&offset=20".into()),
                ("prev".into(), "/t?limit=10&offset=0".into()),
                ("self".into(), "/t?limit=10&offset=10".into()),
            ]
        );
    }

    #[test]
    fn past_the_end_points_back_to_the_last_page() {
        let links = page_links(
            "/t",
            Page {
                limit: 10,
                offset: 100,
            },
            35,
            "&showAll=true",
        );
        assert_eq!(
            links["prev"].href.as_deref(),
            Some("/t?limit=10&offset=30&showAll=true")
        );
        assert!(!links.contains_key("next"));
    }

    #[test]
    fn empty_collection_has_only_self() {
        let links = page_links(
            "/t",
            Page {
                limit: 25,
                offset: 0,
            },
            0,
            "",
        );
        assert_eq!(links.len(), 1);
    }
}
