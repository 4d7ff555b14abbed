/**
 * Writes the REST layer's OpenAPI 3.1 document to docs/api/openapi.json (the copy a reader or a client
 * generator takes; tests/unit/openapi-document.test.ts fails when it differs from what the code generates).
 */
import { execFileSync } from "node:child_process";
import { mkdirSync, writeFileSync } from "node:fs";
import { buildOpenApiDocument } from "../worker/rest/openapi";

const file = "docs/api/openapi.json";
mkdirSync("docs/api", { recursive: true });
writeFileSync(file, `${JSON.stringify(buildOpenApiDocument(), null, 2)}\n`);
// Formatted as the linter wants it, so `npm run lint` stays clean.
execFileSync("npx", ["biome", "format", "--write", file], { stdio: "inherit" });
console.log(`wrote ${file}`);
