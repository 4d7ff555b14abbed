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
    .meta({
      rest: {
        method: "GET",
        path: "/projects/catalog/categories",
        tag: "Projects: Categories",
        summary: "List catalog categories",
      },
    })
    .input(listCategoriesInput)
    .output(listCategoriesOutput)
    .query(({ ctx, input }) => listCategories(ctx.db, input)),

  /** Creates a category (name unique in the organization). */
  create: admin
    .meta({
      rest: {
        method: "POST",
        path: "/projects/catalog/categories",
        tag: "Projects: Categories",
        summary: "Create a category",
      },
    })
    .input(createCategoryInput)
    .output(catalogCategory)
    .mutation(({ ctx, input }) => createCategory(ctx, input)),

  /** Renames a category or changes its description. */
  update: admin
    .meta({
      rest: {
        method: "PATCH",
        path: "/projects/catalog/categories/{id}",
        tag: "Projects: Categories",
        summary: "Update a category",
      },
    })
    .input(updateCategoryInput)
    .output(catalogCategory)
    .mutation(({ ctx, input }) => updateCategory(ctx, input)),

  /** Archives a category: hidden from pickers, no new request types in it. */
  archive: admin
    .meta({
      rest: {
        method: "POST",
        path: "/projects/catalog/categories/{id}/archive",
        tag: "Projects: Categories",
        summary: "Archive a category",
      },
    })
    .input(categoryIdInput)
    .output(catalogCategory)
    .mutation(({ ctx, input }) => setCategoryArchived(ctx, { id: input.id, archived: true })),

  /** Restores an archived category. */
  restore: admin
    .meta({
      rest: {
        method: "POST",
        path: "/projects/catalog/categories/{id}/restore",
        tag: "Projects: Categories",
        summary: "Restore a category",
      },
    })
    .input(categoryIdInput)
    .output(catalogCategory)
    .mutation(({ ctx, input }) => setCategoryArchived(ctx, { id: input.id, archived: false })),
});

/** Request types of the issue catalog (projects.catalog.requestTypes.*). */
const requestTypesRouter = router({
  /** Request types (of one category, or all); archived ones only with `includeArchived`. */
  list: reader
    .meta({
      rest: {
        method: "GET",
        path: "/projects/catalog/request-types",
        tag: "Projects: Request types",
        summary: "List request types",
      },
    })
    .input(listRequestTypesInput)
    .output(listRequestTypesOutput)
    .query(({ ctx, input }) => listRequestTypes(ctx.db, { control: ctx.control, input })),

  /** One request type with its extra fields. */
  get: reader
    .meta({
      rest: {
        method: "GET",
        path: "/projects/catalog/request-types/{id}",
        tag: "Projects: Request types",
        summary: "Get a request type",
      },
    })
    .input(requestTypeIdInput)
    .output(requestType)
    .query(({ ctx, input }) => getRequestType(ctx.db, { control: ctx.control, id: input.id })),

  /** Creates a request type: default project, assignee group and extra fields checked. */
  create: admin
    .meta({
      rest: {
        method: "POST",
        path: "/projects/catalog/request-types",
        tag: "Projects: Request types",
        summary: "Create a request type",
      },
    })
    .input(createRequestTypeInput)
    .output(requestType)
    .mutation(({ ctx, input }) => createRequestType(ctx, input)),

  /** Changes a request type. */
  update: admin
    .meta({
      rest: {
        method: "PATCH",
        path: "/projects/catalog/request-types/{id}",
        tag: "Projects: Request types",
        summary: "Update a request type",
      },
    })
    .input(updateRequestTypeInput)
    .output(requestType)
    .mutation(({ ctx, input }) => updateRequestType(ctx, input)),

  /** Archives a request type: no longer offered when filing. */
  archive: admin
    .meta({
      rest: {
        method: "POST",
        path: "/projects/catalog/request-types/{id}/archive",
        tag: "Projects: Request types",
        summary: "Archive a request type",
      },
    })
    .input(requestTypeIdInput)
    .output(requestType)
    .mutation(({ ctx, input }) => setRequestTypeArchived(ctx, { id: input.id, archived: true })),

  /** Restores an archived request type. */
  restore: admin
    .meta({
      rest: {
        method: "POST",
        path: "/projects/catalog/request-types/{id}/restore",
        tag: "Projects: Request types",
        summary: "Restore a request type",
      },
    })
    .input(requestTypeIdInput)
    .output(requestType)
    .mutation(({ ctx, input }) => setRequestTypeArchived(ctx, { id: input.id, archived: false })),
});

/** The issue catalog: categories and the request types people file issues through. */
export const catalogRouter = router({
  categories: categoriesRouter,
  requestTypes: requestTypesRouter,
});
