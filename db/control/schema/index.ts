export * from "./identity";
export * from "./invitations";
export * from "./operations";
export * from "./tenants";
export * from "./tokens";
