ALTER TABLE `issues` ADD `sla_paused_at` integer;--> statement-breakpoint
ALTER TABLE `issues` ADD `sla_paused_minutes` integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE `issues` ADD `sla_paused_business_minutes` integer DEFAULT 0 NOT NULL;--> statement-breakpoint
-- Issues already waiting in a status that stops the clock (see `pausesClock` in shared/schemas/workflows.ts)
-- stop it from now on; the time they waited before this migration counted, as it did when they waited.
UPDATE `issues` SET `sla_paused_at` = CAST(strftime('%s', 'now') AS INTEGER) * 1000
WHERE `resolved_at` IS NULL AND (
  (`type` = 'incident' AND `status` = 'on_hold')
  OR (`type` = 'service_request' AND `status` = 'waiting_on_requester')
  OR (`type` = 'repair' AND `status` = 'awaiting_parts')
);
