-- The current org chart as PostGraphile sees it: the same read-model tables, filtered exactly as
-- orgtime's default time context filters them (tier 0, known and in effect now). Smart comments
-- give PostGraphile the keys and relations the views cannot declare.
DROP SCHEMA IF EXISTS bench_peer CASCADE;
CREATE SCHEMA bench_peer;
CREATE VIEW bench_peer.units AS
  SELECT handle, name, kind, parent_handle FROM public.unit_versions
  WHERE tier_min = 0 AND known_from <= now() AND (known_to IS NULL OR known_to > now())
    AND valid_from <= now() AND (valid_to IS NULL OR valid_to > now());
CREATE VIEW bench_peer.people AS
  SELECT handle, name FROM public.person_versions
  WHERE tier_min = 0 AND known_from <= now() AND (known_to IS NULL OR known_to > now())
    AND valid_from <= now() AND (valid_to IS NULL OR valid_to > now());
CREATE VIEW bench_peer.roles AS
  SELECT role_id, person_handle, unit_handle, title, status, started_at FROM public.role_versions
  WHERE tier_min = 0 AND status IN ('ACTIVE', 'LEAVING') AND known_from <= now() AND (known_to IS NULL OR known_to > now())
    AND valid_from <= now() AND (valid_to IS NULL OR valid_to > now());
COMMENT ON VIEW bench_peer.units IS E'@primaryKey handle\n@foreignKey (parent_handle) references bench_peer.units (handle)|@fieldName parent|@foreignFieldName children';
COMMENT ON VIEW bench_peer.people IS E'@primaryKey handle';
COMMENT ON VIEW bench_peer.roles IS E'@primaryKey role_id\n@foreignKey (unit_handle) references bench_peer.units (handle)|@fieldName unit|@foreignFieldName roles\n@foreignKey (person_handle) references bench_peer.people (handle)|@fieldName person|@foreignFieldName roles';
