import { educationRouter } from "../packages/education/router";
import { systemRouter } from "../packages/system/router";
import { router } from "./init";

/** Every package's router, mounted at /trpc. */
export const appRouter = router({
  system: systemRouter,
  education: educationRouter,
});

export type AppRouter = typeof appRouter;
