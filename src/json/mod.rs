//! JSON for the boundary without serde's derived code: a parser that never recurses ([`parse`]), extraction
//! of typed values that names the JSON pointer at fault ([`FromJson`], [`Object`]), values written field by
//! field straight into text ([`ToJson`], [`ObjectBuilder`]) and a plain writer of documents ([`write`]).
//!
//! Why not serde: serde's derives monomorphize a visitor per type and per format; in the WebAssembly module
//! that was the largest single cost of moving values across the boundary, and its errors say neither where
//! the bad value is nor what path leads there. The document type is `serde_json::Value` (a plain enum and
//! map; using it calls none of serde's (de)serialization code), so the JSON Patch code and the model's free-form
//! fields share it. Natively the model keeps its serde derives for the emulator and Rust users; the tests
//! decode and encode every fixture both ways and require the same model and the same JSON.

mod extract;
mod parse;
mod write;

pub use extract::{kind_of, one_of, At, FromJson, JsonError, Object};
pub use parse::{parse, parse_with, FloatReader, ParseError, MAX_DEPTH, MAX_TEXT_BYTES};
pub use write::{to_text, to_text_with, write, FloatWriter, JsonOut, ObjectBuilder, ToJson};
