CREATE TABLE `catalog_categories` (
	`id` text PRIMARY KEY NOT NULL,
	`name` text NOT NULL,
	`description` text,
	`created_at` integer NOT NULL,
	`updated_at` integer NOT NULL,
	`archived_at` integer
);
--> statement-breakpoint
CREATE UNIQUE INDEX `catalog_categories_name_uq` ON `catalog_categories` (`name`);--> statement-breakpoint
CREATE TABLE `counters` (
	`name` text PRIMARY KEY NOT NULL,
	`value` integer NOT NULL
);
--> statement-breakpoint
CREATE TABLE `issue_attachments` (
	`id` text PRIMARY KEY NOT NULL,
	`issue_id` text NOT NULL,
	`r2_key` text NOT NULL,
	`filename` text NOT NULL,
	`content_type` text NOT NULL,
	`size` integer NOT NULL,
	`sha256` text NOT NULL,
	`uploaded_by_id` text NOT NULL,
	`created_at` integer NOT NULL,
	`deleted_at` integer,
	FOREIGN KEY (`issue_id`) REFERENCES `issues`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `issue_attachments_issue_idx` ON `issue_attachments` (`issue_id`,`created_at`);--> statement-breakpoint
CREATE TABLE `issue_comments` (
	`id` text PRIMARY KEY NOT NULL,
	`issue_id` text NOT NULL,
	`author_id` text NOT NULL,
	`body` text NOT NULL,
	`visibility` text NOT NULL,
	`created_at` integer NOT NULL,
	`edited_at` integer,
	`deleted_at` integer,
	FOREIGN KEY (`issue_id`) REFERENCES `issues`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `issue_comments_issue_idx` ON `issue_comments` (`issue_id`,`created_at`);--> statement-breakpoint
CREATE TABLE `issue_history` (
	`id` text PRIMARY KEY NOT NULL,
	`issue_id` text NOT NULL,
	`actor_id` text,
	`at` integer NOT NULL,
	`field` text NOT NULL,
	`before` text,
	`after` text,
	`request_id` text,
	FOREIGN KEY (`issue_id`) REFERENCES `issues`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `issue_history_issue_idx` ON `issue_history` (`issue_id`,`at`);--> statement-breakpoint
CREATE TABLE `issue_links` (
	`id` text PRIMARY KEY NOT NULL,
	`from_issue_id` text NOT NULL,
	`to_issue_id` text NOT NULL,
	`kind` text NOT NULL,
	`created_by_id` text,
	`created_at` integer NOT NULL,
	FOREIGN KEY (`from_issue_id`) REFERENCES `issues`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`to_issue_id`) REFERENCES `issues`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE UNIQUE INDEX `issue_links_uq` ON `issue_links` (`from_issue_id`,`to_issue_id`,`kind`);--> statement-breakpoint
CREATE INDEX `issue_links_to_idx` ON `issue_links` (`to_issue_id`);--> statement-breakpoint
CREATE TABLE `issue_watchers` (
	`issue_id` text NOT NULL,
	`user_id` text NOT NULL,
	`created_at` integer NOT NULL,
	PRIMARY KEY(`issue_id`, `user_id`),
	FOREIGN KEY (`issue_id`) REFERENCES `issues`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `issue_watchers_user_idx` ON `issue_watchers` (`user_id`);--> statement-breakpoint
CREATE TABLE `issues` (
	`id` text PRIMARY KEY NOT NULL,
	`number` integer NOT NULL,
	`project_scope` text NOT NULL,
	`project_id` text NOT NULL,
	`type` text NOT NULL,
	`title` text NOT NULL,
	`description` text,
	`status` text NOT NULL,
	`priority` text NOT NULL,
	`impact` text,
	`urgency` text,
	`requester_id` text,
	`assignee_user_id` text,
	`assignee_group_id` text,
	`category_id` text,
	`request_type_id` text,
	`tags` text DEFAULT '[]' NOT NULL,
	`details` text DEFAULT '{}' NOT NULL,
	`due_at` integer,
	`response_due_at` integer,
	`resolution_due_at` integer,
	`responded_at` integer,
	`resolved_at` integer,
	`closed_at` integer,
	`version` integer DEFAULT 1 NOT NULL,
	`created_by_id` text,
	`created_at` integer NOT NULL,
	`updated_at` integer NOT NULL,
	`archived_at` integer
);
--> statement-breakpoint
CREATE UNIQUE INDEX `issues_number_uq` ON `issues` (`number`);--> statement-breakpoint
CREATE INDEX `issues_project_status_idx` ON `issues` (`project_scope`,`project_id`,`status`,`updated_at`);--> statement-breakpoint
CREATE INDEX `issues_status_priority_idx` ON `issues` (`status`,`priority`,`updated_at`);--> statement-breakpoint
CREATE INDEX `issues_assignee_idx` ON `issues` (`assignee_user_id`,`status`,`updated_at`);--> statement-breakpoint
CREATE INDEX `issues_group_idx` ON `issues` (`assignee_group_id`,`status`,`updated_at`);--> statement-breakpoint
CREATE INDEX `issues_type_idx` ON `issues` (`type`,`status`,`updated_at`);--> statement-breakpoint
CREATE INDEX `issues_requester_idx` ON `issues` (`requester_id`,`updated_at`);--> statement-breakpoint
CREATE INDEX `issues_updated_idx` ON `issues` (`updated_at`,`id`);--> statement-breakpoint
CREATE INDEX `issues_resolution_due_idx` ON `issues` (`resolution_due_at`) WHERE resolved_at IS NULL;--> statement-breakpoint
CREATE TABLE `notifications` (
	`id` text PRIMARY KEY NOT NULL,
	`user_id` text NOT NULL,
	`kind` text NOT NULL,
	`issue_id` text,
	`actor_id` text,
	`summary` text NOT NULL,
	`created_at` integer NOT NULL,
	`read_at` integer
);
--> statement-breakpoint
CREATE INDEX `notifications_user_idx` ON `notifications` (`user_id`,`read_at`,`created_at`);--> statement-breakpoint
CREATE TABLE `projects` (
	`id` text PRIMARY KEY NOT NULL,
	`key` text NOT NULL,
	`name` text NOT NULL,
	`description` text,
	`default_assignee_group_id` text,
	`created_at` integer NOT NULL,
	`updated_at` integer NOT NULL,
	`archived_at` integer
);
--> statement-breakpoint
CREATE UNIQUE INDEX `projects_key_uq` ON `projects` (`key`);--> statement-breakpoint
CREATE TABLE `request_types` (
	`id` text PRIMARY KEY NOT NULL,
	`category_id` text NOT NULL,
	`name` text NOT NULL,
	`description` text,
	`issue_type` text NOT NULL,
	`default_project_scope` text,
	`default_project_id` text,
	`default_assignee_group_id` text,
	`fields` text DEFAULT '[]' NOT NULL,
	`created_at` integer NOT NULL,
	`updated_at` integer NOT NULL,
	`archived_at` integer,
	FOREIGN KEY (`category_id`) REFERENCES `catalog_categories`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE UNIQUE INDEX `request_types_name_uq` ON `request_types` (`category_id`,`name`);--> statement-breakpoint
CREATE TABLE `saved_filters` (
	`id` text PRIMARY KEY NOT NULL,
	`user_id` text NOT NULL,
	`object_type` text NOT NULL,
	`name` text NOT NULL,
	`filters` text NOT NULL,
	`created_at` integer NOT NULL,
	`updated_at` integer NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX `saved_filters_name_uq` ON `saved_filters` (`user_id`,`object_type`,`name`);--> statement-breakpoint
CREATE TABLE `search_keys` (
	`id` integer PRIMARY KEY NOT NULL,
	`object_type` text NOT NULL,
	`object_id` text NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX `search_keys_object_uq` ON `search_keys` (`object_type`,`object_id`);