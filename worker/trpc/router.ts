import { educationRouter } from "../packages/education/router";
import { projectsRouter } from "../packages/projects/router";
import { systemRouter } from "../packages/system/router";
import { router } from "./init";

/** Every package's router, mounted at /trpc. */
export const appRouter = router({
  system: systemRouter,
  education: educationRouter,
  projects: projectsRouter,
});

export type AppRouter = typeof appRouter;
