import { projectsSearchTypes } from "./packages/projects/search";
import { createSearchRegistry } from "./search/registry";

/**
 * Every searchable object type of Nexus, listed as the root router lists every package's router: a package
 * that indexes objects declares them in its `search.ts` and adds that list here. The search mechanism
 * (worker/search) knows no package.
 */
export const searchRegistry = createSearchRegistry([...projectsSearchTypes]);
