-- sparkline(): numbers drawn with the block glyphs, against a plain-SQL drawing
CREATE SCHEMA sparkline_test;
SET search_path = sparkline_test, public;

-- the eight levels: the minimum is the lowest glyph, the maximum the full block
SELECT sparkline(ARRAY[1, 2, 3, 4, 5, 6, 7, 8]::float8[]) AS rising,
	   sparkline(ARRAY[8, 1, 8, 1]::float8[]) AS zigzag,
	   sparkline(ARRAY[0, 0.999, 1]::float8[]) AS near_max,
	   sparkline(ARRAY[-5, 0, 5]::float8[]) AS negative;

-- NULLs are gaps; a flat series is drawn at half height; empty draws nothing
SELECT sparkline(ARRAY[1, NULL, 3, NULL, NULL, 2]::float8[]) AS gaps,
	   sparkline(ARRAY[7, 7, NULL, 7]::float8[]) AS flat,
	   sparkline(ARRAY[42]::float8[]) AS single,
	   sparkline(ARRAY[NULL, NULL]::float8[]) AS all_null,
	   sparkline('{}'::float8[]) = '' AS empty,
	   sparkline(NULL::float8[]) IS NULL AS null_array;

-- a huge range does not overflow
SELECT sparkline(ARRAY[-1e308, 0, 1e308]::float8[]) AS huge_range,
	   sparkline(ARRAY[1e-300, 2e-300, 3e-300]::float8[]) AS tiny_values;

-- against the formula: glyph U+2581 + min(7, floor(8 (x - min) / (max - min)))
CREATE TABLE series AS
SELECT s, i, CASE WHEN (s * i) % 11 = 0 THEN NULL ELSE ((s * 7919 + i * 104729) % 1000) / 10.0 - 20 END::float8 AS x
FROM generate_series(1, 50) AS s, generate_series(1, 40) AS i;
SELECT count(*) AS series,
	   count(*) FILTER (WHERE drawn = expected) AS equal,
	   count(*) FILTER (WHERE length(drawn) = 40) AS one_char_each
FROM (SELECT s, sparkline(array_agg(x ORDER BY i)) AS drawn,
			 string_agg(CASE WHEN x IS NULL THEN ' '
							 ELSE chr(9601 + least(7, floor(8 * (x - mn) / (mx - mn)))::int) END, '' ORDER BY i) AS expected
	  FROM series JOIN (SELECT s, min(x) AS mn, max(x) AS mx FROM series GROUP BY s) AS m USING (s)
	  GROUP BY s) AS d;

-- the aggregate honours ORDER BY inside the call, per group
SELECT s, sparkline(x ORDER BY i) AS forward, sparkline(x ORDER BY i DESC) AS backward,
	   sparkline(x ORDER BY i) = sparkline(array_agg(x ORDER BY i)) AS same_as_array
FROM series WHERE s <= 3 GROUP BY s ORDER BY s;
SELECT count(*) FILTER (WHERE reverse(f) = b) AS reversed, count(*) AS series
FROM (SELECT s, sparkline(x ORDER BY i) AS f, sparkline(x ORDER BY i DESC) AS b FROM series GROUP BY s) AS d;
-- no rows: NULL; NULL values only: gaps
SELECT sparkline(x ORDER BY i) IS NULL AS no_rows FROM series WHERE false;
SELECT '[' || sparkline(x) || ']' AS nulls_only FROM (VALUES (NULL::float8), (NULL)) AS v(x);
-- numeric and integer inputs are cast
SELECT sparkline(n ORDER BY n) FROM generate_series(1, 16) AS n;

-- forced parallel plan without ORDER BY: partial arrays are concatenated
CREATE TABLE series_big AS SELECT s, i, x FROM series, generate_series(1, 20) AS rep;
ANALYZE series_big;
SET parallel_setup_cost = 0;
SET parallel_tuple_cost = 0;
SET min_parallel_table_scan_size = 0;
SET max_parallel_workers_per_gather = 2;
SET parallel_leader_participation = off;
EXPLAIN (COSTS OFF) SELECT sparkline(x) FROM series_big;
SELECT length(p) = (SELECT count(*) FROM series_big) AS length_ok,
	   (SELECT string_agg(c, '' ORDER BY c) FROM regexp_split_to_table(p, '') AS c) =
	   (SELECT string_agg(c, '' ORDER BY c) FROM regexp_split_to_table((SELECT sparkline(x ORDER BY s, i) FROM series_big), '') AS c) AS same_glyphs
FROM (SELECT sparkline(x) AS p FROM series_big) AS par;
RESET parallel_setup_cost;
RESET parallel_tuple_cost;
RESET min_parallel_table_scan_size;
RESET max_parallel_workers_per_gather;
RESET parallel_leader_participation;

-- errors
SELECT sparkline(ARRAY[1, 'NaN']::float8[]);
SELECT sparkline(ARRAY[1, 'Infinity']::float8[]);
SELECT sparkline(x) FROM (VALUES (1::float8), ('-Infinity')) AS v(x);
SELECT sparkline('{{1, 2}, {3, 4}}'::float8[]);
\set VERBOSITY sqlstate
SELECT sparkline(ARRAY[1, 'NaN']::float8[]);
\set VERBOSITY default
