import type { TenantDb } from "../db/client";
import { countSchoolsByStatus } from "./packages/education/schools";

/**
 * What each package puts on the organization's home page (its headline counts), assembled here as the root
 * router assembles the packages' routers: System's overview reads this, never another package.
 */
export async function packageHeadlines(db: TenantDb) {
  return { schools: await countSchoolsByStatus(db) };
}
