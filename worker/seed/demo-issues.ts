/**
 * Issues for the demo districts (every subtype, some in the shared projects of the root scope, with their
 * history), written with Projects' bulk loader (the issue benchmark's too) and `bulkInsert`; the root
 * desk's index is updated through Projects' own service, acting as the system.
 */
import { eq, inArray } from "drizzle-orm";
import { auditBy, auditRow } from "../../db/audit";
import { bulkInsert } from "../../db/bulk";
import { type ControlDb, openClient, type TenantDb, tenantDatabase } from "../../db/client";
import { type ServiceContext, systemContext } from "../../db/context";
import { sharedProjects, users } from "../../db/control/schema";
import type { DataPlane } from "../../db/data-plane";
import { auditLog, issueHistory, issues, projects, schools } from "../../db/tenant/schema";
import type { TenantRecord } from "../../db/tenants";
import { newId } from "../../shared/ids";
import type { IssueType, Priority } from "../../shared/schemas/issue-model";
import { dueDatesFor, type ServiceLevels } from "../../shared/schemas/service-levels";
import { type Level, priorityOf } from "../../shared/schemas/workflows";
import { insertIssueRows, issueRow } from "../packages/projects/issues/bulk-load";
import type { IssueRow } from "../packages/projects/issues/rows";
import { type SharedIndexChange, syncSharedIndex } from "../packages/projects/issues/shared-index";
import { planTransition } from "../packages/projects/issues/transition";
import { historyRows } from "../packages/projects/issues/write";
import { loadServiceLevels } from "../packages/projects/service-levels/load";
import type { DemoDistrict, DemoSchool, DemoUser } from "./demo-data";

// ——— The demo ————————————————————————————————————————————————————————————————————————————————

type Who = "lead" | "tech";
type Where = "tenant" | "TECH" | "MAINT";
/**
 * The school an issue is about: the district's first open school of a level (the one its title names),
 * "district" for district-wide issues (no school), or — left out — one of the district's open schools in
 * turn.
 */
type AtSchool = DemoSchool["level"] | "district";

interface DemoIssue {
  ref?: string;
  where: Where;
  type: IssueType;
  title: (d: DemoDistrict) => string;
  description?: string;
  priority?: Priority;
  impact?: Level;
  urgency?: Level;
  tags?: string[];
  details?: (refs: Map<string, string>, at: (days: number) => string) => Record<string, unknown>;
  /** Statuses it went through after filing, in order (checked against its workflow). */
  path: string[];
  /** Filed this many days ago; each later step came `stepHours` after the previous one. */
  ageDays: number;
  stepHours?: number;
  assignee?: Who;
  requester?: Who;
  archived?: boolean;
  school?: AtSchool;
}

const openSchools = (d: DemoDistrict) => d.schools.filter((s) => s.status !== "closed");

const schoolOf = (d: DemoDistrict, level: DemoSchool["level"]) =>
  openSchools(d).find((s) => s.level === level) ?? openSchools(d)[0]!;

const school = (d: DemoDistrict, level: DemoSchool["level"]) => schoolOf(d, level).name;

/** The demo school (by its building code) the `i`-th issue is about, if any. */
function schoolCodeOf(d: DemoDistrict, at: AtSchool | undefined, i: number): string | null {
  if (at === "district") return null;
  if (at) return schoolOf(d, at).code;
  const open = openSchools(d);
  return open.length ? open[i % open.length]!.code : null;
}

const demoIssues: DemoIssue[] = [
  {
    where: "TECH",
    type: "incident",
    title: (d) => `Projector in room 204 shows no signal (${school(d, "high")})`,
    school: "high",
    description:
      "HDMI input reports no signal from the teacher station; the document camera also shows nothing.",
    impact: "low",
    urgency: "high",
    tags: ["classroom-av", "projector"],
    path: ["triaged", "in_progress"],
    ageDays: 1.5,
    stepHours: 2,
    assignee: "tech",
  },
  {
    where: "TECH",
    type: "repair",
    title: (d) => `Chromebook cart in room 12 not charging (${school(d, "elementary")})`,
    school: "elementary",
    description: "Half of the cart's bays stay dark; students start the day with flat batteries.",
    priority: "high",
    tags: ["chromebook", "cart"],
    details: () => ({ assetId: "CART-012", fault: "Power strip trips; bays 16–30 dead" }),
    path: ["diagnosing", "awaiting_parts"],
    ageDays: 4,
    stepHours: 20,
    assignee: "tech",
  },
  {
    ref: "sis",
    where: "tenant",
    type: "incident",
    title: () => "SIS nightly sync to Google Classroom failed",
    school: "district",
    description: "Rosters did not update overnight; new enrollments are missing from Classroom.",
    impact: "high",
    urgency: "high",
    tags: ["sis", "google"],
    path: ["triaged", "in_progress", "resolved", "closed"],
    ageDays: 12,
    stepHours: 1,
    assignee: "tech",
  },
  {
    where: "tenant",
    type: "post_incident_analysis",
    title: () => "Post-incident review: SIS sync failure",
    school: "district",
    details: (refs, at) => ({
      incidentId: refs.get("sis"),
      timeline: [
        {
          at: at(12),
          note: "Nightly roster job timed out after the SIS vendor's API changed its page size.",
        },
        { at: at(11.95), note: "Teachers report missing students in Classroom." },
        { at: at(11.9), note: "Job re-run with the smaller page size; rosters complete." },
      ],
      actions: [
        { description: "Alert the help desk when the roster job runs over 30 minutes", done: true },
        { description: "Subscribe to the SIS vendor's API change notices", done: false },
      ],
    }),
    path: ["in_review"],
    ageDays: 10,
    stepHours: 30,
    assignee: "lead",
  },
  {
    where: "tenant",
    type: "change",
    title: () => "Upgrade Wi-Fi controller firmware to 10.4.2",
    school: "district",
    description: "Fixes roaming drops between access points; requires a 20-minute outage of all SSIDs.",
    priority: "medium",
    tags: ["wifi", "network"],
    details: (_refs, at) => ({ risk: "medium", plannedStart: at(-5), plannedEnd: at(-5.1) }),
    path: ["submitted", "approved", "scheduled"],
    ageDays: 6,
    stepHours: 24,
    assignee: "tech",
    requester: "tech",
  },
  {
    where: "tenant",
    type: "known_problem",
    title: () => "Ricoh printer driver crashes on duplex jobs (Windows 11)",
    school: "district",
    tags: ["printing", "driver"],
    details: () => ({
      symptom: "Print spooler stops when a duplex job is sent from Word.",
      cause: "Driver 4.2 mishandles the duplex flag under Windows 11 23H2.",
      workaround: "Print single-sided, or use the PCL6 universal driver.",
    }),
    path: ["investigating", "workaround_available"],
    ageDays: 20,
    stepHours: 48,
    assignee: "tech",
  },
  {
    where: "TECH",
    type: "repair",
    title: () => "Broken screen on student Chromebook (asset tag 4471)",
    tags: ["chromebook", "screen"],
    details: () => ({ assetId: "4471", fault: "Cracked LCD after a drop in the cafeteria" }),
    path: ["diagnosing", "repairing", "repaired", "returned"],
    ageDays: 9,
    stepHours: 18,
    assignee: "tech",
  },
  {
    where: "tenant",
    type: "service_request",
    title: (d) => `New staff laptop for incoming science teacher (${school(d, "middle")})`,
    school: "middle",
    priority: "medium",
    tags: ["onboarding", "laptop"],
    path: ["in_progress"],
    ageDays: 2,
    stepHours: 3,
    assignee: "tech",
  },
  {
    where: "tenant",
    type: "service_request",
    title: () => "Substitute teacher account for the week of March 9",
    priority: "low",
    tags: ["accounts"],
    path: ["in_progress", "fulfilled", "closed"],
    ageDays: 15,
    stepHours: 5,
    assignee: "tech",
  },
  {
    where: "tenant",
    type: "incident",
    title: (d) => `Phones down in the front office at ${school(d, "middle")}`,
    school: "middle",
    impact: "medium",
    urgency: "high",
    tags: ["phones"],
    path: ["triaged", "in_progress", "resolved"],
    ageDays: 3,
    stepHours: 1.5,
    assignee: "tech",
  },
  {
    where: "MAINT",
    type: "repair",
    title: (d) => `HVAC not cooling in the gym at ${school(d, "high")}`,
    school: "high",
    priority: "high",
    tags: ["hvac"],
    details: () => ({ fault: "Rooftop unit 3 compressor not starting" }),
    path: ["diagnosing", "awaiting_parts"],
    ageDays: 5,
    stepHours: 26,
    assignee: "lead",
  },
  {
    where: "MAINT",
    type: "service_request",
    title: (d) => `Replace flickering lights in hallway B (${school(d, "elementary")})`,
    school: "elementary",
    priority: "low",
    tags: ["lighting"],
    path: [],
    ageDays: 0.5,
  },
  {
    where: "tenant",
    type: "incident",
    title: () => "Student emails bouncing from the district domain",
    school: "district",
    description: "External senders get 550 errors when writing to student addresses.",
    impact: "high",
    urgency: "medium",
    tags: ["email", "google"],
    path: ["triaged"],
    ageDays: 2.2,
    stepHours: 0.5,
    assignee: "tech",
  },
  {
    where: "tenant",
    type: "change",
    title: () => "Require multi-factor sign-in for all staff accounts",
    school: "district",
    priority: "high",
    tags: ["security", "accounts"],
    details: (_refs, at) => ({ risk: "high", plannedStart: at(-20), plannedEnd: at(-20.5) }),
    path: ["submitted"],
    ageDays: 1,
    stepHours: 4,
    requester: "lead",
  },
  {
    where: "tenant",
    type: "known_problem",
    title: () => "Interactive whiteboard pens lose calibration after sleep",
    tags: ["classroom-av", "whiteboard"],
    details: () => ({ symptom: "Ink lands a few centimetres from the pen tip after the board wakes." }),
    path: [],
    ageDays: 7,
  },
  {
    where: "tenant",
    type: "service_request",
    title: () => "Install GeoGebra in computer lab 3",
    tags: ["software", "lab"],
    path: ["in_progress", "waiting_on_requester"],
    ageDays: 8,
    stepHours: 30,
    assignee: "tech",
  },
  {
    where: "tenant",
    type: "incident",
    title: () => "Internet slow district-wide during state testing",
    school: "district",
    description: "Testing sessions time out; the firewall shows the uplink saturated.",
    impact: "high",
    urgency: "high",
    tags: ["network", "testing"],
    path: ["triaged", "in_progress", "on_hold"],
    ageDays: 2,
    stepHours: 3,
    assignee: "lead",
  },
  {
    where: "TECH",
    type: "repair",
    title: () => "iPad with unresponsive home button (library cart)",
    priority: "low",
    tags: ["ipad"],
    details: () => ({ assetId: "IPAD-LIB-07" }),
    path: ["diagnosing"],
    ageDays: 3,
    stepHours: 12,
    assignee: "tech",
  },
  {
    where: "TECH",
    type: "service_request",
    title: (d) => `Projector bulb replacement in the library (${school(d, "elementary")})`,
    school: "elementary",
    priority: "low",
    tags: ["projector"],
    path: [],
    ageDays: 1,
  },
  {
    where: "tenant",
    type: "change",
    title: (d) => `Replace the core switch in the ${school(d, "high")} MDF`,
    school: "high",
    tags: ["network"],
    details: (_refs, at) => ({ risk: "high", plannedStart: at(-40), plannedEnd: at(-40.2) }),
    path: [],
    ageDays: 0.3,
    requester: "tech",
  },
  {
    where: "MAINT",
    type: "incident",
    title: (d) => `Badge readers offline at the ${school(d, "elementary")} main entrance`,
    school: "elementary",
    impact: "medium",
    urgency: "high",
    tags: ["access-control"],
    path: ["triaged", "in_progress", "resolved"],
    ageDays: 6,
    stepHours: 2,
    assignee: "lead",
  },
  {
    where: "tenant",
    type: "service_request",
    title: () => "Reset a parent portal password",
    school: "district",
    priority: "low",
    tags: ["accounts", "parent-portal"],
    path: ["in_progress", "fulfilled"],
    ageDays: 1.2,
    stepHours: 1,
    assignee: "tech",
  },
  {
    where: "tenant",
    type: "known_problem",
    title: () => "Chromebooks fail to join Wi-Fi after ChromeOS 124 update",
    school: "district",
    tags: ["chromebook", "wifi"],
    details: () => ({
      symptom: "Devices show 'Network not available' after updating.",
      cause: "Certificate pinning change in ChromeOS 124.",
      workaround: "Re-push the Wi-Fi policy from the admin console.",
    }),
    path: ["investigating", "resolved", "closed"],
    ageDays: 30,
    stepHours: 60,
    assignee: "tech",
  },
  {
    where: "MAINT",
    type: "repair",
    title: () => "Water leak above classroom 118",
    priority: "high",
    tags: ["plumbing", "roof"],
    details: () => ({ fault: "Ceiling tiles stained; drip during rain" }),
    path: ["diagnosing", "repairing"],
    ageDays: 2.5,
    stepHours: 10,
    assignee: "lead",
  },
  {
    where: "tenant",
    type: "service_request",
    title: () => "Set up a video-conference room in the board room",
    school: "district",
    tags: ["classroom-av"],
    path: ["cancelled"],
    ageDays: 25,
    stepHours: 72,
    archived: true,
  },
];

/** The help desk project each demo district gets. */
const deskKeys: Record<string, { key: string; name: string }> = {
  riverton: { key: "RHD", name: "Riverton Help Desk" },
  "cedar-valley": { key: "CVHD", name: "Cedar Valley Help Desk" },
};

const SHARED = [
  {
    key: "TECH",
    name: "Technology Service",
    description: "District technology: devices, classroom AV, network and accounts.",
  },
  {
    key: "MAINT",
    name: "Maintenance Service",
    description: "Buildings and grounds: HVAC, plumbing, lighting and access control.",
  },
];

/** The shared projects of the root scope, created once (by key). */
export async function seedSharedProjects(
  control: ControlDb,
): Promise<Map<string, { id: string; key: string }>> {
  const now = new Date();
  await control
    .insert(sharedProjects)
    .values(SHARED.map((p) => ({ id: newId(), ...p, createdAt: now, updatedAt: now })))
    .onConflictDoNothing({ target: sharedProjects.key });
  const rows = await control
    .select({ id: sharedProjects.id, key: sharedProjects.key })
    .from(sharedProjects)
    .where(
      inArray(
        sharedProjects.key,
        SHARED.map((p) => p.key),
      ),
    );
  return new Map(rows.map((r) => [r.key, r]));
}

async function tenantProject(db: TenantDb, slug: string, now: Date) {
  const spec = deskKeys[slug] ?? {
    key:
      slug
        .replace(/[^a-z0-9]/gi, "")
        .slice(0, 6)
        .toUpperCase() || "HELP",
    name: "Help Desk",
  };
  const [existing] = await db.select().from(projects).where(eq(projects.key, spec.key)).limit(1);
  if (existing) return existing;
  const row = {
    id: newId(),
    ...spec,
    description: "Requests and incidents handled by the district's own staff.",
    createdAt: now,
    updatedAt: now,
  };
  await db.insert(projects).values(row);
  return { ...row, defaultAssigneeGroupId: null, archivedAt: null };
}

/**
 * The district's issues, as if filed and worked over the last weeks (each step checked by its workflow),
 * with due dates under the district's service levels; those left waiting (on hold, waiting on the
 * requester, awaiting parts) have their clock stopped since they began waiting, as a transition would.
 */
function districtIssues(
  district: DemoDistrict,
  policy: ServiceLevels,
  ctxFor: (userId: string) => ServiceContext,
  people: Record<Who, string>,
  projectOf: (where: Where) => { scope: "tenant" | "shared"; id: string },
  schoolIds: ReadonlyMap<string, string>,
  now: Date,
) {
  const refs = new Map<string, string>();
  const rows: IssueRow[] = [];
  const history: ReturnType<typeof historyRows> = [];
  const at = (daysAgo: number) => new Date(now.getTime() - daysAgo * 86_400_000).toISOString();
  demoIssues.forEach((spec, i) => {
    const createdAt = new Date(now.getTime() - spec.ageDays * 86_400_000);
    const requester = people[spec.requester ?? "lead"];
    const actor = ctxFor(people[spec.assignee ?? "lead"]);
    const project = projectOf(spec.where);
    const priority =
      spec.type === "incident"
        ? priorityOf(spec.impact ?? "medium", spec.urgency ?? "medium")
        : (spec.priority ?? "medium");
    const schoolCode = schoolCodeOf(district, spec.school, i);
    let row = issueRow({
      number: i + 1,
      projectScope: project.scope,
      projectId: project.id,
      type: spec.type,
      title: spec.title(district),
      schoolId: schoolCode ? (schoolIds.get(schoolCode) ?? null) : null,
      description: spec.description ?? null,
      priority,
      impact: spec.type === "incident" ? (spec.impact ?? "medium") : null,
      urgency: spec.type === "incident" ? (spec.urgency ?? "medium") : null,
      requesterId: requester,
      assigneeUserId: spec.assignee ? people[spec.assignee] : null,
      tags: spec.tags ?? [],
      details:
        spec.type === "change"
          ? { approval: "pending", ...spec.details?.(refs, at) }
          : spec.type === "post_incident_analysis"
            ? { timeline: [], actions: [], ...spec.details?.(refs, at) }
            : (spec.details?.(refs, at) ?? {}),
      createdById: requester,
      createdAt,
      ...dueDatesFor(policy, priority, createdAt),
    });
    if (spec.ref) refs.set(spec.ref, row.id);
    history.push(
      ...historyRows(
        ctxFor(requester),
        row.id,
        [
          {
            field: "created",
            before: null,
            after: {
              status: row.status,
              title: row.title,
              ...(row.schoolId ? { schoolId: row.schoolId } : {}),
            },
          },
        ],
        createdAt,
      ),
    );
    let when = createdAt;
    for (const to of spec.path) {
      when = new Date(Math.min(when.getTime() + (spec.stepHours ?? 4) * 3_600_000, now.getTime()));
      // Project leads decide on changes' approval; the assignee moves everything else.
      const mover = to === "approved" || to === "rejected" ? ctxFor(people.lead) : actor;
      const change = planTransition(mover, row, to, when, policy);
      history.push(...historyRows(mover, row.id, change.history, when));
      row = { ...row, ...change.set, version: row.version + 1, updatedAt: when } as IssueRow;
    }
    if (spec.archived) row = { ...row, archivedAt: now, version: row.version + 1 };
    rows.push(row);
  });
  return { rows, history };
}

/**
 * The demo districts' issues: the shared projects (once), a help desk project per district and about 25
 * issues of every subtype per district, some in the shared projects (summarised for the root desk), most
 * about one of the district's open schools, with their history. A district that already has issues is left
 * as it is.
 */
export async function seedDemoIssues(
  control: ControlDb,
  plane: DataPlane,
  districts: readonly { district: DemoDistrict; tenant: TenantRecord }[],
  demoUsers: readonly DemoUser[],
): Promise<number> {
  const shared = await seedSharedProjects(control);
  const accounts = await control
    .select({ id: users.id, email: users.email })
    .from(users)
    .where(
      inArray(
        users.email,
        demoUsers.map((u) => u.email),
      ),
    );
  const idOf = new Map(accounts.map((a) => [a.email, a.id]));
  let added = 0;
  for (const { district, tenant } of districts) {
    const db = tenantDatabase(openClient(plane.tenant(tenant)));
    try {
      const [any] = await db.select({ id: issues.id }).from(issues).limit(1);
      if (any) continue;
      const staff = demoUsers.filter((u) => u.memberships.some((m) => m.slug === district.slug));
      const lead = staff.find((u) =>
        u.memberships.some((m) => m.slug === district.slug && (m.role === "owner" || m.role === "admin")),
      );
      const tech = staff.find((u) => u !== lead) ?? lead;
      if (!lead || !tech) continue;
      const people: Record<Who, string> = { lead: idOf.get(lead.email)!, tech: idOf.get(tech.email)! };
      const now = new Date();
      const own = await tenantProject(db, district.slug, now);
      const log = {
        warn: (message: string, extra?: Record<string, unknown>) => console.warn(message, extra ?? {}),
      };
      const system = systemContext({ db, control, tenant, reason: "demo-seed", log });
      // The demo's history is of people working the issues: each step is recorded as one of the staff's.
      const ctxFor = (userId: string): ServiceContext => ({
        ...system,
        actor: {
          kind: "user",
          userId,
          name: "",
          twoFactorEnabled: false,
          credential: { kind: "session", id: "demo-seed", scopes: null },
          ip: null,
          requestId: "demo-seed",
        },
        tenant: { ...system.tenant, role: "owner" },
      });
      const projectOf = (where: Where) =>
        where === "tenant"
          ? { scope: "tenant" as const, id: own.id }
          : { scope: "shared" as const, id: shared.get(where)!.id };
      // The district's schools were seeded before its issues; they are found by building code.
      const schoolIds = new Map(
        (await db.select({ id: schools.id, code: schools.code }).from(schools)).map((r) => [r.code, r.id]),
      );
      // The district's service levels were seeded before its issues (or are its own by now).
      const policy = await loadServiceLevels(db, log);
      const { rows, history } = districtIssues(district, policy, ctxFor, people, projectOf, schoolIds, now);
      const keys = new Map<string, string>([
        [own.id, own.key],
        ...[...shared.values()].map((s) => [s.id, s.key] as [string, string]),
      ]);
      await insertIssueRows(db, rows, keys);
      await bulkInsert(db, issueHistory, history);
      await db
        .insert(auditLog)
        .values(
          auditRow(auditBy(system, "issue", null, { action: "demo.seeded", after: { issues: rows.length } })),
        );
      const changes: SharedIndexChange[] = rows
        .filter((r) => r.projectScope === "shared" && !r.archivedAt)
        .map((r) => {
          const key = keys.get(r.projectId)!;
          return { kind: "upsert", row: r, project: { scope: "shared", id: r.projectId, key, name: key } };
        });
      await syncSharedIndex(system, changes);
      added += rows.length;
    } finally {
      db.$client.close();
    }
  }
  return added;
}
