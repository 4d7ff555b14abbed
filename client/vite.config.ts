import { resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { tanstackRouter } from "@tanstack/router-plugin/vite";
import react from "@vitejs/plugin-react";
import { defineConfig, type Plugin } from "vite";
import { staticHeadersFile } from "../shared/security-headers";

const root = fileURLToPath(new URL(".", import.meta.url));

/** `vite dev` forwards these to a running Worker (wrangler dev), which serves them on the same origin in production. */
const workerPaths = ["/trpc", "/auth", "/api", "/healthz", "/readyz"];
const workerUrl = process.env.NEXUS_WORKER_URL ?? "http://127.0.0.1:8787";

/** Writes `_headers` into the build: the static client carries the same security headers as the Worker. */
function securityHeaders(): Plugin {
  return {
    name: "nexus-security-headers",
    apply: "build",
    generateBundle() {
      this.emitFile({ type: "asset", fileName: "_headers", source: staticHeadersFile() });
    },
  };
}

export default defineConfig({
  root,
  plugins: [
    // Must come before the React plugin.
    tanstackRouter({
      target: "react",
      routesDirectory: resolve(root, "routes"),
      generatedRouteTree: resolve(root, "routeTree.gen.ts"),
      autoCodeSplitting: true,
      quoteStyle: "double",
      semicolons: true,
    }),
    react(),
    securityHeaders(),
  ],
  build: {
    outDir: resolve(root, "dist"),
    emptyOutDir: true,
    target: "es2022",
  },
  server: {
    proxy: Object.fromEntries(
      workerPaths.map((path) => [
        path,
        {
          target: workerUrl,
          changeOrigin: true,
          // The Worker refuses writes whose Origin is not its own; the dev server is a different origin.
          configure: (proxy) => {
            proxy.on("proxyReq", (request) => request.setHeader("origin", new URL(workerUrl).origin));
          },
        },
      ]),
    ),
  },
});
