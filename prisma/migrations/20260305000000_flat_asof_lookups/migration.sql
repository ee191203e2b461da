-- As-of lookups whose cost does not grow with history.
--
-- A read at (asOf, knownAt) wants the versions of a key whose [valid_from, valid_to) contains asOf
-- and whose [known_from, known_to) contains knownAt. A btree on (key, known_from) can only bound
-- one end of one range, so it walked every version of the key ever recorded: the held roles of a
-- department and its teams were 525 index rows for 114 answers at 100k events, 6,184 for 133 at 1M.
--
-- Interval containment ("stabbing") is what GiST range indexes do. A multi-column GiST over
-- (key, valid range, known range) with btree_gist was tried before: flat, but ~4x slower, because
-- (a) GiST compares every entry of each page it visits, and btree_gist's text keys compare through
-- the collation; (b) a version superseded in recorded time but open in effective time
-- ([start, NULL) x [k1, k2)) makes every page's union span all of effective time, so nothing prunes.
--
-- So, instead:
--  * The key is folded into the range: orgtime_span(key, lo, hi) is an int8range on one integer line
--    where each key owns its own segment (27 bits of a stable hash of the key, then 36 bits of
--    seconds). One int8 GiST probe per key then finds exactly the key's versions containing a
--    point, comparing integers only. A hash collision only adds rows of another key, which the
--    exact predicates (key = …, the timestamp comparisons) drop; they are always re-checked.
--  * Two partial indexes split the two dimensions so each is bounded:
--      - current beliefs (known_to IS NULL) partition effective time per entity, so they are
--        indexed on the effective range: a probe at asOf finds the few versions in effect then;
--      - superseded beliefs (known_to IS NOT NULL) are closed in recorded time, so they are indexed
--        on the recorded range: a probe at knownAt finds the few versions believed then.
--    A version is in exactly one of the two; a lookup is one probe into each, per key.
--  * Both use only built-in range operator classes (no btree_gist).
--
-- Timestamps are floored to whole seconds (clamped to about ±1,000 years around 1970); flooring
-- both bounds and the probe point keeps every true match inside the range (lo <= t < hi implies
-- floor(lo) <= floor(t) <= floor(hi)), so the index can only over-select, never miss.

-- The start of a key's segment on the line: 27 bits of hashtextextended (the hash that hash
-- partitioning relies on, so stable across releases) above 36 bits of seconds.
CREATE FUNCTION "orgtime_span_base"("key" TEXT) RETURNS BIGINT
LANGUAGE sql IMMUTABLE PARALLEL SAFE
AS $$ SELECT (hashtextextended("key", 0) & 134217727) << 36 $$;

-- A moment of a key: its segment's start plus whole seconds since 1970 offset by 2^35, clamped
-- to the segment (years 882 to 3058; beyond, every moment maps to the segment's first or last
-- second, which keeps the order, so the index still only over-selects). The subtraction is of
-- timestamptz from timestamptz and date_part is on the interval: both immutable, unlike date_part
-- on a timestamptz, so this can index; the clamp comes first so 'infinity' is never subtracted.
CREATE FUNCTION "orgtime_span_at"("key" TEXT, "t" TIMESTAMPTZ) RETURNS BIGINT
LANGUAGE sql IMMUTABLE PARALLEL SAFE
AS $$ SELECT "orgtime_span_base"("key") + CASE
    WHEN "t" < TIMESTAMPTZ '0882-01-01 00:00:00+00' THEN 0
    WHEN "t" >= TIMESTAMPTZ '3058-01-01 00:00:00+00' THEN 68719476735
    ELSE floor(date_part('epoch', "t" - TIMESTAMPTZ '1970-01-01 00:00:00+00'))::BIGINT + 34359738368 END $$;

-- The whole segment of a key.
CREATE FUNCTION "orgtime_span_segment"("key" TEXT) RETURNS INT8RANGE
LANGUAGE sql IMMUTABLE PARALLEL SAFE
AS $$ SELECT int8range("orgtime_span_base"("key"), "orgtime_span_base"("key") + 68719476736) $$;

-- [lo, hi) of a key. NULL hi: open, to the end of the key's segment. hi before lo (a version
-- closed by a transaction that started before it was recorded, which the projector deletes right
-- after): empty, never matches, and never an error inside the projector's UPDATE.
CREATE FUNCTION "orgtime_span"("key" TEXT, "lo" TIMESTAMPTZ, "hi" TIMESTAMPTZ) RETURNS INT8RANGE
LANGUAGE sql IMMUTABLE PARALLEL SAFE
AS $$ SELECT int8range("orgtime_span_at"("key", "lo"),
    greatest("orgtime_span_at"("key", "lo"),
             CASE WHEN "hi" IS NULL THEN "orgtime_span_base"("key") + 68719476736 ELSE "orgtime_span_at"("key", "hi") + 1 END)) $$;

-- [lo, hi) as a tstzrange, empty rather than an error when hi is before lo.
CREATE FUNCTION "orgtime_period"("lo" TIMESTAMPTZ, "hi" TIMESTAMPTZ) RETURNS TSTZRANGE
LANGUAGE sql IMMUTABLE PARALLEL SAFE
AS $$ SELECT tstzrange("lo", CASE WHEN "hi" < "lo" THEN "lo" ELSE "hi" END) $$;

-- Roles held in a unit (the per-level lookup of every org-chart query). Only ACTIVE/LEAVING
-- versions: an ENDED version is open in effective time forever after and never asked for here.
CREATE INDEX "role_versions_unit_current_idx" ON "role_versions"
    USING gist ("orgtime_span"("unit_handle", "valid_from", "valid_to"))
    WHERE "known_to" IS NULL AND "status" IN ('ACTIVE', 'LEAVING');
-- The effective range rides along as a second column: a superseded version believed at knownAt
-- but not in effect at asOf (most of them) is then rejected inside the index, without a heap
-- visit (74 instead of 198 buffers for a department's roles at 1M events).
CREATE INDEX "role_versions_unit_superseded_idx" ON "role_versions"
    USING gist ("orgtime_span"("unit_handle", "known_from", "known_to"), "orgtime_period"("valid_from", "valid_to"))
    WHERE "known_to" IS NOT NULL AND "status" IN ('ACTIVE', 'LEAVING');
-- Reads at the present (asOf = knownAt = now, the default) take two btree scans that start at the
-- present instead (lookups.ts, fromPresent): ~2 µs per key against ~30 µs for a GiST probe, which
-- counts for a whole-chart query over 130 units (0.6 ms against 8 ms at 1M events).
--  * current beliefs by effective end: only versions ending after asOf (in effect now, or
--    future-dated) are scanned;
CREATE INDEX "role_versions_unit_present_idx" ON "role_versions"
    ("unit_handle", coalesce("valid_to", 'infinity'::TIMESTAMPTZ))
    WHERE "known_to" IS NULL AND "status" IN ('ACTIVE', 'LEAVING');
--  * superseded beliefs by recorded end: only versions superseded after knownAt (none at now).
--    This also stays the plain btree on the key that any "roles in unit X" query needs
--    (PostGraphile over these tables, ad-hoc SQL); its second column was known_from, which only
--    the old lookup used.
DROP INDEX "role_versions_unit_idx";
CREATE INDEX "role_versions_unit_idx" ON "role_versions" ("unit_handle", "known_to");

-- Children of units: the same four access paths over unit_versions, keyed by parent. A unit's
-- versions multiply with renames and moves: the btree on (parent_handle, known_from) read 1,810
-- versions for the 120 departments under the 10 divisions at 1M events. Top-level units
-- (parent_handle NULL) are not in them: the roots lookup reads those.
CREATE INDEX "unit_versions_parent_current_idx" ON "unit_versions"
    USING gist ("orgtime_span"("parent_handle", "valid_from", "valid_to"))
    WHERE "known_to" IS NULL AND "parent_handle" IS NOT NULL;
CREATE INDEX "unit_versions_parent_superseded_idx" ON "unit_versions"
    USING gist ("orgtime_span"("parent_handle", "known_from", "known_to"), "orgtime_period"("valid_from", "valid_to"))
    WHERE "known_to" IS NOT NULL AND "parent_handle" IS NOT NULL;
CREATE INDEX "unit_versions_parent_present_idx" ON "unit_versions"
    ("parent_handle", coalesce("valid_to", 'infinity'::TIMESTAMPTZ))
    WHERE "known_to" IS NULL AND "parent_handle" IS NOT NULL;
DROP INDEX "unit_versions_parent_idx";
CREATE INDEX "unit_versions_parent_idx" ON "unit_versions" ("parent_handle", "known_to");
