import type { ControlDb, TenantDb } from "../../../../db/client";
import { AppError } from "../../../../shared/errors";
import type { Permission } from "../../../../shared/permissions";
import type { SearchQueryOutput } from "../../../../shared/schemas/search";
import type { SearchRegistry } from "../../../search/registry";
import { searchDocuments } from "../../../search/search";

/**
 * The global search: the best hits in the organization's index among the types the caller may read,
 * shown by each type (title, second line, where it opens) and grouped by type. Hits a type no longer
 * presents (e.g. archived objects) are dropped.
 */
export async function runGlobalSearch(
  db: TenantDb,
  params: {
    control: ControlDb;
    registry: SearchRegistry;
    may: (permission: Permission) => boolean;
    q: string;
    limit: number;
    types?: string[];
  },
): Promise<SearchQueryOutput> {
  const { registry } = params;
  if (params.types) {
    const unknown = params.types.filter((t) => !registry.get(t));
    if (unknown.length > 0) {
      throw new AppError("BAD_REQUEST", `There is nothing searchable called ${unknown.join(", ")}.`, {
        fieldErrors: {
          types: [
            `Known types: ${registry
              .all()
              .map((t) => t.objectType)
              .join(", ")}`,
          ],
        },
      });
    }
  }
  const allowed = registry
    .all()
    .filter((t) => (!params.types || params.types.includes(t.objectType)) && params.may(t.permission));
  const hits = await searchDocuments(db, params.q, {
    types: allowed.map((t) => t.objectType),
    limit: params.limit,
  });
  const groups: SearchQueryOutput["groups"] = [];
  for (const type of allowed) {
    const mine = hits.filter((h) => h.objectType === type.objectType);
    if (mine.length === 0) continue;
    const shown = await type.present(db, [...new Set(mine.map((h) => h.objectId))], {
      control: params.control,
    });
    const items = mine.flatMap((h) => {
      const p = shown.get(h.objectId);
      return p
        ? [
            {
              objectId: h.objectId,
              title: p.title,
              subtitle: p.subtitle,
              path: p.path,
              snippet: h.snippet,
              highlights: h.highlights,
              score: -h.rank,
            },
          ]
        : [];
    });
    if (items.length > 0) groups.push({ objectType: type.objectType, label: type.label, items });
  }
  groups.sort((a, b) => (b.items[0]?.score ?? 0) - (a.items[0]?.score ?? 0));
  return { groups };
}
