import { describe, expect, it } from "vitest";
import { failure, unexplainedFailures } from "../support/e2e";

const base = "http://127.0.0.1:8787";
const response = (method: string, path: string, status: number, query = "") => ({
  method,
  path,
  url: `${base}${path}${query}`,
  status,
});
const load = (url: string, status: number) => ({
  url,
  status,
  text: `Failed to load resource: the server responded with a status of ${status} ()`,
});

describe("the browser tests' failed-request check", () => {
  it("accepts exactly the declared failure, with Chromium's console report of it", () => {
    const signIn = response("POST", "/auth/sign-in", 401);
    expect(
      unexplainedFailures([failure("POST", "/auth/sign-in", 401)], [signIn], [load(signIn.url, 401)]),
    ).toEqual([]);
  });

  it("matches the path without the query string", () => {
    const batch = response("POST", "/trpc/projects.issues.update", 409, "?batch=1");
    expect(
      unexplainedFailures(
        [failure("POST", "/trpc/projects.issues.update", 409)],
        [batch],
        [load(batch.url, 409)],
      ),
    ).toEqual([]);
  });

  it("refuses a failure of the declared status on another path, or with another method", () => {
    const other = response("GET", "/trpc/system.me", 401);
    const wrongMethod = response("GET", "/auth/sign-in", 401);
    expect(
      unexplainedFailures(
        [failure("POST", "/auth/sign-in", 401), failure("POST", "/auth/sign-in", 401)],
        [other, wrongMethod],
        [load(other.url, 401), load(wrongMethod.url, 401)],
      ),
    ).toEqual([
      "unexpected failed request: GET /trpc/system.me → 401",
      "unexpected failed request: GET /auth/sign-in → 401",
      "expected to fail, but did not: POST /auth/sign-in → 401",
      "expected to fail, but did not: POST /auth/sign-in → 401",
    ]);
  });

  it("uses each declared failure once: a second one like it is refused", () => {
    const refused = response("POST", "/trpc/projects.projects.create", 400);
    expect(
      unexplainedFailures(
        [failure("POST", "/trpc/projects.projects.create", 400)],
        [refused, refused],
        [load(refused.url, 400), load(refused.url, 400)],
      ),
    ).toEqual(["unexpected failed request: POST /trpc/projects.projects.create → 400"]);
  });

  it("refuses a declared failure that never happened", () => {
    expect(unexplainedFailures([failure("POST", "/auth/verify-email", 400)], [], [])).toEqual([
      "expected to fail, but did not: POST /auth/verify-email → 400",
    ]);
  });

  it("reports a console failure report that no response explains", () => {
    expect(unexplainedFailures([], [], [load(`${base}/favicon.ico`, 404)])).toEqual([
      `console.error: Failed to load resource: the server responded with a status of 404 () (${base}/favicon.ico)`,
    ]);
  });
});
