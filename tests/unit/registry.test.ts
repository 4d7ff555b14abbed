import { describe, expect, it } from "vitest";
import { roleAllows, rolePermissions, roles } from "../../shared/permissions";
import {
  objectByKey,
  objectPath,
  objects,
  objectsOf,
  packageKeys,
  packages,
  transitionsFrom,
} from "../../shared/registry";

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

  it("moves records only between the states their lifecycle declares, each change named once", () => {
    for (const o of objects) {
      const lifecycle = o.lifecycle;
      if (!lifecycle) continue;
      const names = lifecycle.transitions.map((t) => t.name);
      expect(new Set(names).size, o.key).toBe(names.length);
      for (const t of lifecycle.transitions) {
        expect(lifecycle.states, `${o.key}.${t.name}`).toContain(t.to);
        for (const from of t.from) expect(lifecycle.states, `${o.key}.${t.name}`).toContain(from);
      }
    }
  });

  it("offers a school's close while it is open and its reopen once closed", () => {
    const school = objectByKey("school");
    expect(transitionsFrom(school, "open").map((t) => t.name)).toEqual(["close"]);
    expect(transitionsFrom(school, "closed").map((t) => t.name)).toEqual(["reopen"]);
    expect(() => objectByKey("no-such-object")).toThrow(/no-such-object/);
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
