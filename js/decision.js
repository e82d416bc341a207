// `Principal.prototype.can`: the answer at once, the explanation only when it is read.
//
// The WebAssembly side answers with a number from an allocation-free check (`__checkSlots`); building the whole
// explanation (`__explain`: matched statements, a sentence, missing roles) costs many times more, and most
// callers only read `allowed`. So `can` returns a decision whose `allowed`, `effect` and `indeterminate` are
// plain values and whose `matched`, `reason`, `missingRoles`, `missingFacts` and `viewRequired` are filled in on
// first read.
//
// Accessor properties on each object would be the obvious way, but V8 builds such objects on a slow path
// (about a microsecond each); a Proxy over a plain object costs a tenth of that. The proxy traps only what
// must see the lazy fields: reading one, asking for the keys or a descriptor (`JSON.stringify`, spreading,
// `Object.keys`, `in`). Once explained, the values live on the plain object like any other field.

/** What `__checkSlots`'s numbers mean: [effect, allowed, indeterminate]. */
const ANSWERS = [
  ["allow", true, false],
  ["deny", false, false],
  ["default-deny", false, false],
  ["default-deny", false, true],
];

const LAZY = new Set(["matched", "reason", "missingRoles", "missingFacts", "viewRequired"]);

/** Proxy handler of one decision: what to explain, until it has been. */
class Explanation {
  constructor(principal, action, resource) {
    this.principal = principal;
    this.action = action;
    this.resource = resource;
  }

  /** Puts the explained fields on `target`, once. */
  fill(target) {
    const principal = this.principal;
    if (principal === undefined) return;
    this.principal = undefined;
    const full = principal.__explain(this.action, this.resource);
    target.matched = full.matched;
    target.reason = full.reason;
    target.missingRoles = full.missingRoles ?? [];
    target.missingFacts = full.missingFacts ?? [];
    if (full.viewRequired !== undefined) target.viewRequired = full.viewRequired;
  }

  get(target, key, receiver) {
    if (this.principal !== undefined && LAZY.has(key)) this.fill(target);
    return Reflect.get(target, key, receiver);
  }

  has(target, key) {
    if (this.principal !== undefined && LAZY.has(key)) this.fill(target);
    return Reflect.has(target, key);
  }

  ownKeys(target) {
    this.fill(target);
    return Reflect.ownKeys(target);
  }

  getOwnPropertyDescriptor(target, key) {
    if (this.principal !== undefined && LAZY.has(key)) this.fill(target);
    return Reflect.getOwnPropertyDescriptor(target, key);
  }
}

/** Most actions and resources a principal remembers before it forgets them all and starts over. */
const REMEMBERED = 512;
const SLOTS = Symbol("tokengate.slots");

/** The error for an argument of the wrong type, as the WebAssembly side throws it. */
function notString(what) {
  const error = new TypeError(`${what} must be a string`);
  error.code = "invalid_argument";
  return error;
}

/** Defines `can` on the generated `Principal` class. */
export function installDecisions(Principal) {
  // Each principal numbers the actions and resources it has been asked about (the module keeps the parsed
  // resources); the numbers are kept here by string, so a repeated question crosses into the module as two
  // numbers. Only this function hands out and forgets numbers, so both sides always agree.
  function slotsOf(principal) {
    let slots = principal[SLOTS];
    if (slots === undefined) {
      slots = { actions: new Map(), resources: new Map() };
      Object.defineProperty(principal, SLOTS, { value: slots });
    } else if (slots.actions.size + slots.resources.size >= REMEMBERED) {
      principal.__forgetSlots();
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
      resourceSlot = this.__slotResource(resource);
      slots.resources.set(resource, resourceSlot);
    }
    let actionSlot = slots.actions.get(action);
    if (actionSlot === undefined) {
      actionSlot = this.__slotAction(action);
      slots.actions.set(action, actionSlot);
    }
    const [effect, allowed, indeterminate] = ANSWERS[this.__checkSlots(actionSlot, resourceSlot)];
    return new Proxy({ allowed, effect, indeterminate }, new Explanation(this, action, resource));
  }

  Object.defineProperty(Principal.prototype, "can", {
    value: can,
    writable: true,
    configurable: true,
    enumerable: false,
  });
}
