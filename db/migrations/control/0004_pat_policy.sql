ALTER TABLE `tenants` ADD `pat_max_lifetime_days` integer DEFAULT 365 NOT NULL;--> statement-breakpoint
ALTER TABLE `tenants` ADD `pat_allow_no_expiry` integer DEFAULT false NOT NULL;