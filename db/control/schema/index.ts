export * from "./identity";
export * from "./invitations";
export * from "./operations";
export * from "./shared-projects";
export * from "./tenants";
export * from "./tokens";
