import type { IssueType, Priority } from "../../../shared/schemas/issue-model";
import { formatDateTime } from "../../lib/format";
import { priorityLabels, priorityTones, statusLabel, statusTone } from "../../lib/issues";
import type { Column } from "../collection/DataTable";
import { Badge } from "../ui";

/** The columns every list of issues shows the same way: status, priority and when it last changed. */
export function issueColumns<
  T extends { type: IssueType; status: string; priority: Priority; updatedAt: string },
>(between: Column<T>[] = []): Column<T>[] {
  return [
    {
      id: "status",
      header: "Status",
      className: "nowrap",
      cell: (i) => <Badge tone={statusTone(i.type, i.status)}>{statusLabel(i.type, i.status)}</Badge>,
    },
    {
      id: "priority",
      header: "Priority",
      hideOnNarrow: true,
      cell: (i) => <Badge tone={priorityTones[i.priority]}>{priorityLabels[i.priority]}</Badge>,
    },
    ...between,
    {
      id: "updated",
      header: "Updated",
      hideOnNarrow: true,
      className: "nowrap",
      cell: (i) => <time dateTime={i.updatedAt}>{formatDateTime(i.updatedAt)}</time>,
    },
  ];
}
