import { issueSearchType } from "../packages/projects/issues/search-type";
import { createSearchRegistry } from "./registry";

/**
 * Every searchable object type of Nexus, as the root router lists every package's router: a package that
 * indexes objects adds its type here (and indexes with indexObject in the batch of each write).
 */
export const searchRegistry = createSearchRegistry([issueSearchType]);
