import { and, eq } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { ZodError } from "zod";
import { auditLog, issueHistory } from "../../db/tenant/schema";
import { fieldErrorsOf } from "../../shared/errors";
import type { CreateRequestTypeInput } from "../../shared/schemas/issue-extras";
import type { CreateIssueInput } from "../../shared/schemas/issues";
import { createCategory } from "../../worker/packages/projects/catalog/categories";
import {
  createRequestType,
  setRequestTypeArchived,
} from "../../worker/packages/projects/catalog/request-types";
import { createIssue } from "../../worker/packages/projects/issues/create";
import { getIssue } from "../../worker/packages/projects/issues/get";
import { updateIssue } from "../../worker/packages/projects/issues/update";
import { createProject } from "../../worker/packages/projects/projects/create";
import { searchDocuments } from "../../worker/search/search";
import { errorOf, footprint, group, helpDesk, type Org, twoOrganizations } from "./issues-support";

let w: Awaited<ReturnType<typeof twoOrganizations>>;
let a: Org;
let help: { id: string };
let av: { id: string };
let category: { id: string };
/** Repairs: a required room (text), copies (number), a date, a required building (select). */
let projectorRepair: { id: string };
/** Repairs too, with other fields and no default group. */
let speakerRepair: { id: string };
/** Service requests. */
let newAccount: { id: string };

/** The organization's owner, as catalog services take them. */
const ownerOf = (org: Org) => org.as(org.owner);

async function requestType(org: Org, input: Omit<CreateRequestTypeInput, "categoryId">) {
  return createRequestType(ownerOf(org), { categoryId: category.id, ...input });
}

beforeAll(async () => {
  w = await twoOrganizations();
  a = w.a;
  help = await helpDesk(a, "ANS");
  av = await group(a, "Classroom AV");
  category = await createCategory(ownerOf(a), { name: "Classroom technology" });
  projectorRepair = await requestType(a, {
    name: "Projector repair",
    issueType: "repair",
    defaultAssigneeGroupId: av.id,
    fields: [
      { key: "room", label: "Room", kind: "text", required: true },
      { key: "copies", label: "Spare lamps", kind: "number" },
      { key: "needed_by", label: "Needed by", kind: "date" },
      { key: "building", label: "Building", kind: "select", options: ["North", "South"], required: true },
    ],
  });
  speakerRepair = await requestType(a, {
    name: "Speaker repair",
    issueType: "repair",
    fields: [{ key: "speaker", label: "Which speaker", kind: "text", required: true }],
  });
  newAccount = await requestType(a, {
    name: "New account",
    issueType: "service_request",
    fields: [{ key: "start", label: "Start date", kind: "date" }],
  });
});

const repair = (extra: Partial<Record<string, unknown>> = {}): CreateIssueInput =>
  ({
    projectScope: "tenant",
    projectId: help.id,
    type: "repair",
    title: "Projector in room 204 flickers",
    requestTypeId: projectorRepair.id,
    answers: { room: "204", building: "North" },
    ...extra,
  }) as CreateIssueInput;

const historyOf = (issueId: string) =>
  a.db.select().from(issueHistory).where(eq(issueHistory.issueId, issueId)).orderBy(issueHistory.at);

describe("filing an issue with a request type", () => {
  it("keeps the answers in the fields' order, shows them and records them in history and audit", async () => {
    const issue = await createIssue(
      a.as(a.member),
      repair({
        answers: { building: "South", copies: 2, room: "  Library lab  ", needed_by: "2030-09-01" },
      }),
    );
    const answers = { room: "Library lab", copies: 2, needed_by: "2030-09-01", building: "South" };
    expect(issue.answers).toEqual(answers);
    expect(Object.keys(issue.answers)).toEqual(["room", "copies", "needed_by", "building"]);
    expect((await getIssue(a, issue.id)).answers).toEqual(answers);
    const [created] = await historyOf(issue.id);
    expect(created!.field).toBe("created");
    expect(created!.after).toMatchObject({ requestTypeId: projectorRepair.id, answers });
    const [audit] = await a.db.select().from(auditLog).where(eq(auditLog.targetId, issue.id));
    expect(audit!.after).toMatchObject({ requestTypeId: projectorRepair.id, answers });
  });

  it("leaves unanswered optional fields out (null or empty text)", async () => {
    const issue = await createIssue(
      a.as(a.member),
      repair({ answers: { room: "12", building: "North", copies: null, needed_by: "" } }),
    );
    expect(issue.answers).toEqual({ room: "12", building: "North" });
  });

  it("takes the request type's group and category when they are left out, before the project's group", async () => {
    const desk = await group(a, "Help desk");
    const project = await createProject(a.as(a.owner), {
      key: "ANSG",
      name: "Grouped desk",
      defaultAssigneeGroupId: desk.id,
    });
    const withType = await createIssue(a.as(a.member), repair({ projectId: project.id }));
    expect(withType.assigneeGroupId).toBe(av.id);
    expect(withType.categoryId).toBe(category.id);
    const typeWithoutGroup = await createIssue(
      a.as(a.member),
      repair({ projectId: project.id, requestTypeId: speakerRepair.id, answers: { speaker: "Left" } }),
    );
    expect(typeWithoutGroup.assigneeGroupId).toBe(desk.id);
    const chosen = await createIssue(
      a.as(a.member),
      repair({ projectId: project.id, assigneeGroupId: null, categoryId: null }),
    );
    expect(chosen.assigneeGroupId).toBeNull();
    expect(chosen.categoryId).toBeNull();
  });

  it("makes the text answers searchable", async () => {
    const issue = await createIssue(
      a.as(a.member),
      repair({ title: "Lamp dead", answers: { room: "Planetarium dome", building: "North" } }),
    );
    const hits = await searchDocuments(a.db, "planetarium", { limit: 5 });
    expect(hits.map((h) => h.objectId)).toEqual([issue.id]);
  });
});

describe("answers that do not fit", () => {
  const cases: { name: string; answers: Record<string, unknown>; key: string; message: RegExp }[] = [
    {
      name: "an unknown key",
      answers: { room: "1", building: "North", colour: "red" },
      key: "colour",
      message: /no field/,
    },
    {
      name: "a required answer missing",
      answers: { building: "North" },
      key: "room",
      message: /needs an answer/,
    },
    {
      name: "a required answer left empty",
      answers: { room: " ", building: "North" },
      key: "room",
      message: /needs/,
    },
    {
      name: "a number given as text",
      answers: { room: "1", building: "North", copies: "2" },
      key: "copies",
      message: /number/,
    },
    {
      name: "text given as a number",
      answers: { room: 204, building: "North" },
      key: "room",
      message: /text/,
    },
    {
      name: "a date that is not YYYY-MM-DD",
      answers: { room: "1", building: "North", needed_by: "09/01/2030" },
      key: "needed_by",
      message: /YYYY-MM-DD/,
    },
    {
      name: "a date that does not exist",
      answers: { room: "1", building: "North", needed_by: "2030-02-30" },
      key: "needed_by",
      message: /YYYY-MM-DD/,
    },
    {
      name: "a choice that is not an option",
      answers: { room: "1", building: "East" },
      key: "building",
      message: /North, South/,
    },
  ];

  it.each(cases)(
    "refuses $name with a 400 at answers.<key>, writing nothing",
    async ({ answers, key, message }) => {
      const before = await footprint(a.db);
      const error = await errorOf(createIssue(a.as(a.member), repair({ answers })));
      expect(error.code).toBe("BAD_REQUEST");
      expect(error.details.fieldErrors?.[`answers.${key}`]?.[0]).toMatch(message);
      expect(await footprint(a.db)).toEqual(before);
    },
  );

  it("names every answer that does not fit at once", async () => {
    const error = await errorOf(
      createIssue(a.as(a.member), repair({ answers: { copies: "x", building: "East" } })),
    );
    expect(Object.keys(error.details.fieldErrors ?? {}).sort()).toEqual([
      "answers.building",
      "answers.copies",
      "answers.room",
    ]);
  });

  it("refuses answers on an issue without a request type, writing nothing", async () => {
    const before = await footprint(a.db);
    const error = await errorOf(
      createIssue(a.as(a.member), repair({ requestTypeId: undefined, answers: { room: "204" } })),
    );
    expect(error.code).toBe("BAD_REQUEST");
    expect(error.details.fieldErrors?.["answers.room"]?.[0]).toMatch(/request type/);
    expect(await footprint(a.db)).toEqual(before);
    const plain = await createIssue(a.as(a.member), repair({ requestTypeId: undefined, answers: {} }));
    expect(plain.answers).toEqual({});
  });

  it("refuses a request type for another subtype (at type), an archived one and another organization's", async () => {
    const before = await footprint(a.db);
    const wrongType = await errorOf(createIssue(a.as(a.member), repair({ requestTypeId: newAccount.id })));
    expect(wrongType.code).toBe("BAD_REQUEST");
    expect(wrongType.details.fieldErrors?.type?.[0]).toMatch(/service request/);

    const old = await requestType(a, { name: "Overhead projector", issueType: "repair", fields: [] });
    await setRequestTypeArchived(ownerOf(a), { id: old.id, archived: true });
    const afterArchive = await footprint(a.db);
    const archived = await errorOf(
      createIssue(a.as(a.member), repair({ requestTypeId: old.id, answers: {} })),
    );
    expect(archived.code).toBe("BAD_REQUEST");
    expect(archived.details.fieldErrors?.requestTypeId?.[0]).toMatch(/archived/);

    const bHelp = await helpDesk(w.b, "BANS");
    const foreign = await errorOf(createIssue(w.b.as(w.b.member), repair({ projectId: bHelp.id })));
    expect(foreign.code).toBe("NOT_FOUND");
    expect(foreign.details.fieldErrors).toHaveProperty("requestTypeId");
    expect(await footprint(a.db)).toEqual({ ...before, audit_log: afterArchive.audit_log });
  });

  it("refuses over-long text and too many answers in the input itself, at answers.<key>", async () => {
    const before = await footprint(a.db);
    const long = await createIssue(
      a.as(a.member),
      repair({ answers: { room: "x".repeat(2001), building: "North" } }),
    ).catch((e: unknown) => e);
    expect(long).toBeInstanceOf(ZodError);
    expect(Object.keys(fieldErrorsOf(long as ZodError))).toEqual(["answers.room"]);
    const many = Object.fromEntries(Array.from({ length: 31 }, (_, i) => [`k${i}`, i]));
    const tooMany = await createIssue(a.as(a.member), repair({ answers: many })).catch((e: unknown) => e);
    expect(Object.keys(fieldErrorsOf(tooMany as ZodError))).toEqual(["answers"]);
    expect(await footprint(a.db)).toEqual(before);
  });
});

describe("changing answers", () => {
  it("replaces the answers, with one history row and audit entry per changed answer, and reindexes them", async () => {
    const issue = await createIssue(a.as(a.member), repair({ answers: { room: "204", building: "North" } }));
    const next = await updateIssue(a.as(a.owner), {
      id: issue.id,
      version: issue.version,
      answers: { room: "Auditorium", building: "North", copies: 4 },
    });
    expect(next.version).toBe(issue.version + 1);
    expect(next.answers).toEqual({ room: "Auditorium", copies: 4, building: "North" });
    const changes = (await historyOf(issue.id)).filter((h) => h.field !== "created");
    expect(changes.map((h) => [h.field, h.before, h.after, h.actorId])).toEqual([
      ["answers.room", "204", "Auditorium", a.owner.id],
      ["answers.copies", null, 4, a.owner.id],
    ]);
    const [audit] = await a.db
      .select()
      .from(auditLog)
      .where(and(eq(auditLog.targetId, issue.id), eq(auditLog.action, "issue.updated")));
    expect(audit!.before).toEqual({ "answers.room": "204", "answers.copies": null });
    expect(audit!.after).toEqual({ "answers.room": "Auditorium", "answers.copies": 4 });
    const hits = await searchDocuments(a.db, "auditorium", { limit: 5 });
    expect(hits.map((h) => h.objectId)).toContain(issue.id);
  });

  it("writes nothing and keeps the version when the answers are the same", async () => {
    const issue = await createIssue(a.as(a.member), repair());
    const before = await footprint(a.db);
    const same = await updateIssue(a.as(a.owner), {
      id: issue.id,
      version: issue.version,
      answers: { building: "North", room: "204", copies: null },
    });
    expect(same.version).toBe(issue.version);
    expect(await footprint(a.db)).toEqual(before);
  });

  it("refuses answers that do not fit on update, writing nothing", async () => {
    const issue = await createIssue(a.as(a.member), repair());
    const before = await footprint(a.db);
    const error = await errorOf(
      updateIssue(a.as(a.owner), { id: issue.id, version: issue.version, answers: { building: "North" } }),
    );
    expect(error.details.fieldErrors).toHaveProperty("answers.room");
    expect(await footprint(a.db)).toEqual(before);
    expect((await getIssue(a, issue.id)).answers).toEqual({ room: "204", building: "North" });
  });

  it("checks the answers against the new request type when it changes", async () => {
    const issue = await createIssue(a.as(a.member), repair());
    const before = await footprint(a.db);
    const kept = await errorOf(
      updateIssue(a.as(a.owner), { id: issue.id, version: issue.version, requestTypeId: speakerRepair.id }),
    );
    expect(kept.code).toBe("BAD_REQUEST");
    expect(Object.keys(kept.details.fieldErrors ?? {}).sort()).toEqual([
      "answers.building",
      "answers.room",
      "answers.speaker",
    ]);
    const otherSubtype = await errorOf(
      updateIssue(a.as(a.owner), {
        id: issue.id,
        version: issue.version,
        requestTypeId: newAccount.id,
        answers: {},
      }),
    );
    expect(otherSubtype.details.fieldErrors?.requestTypeId?.[0]).toMatch(/service request/);
    expect(await footprint(a.db)).toEqual(before);

    const moved = await updateIssue(a.as(a.owner), {
      id: issue.id,
      version: issue.version,
      requestTypeId: speakerRepair.id,
      answers: { speaker: "Ceiling, left" },
    });
    expect(moved.requestTypeId).toBe(speakerRepair.id);
    expect(moved.answers).toEqual({ speaker: "Ceiling, left" });
    const fields = (await historyOf(issue.id)).map((h) => h.field).sort();
    expect(fields).toEqual([
      "answers.building",
      "answers.room",
      "answers.speaker",
      "created",
      "requestTypeId",
    ]);
  });

  it("takes no answers once the request type is cleared, unless they are cleared too", async () => {
    const issue = await createIssue(a.as(a.member), repair());
    const refused = await errorOf(
      updateIssue(a.as(a.owner), { id: issue.id, version: issue.version, requestTypeId: null }),
    );
    expect(refused.details.fieldErrors?.["answers.room"]?.[0]).toMatch(/request type/);
    const cleared = await updateIssue(a.as(a.owner), {
      id: issue.id,
      version: issue.version,
      requestTypeId: null,
      answers: {},
    });
    expect(cleared.requestTypeId).toBeNull();
    expect(cleared.answers).toEqual({});
    const plain = await errorOf(
      updateIssue(a.as(a.owner), { id: issue.id, version: cleared.version, answers: { room: "1" } }),
    );
    expect(plain.code).toBe("BAD_REQUEST");
  });
});
