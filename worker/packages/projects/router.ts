import { router } from "../../trpc/init";
import { activityRouter } from "./activity/router";
import { attachmentsRouter } from "./attachments/router";
import { catalogRouter } from "./catalog/router";
import { commentsRouter } from "./comments/router";
import { deskRouter } from "./desk/router";
import { issuesRouter } from "./issues/router";
import { linksRouter } from "./links/router";
import { notificationsRouter } from "./notifications/router";
import { peopleRouter } from "./people/router";
import { projectRecordsRouter } from "./projects/router";
import { savedFiltersRouter } from "./saved-filters/router";
import { serviceLevelsRouter } from "./service-levels/router";
import { watchersRouter } from "./watchers/router";

/** The Projects package: projects, issues and everything around them, and the root service desk. */
export const projectsRouter = router({
  projects: projectRecordsRouter,
  issues: issuesRouter,
  savedFilters: savedFiltersRouter,
  desk: deskRouter,
  comments: commentsRouter,
  attachments: attachmentsRouter,
  links: linksRouter,
  watchers: watchersRouter,
  activity: activityRouter,
  notifications: notificationsRouter,
  catalog: catalogRouter,
  people: peopleRouter,
  serviceLevels: serviceLevelsRouter,
});
