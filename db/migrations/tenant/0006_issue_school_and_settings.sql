CREATE TABLE `settings` (
	`key` text PRIMARY KEY NOT NULL,
	`value` text NOT NULL,
	`updated_at` integer NOT NULL,
	`updated_by_id` text
);
--> statement-breakpoint
ALTER TABLE `issues` ADD `school_id` text;--> statement-breakpoint
CREATE INDEX `issues_school_idx` ON `issues` (`school_id`,`status`,`updated_at`);