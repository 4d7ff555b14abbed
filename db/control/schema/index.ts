export * from "./identity";
export * from "./operations";
export * from "./tenants";
