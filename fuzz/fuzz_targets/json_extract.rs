//! The model's own readers (`FromJson`) on arbitrary documents, against its serde derives.
//! Input: the text, as UTF-8, read as a JSON document, then as each wire type. Checks: no panic; what a reader
//! accepts serde accepts too, as the same model (serde also reads a struct from an array of its fields, which
//! the readers refuse, so the converse is not required); a refusal names a JSON pointer that exists in the
//! document; what a reader accepts, written back and read again, is the same model.
#![no_main]

use libfuzzer_sys::fuzz_target;
use serde::de::DeserializeOwned;
use serde_json::Value;
use std::fmt::Debug;
use tokengate::json::{parse, to_text, At, FromJson, ToJson};
use tokengate::{
    AccessTokenPost, CallerIdentity, CustomRole, Member, PatchRequest, Statement, Team, Token, Tokens,
};

fn check<T: FromJson + ToJson + DeserializeOwned + PartialEq + Debug>(document: &Value) {
    match T::from_json(document, At::Root) {
        Ok(ours) => {
            let theirs: T = serde_json::from_value(document.clone())
                .unwrap_or_else(|e| panic!("the reader accepted what serde refuses ({e})"));
            assert_eq!(ours, theirs, "the reader and serde read different models");
            let again = parse(&to_text(&ours)).expect("the writer writes JSON");
            assert_eq!(T::from_json(&again, At::Root).ok(), Some(ours), "written and read back, the model changed");
        }
        Err(error) => {
            assert!(
                document.pointer(&error.pointer).is_some(),
                "the error's pointer {:?} is not in the document",
                error.pointer
            );
        }
    }
}

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let Ok(document) = parse(text) else {
        return;
    };
    check::<Token>(&document);
    check::<Tokens>(&document);
    check::<Member>(&document);
    check::<CustomRole>(&document);
    check::<Team>(&document);
    check::<Statement>(&document);
    check::<Vec<Statement>>(&document);
    check::<PatchRequest>(&document);
    check::<AccessTokenPost>(&document);
    check::<CallerIdentity>(&document);
});
