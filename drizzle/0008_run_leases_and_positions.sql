ALTER TABLE "runs" ADD COLUMN "position" jsonb;--> statement-breakpoint
ALTER TABLE "runs" ADD COLUMN "lease_owner" text;--> statement-breakpoint
ALTER TABLE "runs" ADD COLUMN "lease_until" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "runs" ADD COLUMN "continuations" jsonb DEFAULT '[]'::jsonb NOT NULL;