import { uuidv7 } from "uuidv7";

/** Time-ordered identifiers (UUIDv7): new rows land at the end of their index. */
export function newId(): string {
  return uuidv7();
}
