import { beforeAll, describe, expect, it } from "vitest";
import { setIssueArchived } from "../../worker/packages/projects/issues/archive";
import { createIssue } from "../../worker/packages/projects/issues/create";
import { listIssues } from "../../worker/packages/projects/issues/list";
import { runGlobalSearch } from "../../worker/packages/system/search/query";
import { indexDocument, removeDocument } from "../../worker/search/documents";
import { toFtsQuery } from "../../worker/search/query";
import { createSearchRegistry, defineSearchType } from "../../worker/search/registry";
import { searchDocuments, splitSnippet } from "../../worker/search/search";
import { searchRegistry } from "../../worker/searchable";
import { errorOf, footprint, helpDesk, type Org, twoOrganizations } from "./issues-support";

let a: Org;
let b: Org;
let control: Awaited<ReturnType<typeof twoOrganizations>>["control"];
const ids: Record<string, string> = {};

/** What people type into search boxes when they are trying to break them. */
const hostile = [
  '"',
  '""',
  '"unbalanced',
  "*",
  "**",
  "NEAR(",
  "NEAR(printer projector, 2)",
  "-",
  "- printer",
  "printer -projector",
  "title:printer",
  "{title body}: x",
  "^printer",
  "printer AND",
  "OR",
  "NOT NOT",
  "(",
  ")",
  "printer)",
  "'; DROP TABLE issues; --",
  "\u0000\u0002\u0003",
  "🙂",
  "a".repeat(200),
  "\\",
  "%_",
];

beforeAll(async () => {
  const w = await twoOrganizations();
  a = w.a;
  b = w.b;
  control = w.control;
  const help = await helpDesk(a, "SRCH");
  const file = async (key: string, title: string, description: string | null = null, extra = {}) => {
    const issue = await createIssue(a.as(a.member), {
      projectScope: "tenant",
      projectId: help.id,
      type: "service_request",
      title,
      description,
      ...extra,
    });
    ids[key] = issue.id;
  };
  await file("printers", "Printers on the second floor are jamming", "The Ricoh copiers jam on cardstock.");
  await file(
    "projector",
    "Projector in room 204 shows no signal",
    "HDMI handshake fails; tried a new cable.",
  );
  await file("cafe", "Café menu board screen is dark", null, { tags: ["signage"] });
  await file("wifi", "Wi-Fi drops in the gymnasium", "Clients roam to a distant access point.");
  const helpB = await helpDesk(b, "OTHR");
  await createIssue(b.as(b.member), {
    projectScope: "tenant",
    projectId: helpB.id,
    type: "service_request",
    title: "Printers jamming at the other district",
  });
});

describe("the search query builder", () => {
  it("quotes every word, matches the last one as a prefix too, and lets no syntax through", () => {
    expect(toFtsQuery("printer jam")).toBe('"printer" AND ("jam" OR "jam"*)');
    expect(toFtsQuery('NEAR(x, "y"*')).toBe('"near" AND "x" AND "y"');
    expect(toFtsQuery("  ")).toBeNull();
    expect(toFtsQuery('"*-^:()')).toBeNull();
    for (const text of hostile) {
      const q = toFtsQuery(text);
      if (q) expect(q).toMatch(/^(\(?"[\p{L}\p{N}\p{M}]+"\*?( OR "[\p{L}\p{N}\p{M}]+"\*?\))?( AND )?)+$/u);
    }
  });

  it("turns snippet markers into highlight ranges", () => {
    expect(splitSnippet("The \u0002printer\u0003 is \u0002jammed\u0003")).toEqual({
      snippet: "The printer is jammed",
      highlights: [
        { start: 4, end: 11 },
        { start: 15, end: 21 },
      ],
    });
  });
});

describe("searching documents", () => {
  it("finds objects by stemmed words, accents folded, the last word as a prefix", async () => {
    const found = async (q: string) => (await searchDocuments(a.db, q, { limit: 10 })).map((h) => h.objectId);
    expect(await found("printer jams")).toEqual([ids.printers]);
    expect(await found("jamming")).toEqual([ids.printers]);
    expect(await found("proj")).toEqual([ids.projector]);
    expect(await found("cafe")).toEqual([ids.cafe]);
    expect(await found("signage")).toEqual([ids.cafe]);
    expect(await found("wi-fi gym")).toEqual([ids.wifi]);
    expect(
      await found(`SRCH-${(await listIssues(a, { filters: { search: "projector" } })).items[0]!.number}`),
    ).toEqual([ids.projector]);
    const [hit] = await searchDocuments(a.db, "cardstock", { limit: 1 });
    expect(hit!.title).toBe("Printers on the second floor are jamming");
    expect(hit!.snippet.slice(hit!.highlights[0]!.start, hit!.highlights[0]!.end)).toBe("cardstock");
  });

  it("ranks title matches above body matches", async () => {
    const hits = await searchDocuments(a.db, "ricoh printers", { limit: 10 });
    expect(hits[0]!.objectId).toBe(ids.printers);
  });

  it("never fails on hostile input: it searches for the words, or finds nothing", async () => {
    for (const q of hostile) {
      const hits = await searchDocuments(a.db, q, { limit: 5 });
      expect(Array.isArray(hits), q).toBe(true);
      // The search engine itself takes anything; the list's filter refuses control characters up front (a 400).
      // biome-ignore lint/suspicious/noControlCharactersInRegex: the characters the filter refuses
      if (/[\u0000-\u001f\u007f-\u009f]/.test(q)) continue;
      const listed = await listIssues(a, { filters: { search: q.slice(0, 200) } });
      expect(Array.isArray(listed.items), q).toBe(true);
    }
    expect((await searchDocuments(a.db, "- printer", { limit: 5 })).map((h) => h.objectId)).toEqual([
      ids.printers,
    ]);
    expect((await searchDocuments(a.db, "NEAR(printer", { limit: 5 })).map((h) => h.objectId)).toEqual([]);
  });

  it("keeps another organization's documents out: each database has its own index", async () => {
    const hits = await searchDocuments(a.db, "other district", { limit: 10 });
    expect(hits).toEqual([]);
  });

  it("indexes and removes documents in the caller's batch", async () => {
    const before = await footprint(a.db);
    await a.db.batch([
      ...indexDocument(a.db, "note", "n1", { title: "Bus route change", body: "Route 7 moves to Elm" }),
    ]);
    expect(
      (await searchDocuments(a.db, "elm route", { limit: 5 })).map((h) => [h.objectType, h.objectId]),
    ).toEqual([["note", "n1"]]);
    // Indexing again replaces the document.
    await a.db.batch([
      ...indexDocument(a.db, "note", "n1", { title: "Bus route change", body: "Route 7 moves to Oak" }),
    ]);
    expect(await searchDocuments(a.db, "elm", { limit: 5 })).toEqual([]);
    expect(await searchDocuments(a.db, "oak", { types: ["issue"], limit: 5 })).toEqual([]);
    await a.db.batch([...removeDocument(a.db, "note", "n1")]);
    expect(await searchDocuments(a.db, "oak", { limit: 5 })).toEqual([]);
    expect(await footprint(a.db)).toEqual(before);
  });
});

describe("the global search", () => {
  const run = (org: Org, q: string, may = (_p: string) => true, types?: string[]) =>
    runGlobalSearch(org.db, {
      control,
      registry: searchRegistry,
      may,
      q,
      limit: 20,
      ...(types ? { types } : {}),
    });

  it("groups hits by type with titles and links the type computes", async () => {
    const { groups } = await run(a, "projector");
    expect(groups).toHaveLength(1);
    expect(groups[0]!.objectType).toBe("issue");
    expect(groups[0]!.label).toBe("Issues");
    const [item] = groups[0]!.items;
    expect(item).toMatchObject({
      objectId: ids.projector,
      title: "Projector in room 204 shows no signal",
      path: `/projects/issues/${ids.projector}`,
    });
    expect(item!.subtitle).toMatch(/^SRCH-\d+ · Service request · New$/);
  });

  it("shows only the types the caller may read, and drops archived objects", async () => {
    expect((await run(a, "projector", () => false)).groups).toEqual([]);
    await setIssueArchived(a.as(a.member), ids.cafe!, true);
    expect((await run(a, "cafe")).groups).toEqual([]);
    await setIssueArchived(a.as(a.member), ids.cafe!, false);
    expect((await run(a, "cafe")).groups[0]!.items.map((i) => i.objectId)).toEqual([ids.cafe]);
  });

  it("refuses types nobody registered, and answers hostile input without failing", async () => {
    expect((await errorOf(run(a, "x", undefined, ["spaceship"]))).code).toBe("BAD_REQUEST");
    for (const q of hostile) expect(Array.isArray((await run(a, q)).groups), q).toBe(true);
  });

  it("refuses a type registered twice", () => {
    const t = defineSearchType<{ t: string }>({
      objectType: "dup",
      label: "Dups",
      permission: "projects.read",
      toDocument: (r) => ({ title: r.t, body: "" }),
      present: async () => new Map(),
    });
    expect(() => createSearchRegistry([t, t])).toThrow(/registered twice/);
  });
});
