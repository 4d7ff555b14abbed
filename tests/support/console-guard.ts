import { afterEach, beforeEach } from "vitest";

/**
 * A console.error during a test fails it: errors are either expected, declared with expectConsoleError
 * (and then required to happen), or bugs.
 */
const original = console.error;
let errors: string[] = [];
let expected: RegExp[] = [];

export function expectConsoleError(pattern: RegExp): void {
  expected.push(pattern);
}

beforeEach(() => {
  errors = [];
  expected = [];
  console.error = (...args: unknown[]) => {
    errors.push(args.map(String).join(" "));
  };
});

afterEach(() => {
  console.error = original;
  const missing = expected.filter((p) => !errors.some((e) => p.test(e)));
  const unexpected = errors.filter((e) => !expected.some((p) => p.test(e)));
  if (missing.length > 0)
    throw new Error(`expected console.error matching ${missing.join(", ")}, but none came`);
  if (unexpected.length > 0)
    throw new Error(`console.error was called during the test:\n${unexpected.join("\n")}`);
});
