import type { AnySearchType } from "../../search/registry";
import { issueSearchType } from "./issues/search-type";

/** The object types Projects makes searchable (each indexed in the batch of its writes). */
export const projectsSearchTypes: readonly AnySearchType[] = [issueSearchType];
