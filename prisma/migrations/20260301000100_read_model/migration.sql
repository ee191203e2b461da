-- The read model: projections of the event log. Disposable: `orgtime replay` truncates and
-- rebuilds all of it. Every version row carries two ranges, [valid_from, valid_to) in effective
-- time and [known_from, known_to) in recorded time (NULL = open), and a tier: the weakest
-- confidence it admits (0 RUMORED = everything, 1 REPORTED and up, 2 CONFIRMED only). An
-- asOf/knownAt/minConfidence read is then one indexed lookup, never a replay.

CREATE TABLE "projection_checkpoints" (
    "projection"     TEXT PRIMARY KEY,
    "transaction_id" XID8 NOT NULL DEFAULT '0',
    "position"       BIGINT NOT NULL DEFAULT 0,
    "updated_at"     TIMESTAMPTZ NOT NULL DEFAULT now()
);

-- Every fact that shapes an entity, with its current standing (confirmed/retracted as of when).
-- The projector recomputes an entity's versions from these; `changes` reads them by time.
CREATE TABLE "entity_facts" (
    "position"     BIGINT PRIMARY KEY,
    "event_id"     UUID NOT NULL UNIQUE,
    "entity"       TEXT NOT NULL,
    "type"         TEXT NOT NULL,
    "occurred_at"  TIMESTAMPTZ NOT NULL,
    "recorded_at"  TIMESTAMPTZ NOT NULL,
    "confidence"   SMALLINT NOT NULL,
    "confirmed_at" TIMESTAMPTZ,
    "retracted_at" TIMESTAMPTZ,
    "person_handle" TEXT,
    "unit_handle"  TEXT,
    "data"         JSONB NOT NULL,
    "metadata"     JSONB NOT NULL
);
CREATE INDEX "entity_facts_entity_idx" ON "entity_facts" ("entity", "position");
CREATE INDEX "entity_facts_occurred_at_idx" ON "entity_facts" ("occurred_at", "position");

CREATE TABLE "person_versions" (
    "id"            BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    "handle"        TEXT NOT NULL,
    "tier"          SMALLINT NOT NULL,
    "name"          TEXT NOT NULL,
    "native_name"   TEXT,
    "confidence"    SMALLINT NOT NULL,
    "sources"       JSONB NOT NULL DEFAULT '[]',
    "event_ids"     UUID[] NOT NULL,
    "valid_from"    TIMESTAMPTZ NOT NULL,
    "valid_to"      TIMESTAMPTZ,
    "known_from"    TIMESTAMPTZ NOT NULL,
    "known_to"      TIMESTAMPTZ
);
CREATE INDEX "person_versions_handle_idx" ON "person_versions" ("handle", "tier", "known_from");
CREATE INDEX "person_versions_listing_idx" ON "person_versions" ("tier", "handle");

CREATE TABLE "unit_versions" (
    "id"            BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    "handle"        TEXT NOT NULL,
    "tier"          SMALLINT NOT NULL,
    "name"          TEXT NOT NULL,
    "kind"          TEXT NOT NULL,
    "parent_handle" TEXT,
    "confidence"    SMALLINT NOT NULL,
    "sources"       JSONB NOT NULL DEFAULT '[]',
    "event_ids"     UUID[] NOT NULL,
    "valid_from"    TIMESTAMPTZ NOT NULL,
    "valid_to"      TIMESTAMPTZ,
    "known_from"    TIMESTAMPTZ NOT NULL,
    "known_to"      TIMESTAMPTZ
);
CREATE INDEX "unit_versions_handle_idx" ON "unit_versions" ("handle", "tier", "known_from");
CREATE INDEX "unit_versions_parent_idx" ON "unit_versions" ("parent_handle", "tier", "known_from");

CREATE TABLE "role_versions" (
    "id"             BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    "role_id"        UUID NOT NULL,
    "tier"           SMALLINT NOT NULL,
    "person_handle"  TEXT NOT NULL,
    "unit_handle"    TEXT NOT NULL,
    "title"          TEXT NOT NULL,
    "reports_to"     TEXT,
    "status"         TEXT NOT NULL CHECK ("status" IN ('ACTIVE', 'LEAVING', 'ENDED')),
    "started_at"     TIMESTAMPTZ NOT NULL,
    "leaving_from"   TIMESTAMPTZ,
    "ended_at"       TIMESTAMPTZ,
    "confidence"     SMALLINT NOT NULL,
    "sources"        JSONB NOT NULL DEFAULT '[]',
    "event_ids"      UUID[] NOT NULL,
    "valid_from"     TIMESTAMPTZ NOT NULL,
    "valid_to"       TIMESTAMPTZ,
    "known_from"     TIMESTAMPTZ NOT NULL,
    "known_to"       TIMESTAMPTZ
);
CREATE INDEX "role_versions_person_idx" ON "role_versions" ("person_handle", "tier", "known_from");
CREATE INDEX "role_versions_unit_idx" ON "role_versions" ("unit_handle", "tier", "known_from");
CREATE INDEX "role_versions_role_idx" ON "role_versions" ("role_id", "tier");
