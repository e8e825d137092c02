CREATE TABLE "booking_candidates" (
	"booking_id" uuid NOT NULL,
	"round" integer NOT NULL,
	"driver_id" uuid NOT NULL,
	"rank" integer NOT NULL,
	"eta_s" integer NOT NULL,
	"distance_m" integer NOT NULL,
	"idle_s" integer NOT NULL,
	"score" double precision NOT NULL,
	"reason" text NOT NULL,
	"outcome" text,
	CONSTRAINT "booking_candidates_booking_id_round_driver_id_pk" PRIMARY KEY("booking_id","round","driver_id")
);
--> statement-breakpoint
CREATE TABLE "booking_events" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"booking_id" uuid NOT NULL,
	"version" integer NOT NULL,
	"from_status" text,
	"to_status" text NOT NULL,
	"event" text NOT NULL,
	"actor" text NOT NULL,
	"actor_id" uuid,
	"reason" text,
	"at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "bookings" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"rider_id" uuid NOT NULL,
	"vehicle_type_id" text NOT NULL,
	"status" text NOT NULL,
	"version" integer DEFAULT 1 NOT NULL,
	"pickup_lat" double precision NOT NULL,
	"pickup_lng" double precision NOT NULL,
	"pickup_label" text,
	"dropoff_lat" double precision NOT NULL,
	"dropoff_lng" double precision NOT NULL,
	"dropoff_label" text,
	"pickup_cell" text NOT NULL,
	"scheduled_for" timestamp with time zone,
	"fare" jsonb NOT NULL,
	"fare_total" integer NOT NULL,
	"currency" text NOT NULL,
	"quote_id" uuid NOT NULL,
	"idempotency_key" text NOT NULL,
	"request_hash" text NOT NULL,
	"driver_id" uuid,
	"vehicle_id" uuid,
	"offered_driver_id" uuid,
	"offer_expires_at" timestamp with time zone,
	"offers_made" integer DEFAULT 0 NOT NULL,
	"search_started_at" timestamp with time zone,
	"accepted_at" timestamp with time zone,
	"arrived_at" timestamp with time zone,
	"started_at" timestamp with time zone,
	"completed_at" timestamp with time zone,
	"cancelled_at" timestamp with time zone,
	"cancelled_by" text,
	"cancel_reason" text,
	"cancellation_fee" integer,
	"escalated_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "bookings_status_check" CHECK ("bookings"."status" in ('scheduled','requested','searching','offered','accepted','arrived','in_progress','completed','cancelled','no_driver_found')),
	CONSTRAINT "bookings_driver_when_active" CHECK ("bookings"."status" not in ('accepted','arrived','in_progress','completed') or "bookings"."driver_id" is not null)
);
--> statement-breakpoint
CREATE TABLE "fare_tables" (
	"vehicle_type_id" text PRIMARY KEY NOT NULL,
	"base_fare" integer NOT NULL,
	"per_km" integer NOT NULL,
	"per_minute" integer NOT NULL,
	"minimum_fare" integer NOT NULL,
	"booking_fee" integer NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "fare_tables_non_negative" CHECK ("fare_tables"."base_fare" >= 0 and "fare_tables"."per_km" >= 0 and "fare_tables"."per_minute" >= 0 and "fare_tables"."minimum_fare" >= 0 and "fare_tables"."booking_fee" >= 0)
);
--> statement-breakpoint
ALTER TABLE "booking_candidates" ADD CONSTRAINT "booking_candidates_booking_id_bookings_id_fk" FOREIGN KEY ("booking_id") REFERENCES "public"."bookings"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "booking_events" ADD CONSTRAINT "booking_events_booking_id_bookings_id_fk" FOREIGN KEY ("booking_id") REFERENCES "public"."bookings"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "bookings" ADD CONSTRAINT "bookings_rider_id_users_id_fk" FOREIGN KEY ("rider_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "bookings" ADD CONSTRAINT "bookings_vehicle_type_id_vehicle_types_id_fk" FOREIGN KEY ("vehicle_type_id") REFERENCES "public"."vehicle_types"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "bookings" ADD CONSTRAINT "bookings_driver_id_drivers_user_id_fk" FOREIGN KEY ("driver_id") REFERENCES "public"."drivers"("user_id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "bookings" ADD CONSTRAINT "bookings_vehicle_id_vehicles_id_fk" FOREIGN KEY ("vehicle_id") REFERENCES "public"."vehicles"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "bookings" ADD CONSTRAINT "bookings_offered_driver_id_drivers_user_id_fk" FOREIGN KEY ("offered_driver_id") REFERENCES "public"."drivers"("user_id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "fare_tables" ADD CONSTRAINT "fare_tables_vehicle_type_id_vehicle_types_id_fk" FOREIGN KEY ("vehicle_type_id") REFERENCES "public"."vehicle_types"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "booking_events_version_key" ON "booking_events" USING btree ("booking_id","version");--> statement-breakpoint
CREATE UNIQUE INDEX "bookings_rider_idempotency_key" ON "bookings" USING btree ("rider_id","idempotency_key");--> statement-breakpoint
CREATE UNIQUE INDEX "bookings_quote_key" ON "bookings" USING btree ("quote_id");--> statement-breakpoint
CREATE UNIQUE INDEX "bookings_one_active_per_driver" ON "bookings" USING btree ("driver_id") WHERE "bookings"."status" in ('accepted','arrived','in_progress');--> statement-breakpoint
CREATE UNIQUE INDEX "bookings_one_offer_per_driver" ON "bookings" USING btree ("offered_driver_id") WHERE "bookings"."status" = 'offered';--> statement-breakpoint
CREATE UNIQUE INDEX "bookings_one_active_per_rider" ON "bookings" USING btree ("rider_id") WHERE "bookings"."status" in ('requested','searching','offered','accepted','arrived','in_progress');--> statement-breakpoint
CREATE INDEX "bookings_status_schedule_idx" ON "bookings" USING btree ("status","scheduled_for");--> statement-breakpoint
CREATE INDEX "bookings_rider_created_idx" ON "bookings" USING btree ("rider_id","created_at");