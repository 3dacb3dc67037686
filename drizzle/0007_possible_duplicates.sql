CREATE TABLE "possible_duplicates" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"record_id" uuid NOT NULL,
	"entity" text NOT NULL,
	"system" text NOT NULL,
	"external_id" text NOT NULL,
	"external_name" text,
	"external_key" text,
	"score" real NOT NULL,
	"reason" text NOT NULL,
	"run_id" uuid,
	"status" text DEFAULT 'open' NOT NULL,
	"decided_by" text,
	"decided_at" timestamp with time zone,
	"error" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX "possible_duplicates_open" ON "possible_duplicates" USING btree ("record_id","system") WHERE "possible_duplicates"."status" = 'open';--> statement-breakpoint
CREATE INDEX "possible_duplicates_status" ON "possible_duplicates" USING btree ("status","created_at");--> statement-breakpoint
CREATE INDEX "possible_duplicates_run" ON "possible_duplicates" USING btree ("run_id");