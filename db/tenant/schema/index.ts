export * from "./education";
export * from "./groups";
export * from "./operations";
export * from "./projects";
export * from "./search";
