CREATE TABLE "shown_once_secrets" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"kind" text NOT NULL,
	"record_id" uuid NOT NULL,
	"entity" text NOT NULL,
	"system" text NOT NULL,
	"label" text NOT NULL,
	"run_id" uuid,
	"for_user_id" text,
	"box" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"revealed_at" timestamp with time zone,
	"revealed_by" text
);
--> statement-breakpoint
CREATE TABLE "drift_checks" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"entity" text NOT NULL,
	"status" text DEFAULT 'running' NOT NULL,
	"checked" integer DEFAULT 0 NOT NULL,
	"drifted" integer DEFAULT 0 NOT NULL,
	"error" text,
	"started_by" text,
	"started_at" timestamp with time zone DEFAULT now() NOT NULL,
	"finished_at" timestamp with time zone
);
--> statement-breakpoint
CREATE TABLE "drift_items" (
	"id" bigint PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "drift_items_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1),
	"check_id" uuid NOT NULL,
	"record_id" uuid NOT NULL,
	"entity" text NOT NULL,
	"system" text NOT NULL,
	"external_id" text NOT NULL,
	"field" text NOT NULL,
	"concord_value" jsonb,
	"system_value" jsonb,
	"status" text DEFAULT 'open' NOT NULL,
	"fixed_at" timestamp with time zone
);
--> statement-breakpoint
ALTER TABLE "run_items" ADD COLUMN "field" text;--> statement-breakpoint
ALTER TABLE "runs" ADD COLUMN "group_id" uuid;--> statement-breakpoint
CREATE INDEX "shown_once_secrets_run" ON "shown_once_secrets" USING btree ("run_id");--> statement-breakpoint
CREATE INDEX "shown_once_secrets_record" ON "shown_once_secrets" USING btree ("record_id");--> statement-breakpoint
CREATE INDEX "drift_checks_entity" ON "drift_checks" USING btree ("entity","started_at");--> statement-breakpoint
CREATE INDEX "drift_items_check" ON "drift_items" USING btree ("check_id","record_id");--> statement-breakpoint
CREATE INDEX "drift_items_record" ON "drift_items" USING btree ("record_id");--> statement-breakpoint
CREATE INDEX "runs_group" ON "runs" USING btree ("group_id");