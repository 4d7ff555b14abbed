export * from "./education";
export * from "./groups";
export * from "./operations";
