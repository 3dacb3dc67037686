CREATE TABLE "conflicts" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"record_id" uuid NOT NULL,
	"entity" text NOT NULL,
	"field" text NOT NULL,
	"base" jsonb,
	"theirs" jsonb,
	"theirs_system" text NOT NULL,
	"ours" jsonb,
	"ours_system" text,
	"status" text DEFAULT 'open' NOT NULL,
	"resolution" text,
	"reason" text NOT NULL,
	"resolved_by" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"resolved_at" timestamp with time zone
);
--> statement-breakpoint
CREATE TABLE "deliveries" (
	"id" bigint PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "deliveries_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1),
	"record_id" uuid NOT NULL,
	"entity" text NOT NULL,
	"system" text NOT NULL,
	"status" text DEFAULT 'pending' NOT NULL,
	"action" text,
	"fields" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"attempts" integer DEFAULT 0 NOT NULL,
	"next_attempt_at" timestamp with time zone DEFAULT now() NOT NULL,
	"lease_until" timestamp with time zone,
	"claimed_by" text,
	"last_error" text,
	"waiting_for" text,
	"run_id" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	"finished_at" timestamp with time zone
);
--> statement-breakpoint
CREATE TABLE "delivery_attempts" (
	"id" bigint PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "delivery_attempts_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1),
	"delivery_id" bigint NOT NULL,
	"at" timestamp with time zone DEFAULT now() NOT NULL,
	"method" text,
	"url" text,
	"status_code" integer,
	"outcome" text NOT NULL,
	"excerpt" text,
	"error" text,
	"duration_ms" integer DEFAULT 0 NOT NULL
);
--> statement-breakpoint
CREATE TABLE "changes" (
	"id" bigint PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "changes_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1),
	"record_id" uuid,
	"entity" text NOT NULL,
	"system" text NOT NULL,
	"external_id" text,
	"kind" text NOT NULL,
	"outcome" text NOT NULL,
	"fields" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"detail" text,
	"source_time" timestamp with time zone,
	"webhook_event_id" bigint,
	"run_id" uuid,
	"at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "links" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"record_id" uuid NOT NULL,
	"entity" text NOT NULL,
	"system" text NOT NULL,
	"external_id" text NOT NULL,
	"last_values" jsonb,
	"last_hash" text,
	"origin" text DEFAULT 'sync' NOT NULL,
	"last_synced_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "records" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"entity" text NOT NULL,
	"natural_key" text NOT NULL,
	"data" jsonb NOT NULL,
	"stamps" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"held" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"version" integer DEFAULT 1 NOT NULL,
	"deleted_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "rate_pacing" (
	"system" text PRIMARY KEY NOT NULL,
	"next_at" timestamp (6) with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "systems" (
	"key" text PRIMARY KEY NOT NULL,
	"base_url" text DEFAULT '' NOT NULL,
	"auth_encrypted" text,
	"webhook_secrets_encrypted" text,
	"rate_limit_per_second" real DEFAULT 10 NOT NULL,
	"retry_schedule" jsonb,
	"timeout_ms" integer DEFAULT 10000 NOT NULL,
	"enabled" boolean DEFAULT true NOT NULL,
	"paused_until" timestamp with time zone,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "webhook_events" (
	"id" bigint PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "webhook_events_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1),
	"system" text NOT NULL,
	"webhook_id" text NOT NULL,
	"body" text NOT NULL,
	"status" text DEFAULT 'pending' NOT NULL,
	"attempts" bigint DEFAULT 0 NOT NULL,
	"error" text,
	"lease_until" timestamp with time zone,
	"received_at" timestamp with time zone DEFAULT now() NOT NULL,
	"processed_at" timestamp with time zone,
	"summary" jsonb
);
--> statement-breakpoint
CREATE TABLE "run_items" (
	"id" bigint PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "run_items_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1),
	"run_id" uuid NOT NULL,
	"record_id" uuid,
	"external_id" text,
	"label" text,
	"outcome" text NOT NULL,
	"error" text,
	"at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "runs" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"entity" text NOT NULL,
	"system" text NOT NULL,
	"kind" text NOT NULL,
	"trigger" text NOT NULL,
	"status" text DEFAULT 'queued' NOT NULL,
	"phase" text,
	"counts" jsonb NOT NULL,
	"error" text,
	"plan" jsonb,
	"started_by" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"started_at" timestamp with time zone,
	"finished_at" timestamp with time zone
);
--> statement-breakpoint
ALTER TABLE "links" ADD CONSTRAINT "links_record_id_records_id_fk" FOREIGN KEY ("record_id") REFERENCES "public"."records"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "conflicts_status" ON "conflicts" USING btree ("status","created_at");--> statement-breakpoint
CREATE INDEX "conflicts_record" ON "conflicts" USING btree ("record_id");--> statement-breakpoint
CREATE UNIQUE INDEX "deliveries_one_waiting" ON "deliveries" USING btree ("record_id","system") WHERE "deliveries"."status" in ('pending', 'retrying');--> statement-breakpoint
CREATE INDEX "deliveries_due" ON "deliveries" USING btree ("next_attempt_at","id") WHERE "deliveries"."status" in ('pending', 'retrying');--> statement-breakpoint
CREATE INDEX "deliveries_in_flight" ON "deliveries" USING btree ("record_id","system") WHERE "deliveries"."status" = 'in_flight';--> statement-breakpoint
CREATE INDEX "deliveries_record" ON "deliveries" USING btree ("record_id");--> statement-breakpoint
CREATE INDEX "delivery_attempts_delivery" ON "delivery_attempts" USING btree ("delivery_id");--> statement-breakpoint
CREATE INDEX "changes_record_at" ON "changes" USING btree ("record_id","at");--> statement-breakpoint
CREATE INDEX "changes_at" ON "changes" USING btree ("at");--> statement-breakpoint
CREATE UNIQUE INDEX "links_record_system" ON "links" USING btree ("record_id","system");--> statement-breakpoint
CREATE UNIQUE INDEX "links_system_external" ON "links" USING btree ("system","entity","external_id");--> statement-breakpoint
CREATE UNIQUE INDEX "records_natural_key_live" ON "records" USING btree ("entity","natural_key") WHERE "records"."deleted_at" is null;--> statement-breakpoint
CREATE INDEX "records_entity_updated" ON "records" USING btree ("entity","updated_at");--> statement-breakpoint
CREATE UNIQUE INDEX "webhook_events_dedupe" ON "webhook_events" USING btree ("system","webhook_id");--> statement-breakpoint
CREATE INDEX "webhook_events_pending" ON "webhook_events" USING btree ("status","id");--> statement-breakpoint
CREATE INDEX "run_items_run" ON "run_items" USING btree ("run_id","id");--> statement-breakpoint
CREATE INDEX "runs_created" ON "runs" USING btree ("created_at");--> statement-breakpoint
CREATE INDEX "runs_entity_system" ON "runs" USING btree ("entity","system","status");