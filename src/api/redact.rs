/// Replaces every token secret in `text` (`api-` followed by letters, digits and dashes) with its obfuscated
/// form, `api-…` plus the last four characters, the same thing the API itself shows.
///
/// Server messages and decode errors can echo input back; running them through this before they reach an
/// `Error` keeps a secret from ending up in a log by way of an exception.
pub fn redact_secrets(text: &str) -> String {
    const PREFIX: &str = "api-";
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(pos) = rest.find(PREFIX) {
        out.push_str(&rest[..pos]);
        let after = &rest[pos + PREFIX.len()..];
        let len = after
            .find(|c: char| !(c.is_ascii_alphanumeric() || c == '-'))
            .unwrap_or(after.len());
        // Short tails ("api-v2", "api-key") are words, not secrets: a secret carries a UUID.
        if len >= 16 {
            out.push_str(PREFIX);
            out.push('…');
            out.push_str(&after[len - 4..len]);
        } else {
            out.push_str(PREFIX);
            out.push_str(&after[..len]);
        }
        rest = &after[len..];
    }
    out.push_str(rest);
    out
}

#[cfg(test)]
mod tests {
    use super::redact_secrets;

    #[test]
    fn secrets_keep_only_their_last_four_characters() {
        let s = "bad token api-3f2a1b4c-5d6e-4f70-8a9b-0c1d2e3f4a5b here";
        assert_eq!(redact_secrets(s), "bad token api-…4a5b here");
    }

    #[test]
    fn several_secrets_and_plain_words() {
        let s = "api-v2 and \"api-00000000-0000-4000-8000-000000000001\",api-00000000-0000-4000-8000-0000000000ff";
        assert_eq!(redact_secrets(s), "api-v2 and \"api-…0001\",api-…00ff");
    }

    #[test]
    fn text_without_secrets_is_unchanged() {
        for s in ["", "api-", "no secrets", "trailing api-", "ümlaut api-ü"] {
            assert_eq!(redact_secrets(s), s);
        }
    }
}
