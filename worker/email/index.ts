export { emailChangedNotice, emailVerificationEmail } from "./account";
export type { OutgoingEmail, ProviderConfig, ProviderResult } from "./provider";
export { postEmail } from "./provider";
export type { EmailDelivery, EmailMessage, EmailSettings, EmailStatus } from "./send";
export { capturedOutboxRows, emailProviderConfigured, sendEmail, sendEmails } from "./send";
