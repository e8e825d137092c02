CREATE TABLE "analytics_bookings" (
	"booking_id" uuid PRIMARY KEY NOT NULL,
	"version" integer NOT NULL,
	"status" text NOT NULL,
	"vehicle_type_id" text NOT NULL,
	"pickup_cell" text NOT NULL,
	"fare_total" integer NOT NULL,
	"currency" text NOT NULL,
	"driver_id" uuid,
	"created_at" timestamp with time zone,
	"scheduled" boolean NOT NULL,
	"wait_from" timestamp with time zone,
	"first_accepted_at" timestamp with time zone,
	"accepted_at" timestamp with time zone,
	"arrived_at" timestamp with time zone,
	"completed_at" timestamp with time zone,
	"cancelled_at" timestamp with time zone,
	"assign_ms" integer,
	"promised_eta_s" integer,
	"pickup_ms" integer,
	"offers" integer NOT NULL,
	"cancelled_by" text,
	"cancel_reason" text,
	"cancellation_fee" integer
);
--> statement-breakpoint
CREATE TABLE "analytics_bookings_hourly" (
	"hour" timestamp with time zone NOT NULL,
	"status" text NOT NULL,
	"bookings" integer NOT NULL,
	CONSTRAINT "analytics_bookings_hourly_hour_status_pk" PRIMARY KEY("hour","status")
);
--> statement-breakpoint
CREATE TABLE "analytics_cancellations_hourly" (
	"hour" timestamp with time zone NOT NULL,
	"actor" text NOT NULL,
	"reason" text NOT NULL,
	"cancellations" integer NOT NULL,
	"ended" integer NOT NULL,
	CONSTRAINT "analytics_cancellations_hourly_hour_actor_reason_pk" PRIMARY KEY("hour","actor","reason")
);
--> statement-breakpoint
CREATE TABLE "analytics_cell_demand" (
	"bucket" timestamp with time zone NOT NULL,
	"cell" text NOT NULL,
	"requests" integer NOT NULL,
	"unserved" integer NOT NULL,
	CONSTRAINT "analytics_cell_demand_bucket_cell_pk" PRIMARY KEY("bucket","cell")
);
--> statement-breakpoint
CREATE TABLE "analytics_cell_supply" (
	"bucket" timestamp with time zone NOT NULL,
	"cell" text NOT NULL,
	"supply_sum" integer NOT NULL,
	CONSTRAINT "analytics_cell_supply_bucket_cell_pk" PRIMARY KEY("bucket","cell")
);
--> statement-breakpoint
CREATE TABLE "analytics_driver_cursor" (
	"driver_id" uuid PRIMARY KEY NOT NULL,
	"version" integer NOT NULL,
	"state" text NOT NULL,
	"since" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "analytics_driver_hourly" (
	"driver_id" uuid NOT NULL,
	"hour" timestamp with time zone NOT NULL,
	"available_ms" bigint NOT NULL,
	"paused_ms" bigint NOT NULL,
	"offered_ms" bigint NOT NULL,
	"en_route_ms" bigint NOT NULL,
	"on_trip_ms" bigint NOT NULL,
	"offers" integer NOT NULL,
	"accepted" integer NOT NULL,
	"declined" integer NOT NULL,
	"expired" integer NOT NULL,
	"trips" integer NOT NULL,
	CONSTRAINT "analytics_driver_hourly_driver_id_hour_pk" PRIMARY KEY("driver_id","hour")
);
--> statement-breakpoint
CREATE TABLE "analytics_offsets" (
	"topic" text NOT NULL,
	"partition" integer NOT NULL,
	"next_offset" bigint NOT NULL,
	CONSTRAINT "analytics_offsets_topic_partition_pk" PRIMARY KEY("topic","partition")
);
--> statement-breakpoint
CREATE TABLE "analytics_revenue_hourly" (
	"hour" timestamp with time zone NOT NULL,
	"vehicle_type_id" text NOT NULL,
	"currency" text NOT NULL,
	"trips" integer NOT NULL,
	"fares" bigint NOT NULL,
	"fees_charged" integer NOT NULL,
	"fees" bigint NOT NULL,
	CONSTRAINT "analytics_revenue_hourly_hour_vehicle_type_id_currency_pk" PRIMARY KEY("hour","vehicle_type_id","currency")
);
--> statement-breakpoint
CREATE TABLE "analytics_state" (
	"id" integer PRIMARY KEY NOT NULL,
	"generation" integer NOT NULL,
	"rebuilt_at" timestamp with time zone,
	CONSTRAINT "analytics_state_single_row" CHECK ("analytics_state"."id" = 1)
);
--> statement-breakpoint
CREATE TABLE "analytics_supply_samples" (
	"bucket" timestamp with time zone PRIMARY KEY NOT NULL,
	"minutes" integer NOT NULL,
	"samples" integer NOT NULL
);
--> statement-breakpoint
CREATE INDEX "analytics_bookings_created_idx" ON "analytics_bookings" USING btree ("created_at");--> statement-breakpoint
CREATE INDEX "analytics_driver_hourly_hour_idx" ON "analytics_driver_hourly" USING btree ("hour");