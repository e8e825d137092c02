ALTER TABLE "drivers" ADD COLUMN "document_status" text DEFAULT 'verified' NOT NULL;--> statement-breakpoint
ALTER TABLE "drivers" ADD COLUMN "document_note" text;--> statement-breakpoint
ALTER TABLE "vehicle_types" ADD COLUMN "active" boolean DEFAULT true NOT NULL;--> statement-breakpoint
ALTER TABLE "drivers" ADD CONSTRAINT "drivers_document_status_check" CHECK ("drivers"."document_status" in ('pending','verified','rejected'));