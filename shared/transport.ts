/** The header that names the organization (tenant) a request is for: its slug. */
export const TENANT_HEADER = "x-nexus-tenant";

/** The most procedures one batched tRPC request may carry; the server refuses larger batches. */
export const MAX_BATCH_SIZE = 10;
