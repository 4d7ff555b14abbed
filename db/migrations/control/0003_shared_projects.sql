CREATE TABLE `shared_issue_index` (
	`tenant_id` text NOT NULL,
	`issue_id` text NOT NULL,
	`project_id` text NOT NULL,
	`number` text NOT NULL,
	`title` text NOT NULL,
	`type` text NOT NULL,
	`status` text NOT NULL,
	`priority` text NOT NULL,
	`updated_at` integer NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX `shared_issue_index_pk` ON `shared_issue_index` (`tenant_id`,`issue_id`);--> statement-breakpoint
CREATE INDEX `shared_issue_index_project_idx` ON `shared_issue_index` (`project_id`,`status`,`updated_at`,`tenant_id`,`issue_id`);--> statement-breakpoint
CREATE TABLE `shared_projects` (
	`id` text PRIMARY KEY NOT NULL,
	`key` text NOT NULL,
	`name` text NOT NULL,
	`description` text,
	`created_at` integer NOT NULL,
	`updated_at` integer NOT NULL,
	`archived_at` integer
);
--> statement-breakpoint
CREATE UNIQUE INDEX `shared_projects_key_uq` ON `shared_projects` (`key`);