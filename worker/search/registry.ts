import type { ControlDb, TenantDb } from "../../db/client";
import type { Permission } from "../../shared/permissions";
import { indexDocument, type SearchDocument } from "./documents";

/** How a search hit is shown: a title, a second line, and where it opens in the client. */
export interface SearchPresentation {
  title: string;
  subtitle: string | null;
  /** Under the organization, e.g. /projects/issues/<id>. */
  path: string;
}

/**
 * An object type a package makes searchable. The package indexes its rows with `indexObject` in the same
 * batch as each write; the global search shows hits through `present`, which also drops ids the caller
 * should not see any more (e.g. archived), so stale documents never surface.
 */
export interface SearchType<Row = never> {
  /** Stored in search_keys.object_type, e.g. "issue". Unique across Nexus. */
  objectType: string;
  /** The group heading in results, e.g. "Issues". */
  label: string;
  /** Callers without it (role or token scope) never see this type's hits. */
  permission: Permission;
  toDocument(row: Row): SearchDocument;
  present(
    db: TenantDb,
    ids: readonly string[],
    env: { control: ControlDb },
  ): Promise<Map<string, SearchPresentation>>;
}

export function defineSearchType<Row>(type: SearchType<Row>): SearchType<Row> {
  return type;
}

/** The statements indexing `row` as object `objectId` of `type` (batch them with the write). */
export function indexObject<Row>(db: TenantDb, type: SearchType<Row>, objectId: string, row: Row) {
  return indexDocument(db, type.objectType, objectId, type.toDocument(row));
}

// biome-ignore lint/suspicious/noExplicitAny: the registry holds types of every row shape
export type AnySearchType = SearchType<any>;

export interface SearchRegistry {
  all(): readonly AnySearchType[];
  get(objectType: string): AnySearchType | undefined;
}

export function createSearchRegistry(types: readonly AnySearchType[]): SearchRegistry {
  const byType = new Map<string, AnySearchType>();
  for (const type of types) {
    if (byType.has(type.objectType)) throw new Error(`search type ${type.objectType} is registered twice`);
    byType.set(type.objectType, type);
  }
  return { all: () => [...byType.values()], get: (objectType) => byType.get(objectType) };
}
