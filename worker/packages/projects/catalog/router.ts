import {
  catalogCategory,
  categoryIdInput,
  createCategoryInput,
  createRequestTypeInput,
  listCategoriesInput,
  listCategoriesOutput,
  listRequestTypesInput,
  listRequestTypesOutput,
  requestType,
  requestTypeIdInput,
  updateCategoryInput,
  updateRequestTypeInput,
} from "../../../../shared/schemas/issue-extras";
import { requirePermission, router } from "../../../trpc/init";
import { issueActorOf } from "../activity/actor";
import { createCategory, listCategories, setCategoryArchived, updateCategory } from "./categories";
import {
  createRequestType,
  getRequestType,
  listRequestTypes,
  setRequestTypeArchived,
  updateRequestType,
} from "./request-types";

const reader = requirePermission("projects.read");
const admin = requirePermission("projects.admin");

/** Categories of the issue catalog (projects.catalog.categories.*): read by all, changed by administrators. */
const categoriesRouter = router({
  /** Categories by name; archived ones only with `includeArchived`. */
  list: reader
    .input(listCategoriesInput)
    .output(listCategoriesOutput)
    .query(({ ctx, input }) => listCategories(ctx.db, input)),

  /** Creates a category (name unique in the organization). */
  create: admin
    .input(createCategoryInput)
    .output(catalogCategory)
    .mutation(({ ctx, input }) => createCategory(ctx.db, { actor: issueActorOf(ctx), input })),

  /** Renames a category or changes its description. */
  update: admin
    .input(updateCategoryInput)
    .output(catalogCategory)
    .mutation(({ ctx, input }) => updateCategory(ctx.db, { actor: issueActorOf(ctx), input })),

  /** Archives a category: hidden from pickers, no new request types in it. */
  archive: admin
    .input(categoryIdInput)
    .output(catalogCategory)
    .mutation(({ ctx, input }) =>
      setCategoryArchived(ctx.db, { actor: issueActorOf(ctx), id: input.id, archived: true }),
    ),

  /** Restores an archived category. */
  restore: admin
    .input(categoryIdInput)
    .output(catalogCategory)
    .mutation(({ ctx, input }) =>
      setCategoryArchived(ctx.db, { actor: issueActorOf(ctx), id: input.id, archived: false }),
    ),
});

/** Request types of the issue catalog (projects.catalog.requestTypes.*). */
const requestTypesRouter = router({
  /** Request types (of one category, or all); archived ones only with `includeArchived`. */
  list: reader
    .input(listRequestTypesInput)
    .output(listRequestTypesOutput)
    .query(({ ctx, input }) => listRequestTypes(ctx.db, { control: ctx.control, input })),

  /** One request type with its extra fields. */
  get: reader
    .input(requestTypeIdInput)
    .output(requestType)
    .query(({ ctx, input }) => getRequestType(ctx.db, { control: ctx.control, id: input.id })),

  /** Creates a request type: default project, assignee group and extra fields checked. */
  create: admin
    .input(createRequestTypeInput)
    .output(requestType)
    .mutation(({ ctx, input }) =>
      createRequestType(ctx.db, { control: ctx.control, actor: issueActorOf(ctx), input }),
    ),

  /** Changes a request type. */
  update: admin
    .input(updateRequestTypeInput)
    .output(requestType)
    .mutation(({ ctx, input }) =>
      updateRequestType(ctx.db, { control: ctx.control, actor: issueActorOf(ctx), input }),
    ),

  /** Archives a request type: no longer offered when filing. */
  archive: admin
    .input(requestTypeIdInput)
    .output(requestType)
    .mutation(({ ctx, input }) =>
      setRequestTypeArchived(ctx.db, {
        control: ctx.control,
        actor: issueActorOf(ctx),
        id: input.id,
        archived: true,
      }),
    ),

  /** Restores an archived request type. */
  restore: admin
    .input(requestTypeIdInput)
    .output(requestType)
    .mutation(({ ctx, input }) =>
      setRequestTypeArchived(ctx.db, {
        control: ctx.control,
        actor: issueActorOf(ctx),
        id: input.id,
        archived: false,
      }),
    ),
});

/** The issue catalog: categories and the request types people file issues through. */
export const catalogRouter = router({
  categories: categoriesRouter,
  requestTypes: requestTypesRouter,
});
