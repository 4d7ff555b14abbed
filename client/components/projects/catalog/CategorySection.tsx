import { ClipboardList, FilePlus, Plus } from "lucide-react";
import { useId } from "react";
import { archivable, objectByKey } from "../../../../shared/registry";
import type { CatalogCategory, RequestType } from "../../../../shared/schemas/issue-extras";
import { issueTypeLabels } from "../../../lib/issues";
import { type Column, DataTable } from "../../collection/DataTable";
import { lifecycleActions } from "../../collection/lifecycle";
import { RowActions } from "../../RowActions";
import { Badge, EmptyState } from "../../ui";
import { extraFieldKindLabels } from "./extra-fields";

/** What an administrator can do from a category's section; left out for everyone else. */
export interface CatalogActions {
  editCategory: (category: CatalogCategory) => void;
  archiveCategory: (category: CatalogCategory) => void;
  restoreCategory: (category: CatalogCategory) => void;
  addRequestType: (category: CatalogCategory) => void;
  editRequestType: (requestType: RequestType) => void;
  archiveRequestType: (requestType: RequestType) => void;
  restoreRequestType: (requestType: RequestType) => void;
}

const none = <span className="muted">None</span>;
const requestTypeObject = objectByKey("requestType");
const stateOf = (record: { archived: boolean }) => (record.archived ? "archived" : "active");

/** One category of the catalog: its name and description, and a table of its request types. */
export function CategorySection({
  category,
  requestTypes,
  actions,
  onFile,
}: {
  category: CatalogCategory;
  requestTypes: readonly RequestType[];
  actions: CatalogActions | undefined;
  /** Files a new issue through a request type; left out for those who cannot file. */
  onFile?: ((requestType: RequestType) => void) | undefined;
}) {
  const headingId = useId();

  const columns: Column<RequestType>[] = [
    {
      id: "name",
      header: "Request type",
      rowHeader: true,
      cell: (t) => (
        <>
          {actions && !t.archived ? (
            <button type="button" className="link-button strong" onClick={() => actions.editRequestType(t)}>
              {t.name}
            </button>
          ) : (
            <span className="strong">{t.name}</span>
          )}
          {t.description ? <span className="cell-detail clamp">{t.description}</span> : null}
        </>
      ),
    },
    { id: "issueType", header: "Files as", cell: (t) => issueTypeLabels[t.issueType] },
    {
      id: "project",
      header: "Default project",
      hideOnNarrow: true,
      cell: (t) =>
        t.defaultProject
          ? (t.defaultProject.name ?? <span className="muted">A project that no longer exists</span>)
          : none,
    },
    {
      id: "group",
      header: "Assignee group",
      hideOnNarrow: true,
      cell: (t) =>
        t.defaultAssigneeGroup
          ? (t.defaultAssigneeGroup.name ?? <span className="muted">A group that no longer exists</span>)
          : none,
    },
    {
      id: "fields",
      header: "Extra fields",
      cell: (t) =>
        t.fields.length === 0 ? (
          none
        ) : (
          <ul className="chips catalog-field-chips" aria-label={`Extra fields of ${t.name}`}>
            {t.fields.map((f) => (
              <li
                key={f.key}
                className="chip"
                title={f.options ? `Choices: ${f.options.join(", ")}` : undefined}
              >
                {f.label}
                <span className="muted">
                  {" "}
                  · {extraFieldKindLabels[f.kind].toLowerCase()}
                  {f.required ? ", required" : ""}
                </span>
                {f.options ? (
                  <span className="visually-hidden"> (choices: {f.options.join(", ")})</span>
                ) : null}
              </li>
            ))}
          </ul>
        ),
    },
    {
      id: "status",
      header: "Status",
      cell: (t) => (t.archived ? <Badge>Archived</Badge> : <Badge tone="success">Active</Badge>),
    },
  ];

  if (onFile) {
    columns.push({
      id: "file",
      header: <span className="visually-hidden">File</span>,
      className: "nowrap",
      cell: (t) =>
        t.archived ? null : (
          <button type="button" className="button button-small" onClick={() => onFile(t)}>
            <FilePlus size={14} aria-hidden="true" />
            File<span className="visually-hidden"> a {t.name}</span>
          </button>
        ),
    });
  }

  return (
    <section
      className="section catalog-category"
      aria-labelledby={headingId}
      data-archived={category.archived ? "true" : undefined}
    >
      <div className="catalog-category-header">
        <div className="catalog-category-text">
          <h2 id={headingId} className="catalog-category-title">
            {category.name}
            {category.archived ? <Badge>Archived</Badge> : null}
          </h2>
          {category.description ? <p className="muted">{category.description}</p> : null}
        </div>
        {actions ? (
          <div className="catalog-category-actions">
            {category.archived ? null : (
              <button type="button" className="button" onClick={() => actions.addRequestType(category)}>
                <Plus size={14} aria-hidden="true" />
                Add request type
                <span className="visually-hidden"> to {category.name}</span>
              </button>
            )}
            <RowActions
              label={`the category ${category.name}`}
              actions={lifecycleActions(archivable, stateOf(category), {
                onEdit: () => actions.editCategory(category),
                run: {
                  archive: () => actions.archiveCategory(category),
                  restore: () => actions.restoreCategory(category),
                },
              })}
            />
          </div>
        ) : null}
      </div>
      <DataTable<RequestType>
        caption={`Request types in ${category.name}`}
        columns={columns}
        rows={requestTypes}
        rowKey={(t) => t.id}
        rowLabel={(t) => t.name}
        noun={{ one: "request type", other: "request types" }}
        rowAttributes={(t) => ({ "data-archived": t.archived ? "true" : undefined })}
        rowActions={
          actions
            ? (t) => (
                <RowActions
                  label={t.name}
                  actions={lifecycleActions(requestTypeObject, stateOf(t), {
                    onEdit: () => actions.editRequestType(t),
                    run: {
                      archive: () => actions.archiveRequestType(t),
                      restore: () => actions.restoreRequestType(t),
                    },
                  })}
                />
              )
            : undefined
        }
        empty={
          <EmptyState
            compact
            icon={<ClipboardList size={18} aria-hidden="true" />}
            title={`No request types in ${category.name} yet`}
          >
            <p>
              {actions && !category.archived
                ? "Add one with “Add request type”: people choose it when they file, and it fills in the rest."
                : "Request types appear here once an administrator adds them."}
            </p>
          </EmptyState>
        }
      />
    </section>
  );
}
