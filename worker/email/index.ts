export type { OutgoingEmail, ProviderConfig, ProviderResult } from "./provider";
export { postEmail } from "./provider";
export type { EmailDelivery, EmailMessage, EmailSettings, EmailStatus } from "./send";
export { emailProviderConfigured, sendEmail, sendEmails } from "./send";
