export * from "./education";
export * from "./operations";
