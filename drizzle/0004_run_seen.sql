CREATE TABLE "run_seen" (
	"run_id" uuid NOT NULL,
	"external_id" text NOT NULL,
	CONSTRAINT "run_seen_run_id_external_id_pk" PRIMARY KEY("run_id","external_id")
);
