// Whether a value is plain data, as the package promises for every answer: what spreading, `structuredClone` and
// `postMessage` copy whole.

import assert from "node:assert/strict";
import { MessageChannel } from "node:worker_threads";
import { types } from "node:util";

/** A value's trip through `postMessage`: what the other end of a `MessageChannel` receives. */
export function posted(value) {
  const { port1, port2 } = new MessageChannel();
  return new Promise((resolve, reject) => {
    port2.once("message", resolve);
    port2.once("messageerror", reject);
    port1.postMessage(value);
  }).finally(() => {
    port1.close();
    port2.close();
  });
}

/** Checks that `value` is plain data all the way down: objects and arrays of data properties, no proxy, no getter, no class. */
export function assertPlain(value, where = "value") {
  if (value === null || typeof value !== "object") return;
  assert.equal(types.isProxy(value), false, `${where} is not a Proxy`);
  assert.ok([Object.prototype, Array.prototype].includes(Object.getPrototypeOf(value)), `${where} is a plain object or array`);
  for (const [key, desc] of Object.entries(Object.getOwnPropertyDescriptors(value))) {
    if (Array.isArray(value) && key === "length") continue;
    assert.ok("value" in desc && desc.enumerable, `${where}.${key} is an enumerable data property`);
    assertPlain(desc.value, `${where}.${key}`);
  }
}
