import { describe, expect, it } from "vitest";
import { roleAllows, rolePermissions, roles } from "../../shared/permissions";
import { objectPath, objects, objectsOf, packageKeys, packages } from "../../shared/registry";

describe("the object registry", () => {
  it("describes every package once", () => {
    expect(packages.map((p) => p.key)).toEqual([...packageKeys]);
  });

  it("gives every package at least one object, and every object a unique key and path", () => {
    for (const key of packageKeys) expect(objectsOf(key).length).toBeGreaterThan(0);
    expect(new Set(objects.map((o) => o.key)).size).toBe(objects.length);
    expect(new Set(objects.map(objectPath)).size).toBe(objects.length);
  });

  it("uses URL-safe segments", () => {
    for (const o of objects) expect(o.segment).toMatch(/^[a-z][a-z-]*$/);
  });
});

describe("roles", () => {
  it("let viewers read every package and write none", () => {
    for (const key of packageKeys) {
      expect(roleAllows("viewer", `${key}.read`)).toBe(true);
      expect(roleAllows("viewer", `${key}.write`)).toBe(false);
    }
  });

  it("keep administration from members", () => {
    expect(roleAllows("member", "projects.write")).toBe(true);
    expect(roleAllows("member", "system.admin")).toBe(false);
    expect(roleAllows("admin", "system.admin")).toBe(true);
  });

  it("never give a lesser role a permission a greater one lacks", () => {
    for (let i = 1; i < roles.length; i++) {
      const greater = rolePermissions[roles[i - 1]!];
      for (const p of rolePermissions[roles[i]!]) expect(greater.has(p)).toBe(true);
    }
  });
});
