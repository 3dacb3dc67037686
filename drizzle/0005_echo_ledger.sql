ALTER TABLE "deliveries" ADD COLUMN "sent" jsonb;--> statement-breakpoint
ALTER TABLE "links" ADD COLUMN "seen_at" timestamp with time zone;--> statement-breakpoint
CREATE INDEX "deliveries_sent" ON "deliveries" USING btree ("record_id","system","id") WHERE "deliveries"."sent" is not null;