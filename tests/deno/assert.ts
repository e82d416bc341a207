// The few assertions the Deno suite needs, kept local: the machine has no access to jsr.io or deno.land.

export class AssertionError extends Error {}

export function assert(condition: unknown, message = "assertion failed"): asserts condition {
  if (!condition) throw new AssertionError(message);
}

export function assertEquals(actual: unknown, expected: unknown, message?: string): void {
  const a = JSON.stringify(actual);
  const e = JSON.stringify(expected);
  if (a !== e) throw new AssertionError(`${message ? message + ": " : ""}expected ${e}, got ${a}`);
}

export function assertMatch(actual: string, pattern: RegExp, message?: string): void {
  if (!pattern.test(actual)) throw new AssertionError(`${message ? message + ": " : ""}${JSON.stringify(actual)} does not match ${pattern}`);
}

// deno-lint-ignore no-explicit-any
export async function assertRejects(fn: () => Promise<unknown>, errorClass: new (...args: any[]) => Error): Promise<Error> {
  try {
    await fn();
  } catch (error) {
    if (!(error instanceof errorClass)) {
      throw new AssertionError(`expected ${errorClass.name}, got ${(error as Error)?.constructor?.name}: ${error}`);
    }
    return error;
  }
  throw new AssertionError(`expected ${errorClass.name}, but the promise resolved`);
}
