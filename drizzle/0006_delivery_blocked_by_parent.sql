ALTER TABLE "deliveries" ADD COLUMN "blocked" jsonb;--> statement-breakpoint
CREATE INDEX "deliveries_run" ON "deliveries" USING btree ("run_id") WHERE "deliveries"."run_id" is not null;