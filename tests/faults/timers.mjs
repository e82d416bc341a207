// The waits the package's client chooses, as it asks for them. The client waits (between retries, for a rate-limit
// reset) with the global `setTimeout`, looked up at each wait, so a wrapper installed around one call sees each delay
// it asked for (`ms`) and whether that wait ran out (`fired`). Tests check those choices and the requests the server
// saw, never how long a call took: a busy machine's late timers change neither.
//
//   const spy = spyOnTimers();  ...await the call...  spy.restore();  spy.waits -> [{ ms, fired }]
//   spyOnTimers({ hold: true })  the waits never run out: only an abort ends them
//
// The client hands `setTimeout` a promise's own resolve function (a built-in without a name or source); timers that
// other code sets through the global meanwhile (Node's fetch sets its own) pass through unrecorded.

/// Whether `callback` is a built-in anonymous function, as a promise's resolve function is.
const isResolveFunction = (callback) =>
  typeof callback === "function" &&
  /^function\s*\(\)\s*\{\s*\[native code\]\s*\}$/.test(Function.prototype.toString.call(callback));

/// `hold`: the client's waits never run out by themselves (they are recorded, not scheduled), so that only an abort
/// can end one: the test, not the machine's speed, decides what happens first.
export function spyOnTimers({ hold = false } = {}) {
  const original = globalThis.setTimeout;
  const waits = [];
  globalThis.setTimeout = function (callback, ms, ...rest) {
    if (!isResolveFunction(callback)) return original.call(globalThis, callback, ms, ...rest);
    const wait = { ms: Number(ms ?? 0), fired: false };
    waits.push(wait);
    if (hold) return 0;
    return original.call(
      globalThis,
      (...args) => {
        wait.fired = true;
        return callback(...args);
      },
      ms,
      ...rest,
    );
  };
  return {
    waits,
    restore() {
      globalThis.setTimeout = original;
    },
  };
}

/// Runs `call()` with a spy on, and returns what it settled to ({ value } or { error }) with the waits it chose.
export async function withWaits(call) {
  const spy = spyOnTimers();
  try {
    const value = await call();
    return { value, waits: spy.waits };
  } catch (error) {
    return { error, waits: spy.waits };
  } finally {
    spy.restore();
  }
}
