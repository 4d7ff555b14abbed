export { emailChangedNotice, emailVerificationEmail, tokenCreatedNotice } from "./account";
export type { IssueMailItem, IssueMailKind } from "./issue-notifications";
export { issueNotificationEmail, MAX_LISTED_ISSUES } from "./issue-notifications";
export { publicLinkBase } from "./links";
export type { OutgoingEmail, ProviderConfig, ProviderResult } from "./provider";
export { postEmail } from "./provider";
export type { EmailDelivery, EmailMessage, EmailSettings, EmailStatus } from "./send";
export { capturedOutboxRows, emailProviderConfigured, sendEmail, sendEmails } from "./send";
