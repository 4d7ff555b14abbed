export const TEMPLATES = { control: "template-control", tenant: "template-tenant" } as const;
