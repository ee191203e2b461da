-- Group commit: several independent appends in one statement, one transaction, one WAL flush
-- (src/core/event-store/group-append.ts). Each append is still all-or-nothing on its own
-- expectations; a refused one does not hold the others back.
--
-- p_append / p_streams / p_expected: one row per (append, stream) it writes or expects, with the
-- expected version (NULL = none). No stream appears in two appends of one call (the caller
-- splits such appends over calls). p_events: a JSON array of {append, stream, id, type, data,
-- metadata, at}; positions follow its order. Returns one row per event written, and one row per
-- refused append naming the first stream (bytewise) not at its expected version.
CREATE FUNCTION "orgtime_append_group"("p_append" INTEGER[], "p_streams" TEXT[], "p_expected" INTEGER[], "p_events" JSONB)
RETURNS TABLE ("append" INTEGER, "event_id" UUID, "position" BIGINT, "transaction_id" XID8, "stream_version" INTEGER,
               "recorded_at" TIMESTAMPTZ, "stale_stream" TEXT, "expected" INTEGER, "actual" INTEGER)
LANGUAGE plpgsql AS $$
#variable_conflict use_column
BEGIN
    PERFORM orgtime_lock_streams(p_streams);
    -- Read committed: this statement's snapshot is taken now, after the locks are held.
    RETURN QUERY
    WITH claims AS (
        SELECT x.append, x.stream, x.expected,
               coalesce((SELECT max(e.stream_version) FROM events e WHERE e.stream_id = x.stream), 0) AS actual
        FROM unnest(p_append, p_streams, p_expected) AS x(append, stream, expected)
    ), refused AS (
        SELECT DISTINCT ON (c.append) c.append, c.stream, c.expected, c.actual
        FROM claims c
        WHERE c.expected IS NOT NULL AND c.expected <> c.actual
        ORDER BY c.append, c.stream COLLATE "C"
    ), incoming AS (
        SELECT * FROM ROWS FROM (jsonb_to_recordset(p_events) AS (append INTEGER, stream TEXT, id UUID, type TEXT, data JSONB, metadata JSONB, at TIMESTAMPTZ))
            WITH ORDINALITY AS i(append, stream, id, type, data, metadata, at, ord)
        WHERE NOT EXISTS (SELECT 1 FROM refused r WHERE r.append = i.append)
    ), inserted AS (
        INSERT INTO events AS t (stream_id, stream_version, event_id, type, data, metadata, occurred_at)
        SELECT i.stream, c.actual + row_number() OVER (PARTITION BY i.stream ORDER BY i.ord), i.id, i.type, i.data, i.metadata, i.at
        FROM incoming i JOIN claims c ON c.append = i.append AND c.stream = i.stream
        ORDER BY i.ord
        RETURNING t.event_id, t.position, t.transaction_id, t.stream_version, t.recorded_at
    )
    SELECT NULL::INTEGER, n.event_id, n.position, n.transaction_id, n.stream_version, n.recorded_at, NULL::TEXT, NULL::INTEGER, NULL::INTEGER
    FROM inserted n
    UNION ALL
    SELECT r.append, NULL::UUID, NULL::BIGINT, NULL::XID8, NULL::INTEGER, NULL::TIMESTAMPTZ, r.stream, r.expected, r.actual
    FROM refused r;
END;
$$;
