import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { dirname } from "node:path";

/** Secrets the Worker needs, generated once for local use (never committed, never defaults in code). */
export function newLocalSecrets(): Record<string, string> {
  const key = new Uint8Array(32);
  crypto.getRandomValues(key);
  return { ENCRYPTION_KEY: Buffer.from(key).toString("base64") };
}

/** Reads the local secrets kept beside the data, creating any that are missing. */
export function localSecrets(file: string): Record<string, string> {
  const saved = existsSync(file) ? (JSON.parse(readFileSync(file, "utf8")) as Record<string, string>) : {};
  const merged = { ...newLocalSecrets(), ...saved };
  if (Object.keys(merged).some((k) => !(k in saved))) {
    mkdirSync(dirname(file), { recursive: true });
    writeFileSync(file, `${JSON.stringify(merged, null, 2)}\n`, { mode: 0o600 });
  }
  return merged;
}
