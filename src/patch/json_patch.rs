//! RFC 6902 operations on a `serde_json::Value`.

use super::pointer::{parse_index, render, resolve, resolve_mut, Pointer};
use super::PatchError;
use crate::model::PatchOperation;
use serde_json::Value;

/// The six RFC 6902 operations.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum OpKind {
    /// `add`: insert a value into an array, or set an object member.
    Add,
    /// `remove`: remove the value at `path`.
    Remove,
    /// `replace`: replace the existing value at `path`.
    Replace,
    /// `move`: remove the value at `from` and add it at `path`.
    Move,
    /// `copy`: add a copy of the value at `from` at `path`.
    Copy,
    /// `test`: check that the value at `path` equals `value`.
    Test,
}

impl OpKind {
    /// Parses the `op` member; anything but the six names is `None`.
    pub fn parse(op: &str) -> Option<OpKind> {
        Some(match op {
            "add" => OpKind::Add,
            "remove" => OpKind::Remove,
            "replace" => OpKind::Replace,
            "move" => OpKind::Move,
            "copy" => OpKind::Copy,
            "test" => OpKind::Test,
            _ => return None,
        })
    }

    /// The wire name.
    pub fn as_str(self) -> &'static str {
        match self {
            OpKind::Add => "add",
            OpKind::Remove => "remove",
            OpKind::Replace => "replace",
            OpKind::Move => "move",
            OpKind::Copy => "copy",
            OpKind::Test => "test",
        }
    }

    /// Whether the operation changes the value at its `path` (every operation but `test`).
    pub fn writes_path(self) -> bool {
        self != OpKind::Test
    }
}

/// An operation checked for form: a known `op`, well-formed pointers, and the members its kind requires.
#[derive(Clone, Debug, PartialEq)]
pub struct ParsedOperation {
    /// Which operation.
    pub kind: OpKind,
    /// Where it applies (the `path` member).
    pub path: Pointer,
    /// Present for `move` and `copy` only.
    pub from: Option<Pointer>,
    /// Present for `add`, `replace` and `test` only.
    pub value: Option<Value>,
}

impl ParsedOperation {
    /// `op path` (and `from` for move and copy), for messages.
    pub fn describe(&self) -> String {
        match &self.from {
            Some(from) => format!(
                "{} {} from {}",
                self.kind.as_str(),
                render(self.path.tokens()),
                render(from.tokens())
            ),
            None => format!("{} {}", self.kind.as_str(), render(self.path.tokens())),
        }
    }
}

/// Checks every operation's form before any is applied, so that a malformed patch is always a 400, whatever
/// the document holds.
pub fn parse_operations(ops: &[PatchOperation]) -> Result<Vec<ParsedOperation>, PatchError> {
    ops.iter()
        .enumerate()
        .map(|(index, op)| {
            let describe = format!("{} {}", op.op, op.path);
            parse_one(op).map_err(|e| e.at(index, &describe))
        })
        .collect()
}

fn parse_one(op: &PatchOperation) -> Result<ParsedOperation, PatchError> {
    let kind = OpKind::parse(&op.op).ok_or_else(|| {
        PatchError::invalid(format!(
            "unknown op \"{}\"; expected add, remove, replace, move, copy or test",
            op.op
        ))
    })?;
    let path = Pointer::parse(&op.path)?;
    let needs_value = matches!(kind, OpKind::Add | OpKind::Replace | OpKind::Test);
    let needs_from = matches!(kind, OpKind::Move | OpKind::Copy);
    let value = match (&op.value, needs_value) {
        (Some(v), true) => Some(v.clone()),
        (None, true) => {
            return Err(PatchError::invalid(format!(
                "\"{}\" needs a \"value\"",
                kind.as_str()
            )))
        }
        (_, false) => None,
    };
    let from = match (&op.from, needs_from) {
        (Some(f), true) => Some(Pointer::parse(f)?),
        (None, true) => {
            return Err(PatchError::invalid(format!(
                "\"{}\" needs a \"from\"",
                kind.as_str()
            )))
        }
        (_, false) => None,
    };
    if kind == OpKind::Move {
        if let Some(from) = &from {
            // RFC 6902 §4.4: a value cannot be moved into one of its own children.
            if from.is_proper_prefix_of(&path) {
                return Err(PatchError::invalid(
                    "a value cannot be moved into one of its own children",
                ));
            }
        }
    }
    Ok(ParsedOperation {
        kind,
        path,
        from,
        value,
    })
}

/// Applies an RFC 6902 patch to `doc`, all or nothing: on any error `doc` is left exactly as it was.
///
/// Malformed operations (unknown `op`, bad pointer, missing `value` or `from`) are 400 `invalid_request`;
/// operations that do not fit the document (a missing target, an index out of range, a failed `test`) are
/// 422 `patch_failed`.
pub fn apply_json_patch(doc: &mut Value, ops: &[PatchOperation]) -> Result<(), PatchError> {
    let parsed = parse_operations(ops)?;
    apply_parsed(doc, &parsed)
}

/// Applies operations already checked by [`parse_operations`], all or nothing.
pub fn apply_parsed(doc: &mut Value, ops: &[ParsedOperation]) -> Result<(), PatchError> {
    // Working on a copy is what makes the patch atomic: the caller's document is replaced only once every
    // operation has succeeded. Token documents are small, so the copy is cheap.
    let mut work = doc.clone();
    for (index, op) in ops.iter().enumerate() {
        apply_one(&mut work, op).map_err(|e| e.at(index, &op.describe()))?;
    }
    *doc = work;
    Ok(())
}

pub(crate) fn apply_one(doc: &mut Value, op: &ParsedOperation) -> Result<(), PatchError> {
    let value = || op.value.clone().unwrap_or(Value::Null);
    match op.kind {
        OpKind::Add => add(doc, &op.path, value()),
        OpKind::Remove => remove(doc, &op.path).map(drop),
        OpKind::Replace => replace(doc, &op.path, value()),
        OpKind::Move => {
            let from = op.from.as_ref().unwrap_or(&op.path);
            if from == &op.path {
                // Moving a value onto itself changes nothing, but the value must still exist.
                return existing(doc, from).map(drop);
            }
            let moved = remove(doc, from)?;
            add(doc, &op.path, moved)
        }
        OpKind::Copy => {
            let from = op.from.as_ref().unwrap_or(&op.path);
            let copied = existing(doc, from)?.clone();
            add(doc, &op.path, copied)
        }
        OpKind::Test => {
            let actual = existing(doc, &op.path)?;
            if json_equal(actual, op.value.as_ref().unwrap_or(&Value::Null)) {
                Ok(())
            } else {
                Err(PatchError::failed(format!(
                    "test failed: the value at \"{}\" is not the one given",
                    render(op.path.tokens())
                )))
            }
        }
    }
}

fn existing<'a>(doc: &'a Value, path: &Pointer) -> Result<&'a Value, PatchError> {
    resolve(doc, path.tokens()).ok_or_else(|| missing(path.tokens()))
}

fn missing(tokens: &[String]) -> PatchError {
    PatchError::failed(format!("there is no value at \"{}\"", render(tokens)))
}

fn parent_of<'a>(doc: &'a mut Value, parent: &[String]) -> Result<&'a mut Value, PatchError> {
    resolve_mut(doc, parent).ok_or_else(|| missing(parent))
}

fn array_index(
    token: &str,
    len: usize,
    allow_end: bool,
    parent: &[String],
) -> Result<usize, PatchError> {
    let index = parse_index(token).ok_or_else(|| {
        PatchError::failed(format!(
            "\"{token}\" is not an index of the array at \"{}\"",
            render(parent)
        ))
    })?;
    let limit = if allow_end {
        len
    } else {
        len.saturating_sub(1)
    };
    if index > limit || (!allow_end && len == 0) {
        return Err(PatchError::failed(format!(
            "index {index} is out of range for the array at \"{}\" (length {len})",
            render(parent)
        )));
    }
    Ok(index)
}

fn add(doc: &mut Value, path: &Pointer, value: Value) -> Result<(), PatchError> {
    let Some((parent, last)) = path.split_last() else {
        *doc = value;
        return Ok(());
    };
    match parent_of(doc, parent)? {
        Value::Object(map) => {
            map.insert(last.to_owned(), value);
            Ok(())
        }
        Value::Array(items) => {
            if last == "-" {
                items.push(value);
            } else {
                let index = array_index(last, items.len(), true, parent)?;
                items.insert(index, value);
            }
            Ok(())
        }
        _ => Err(not_a_container(parent)),
    }
}

fn remove(doc: &mut Value, path: &Pointer) -> Result<Value, PatchError> {
    let Some((parent, last)) = path.split_last() else {
        return Err(PatchError::failed("the whole document cannot be removed"));
    };
    match parent_of(doc, parent)? {
        Value::Object(map) => map.remove(last).ok_or_else(|| missing(path.tokens())),
        Value::Array(items) => {
            let index = array_index(last, items.len(), false, parent)?;
            Ok(items.remove(index))
        }
        _ => Err(missing(path.tokens())),
    }
}

fn replace(doc: &mut Value, path: &Pointer, value: Value) -> Result<(), PatchError> {
    let target = resolve_mut(doc, path.tokens()).ok_or_else(|| missing(path.tokens()))?;
    *target = value;
    Ok(())
}

fn not_a_container(parent: &[String]) -> PatchError {
    PatchError::failed(format!(
        "the value at \"{}\" is neither an object nor an array",
        render(parent)
    ))
}

/// JSON equality as RFC 6902 `test` defines it: numbers compare by value (`1` equals `1.0`), objects by their
/// members regardless of order, arrays element by element.
pub fn json_equal(a: &Value, b: &Value) -> bool {
    match (a, b) {
        (Value::Number(x), Value::Number(y)) => {
            if let (Some(x), Some(y)) = (x.as_i64(), y.as_i64()) {
                x == y
            } else if let (Some(x), Some(y)) = (x.as_u64(), y.as_u64()) {
                x == y
            } else {
                x.as_f64() == y.as_f64()
            }
        }
        (Value::Array(x), Value::Array(y)) => {
            x.len() == y.len() && x.iter().zip(y).all(|(x, y)| json_equal(x, y))
        }
        (Value::Object(x), Value::Object(y)) => {
            x.len() == y.len()
                && x.iter()
                    .all(|(k, v)| y.get(k).is_some_and(|w| json_equal(v, w)))
        }
        _ => a == b,
    }
}
