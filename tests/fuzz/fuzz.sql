-- Fuzzing of every input path of kpi_ext's types: mutated text literals and mutated
-- binary payloads (through COPY ... FORMAT binary), then every accessor, rollup and a
-- round trip on each accepted value.  A clean error is fine; "cannot happen" errors
-- (SQLSTATE XX000), a round trip that changes a value, or a crash are failures.
--
-- psql variables: iterations (per type and path), seed (0..1).
\set ON_ERROR_STOP 1
SET client_min_messages = warning;
CREATE EXTENSION IF NOT EXISTS kpi_ext;
SELECT setseed(:seed);
SET kpi_fuzz.iterations = :iterations;

-- valid sample values of every type (tests/samples.sql: add a line per new type)
\ir ../samples.sql

CREATE FUNCTION pg_temp.mutate_text(s text) RETURNS text LANGUAGE plpgsql AS $$
DECLARE
	alphabet constant text := '0123456789-+.,:;=/eEinfaNv x{}[]9999999999999999999';
	n int := 1 + floor(random() * 3);
	pos int;
	c text;
BEGIN
	FOR i IN 1 .. n LOOP
		pos := 1 + floor(random() * greatest(length(s), 1));
		c := substr(alphabet, 1 + floor(random() * length(alphabet))::int, 1);
		CASE floor(random() * 7)
			WHEN 0 THEN s := overlay(s PLACING c FROM pos FOR 1);
			WHEN 1 THEN s := overlay(s PLACING '' FROM pos FOR 1);
			WHEN 2 THEN s := overlay(s PLACING c FROM pos FOR 0);
			WHEN 3 THEN s := left(s, pos);
			WHEN 4 THEN s := s || substr(s, pos, 1 + floor(random() * 8)::int);
			WHEN 5 THEN s := regexp_replace(s, '[0-9]+', (ARRAY['0', '-1', '9223372036854775807', '9223372036854775808', '1e308', 'nan', '1e-320', '18446744073709551616'])[1 + floor(random() * 8)::int], 1, 1 + floor(random() * 4)::int);
			ELSE s := regexp_replace(s, '[0-9]', substr('0123456789', 1 + floor(random() * 10)::int, 1), 1, 1 + floor(random() * 6)::int);
		END CASE;
	END LOOP;
	RETURN s;
END $$;

CREATE FUNCTION pg_temp.mutate_bytes(b bytea) RETURNS bytea LANGUAGE plpgsql AS $$
DECLARE
	n int := 1 + floor(random() * 3);
	pos int;
BEGIN
	FOR i IN 1 .. n LOOP
		pos := floor(random() * greatest(length(b), 1));
		CASE floor(random() * 6)
			WHEN 0 THEN IF length(b) > 0 THEN b := set_byte(b, pos, get_byte(b, pos) # (1 << floor(random() * 8)::int)); END IF;
			WHEN 1 THEN IF length(b) > 0 THEN b := set_byte(b, pos, floor(random() * 256)::int); END IF;
			WHEN 2 THEN b := substr(b, 1, pos);
			WHEN 3 THEN b := b || substr(b, pos + 1, 1 + floor(random() * 9)::int);
			WHEN 4 THEN IF length(b) > 0 THEN b := set_byte(b, pos, (ARRAY[0, 255, 127, 128])[1 + floor(random() * 4)::int]); END IF;
			ELSE IF length(b) >= 8 THEN b := overlay(b PLACING '\xffffffffffffffff'::bytea FROM 1 + floor(random() * (length(b) - 7))::int FOR 8); END IF;
		END CASE;
	END LOOP;
	RETURN b;
END $$;

-- every accessor and rollup on an accepted value; a round trip must not change it
CREATE FUNCTION pg_temp.exercise(typ regtype, lit text) RETURNS void LANGUAGE plpgsql AS $$
DECLARE
	f record;
	arg text;
	back text;
	again text;
BEGIN
	-- the output of an accepted value reads back to the same output
	EXECUTE format('SELECT %L::%s::text', lit, typ) INTO back;
	EXECUTE format('SELECT %L::%s::text', back, typ) INTO again;
	IF again IS DISTINCT FROM back THEN
		RAISE EXCEPTION 'text round trip changed % into %', back, again;
	END IF;
	FOR f IN
		SELECT p.oid::regprocedure AS fn, p.proname, p.pronargs, p.proargtypes, p.prokind, p.proretset
		FROM pg_proc AS p
		WHERE p.proargtypes[0] = typ AND p.pronargs BETWEEN 1 AND 5
		  AND p.proname NOT LIKE 'kpi\_%' AND p.prokind IN ('f', 'a')
	LOOP
		-- a plausible value for every further argument, or skip the function
		arg := '';
		FOR i IN 1 .. f.pronargs - 1 LOOP
			arg := arg || CASE f.proargtypes[i]
				WHEN 'integer'::regtype THEN ', 4'
				WHEN 'double precision'::regtype THEN ', 0.5'
				WHEN 'numeric'::regtype THEN ', 0.95'
				WHEN 'double precision[]'::regtype THEN ', ''{0,0.1,0.5,0.9,1}'''
				WHEN 'timestamptz'::regtype THEN ', ''2026-03-02 10:00+00''::timestamptz'
				WHEN 'interval'::regtype THEN ', ''1 hour''::interval'
				WHEN 'text'::regtype THEN ', ''open''::text'
				WHEN 'text[]'::regtype THEN ', ''{open,pending}''::text[]'
				WHEN 'business_calendar'::regtype THEN ', ''mon-fri 09:00-17:00; tz=Europe/Berlin''::business_calendar'
				WHEN typ THEN format(', %L::%s', lit, typ)
				ELSE NULL END;
		END LOOP;
		CONTINUE WHEN arg IS NULL;
		BEGIN
			IF f.prokind = 'a' THEN
				EXECUTE format('SELECT %I(x%s)::text FROM (VALUES (%L::%s), (%L::%s)) AS v(x)', f.proname, arg, lit, typ, lit, typ);
			ELSE
				EXECUTE format('SELECT %I(%L::%s%s)::text', f.proname, lit, typ, arg);
				IF f.proretset THEN
					EXECUTE format('SELECT count(*) FROM %I(%L::%s%s)', f.proname, lit, typ, arg);
				END IF;
			END IF;
		EXCEPTION WHEN OTHERS THEN
			IF SQLSTATE LIKE 'XX%' THEN
				RAISE EXCEPTION 'accessor %(%) failed on accepted value: % (%)', f.fn, lit, SQLERRM, SQLSTATE;
			END IF;
		END;
	END LOOP;
END $$;

CREATE TEMP TABLE fuzz_report (typ regtype, path text, accepted int, rejected int, sqlstates text);

DO $fuzz$
DECLARE
	iterations int := current_setting('kpi_fuzz.iterations')::int;
	t regtype;
	samples text[];
	cand text;
	payload bytea;
	sendfn regproc;
	accepted int;
	rejected int;
	states jsonb;
	lo oid;
	val text;
BEGIN
	FOR t IN SELECT DISTINCT typ FROM kpi_samples ORDER BY 1 LOOP
		samples := ARRAY(SELECT lit FROM kpi_samples WHERE typ = t);

		-- text input
		accepted := 0; rejected := 0; states := '{}';
		FOR i IN 1 .. iterations LOOP
			cand := pg_temp.mutate_text(samples[1 + floor(random() * array_length(samples, 1))::int]);
			BEGIN
				EXECUTE format('SELECT %L::%s::text', cand, t) INTO val;
				accepted := accepted + 1;
				PERFORM pg_temp.exercise(t, val);
			EXCEPTION WHEN OTHERS THEN
				IF SQLSTATE LIKE 'XX%' OR SQLERRM LIKE 'accessor %' OR SQLERRM LIKE '%round trip%' THEN
					RAISE EXCEPTION 'text input % of %: % (%)', quote_literal(cand), t, SQLERRM, SQLSTATE;
				END IF;
				rejected := rejected + 1;
				states := jsonb_set(states, ARRAY[SQLSTATE], to_jsonb(coalesce((states ->> SQLSTATE)::int, 0) + 1));
			END;
		END LOOP;
		INSERT INTO fuzz_report VALUES (t, 'text', accepted, rejected, states::text);

		-- binary input through COPY FORMAT binary
		SELECT typsend INTO sendfn FROM pg_type WHERE oid = t;
		EXECUTE format('CREATE TEMP TABLE fuzz_bin (v %s)', t);
		accepted := 0; rejected := 0; states := '{}';
		FOR i IN 1 .. iterations LOOP
			EXECUTE format('SELECT %s(%L::%s)', sendfn, samples[1 + floor(random() * array_length(samples, 1))::int], t) INTO payload;
			payload := pg_temp.mutate_bytes(payload);
			payload := '\x5047434f50590aff0d0a00'::bytea || '\x0000000000000000'::bytea || '\x0001'::bytea
				|| int4send(length(payload)) || payload || '\xffff'::bytea;
			lo := lo_from_bytea(0, payload);
			PERFORM lo_export(lo, 'kpi_fuzz.bin');
			PERFORM lo_unlink(lo);
			BEGIN
				TRUNCATE fuzz_bin;
				COPY fuzz_bin FROM 'kpi_fuzz.bin' WITH (FORMAT binary);
				SELECT v::text INTO val FROM fuzz_bin;
				accepted := accepted + 1;
				PERFORM pg_temp.exercise(t, val);
			EXCEPTION WHEN OTHERS THEN
				IF SQLSTATE LIKE 'XX%' OR SQLERRM LIKE 'accessor %' OR SQLERRM LIKE '%round trip%' THEN
					RAISE EXCEPTION 'binary input % of %: % (%)', payload, t, SQLERRM, SQLSTATE;
				END IF;
				rejected := rejected + 1;
				states := jsonb_set(states, ARRAY[SQLSTATE], to_jsonb(coalesce((states ->> SQLSTATE)::int, 0) + 1));
			END;
		END LOOP;
		DROP TABLE fuzz_bin;
		INSERT INTO fuzz_report VALUES (t, 'binary', accepted, rejected, states::text);
	END LOOP;
END
$fuzz$;

SELECT * FROM fuzz_report ORDER BY 1, 2;
