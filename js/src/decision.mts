// What the package adds to the generated classes: a memo of the answers `Principal` and `Policy` gave, and a
// coded `TypeError` for a member of a freed object.
//
// The WebAssembly side answers every question itself (`Principal.can`, `Principal.explain`, `Policy.can`,
// `Policy.evaluate`, in `src/wasm/principal.rs` and `src/wasm/policy.rs`). A principal or a compiled policy
// never changes its mind, and callers ask the same questions again and again (a list re-rendered, a menu of
// actions), so the package remembers each answer it was given, by the exact strings asked about (an action, then
// a resource: never one string made of both, which two different questions could share), and a question asked
// again does not call into the module: copying the two strings into it costs more than the lookup. Answers are
// plain objects (or booleans); an object is handed out as a fresh copy, so that changing one changes nothing
// the memo holds. They can be spread, cloned (`structuredClone`) and posted (`postMessage`).
//
// The one source of decision.mjs and (through the link decision.cts) decision.cjs.

import type { Verdict } from "./tokengate.js" with { "resolution-mode": "import" };

/** Most answers one object remembers for one method; when it has this many it forgets them all. */
const MEMO_LIMIT = 1024;

/** The methods whose answers are remembered, on whichever generated class has them. */
const REMEMBERED_METHODS = ["can", "explain", "evaluate"] as const;

/** One object's remembered answers for one method: by action, then by resource. */
interface Memo {
  answers: Map<string, Map<string, unknown>>;
  /** How many answers `answers` holds, over every action. */
  count: number;
}

/** Classes whose methods already remember their answers: the entries may install more than once. */
const installed = new WeakSet<object>();

/** A copy of plain data (what `JSON.parse` makes: arrays, plain objects, strings, numbers, booleans, null). */
function copyData<T>(value: T): T {
  if (typeof value !== "object" || value === null) return value;
  if (Array.isArray(value)) return (value as unknown[]).map(copyData) as T;
  const source = value as Record<string, unknown>;
  const out: Record<string, unknown> = {};
  for (const key of Object.keys(source)) out[key] = copyData(source[key]);
  return out as T;
}

/**
 * A copy of what `can` answers: a `Principal`'s `Verdict` (written out field by field, which V8 builds several
 * times faster than a spread; the type requires every field of `Verdict`, so one added in Rust breaks this build,
 * not the copy), or a `Policy`'s boolean.
 */
function copyVerdict<T>(value: T): T {
  if (typeof value !== "object" || value === null) return value;
  const verdict = value as unknown as Verdict;
  const copy: { [K in keyof Verdict]-?: Verdict[K] } = {
    allowed: verdict.allowed,
    effect: verdict.effect,
    indeterminate: verdict.indeterminate,
  };
  return copy as T;
}

/** The glue's classes, as `guardFreed` reads them. */
export interface GlueClass {
  readonly name: string;
  readonly prototype: object;
}

/** Classes whose members already check for a freed object. */
const guarded = new WeakSet<object>();

/**
 * Whether `value` is an object of the glue that was freed: the glue keeps each object's pointer into the module
 * in `__wbg_ptr`, and sets it to 0 when the object is freed (`free()`, `Symbol.dispose`) or handed over to the
 * module. Anything else (a live object, a value that is not one of the glue's) is left to the glue.
 */
function isFreed(value: unknown): boolean {
  return typeof value === "object" && value !== null && (value as { readonly __wbg_ptr?: unknown }).__wbg_ptr === 0;
}

/** The error for a member of a freed object, as the package's other coded `TypeError`s are made. */
function freedError(className: string, member: string): TypeError {
  const error = new TypeError(
    `${className}.${member}: this ${className} was freed (free() was called, or a using block ended); make a new one`,
  ) as TypeError & { code?: "freed" };
  error.code = "freed";
  return error;
}

/**
 * Makes every method and getter of the glue's classes throw a `TypeError` with `code` `"freed"` when called on a
 * freed object, rather than the glue's plain `Error("null pointer passed to rust")`; `free()` and
 * `Symbol.dispose` of a freed object do nothing (disposing twice is harmless). Classes are the glue's exports that
 * have `free`; call it after `installDecisions`, so that `can` and `explain` are covered too. Again is harmless.
 */
export function guardFreed(glue: object): void {
  for (const exported of Object.values(glue) as unknown[]) {
    if (typeof exported !== "function") continue;
    const cls = exported as GlueClass;
    const proto = cls.prototype as Record<PropertyKey, unknown> | undefined;
    if (typeof proto !== "object" || proto === null || typeof proto.free !== "function" || guarded.has(cls)) continue;
    guarded.add(cls);
    const className = cls.name;
    for (const key of Reflect.ownKeys(proto)) {
      if (key === "constructor") continue;
      const descriptor = Object.getOwnPropertyDescriptor(proto, key);
      if (descriptor === undefined || !descriptor.configurable) continue;
      const member = typeof key === "symbol" ? `[${key.description ?? "symbol"}]` : key;
      const disposes = key === "free" || (typeof Symbol.dispose === "symbol" && key === Symbol.dispose);
      const method = descriptor.value;
      if (typeof method === "function") {
        const original = method as (this: unknown, ...args: unknown[]) => unknown;
        const guardedMethod = disposes
          ? function (this: unknown, ...args: unknown[]): unknown {
              return isFreed(this) ? undefined : original.apply(this, args);
            }
          : function (this: unknown, ...args: unknown[]): unknown {
              if (isFreed(this)) throw freedError(className, member);
              return original.apply(this, args);
            };
        Object.defineProperty(guardedMethod, "name", { value: original.name });
        Object.defineProperty(proto, key, { ...descriptor, value: guardedMethod });
      } else if (typeof descriptor.get === "function") {
        const get = descriptor.get as (this: unknown) => unknown;
        const set = descriptor.set as ((this: unknown, value: unknown) => void) | undefined;
        Object.defineProperty(proto, key, {
          ...descriptor,
          get(this: unknown): unknown {
            if (isFreed(this)) throw freedError(className, member);
            return get.call(this);
          },
          ...(set === undefined
            ? {}
            : {
                set(this: unknown, value: unknown): void {
                  if (isFreed(this)) throw freedError(className, member);
                  set.call(this, value);
                },
              }),
        });
      }
    }
  }
}

/**
 * Makes the methods `can`, `explain` and `evaluate` of a generated class (`Principal`, `Policy`) remember the
 * answers they give, by action and resource, and hand out copies; a question with an argument that is not a
 * string goes to the module, which throws for it. Freeing an object forgets its answers. Call it before
 * `guardFreed`, so that a freed object throws before its memo is read. Again is harmless.
 */
export function installDecisions(cls: { readonly prototype: object }): void {
  if (installed.has(cls)) return;
  installed.add(cls);
  const proto = cls.prototype as Record<PropertyKey, unknown>;
  const memos: WeakMap<object, Memo>[] = [];
  for (const name of REMEMBERED_METHODS) {
    const original = proto[name];
    if (typeof original !== "function") continue;
    const ask = original as (this: object, action: unknown, resource: unknown) => unknown;
    const memoOf = new WeakMap<object, Memo>();
    memos.push(memoOf);
    // `can` answers a verdict (or a boolean); the others a nested `Decision`.
    const copy = name === "can" ? copyVerdict : copyData;
    const remembering = function (this: object, action: unknown, resource: unknown): unknown {
      if (typeof action !== "string" || typeof resource !== "string") return ask.call(this, action, resource);
      let memo = memoOf.get(this);
      let byResource = memo?.answers.get(action);
      // No answer is `undefined`, so one lookup tells whether there is one.
      const known = byResource?.get(resource);
      if (known !== undefined) return copy(known);
      const answer = ask.call(this, action, resource);
      if (memo === undefined) {
        memo = { answers: new Map(), count: 0 };
        memoOf.set(this, memo);
      } else if (memo.count >= MEMO_LIMIT) {
        memo.answers.clear();
        memo.count = 0;
        byResource = undefined;
      }
      if (byResource === undefined) {
        byResource = new Map();
        memo.answers.set(action, byResource);
      }
      byResource.set(resource, answer);
      memo.count++;
      return copy(answer);
    };
    Object.defineProperty(remembering, "name", { value: ask.name });
    Object.defineProperty(proto, name, { value: remembering, writable: true, configurable: true, enumerable: false });
  }
  // Freeing an object forgets its answers at once rather than when it is collected.
  const free = proto.free;
  if (typeof free !== "function") throw new Error("tokengate: a generated class without free()");
  const freeAndForget = function (this: object): void {
    for (const memoOf of memos) memoOf.delete(this);
    (free as (this: object) => void).call(this);
  };
  const disposers: PropertyKey[] = ["free"];
  if (typeof Symbol.dispose === "symbol" && Symbol.dispose in proto) disposers.push(Symbol.dispose);
  for (const key of disposers) {
    Object.defineProperty(proto, key, { value: freeAndForget, writable: true, configurable: true, enumerable: false });
  }
}
