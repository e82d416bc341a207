// `Principal.prototype.can` and `Principal.prototype.explain`: plain answers, from internals nobody else reaches.
//
// The WebAssembly side answers `can` with a number from an allocation-free check (`__checkSlots`, or
// `__checkResource` for a resource it has not seen, which parses, remembers and checks in one call); building the
// whole explanation (`__explainSlots`: matched statements, a sentence, missing roles) costs many times more, and
// most callers only want `allowed`. So `can` answers `{ allowed, effect, indeterminate }` and `explain` the whole
// `Decision`. A principal never changes its mind, so both remember what they answered: a repeated `can` does not
// call into the module at all, and `explain` hands out a fresh copy of the decision it built. Both answers are
// plain objects: they can be spread, cloned (`structuredClone`) and posted (`postMessage`).
//
// The generated class carries the internal methods (`__checkSlots`, `__checkResource`, `__explainSlots`,
// `__slotAction`, `__slotResource`, `__forgetSlots`); `installDecisions` takes them off its prototype and keeps
// them here, so nothing outside this module can call them. They are left out of the generated declarations
// (`skip_typescript`), so their types are written here, as `src/wasm/principal.rs` defines them.
//
// The one source of decision.mjs and (through the link decision.cts) decision.cjs.

import type { Decision, DecisionEffect, Verdict, evaluate as GlueEvaluate } from "./tokengate.js" with { "resolution-mode": "import" };

/** What `__checkSlots`'s numbers mean: [effect, allowed, indeterminate]. */
const ANSWERS: readonly (readonly [DecisionEffect, boolean, boolean])[] = [
  ["allow", true, false],
  ["deny", false, false],
  ["default-deny", false, false],
  ["default-deny", false, true],
];

/** The generated class's internal methods, as the WebAssembly side defines them; `this` is a `Principal`. */
interface Internals {
  /**
   * The answer (an index into `ANSWERS`) for an action and a resource numbered by the methods below;
   * `NO_SUCH_SLOT` for a number not handed out.
   */
  __checkSlots(this: object, actionSlot: number, resourceSlot: number): number;
  /**
   * Parses and numbers `resource` and answers for the numbered action on it: its number times 4 plus the
   * answer. Throws a `PolicyError` for a resource that does not parse.
   */
  __checkResource(this: object, actionSlot: number, resource: string): number;
  /** The whole decision for a numbered action and resource; the optional lists are left out when empty. */
  __explainSlots(this: object, actionSlot: number, resourceSlot: number): Decision;
  __slotAction(this: object, action: string): number;
  /** Throws a `PolicyError` for a resource that does not parse. */
  __slotResource(this: object, resource: string): number;
  __forgetSlots(this: object): void;
}

/** The generated class's internal methods, taken off its prototype. */
const INTERNAL: readonly (keyof Internals)[] = [
  "__checkSlots", "__checkResource", "__explainSlots", "__slotAction", "__slotResource", "__forgetSlots",
];

/** What `__checkSlots` answers for a number it did not hand out. */
const NO_SUCH_SLOT = 0xffff_ffff;

/** Most actions and resources a principal remembers before it forgets them all and starts over. */
const REMEMBERED = 512;

/** Classes already completed: the entry points may install more than once (`init()` called again). */
const installed = new WeakSet<object>();

/** What one principal remembers of one action it was asked about. */
interface ActionSlot {
  /** The action's number in the module. */
  slot: number;
  /** The answers (indexes into `ANSWERS`) `can` was given for it, by resource number. */
  answers: Map<number, number>;
  /** The decisions `explain` built for it, by resource number; only copies are handed out. */
  decisions: Map<number, Decision>;
}

/**
 * The numbers one principal has been given for the actions and resources it was asked about, and its answers.
 * Everything is keyed by the values themselves (an action, then a resource), never by a string or number made
 * of both, which two different questions could share.
 */
interface Slots {
  actions: Map<string, ActionSlot>;
  resources: Map<string, number>;
  /** How many decisions `explain` keeps, over every action. */
  decisionCount: number;
}

/** A copy of plain data (what `JSON.parse` makes: arrays, plain objects, strings, numbers, booleans, null). */
function copyData<T>(value: T): T {
  if (typeof value !== "object" || value === null) return value;
  if (Array.isArray(value)) return (value as unknown[]).map(copyData) as T;
  const source = value as Record<string, unknown>;
  const out: Record<string, unknown> = {};
  for (const key of Object.keys(source)) out[key] = copyData(source[key]);
  return out as T;
}

/** The error for an argument of the wrong type, as the WebAssembly side throws it. */
function notString(what: string): TypeError {
  const error = new TypeError(`${what} must be a string`) as TypeError & { code?: "invalid_argument" };
  error.code = "invalid_argument";
  return error;
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

/** Defines `can` and `explain` on the generated `Principal` class and removes its internal methods. */
export function installDecisions(Principal: { readonly prototype: object }): void {
  if (installed.has(Principal)) return;
  const proto = Principal.prototype as Partial<Internals>;
  for (const name of INTERNAL) {
    if (typeof proto[name] !== "function") throw new Error(`tokengate: Principal.prototype.${name} is missing`);
  }
  const { __checkSlots: checkSlots, __checkResource: checkResource, __explainSlots: explainSlots,
    __slotAction: slotAction, __slotResource: slotResource, __forgetSlots: forgetSlots } = proto as Internals;
  for (const name of INTERNAL) delete proto[name];
  installed.add(Principal);

  // Each principal numbers the actions and resources it has been asked about (the module keeps the parsed
  // resources); the numbers are kept here by string, so a repeated question crosses into the module as two
  // numbers. Only this function hands out and forgets numbers, so both sides always agree.
  const slotsByPrincipal = new WeakMap<object, Slots>();
  function slotsOf(principal: object): Slots {
    let slots = slotsByPrincipal.get(principal);
    if (slots === undefined) {
      slots = { actions: new Map(), resources: new Map(), decisionCount: 0 };
      slotsByPrincipal.set(principal, slots);
    } else if (slots.actions.size + slots.resources.size >= REMEMBERED) {
      forgetSlots.call(principal);
      slots.actions.clear();
      slots.resources.clear();
      slots.decisionCount = 0;
    }
    return slots;
  }

  function actionSlotOf(principal: object, slots: Slots, action: string): ActionSlot {
    let actionSlot = slots.actions.get(action);
    if (actionSlot === undefined) {
      actionSlot = { slot: slotAction.call(principal, action), answers: new Map(), decisions: new Map() };
      slots.actions.set(action, actionSlot);
    }
    return actionSlot;
  }

  function can(this: object, action: unknown, resource: unknown): Verdict {
    if (typeof action !== "string") throw notString("action");
    if (typeof resource !== "string") throw notString("resource");
    const slots = slotsOf(this);
    const actionSlot = actionSlotOf(this, slots, action);
    let resourceSlot = slots.resources.get(resource);
    let code: number;
    if (resourceSlot === undefined) {
      // A resource not seen before: parsed, numbered and checked in one call.
      const packed = checkResource.call(this, actionSlot.slot, resource);
      resourceSlot = packed >>> 2;
      slots.resources.set(resource, resourceSlot);
      code = packed & 3;
    } else {
      // A question asked again is answered here from then on: a principal never changes its mind, and a call
      // into the module costs more than the lookup. (Not remembered on first sight: most resources of a long
      // list are asked about once, and the entry would cost them time for nothing.)
      const remembered = actionSlot.answers.get(resourceSlot);
      if (remembered === undefined) {
        code = checkSlots.call(this, actionSlot.slot, resourceSlot);
        if (code < ANSWERS.length) actionSlot.answers.set(resourceSlot, code);
      } else {
        code = remembered;
      }
    }
    const answer = ANSWERS[code];
    if (answer === undefined) {
      throw new Error(`tokengate: Principal.prototype.__checkSlots gave ${code === NO_SUCH_SLOT ? "no" : "an unknown"} answer`);
    }
    return { allowed: answer[1], effect: answer[0], indeterminate: answer[2] };
  }

  function explain(this: object, action: unknown, resource: unknown): Decision {
    if (typeof action !== "string") throw notString("action");
    if (typeof resource !== "string") throw notString("resource");
    const slots = slotsOf(this);
    const actionSlot = actionSlotOf(this, slots, action);
    let resourceSlot = slots.resources.get(resource);
    if (resourceSlot === undefined) {
      resourceSlot = slotResource.call(this, resource);
      slots.resources.set(resource, resourceSlot);
    }
    let decision = actionSlot.decisions.get(resourceSlot);
    if (decision === undefined) {
      const full = explainSlots.call(this, actionSlot.slot, resourceSlot);
      // Every field a `can` answer has, and the lists even when empty, in one order.
      decision = {
        allowed: full.allowed,
        effect: full.effect,
        indeterminate: full.indeterminate === true,
        matched: full.matched,
        reason: full.reason,
        summary: full.summary,
        decidedBy: full.decidedBy,
        missingRoles: full.missingRoles ?? [],
        missingFacts: full.missingFacts ?? [],
      };
      if (full.viewRequired !== undefined) decision.viewRequired = full.viewRequired;
      if (full.checks !== undefined) decision.checks = full.checks;
      if (slots.decisionCount >= REMEMBERED) {
        for (const remembered of slots.actions.values()) remembered.decisions.clear();
        slots.decisionCount = 0;
      }
      actionSlot.decisions.set(resourceSlot, decision);
      slots.decisionCount++;
    }
    return copyData(decision);
  }

  // Freeing a principal forgets what it was asked, so that a freed principal's `can` throws as its other methods
  // do rather than answering from memory.
  const { free } = proto as { free?: (this: object) => void };
  if (typeof free !== "function") throw new Error("tokengate: Principal.prototype.free is missing");
  function freeAndForget(this: object): void {
    slotsByPrincipal.delete(this);
    free!.call(this);
  }
  const methods: [PropertyKey, unknown][] = [["can", can], ["explain", explain], ["free", freeAndForget]];
  if (typeof Symbol.dispose === "symbol" && Symbol.dispose in proto) methods.push([Symbol.dispose, freeAndForget]);
  for (const [name, value] of methods) {
    Object.defineProperty(proto, name, { value, writable: true, configurable: true, enumerable: false });
  }
}

/** The glue's `evaluate` and the internal functions the package's `evaluate` is built from (`src/wasm/policy.rs`). */
export interface EvaluateGlue {
  evaluate: typeof GlueEvaluate;
  /**
   * `evaluate` without options of the statements `text` holds (`readingText`), keeping them compiled:
   * `[number, decision]` (`NOT_KEPT`: not kept); `undefined` when the text is not a reading.
   */
  __evaluateKept(text: string, action: unknown, resource: unknown): [number, Decision] | undefined;
  /** `evaluate` of statements kept under `number`: the same answer and errors for `action` and `resource`. */
  __evaluateAgain(number: number, action: unknown, resource: unknown): Decision;
  __forgetKept(): void;
}

/** What `__evaluateKept` answers for statements it did not keep. */
const NOT_KEPT = 0xffff_ffff;

/** Most policies `evaluate` keeps compiled before it forgets them all and starts over. */
const KEPT_POLICIES = 64;

/** Most values `evaluate` reads itself (as the module's own reading, `MAX_VALUES`, stops at a million). */
const MAX_READ = 1_000_000;

/**
 * Statements as read once: for each statement its field count, then each field's name and value, an array's
 * value as its length and items. Only strings and arrays of strings: what policies are made of.
 */
type Reading = (string | number)[];

/**
 * Reads `statements` as the module does (`Array.isArray`, `length`, each index; `Object.keys`, each key), when
 * they are an array of objects whose values are strings or arrays of strings; `undefined` for anything else
 * (including a read that throws), which `evaluate` then leaves to the module, whose errors name what is wrong.
 */
function readStatements(statements: unknown): Reading | undefined {
  try {
    if (!Array.isArray(statements)) return undefined;
    const reading: Reading = [statements.length];
    for (let i = 0, count = statements.length; i < count; i++) {
      const statement: unknown = statements[i];
      if (typeof statement !== "object" || statement === null || Array.isArray(statement)) return undefined;
      const fields = statement as Record<string, unknown>;
      const names = Object.keys(fields);
      reading.push(names.length);
      for (const name of names) {
        const value = fields[name];
        if (typeof value === "string") {
          reading.push(name, value);
        } else if (Array.isArray(value)) {
          const length = value.length;
          reading.push(name, length);
          for (let j = 0; j < length; j++) {
            const item: unknown = value[j];
            if (typeof item !== "string") return undefined;
            reading.push(item);
          }
        } else {
          return undefined;
        }
      }
      if (reading.length > MAX_READ) return undefined;
    }
    return reading;
  } catch {
    return undefined;
  }
}

/** Whether reading `statements` again gives `reading` (`readStatements`' checks, without building anything). */
function readsAs(statements: unknown, reading: Reading): boolean {
  try {
    if (!Array.isArray(statements) || statements.length !== reading[0]) return false;
    let at = 1;
    for (let i = 0, count = statements.length; i < count; i++) {
      const statement: unknown = statements[i];
      if (typeof statement !== "object" || statement === null || Array.isArray(statement)) return false;
      const fields = statement as Record<string, unknown>;
      const names = Object.keys(fields);
      if (names.length !== reading[at++]) return false;
      for (const name of names) {
        if (name !== reading[at++]) return false;
        const value = fields[name];
        if (typeof value === "string") {
          if (value !== reading[at++]) return false;
        } else if (Array.isArray(value)) {
          const length = value.length;
          if (length !== reading[at++]) return false;
          for (let j = 0; j < length; j++) {
            if (value[j] !== reading[at++]) return false;
          }
        } else {
          return false;
        }
      }
    }
    return at === reading.length;
  } catch {
    return false;
  }
}

/**
 * A reading as text for the module (`reading_json` in `src/wasm/policy.rs`): a number as `n<digits>;`, a string
 * as `s<length>:<text>`.
 */
function readingText(reading: Reading): string {
  let text = "";
  for (const entry of reading) text += typeof entry === "number" ? `n${entry};` : `s${entry.length}:${entry}`;
  return text;
}

/** What `evaluate` keeps of one array of statements. */
interface Kept {
  /** How the statements read when they were compiled. */
  reading: Reading;
  /** Their number in the module. */
  number: number;
  /** Which `__forgetKept` the number is from. */
  generation: number;
  /**
   * Answers given, by action and then by resource (the values themselves, never a string made of both, which
   * two different questions could share); only copies are handed out.
   */
  decisions: Map<string, Map<string, Decision>>;
  /** How many answers `decisions` holds, over every action. */
  decisionCount: number;
}

/**
 * The package's `evaluate`: the glue's, except that an array of statements asked about before, and reading
 * the same since, is not read and compiled again, and an answer given before for the same action and resource is
 * given again as a fresh copy. The statements are read once per call, then compiled from what was read. The same
 * answers and the same errors either way; with options (role attributes) it is the glue's own.
 */
export function cachedEvaluate(glue: EvaluateGlue): typeof GlueEvaluate {
  const keptBy = new WeakMap<object, Kept>();
  let keptCount = 0;
  let generation = 0;
  return function evaluate(statements, action, resource, options) {
    if (options !== undefined || typeof statements !== "object" || statements === null) {
      return glue.evaluate(statements, action, resource, options);
    }
    const kept = keptBy.get(statements);
    if (kept !== undefined && kept.generation === generation && readsAs(statements, kept.reading)) {
      if (typeof action !== "string" || typeof resource !== "string") return glue.__evaluateAgain(kept.number, action, resource);
      let byResource = kept.decisions.get(action);
      let decision = byResource?.get(resource);
      if (decision === undefined) {
        decision = glue.__evaluateAgain(kept.number, action, resource);
        if (kept.decisionCount >= REMEMBERED) {
          kept.decisions.clear();
          kept.decisionCount = 0;
          byResource = undefined;
        }
        if (byResource === undefined) {
          byResource = new Map();
          kept.decisions.set(action, byResource);
        }
        byResource.set(resource, decision);
        kept.decisionCount++;
      }
      return copyData(decision);
    }
    const reading = readStatements(statements);
    if (reading === undefined) return glue.evaluate(statements, action, resource);
    if (keptCount >= KEPT_POLICIES) {
      glue.__forgetKept();
      keptCount = 0;
      generation++;
    }
    const answer = glue.__evaluateKept(readingText(reading), action, resource);
    if (answer === undefined) return glue.evaluate(statements, action, resource);
    const [number, decision] = answer;
    if (number !== NOT_KEPT) {
      keptCount++;
      keptBy.set(statements, { reading, number, generation, decisions: new Map(), decisionCount: 0 });
    }
    return decision;
  };
}
