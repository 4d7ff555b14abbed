import { auditLogTable, jobRunsTable } from "../../common";

export const auditLog = auditLogTable();
export const jobRuns = jobRunsTable();
