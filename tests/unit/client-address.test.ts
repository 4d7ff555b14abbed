import { describe, expect, it } from "vitest";
import { clientAddress } from "../../worker/auth/client-address";

const of = (headers: Record<string, string>) => clientAddress(new Headers(headers));

describe("the client address", () => {
  it("is CF-Connecting-IP when it holds an IPv4 or IPv6 address", () => {
    expect(of({ "cf-connecting-ip": "203.0.113.7" })).toBe("203.0.113.7");
    expect(of({ "cf-connecting-ip": " 2001:DB8::1 " })).toBe("2001:db8::1");
    expect(of({ "cf-connecting-ip": "::ffff:192.0.2.1" })).toBe("::ffff:192.0.2.1");
  });

  it("is never taken from X-Forwarded-For, X-Real-IP or Forwarded", () => {
    expect(
      of({ "x-forwarded-for": "203.0.113.7", "x-real-ip": "203.0.113.8", forwarded: "for=203.0.113.9" }),
    ).toBeNull();
  });

  it("is none when CF-Connecting-IP is missing, empty or not an address", () => {
    for (const value of [
      "",
      "unknown",
      "1.2.3.4, 5.6.7.8",
      "256.1.1.1",
      "1.2.3",
      "evil.example",
      "a".repeat(46),
    ]) {
      expect(of({ "cf-connecting-ip": value }), value).toBeNull();
    }
    expect(of({})).toBeNull();
  });
});
