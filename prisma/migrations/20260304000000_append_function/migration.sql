-- Appending in one statement. A command used to take four round trips (BEGIN, lock and read,
-- INSERT, COMMIT); an append outside a command five. These functions do the locking, the
-- version check and the insert server-side, so a writer sends one statement, autocommitted.

-- Serialise writers per stream for the rest of the transaction. The locks are taken in one
-- order (bytewise, COLLATE "C") by everyone, so two multi-stream writers cannot deadlock.
-- Writers that lock here and then read (the command handler's careful path) and writers that
-- append through orgtime_append below share these locks.
CREATE FUNCTION "orgtime_lock_streams"("p_streams" TEXT[]) RETURNS VOID LANGUAGE plpgsql AS $$
BEGIN
    PERFORM pg_advisory_xact_lock(hashtextextended(s, 0))
    FROM (SELECT DISTINCT s COLLATE "C" AS s FROM unnest(p_streams) AS s ORDER BY 1) AS sorted;
END;
$$;

-- Append `p_events` (a JSON array of {stream, id, type, data, metadata, at}) atomically. Every
-- stream in p_streams is locked first; where p_expected holds a version (NULL = no
-- expectation), the stream must be exactly there or nothing is written (SQLSTATE OT409, the
-- DETAIL a JSON object naming stream, expected and actual). Each event continues its stream's
-- version; positions follow the array's order.
CREATE FUNCTION "orgtime_append"("p_streams" TEXT[], "p_expected" INTEGER[], "p_events" JSONB)
RETURNS TABLE ("event_id" UUID, "position" BIGINT, "transaction_id" XID8, "stream_version" INTEGER, "recorded_at" TIMESTAMPTZ)
LANGUAGE plpgsql AS $$
#variable_conflict use_column
DECLARE
    stale RECORD;
BEGIN
    PERFORM orgtime_lock_streams(p_streams);
    -- Read committed: this statement's snapshot is taken now, after the locks are held.
    SELECT x.stream, x.expected, coalesce(v.version, 0) AS actual INTO stale
    FROM unnest(p_streams, p_expected) AS x(stream, expected)
    LEFT JOIN LATERAL (SELECT max(e.stream_version) AS version FROM events e WHERE e.stream_id = x.stream) AS v ON true
    WHERE x.expected IS NOT NULL AND x.expected IS DISTINCT FROM coalesce(v.version, 0)
    LIMIT 1;
    IF FOUND THEN
        RAISE EXCEPTION 'stream "%" is at version %, not the expected %', stale.stream, stale.actual, stale.expected
            USING ERRCODE = 'OT409',
                  DETAIL = json_build_object('stream', stale.stream, 'expected', stale.expected, 'actual', stale.actual)::text;
    END IF;
    RETURN QUERY
    WITH incoming AS (
        SELECT * FROM ROWS FROM (jsonb_to_recordset(p_events) AS (stream TEXT, id UUID, type TEXT, data JSONB, metadata JSONB, at TIMESTAMPTZ))
            WITH ORDINALITY AS i(stream, id, type, data, metadata, at, ord)
    ), current AS (
        SELECT s.stream, coalesce((SELECT max(e.stream_version) FROM events e WHERE e.stream_id = s.stream), 0) AS version
        FROM (SELECT DISTINCT stream FROM incoming) AS s
    )
    INSERT INTO events AS t (stream_id, stream_version, event_id, type, data, metadata, occurred_at)
    SELECT i.stream, c.version + row_number() OVER (PARTITION BY i.stream ORDER BY i.ord), i.id, i.type, i.data, i.metadata, i.at
    FROM incoming i JOIN current c ON c.stream = i.stream
    ORDER BY i.ord
    RETURNING t.event_id, t.position, t.transaction_id, t.stream_version, t.recorded_at;
END;
$$;

-- The stamp trigger only has work when a client sent its own recorded_at or transaction_id:
-- the defaults are already right. Skipping the PL/pgSQL call for every other row is a large
-- part of a bulk append's cost; the guarantee is unchanged.
DROP TRIGGER "events_stamp" ON "events";
CREATE TRIGGER "events_stamp" BEFORE INSERT ON "events"
    FOR EACH ROW
    WHEN (NEW."recorded_at" IS DISTINCT FROM now() OR NEW."transaction_id" IS DISTINCT FROM pg_current_xact_id())
    EXECUTE FUNCTION "orgtime_stamp_event"();
