-- SQLite functions that the API tests' own raw SQL uses (json_extract, group_concat, …),
-- for the sqlite3 stand-in (tests/pg/shim) on the PostgreSQL test cluster. They live in
-- the schema sqlite_compat, which only the stand-in's psql puts on its search_path: the
-- server's connections never see them, so store/ SQL that needs one still fails.
CREATE SCHEMA sqlite_compat;
SET search_path = sqlite_compat;

-- json_extract(json, '$.a.b[0]'): the value there, as text (SQL/JSON paths read the same).
CREATE FUNCTION json_extract(j text, path text) RETURNS text LANGUAGE sql IMMUTABLE AS
$$ SELECT jsonb_path_query_first(j::jsonb, path::jsonpath) #>> '{}' $$;

-- json_each(json[, path]): the members of an object or the elements of an array.
CREATE FUNCTION json_each(j text, path text DEFAULT '$') RETURNS TABLE (key text, value text, type text)
LANGUAGE sql IMMUTABLE AS $$
  WITH v AS (SELECT jsonb_path_query_first(j::jsonb, path::jsonpath) AS x)
  SELECT e.key, e.value #>> '{}', jsonb_typeof(e.value) FROM v, jsonb_each(v.x) e WHERE jsonb_typeof(v.x) = 'object'
  UNION ALL
  SELECT (a.n - 1)::text, a.value #>> '{}', jsonb_typeof(a.value)
  FROM v, jsonb_array_elements(v.x) WITH ORDINALITY a(value, n) WHERE jsonb_typeof(v.x) = 'array'
$$;

-- group_concat(x[, separator]), in the order rows come
CREATE FUNCTION gc_step(acc text, v anyelement) RETURNS text LANGUAGE sql IMMUTABLE AS
$$ SELECT CASE WHEN v IS NULL THEN acc WHEN acc IS NULL THEN v::text ELSE acc || ',' || v::text END $$;
CREATE AGGREGATE group_concat(anyelement) (SFUNC = gc_step, STYPE = text);
CREATE FUNCTION gc_step2(acc text, v anyelement, sep text) RETURNS text LANGUAGE sql IMMUTABLE AS
$$ SELECT CASE WHEN v IS NULL THEN acc WHEN acc IS NULL THEN v::text ELSE acc || sep || v::text END $$;
CREATE AGGREGATE group_concat(anyelement, text) (SFUNC = gc_step2, STYPE = text);

-- julianday('YYYY-MM-DD[ HH:MM:SS]')
CREATE FUNCTION julianday(t text) RETURNS double precision LANGUAGE sql IMMUTABLE AS
$$ SELECT extract(epoch FROM t::timestamp)::double precision / 86400 + 2440587.5 $$;

CREATE FUNCTION instr(s text, sub text) RETURNS integer LANGUAGE sql IMMUTABLE AS $$ SELECT strpos(s, sub) $$;

-- hex(text): the UTF-8 bytes in upper-case hex
CREATE FUNCTION hex(t text) RETURNS text LANGUAGE sql IMMUTABLE AS $$ SELECT upper(encode(convert_to(t, 'UTF8'), 'hex')) $$;
CREATE FUNCTION hex(b bytea) RETURNS text LANGUAGE sql IMMUTABLE AS $$ SELECT upper(encode(b, 'hex')) $$;
