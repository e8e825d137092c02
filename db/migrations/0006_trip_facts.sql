CREATE TABLE "trip_facts" (
	"booking_id" uuid PRIMARY KEY NOT NULL,
	"version" integer NOT NULL,
	"events_applied" integer NOT NULL,
	"status" text NOT NULL,
	"rider_id" uuid NOT NULL,
	"driver_id" uuid,
	"vehicle_type_id" text NOT NULL,
	"pickup_cell" text NOT NULL,
	"fare_total" integer NOT NULL,
	"currency" text NOT NULL,
	"scheduled_for" timestamp with time zone,
	"requested_at" timestamp with time zone,
	"accepted_at" timestamp with time zone,
	"completed_at" timestamp with time zone,
	"cancelled_at" timestamp with time zone,
	"cancelled_by" text,
	"offers" integer DEFAULT 0 NOT NULL,
	"updated_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE INDEX "trip_facts_requested_idx" ON "trip_facts" USING btree ("requested_at");--> statement-breakpoint
CREATE INDEX "trip_facts_status_idx" ON "trip_facts" USING btree ("status");