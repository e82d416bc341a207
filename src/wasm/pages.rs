//! `listAll()`: an async iterator over every token, fetching the next page only when the current one is used up.

use super::call::{call_object, decodes_as, CallContext};
use super::convert::{decode, from_js_or_default, property};
use super::errors::api_error;
use crate::api::{next_page, ApiError, ApiRequest, ListParams};
use crate::json::{At, FromJson, JsonError};
use crate::model::Tokens;
use js_sys::{Array, Object, Promise, Reflect, Symbol};
use serde_json::Value;
use std::cell::RefCell;
use std::collections::VecDeque;
use std::rc::Rc;
use wasm_bindgen::prelude::*;
use wasm_bindgen_futures::{future_to_promise, JsFuture};

#[derive(Default)]
struct ListAllOptions {
    show_all: Option<bool>,
    page_size: Option<u32>,
}

impl FromJson for ListAllOptions {
    fn from_json(value: &Value, at: At<'_>) -> Result<Self, JsonError> {
        let object = crate::json::Object::new(value, at)?;
        object.finish(ListAllOptions {
            show_all: object.optional("showAll"),
            page_size: object.optional("pageSize"),
        })
    }
}

struct State {
    shared: Rc<CallContext>,
    /// The options object, kept for its `signal`.
    options: JsValue,
    /// The page to fetch next; `None` once the last page has been fetched.
    next: Option<ListParams>,
    /// Tokens of the current page not yet handed out, as the server sent them.
    buffer: VecDeque<JsValue>,
    finished: bool,
    /// The promise of the latest `next()`, so that overlapping calls are answered in order.
    tail: Option<Promise>,
}

/// The iterator behind `listAll()`. Its TypeScript face is `AsyncIterableIterator<Token>`.
#[wasm_bindgen(skip_typescript)]
pub struct TokenPages {
    state: Rc<RefCell<State>>,
}

fn iterator_result(value: Option<JsValue>) -> JsValue {
    let result = Object::new();
    let done = value.is_none();
    let _ = Reflect::set(
        &result,
        &"value".into(),
        &value.unwrap_or(JsValue::UNDEFINED),
    );
    let _ = Reflect::set(&result, &"done".into(), &JsValue::from_bool(done));
    result.into()
}

async fn advance(state: &Rc<RefCell<State>>) -> Result<JsValue, ApiError> {
    loop {
        let (shared, params, options) = {
            let mut s = state.borrow_mut();
            if let Some(token) = s.buffer.pop_front() {
                return Ok(iterator_result(Some(token)));
            }
            match (s.finished, s.next) {
                (false, Some(params)) => (s.shared.clone(), params, s.options.clone()),
                _ => {
                    s.finished = true;
                    return Ok(iterator_result(None));
                }
            }
        };
        let request = Ok(ApiRequest::list_tokens(&params));
        let fetched = call_object(shared, options, request, decodes_as::<Tokens>, "Tokens")
            .await
            .and_then(|(raw, json)| {
                // `decodes_as` has just accepted this very value, so this cannot fail; an error is kept typed.
                let page: Tokens =
                    decode(&json, "Tokens").map_err(|e| ApiError::unexpected_response(200, e))?;
                Ok((raw, page))
            });
        let mut s = state.borrow_mut();
        match fetched {
            Ok((raw, page)) => {
                s.next = next_page(&params, &page);
                if !s.finished {
                    if let Ok(items) = property(&raw, "items").dyn_into::<Array>() {
                        s.buffer.extend(items.iter());
                    }
                }
            }
            Err(error) => {
                // An iterator that threw is done; a retry is a new `listAll()`.
                s.finished = true;
                return Err(error);
            }
        }
    }
}

impl TokenPages {
    /// Starts an iteration (nothing is fetched until the first `next()`).
    pub(super) fn start(shared: Rc<CallContext>, options: &JsValue) -> Result<JsValue, ApiError> {
        let parsed: ListAllOptions = from_js_or_default(options.clone(), "listAll options")
            .map_err(ApiError::invalid_argument)?;
        if parsed.page_size == Some(0) {
            return Err(ApiError::invalid_argument("`pageSize` must be at least 1"));
        }
        shared.transport(options)?; // validates `signal` now rather than at the first page
        let pages = TokenPages {
            state: Rc::new(RefCell::new(State {
                shared,
                options: options.clone(),
                next: Some(ListParams {
                    show_all: parsed.show_all,
                    limit: parsed.page_size,
                    offset: None,
                }),
                buffer: VecDeque::new(),
                finished: false,
                tail: None,
            })),
        };
        let value = JsValue::from(pages);
        // An async iterator's `[Symbol.asyncIterator]()` returns the iterator itself, which is exactly what
        // `Object.prototype.valueOf` does for an object, so no closure needs to be created for it.
        let value_of =
            Reflect::get(&Object::new(), &"valueOf".into()).unwrap_or(JsValue::UNDEFINED);
        let _ = Reflect::set(&value, &Symbol::async_iterator(), &value_of);
        Ok(value)
    }
}

#[wasm_bindgen]
impl TokenPages {
    /// The next token, fetching a page when needed.
    pub fn next(&self) -> Promise {
        let state = self.state.clone();
        let previous = state.borrow_mut().tail.take();
        let promise = future_to_promise(async move {
            if let Some(previous) = previous {
                let _ = JsFuture::from(previous).await;
            }
            advance(&state).await.map_err(|e| api_error(&e))
        });
        self.state.borrow_mut().tail = Some(promise.clone());
        promise
    }

    /// Ends the iteration early (`break` in `for await`).
    #[wasm_bindgen(js_name = "return")]
    pub fn finish(&self) -> Promise {
        let mut s = self.state.borrow_mut();
        s.finished = true;
        s.buffer.clear();
        Promise::resolve(&iterator_result(None))
    }
}
