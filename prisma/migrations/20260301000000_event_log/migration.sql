-- The event log: the only source of truth. Everything else is a projection of it.
-- Hand-written SQL: Prisma's schema language cannot express xid8 defaults, triggers or NOTIFY.

CREATE TABLE "events" (
    -- Global position. Assigned at INSERT, so concurrent transactions may commit out of position
    -- order; readers therefore order by (transaction_id, position) below the snapshot xmin.
    "position"       BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    "transaction_id" XID8 NOT NULL DEFAULT pg_current_xact_id(),
    "stream_id"      TEXT NOT NULL,
    "stream_version" INTEGER NOT NULL CHECK ("stream_version" >= 1),
    "event_id"       UUID NOT NULL,
    "type"           TEXT NOT NULL,
    "schema_version" INTEGER NOT NULL DEFAULT 1 CHECK ("schema_version" >= 1),
    "data"           JSONB NOT NULL,
    "metadata"       JSONB NOT NULL DEFAULT '{}',
    -- Effective time: when it happened in the world (may be past or future).
    "occurred_at"    TIMESTAMPTZ NOT NULL,
    -- Recorded time: when the log stored it. Forced by a trigger, whatever the client sends.
    "recorded_at"    TIMESTAMPTZ NOT NULL DEFAULT now(),
    -- Optimistic concurrency: two writers cannot both take version N of a stream.
    CONSTRAINT "events_stream_version_key" UNIQUE ("stream_id", "stream_version"),
    -- Idempotency: retrying an append with the same event ids cannot duplicate it.
    CONSTRAINT "events_event_id_key" UNIQUE ("event_id")
);

-- The consumption order (see above) and the "events of one type" filter.
CREATE INDEX "events_transaction_id_position_idx" ON "events" ("transaction_id", "position");
CREATE INDEX "events_type_position_idx" ON "events" ("type", "position");
-- Command handlers look up who ever held a role in a unit (dissolving needs it).
CREATE INDEX "events_role_unit_idx" ON "events" (("data" ->> 'unit')) WHERE "type" = 'RoleAssigned';

-- The database, not the client, says when and in which transaction an event was recorded.
CREATE FUNCTION "orgtime_stamp_event"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    NEW."recorded_at" := now();
    NEW."transaction_id" := pg_current_xact_id();
    RETURN NEW;
END;
$$;
CREATE TRIGGER "events_stamp" BEFORE INSERT ON "events"
    FOR EACH ROW EXECUTE FUNCTION "orgtime_stamp_event"();

-- Append-only, enforced for every client: corrections are new events, never edits.
CREATE FUNCTION "orgtime_forbid_rewrite"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'the table % is append-only: % is not allowed', TG_TABLE_NAME, TG_OP
        USING ERRCODE = 'restrict_violation',
              HINT = 'Record a correction (EventRetracted, EventConfirmed) as a new event instead.';
END;
$$;
-- Statement-level, so even an UPDATE or DELETE that matches no row is refused.
CREATE TRIGGER "events_append_only" BEFORE UPDATE OR DELETE OR TRUNCATE ON "events"
    FOR EACH STATEMENT EXECUTE FUNCTION "orgtime_forbid_rewrite"();

-- Wake consumers on commit (NOTIFY is transactional; one per statement is enough since
-- consumers read everything past their checkpoint anyway).
CREATE FUNCTION "orgtime_notify_appended"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM pg_notify('orgtime_events', '');
    RETURN NULL;
END;
$$;
CREATE TRIGGER "events_notify" AFTER INSERT ON "events"
    FOR EACH STATEMENT EXECUTE FUNCTION "orgtime_notify_appended"();

-- Command idempotency: one row per idempotencyKey, written in the same transaction as the
-- command's events. A concurrent duplicate blocks on the primary key, then finds the first
-- call's receipt.
CREATE TABLE "command_receipts" (
    "idempotency_key" TEXT PRIMARY KEY,
    "command_type"    TEXT NOT NULL,
    "command_hash"    TEXT NOT NULL,
    "event_ids"       UUID[] NOT NULL,
    "recorded_at"     TIMESTAMPTZ NOT NULL DEFAULT now()
);
CREATE TRIGGER "command_receipts_append_only" BEFORE UPDATE OR DELETE OR TRUNCATE ON "command_receipts"
    FOR EACH STATEMENT EXECUTE FUNCTION "orgtime_forbid_rewrite"();
