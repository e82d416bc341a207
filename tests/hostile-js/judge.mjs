// Holds every `allowed` answer a hostile case gets to the reference (reference.mjs): `observe(tg)` is the package as
// the cases see it, with `evaluate` and each principal's answering methods watched. An allowed answer the reference
// does not also give as allowed is a fail-open, recorded with what was asked.

import { setAllows, tokenAllows, tokenResource, Unjudged } from "./reference.mjs";

/// A plain copy of what the engine was given, taken after it answered (so it was readable then); `undefined` when
/// it cannot be copied (a cyclic object, a proxy): the reference then cannot judge, and says so.
function snapshot(value) {
  try {
    return value === undefined ? undefined : JSON.parse(JSON.stringify(value));
  } catch {
    return undefined;
  }
}

const short = (value) => {
  let text;
  try {
    text = typeof value === "string" ? JSON.stringify(value) : JSON.stringify(value) ?? String(value);
  } catch {
    text = String(value);
  }
  return text.length > 300 ? `${text.slice(0, 300)}... (${text.length} characters)` : text;
};

export function createJudge() {
  let checked = 0;
  const failures = [];

  /// Holds one allowed answer to `reference()` (true, false or null); `what` names the question.
  const hold = (what, reference) => {
    checked++;
    let answer;
    try {
      answer = reference();
    } catch (error) {
      const why = error instanceof Unjudged ? `the reference cannot judge it: ${error.message}` : `the reference threw ${error}`;
      failures.push(`${what}: allowed, but ${why}`);
      return;
    }
    if (answer !== true) {
      failures.push(`${what}: allowed by the engine, ${answer === false ? "denied" : "unknown"} in the reference`);
    }
  };

  const evaluate = (tg) =>
    function evaluate(statements, action, resource, options) {
      const decision = tg.evaluate(...arguments);
      if (decision?.allowed === true) {
        const [s, o] = [snapshot(statements), snapshot(options)];
        hold(`evaluate(${short(statements)}, ${short(action)}, ${short(resource)}, ${short(options)})`, () =>
          setAllows([[s, o?.roleAttributes ?? {}]], action, resource),
        );
      }
      return decision;
    };

  /// A principal whose answers are held to the reference for the token and options it was made from.
  const watchPrincipal = (principal, token, options) => {
    const [t, o] = [snapshot(token), snapshot(options)];
    const name = `the principal of ${short(token)} with ${short(options)}`;
    const judgeToken = (action, resource) => () => {
      if (t === undefined) throw new Unjudged("its token could not be copied");
      return tokenAllows(t, o, action, resource);
    };
    const watched = {
      can: (answer, [action, resource]) => {
        if (answer?.allowed === true) hold(`${name}: can(${short(action)}, ${short(resource)})`, judgeToken(action, resource));
      },
      explain: (answer, [action, resource]) => {
        if (answer?.allowed === true) hold(`${name}: explain(${short(action)}, ${short(resource)})`, judgeToken(action, resource));
      },
      // Each action a token operation needed, as the decision lists it with the resource it was checked on.
      checkAction: (answer, args) => checks(answer, `checkAction(${short(args[0])}, ${short(args[1])})`),
      checkPatch: (answer, args) => checks(answer, `checkPatch(${short(args[0])}, ${short(args[1])})`, snapshot(args[1])),
      checkCreate: (answer, args) => checks(answer, `checkCreate(${short(args[0])})`),
      checkReset: (answer, args) => checks(answer, `checkReset(${short(args[0])}, ${short(args[1])})`),
      permittedActions: (answer, [target]) => {
        const copy = snapshot(target);
        for (const action of Array.isArray(answer) ? answer : []) {
          hold(`${name}: permittedActions(${short(target)}) lists ${action}`, () => {
            if (copy === undefined) throw new Unjudged("its target could not be copied");
            return judgeToken(action, tokenResource(copy))();
          });
        }
      },
    };
    const checks = (answer, call, ops) => {
      if (answer?.allowed !== true) return;
      if (!Array.isArray(answer.checks) || answer.checks.length === 0) {
        // "A patch needs every action its operations need": a patch of no operations needs none.
        hold(`${name}: ${call}`, () => {
          if (Array.isArray(ops) && ops.length === 0) return true;
          throw new Unjudged("an allowed token operation that lists no checks");
        });
      }
      for (const check of answer.checks ?? []) {
        hold(`${name}: ${call} checked ${check.action} on ${check.resource}`, judgeToken(check.action, check.resource));
      }
    };
    // Every method runs on the principal itself (never on the proxy): the glue's `free` unregisters `this` from
    // its finalizer, and a proxy in its place would leave the object to be freed twice.
    return new Proxy(principal, {
      get(target, key) {
        const value = Reflect.get(target, key);
        if (typeof value !== "function") return value;
        if (!Object.hasOwn(watched, key)) return value.bind(target);
        return (...args) => {
          const answer = value.apply(target, args);
          watched[key](answer, args);
          return answer;
        };
      },
    });
  };

  const principalClass = (tg) =>
    new Proxy(tg.Principal, {
      get(target, key) {
        const value = Reflect.get(target, key);
        if (key !== "fromToken") return typeof value === "function" ? value.bind(target) : value;
        return (token, options, ...rest) => watchPrincipal(value.call(target, token, options, ...rest), token, options);
      },
    });

  return {
    /// The package as the cases see it.
    observe: (tg) => ({ ...tg, evaluate: evaluate(tg), Principal: principalClass(tg) }),
    /// How many allowed answers were held to the reference, and the fail-opens among them, since the last call.
    take() {
      const out = { checked, failures: failures.splice(0) };
      checked = 0;
      return out;
    },
  };
}
