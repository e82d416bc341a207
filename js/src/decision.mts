// `Principal.prototype.can` and `Principal.prototype.explain`: plain answers, from internals nobody else reaches.
//
// The WebAssembly side answers `can` with a number from an allocation-free check (`__checkSlots`); building the
// whole explanation (`__explain`: matched statements, a sentence, missing roles) costs many times more, and most
// callers only want `allowed`. So `can` answers `{ allowed, effect, indeterminate }` and `explain` the whole
// `Decision`. Both are plain objects: they can be spread, cloned (`structuredClone`) and posted (`postMessage`).
//
// The generated class carries the internal methods (`__checkSlots`, `__explain`, `__slotAction`,
// `__slotResource`, `__forgetSlots`); `installDecisions` takes them off its prototype and keeps them here, so
// nothing outside this module can call them. They are left out of the generated declarations
// (`skip_typescript`), so their types are written here, as `src/wasm/principal.rs` defines them.
//
// The one source of decision.mjs and (through the link decision.cts) decision.cjs.

import type { Decision, DecisionEffect, Verdict } from "./tokengate.js" with { "resolution-mode": "import" };

/** What `__checkSlots`'s numbers mean: [effect, allowed, indeterminate]. */
const ANSWERS: readonly (readonly [DecisionEffect, boolean, boolean])[] = [
  ["allow", true, false],
  ["deny", false, false],
  ["default-deny", false, false],
  ["default-deny", false, true],
];

/** The generated class's internal methods, as the WebAssembly side defines them; `this` is a `Principal`. */
interface Internals {
  /** The answer (an index into `ANSWERS`) for an action and a resource numbered by the two methods below. */
  __checkSlots(this: object, actionSlot: number, resourceSlot: number): number;
  /** The whole decision; the optional lists are left out when empty. */
  __explain(this: object, action: string, resource: string): Decision;
  __slotAction(this: object, action: string): number;
  /** Throws a `PolicyError` for a resource that does not parse. */
  __slotResource(this: object, resource: string): number;
  __forgetSlots(this: object): void;
}

/** The generated class's internal methods, taken off its prototype. */
const INTERNAL: readonly (keyof Internals)[] = ["__checkSlots", "__explain", "__slotAction", "__slotResource", "__forgetSlots"];

/** Most actions and resources a principal remembers before it forgets them all and starts over. */
const REMEMBERED = 512;

/** Classes already completed: the entry points may install more than once (`init()` called again). */
const installed = new WeakSet<object>();

/** The numbers one principal has been given for the actions and resources it was asked about. */
interface Slots {
  actions: Map<string, number>;
  resources: Map<string, number>;
}

/** The error for an argument of the wrong type, as the WebAssembly side throws it. */
function notString(what: string): TypeError {
  const error = new TypeError(`${what} must be a string`) as TypeError & { code?: "invalid_argument" };
  error.code = "invalid_argument";
  return error;
}

/** Defines `can` and `explain` on the generated `Principal` class and removes its internal methods. */
export function installDecisions(Principal: { readonly prototype: object }): void {
  if (installed.has(Principal)) return;
  const proto = Principal.prototype as Partial<Internals>;
  for (const name of INTERNAL) {
    if (typeof proto[name] !== "function") throw new Error(`tokengate: Principal.prototype.${name} is missing`);
  }
  const { __checkSlots: checkSlots, __explain: explainRaw, __slotAction: slotAction, __slotResource: slotResource,
    __forgetSlots: forgetSlots } = proto as Internals;
  for (const name of INTERNAL) delete proto[name];
  installed.add(Principal);

  // Each principal numbers the actions and resources it has been asked about (the module keeps the parsed
  // resources); the numbers are kept here by string, so a repeated question crosses into the module as two
  // numbers. Only this function hands out and forgets numbers, so both sides always agree.
  const slotsByPrincipal = new WeakMap<object, Slots>();
  function slotsOf(principal: object): Slots {
    let slots = slotsByPrincipal.get(principal);
    if (slots === undefined) {
      slots = { actions: new Map(), resources: new Map() };
      slotsByPrincipal.set(principal, slots);
    } else if (slots.actions.size + slots.resources.size >= REMEMBERED) {
      forgetSlots.call(principal);
      slots.actions.clear();
      slots.resources.clear();
    }
    return slots;
  }

  function can(this: object, action: unknown, resource: unknown): Verdict {
    if (typeof action !== "string") throw notString("action");
    if (typeof resource !== "string") throw notString("resource");
    const slots = slotsOf(this);
    let resourceSlot = slots.resources.get(resource);
    if (resourceSlot === undefined) {
      resourceSlot = slotResource.call(this, resource);
      slots.resources.set(resource, resourceSlot);
    }
    let actionSlot = slots.actions.get(action);
    if (actionSlot === undefined) {
      actionSlot = slotAction.call(this, action);
      slots.actions.set(action, actionSlot);
    }
    const answer = ANSWERS[checkSlots.call(this, actionSlot, resourceSlot)];
    if (answer === undefined) throw new Error("tokengate: Principal.prototype.__checkSlots gave an unknown answer");
    const [effect, allowed, indeterminate] = answer;
    return { allowed, effect, indeterminate };
  }

  function explain(this: object, action: unknown, resource: unknown): Decision {
    if (typeof action !== "string") throw notString("action");
    if (typeof resource !== "string") throw notString("resource");
    const full = explainRaw.call(this, action, resource);
    // Every field a `can` answer has, and the lists even when empty, in one order.
    const decision: Decision = {
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
    return decision;
  }

  for (const [name, value] of [["can", can], ["explain", explain]] as const) {
    Object.defineProperty(proto, name, { value, writable: true, configurable: true, enumerable: false });
  }
}
