-- A version that reads the same for several confidence tiers (the common case: every fact it
-- rests on is confirmed) is stored once, with the range of tiers it answers: [tier_min, tier_max].
-- A reader admitting confidence t sees rows with tier_min <= t <= tier_max. Rows per event fall
-- about threefold, and so does the projector's write work.
--
-- The read model is disposable: it is emptied here and the projector rebuilds it from position
-- zero on the next start.
DELETE FROM "person_versions";
DELETE FROM "unit_versions";
DELETE FROM "role_versions";
DELETE FROM "entity_facts";
UPDATE "projection_checkpoints" SET "transaction_id" = '0', "position" = 0;

ALTER TABLE "person_versions" RENAME COLUMN "tier" TO "tier_min";
ALTER TABLE "person_versions" ADD COLUMN "tier_max" SMALLINT NOT NULL;
ALTER TABLE "unit_versions" RENAME COLUMN "tier" TO "tier_min";
ALTER TABLE "unit_versions" ADD COLUMN "tier_max" SMALLINT NOT NULL;
ALTER TABLE "role_versions" RENAME COLUMN "tier" TO "tier_min";
ALTER TABLE "role_versions" ADD COLUMN "tier_max" SMALLINT NOT NULL;

-- Lookups go by key, then recorded time; the tier is a filter over the few rows of one key.
DROP INDEX "person_versions_handle_idx";
DROP INDEX "person_versions_listing_idx";
CREATE INDEX "person_versions_handle_idx" ON "person_versions" ("handle", "known_from");

DROP INDEX "unit_versions_handle_idx";
DROP INDEX "unit_versions_parent_idx";
CREATE INDEX "unit_versions_handle_idx" ON "unit_versions" ("handle", "known_from");
CREATE INDEX "unit_versions_parent_idx" ON "unit_versions" ("parent_handle", "known_from");

DROP INDEX "role_versions_person_idx";
DROP INDEX "role_versions_unit_idx";
DROP INDEX "role_versions_role_idx";
CREATE INDEX "role_versions_person_idx" ON "role_versions" ("person_handle", "known_from");
CREATE INDEX "role_versions_unit_idx" ON "role_versions" ("unit_handle", "known_from");
CREATE INDEX "role_versions_role_idx" ON "role_versions" ("role_id");
