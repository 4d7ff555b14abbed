import type { BaseWorld } from "./isolation-world";

/**
 * Organization A's objects of this part of the Projects package, for the isolation suite: return them with
 * the words that would show them leaking (names, ids) in `identifiers`.
 */
export async function buildIssueExtrasWorld(_world: BaseWorld) {
  return { identifiers: [] as string[] };
}
