// `Principal.prototype.can` and `Principal.prototype.explain`: plain answers, from internals nobody else reaches.
//
// The WebAssembly side answers `can` with a number from an allocation-free check (`__checkSlots`); building the
// whole explanation (`__explain`: matched statements, a sentence, missing roles) costs many times more, and most
// callers only want `allowed`. So `can` answers `{ allowed, effect, indeterminate }` and `explain` the whole
// `Decision`. Both are plain objects: they can be spread, cloned (`structuredClone`) and posted (`postMessage`).
//
// The generated class carries the internal methods (`__checkSlots`, `__explain`, `__slotAction`,
// `__slotResource`, `__forgetSlots`); `installDecisions` takes them off its prototype and keeps them here, so
// nothing outside this module can call them.

/** What `__checkSlots`'s numbers mean: [effect, allowed, indeterminate]. */
const ANSWERS = [
  ["allow", true, false],
  ["deny", false, false],
  ["default-deny", false, false],
  ["default-deny", false, true],
];

/** The generated class's internal methods, taken off its prototype. */
const INTERNAL = ["__checkSlots", "__explain", "__slotAction", "__slotResource", "__forgetSlots"];

/** Most actions and resources a principal remembers before it forgets them all and starts over. */
const REMEMBERED = 512;

/** Classes already completed: the entry points may install more than once (`init()` called again). */
const installed = new WeakSet();

/** The error for an argument of the wrong type, as the WebAssembly side throws it. */
function notString(what) {
  const error = new TypeError(`${what} must be a string`);
  error.code = "invalid_argument";
  return error;
}

/** Defines `can` and `explain` on the generated `Principal` class and removes its internal methods. */
export function installDecisions(Principal) {
  if (installed.has(Principal)) return;
  const proto = Principal.prototype;
  for (const name of INTERNAL) {
    if (typeof proto[name] !== "function") throw new Error(`tokengate: Principal.prototype.${name} is missing`);
  }
  const { __checkSlots: checkSlots, __explain: explainRaw, __slotAction: slotAction, __slotResource: slotResource,
    __forgetSlots: forgetSlots } = proto;
  for (const name of INTERNAL) delete proto[name];
  installed.add(Principal);

  // Each principal numbers the actions and resources it has been asked about (the module keeps the parsed
  // resources); the numbers are kept here by string, so a repeated question crosses into the module as two
  // numbers. Only this function hands out and forgets numbers, so both sides always agree.
  const slotsByPrincipal = new WeakMap();
  function slotsOf(principal) {
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

  function can(action, resource) {
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
    const [effect, allowed, indeterminate] = ANSWERS[checkSlots.call(this, actionSlot, resourceSlot)];
    return { allowed, effect, indeterminate };
  }

  function explain(action, resource) {
    if (typeof action !== "string") throw notString("action");
    if (typeof resource !== "string") throw notString("resource");
    const full = explainRaw.call(this, action, resource);
    // Every field a `can` answer has, and the lists even when empty, in one order.
    const decision = {
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

  for (const [name, value] of [["can", can], ["explain", explain]]) {
    Object.defineProperty(proto, name, { value, writable: true, configurable: true, enumerable: false });
  }
}
