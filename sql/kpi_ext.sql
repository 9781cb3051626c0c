/*
 * kpi_ext: the current API, the one hand-edited definition of every SQL object.
 *
 * The Makefile builds the install script of the current version,
 * sql/kpi_ext--<default_version>.sql, from this file; CREATE EXTENSION runs
 * that one script.  Databases on an older release reach the same objects
 * through the released upgrade scripts sql/kpi_ext--A--B.sql, which are
 * never edited: a change here goes into the upgrade script of the coming
 * release as well (tests/t/upgrade.sh compares the two catalogs).
 *
 * One section per KPI family, each naming its C file, in dependency order
 * (the contact centre builds on rate_summary): survey, rate, ratio,
 * percentile, sketch, calendar, contact, erlang, business, flow, aging,
 * timeline (working time from calendar), stats, sparkline, and the reference
 * data (industry benchmarks).
 */

\echo Use "CREATE EXTENSION kpi_ext" to load this file. \quit

/*
 * ===========================================================================
 * Survey scores: NPS, CSAT, CES (src/survey.c)
 * ===========================================================================
 */

CREATE TYPE score_summary;

CREATE FUNCTION kpi_score_summary_in(cstring) RETURNS score_summary
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION kpi_score_summary_out(score_summary) RETURNS cstring
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION kpi_score_summary_recv(internal) RETURNS score_summary
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION kpi_score_summary_send(score_summary) RETURNS bytea
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

CREATE TYPE score_summary (
	INPUT = kpi_score_summary_in,
	OUTPUT = kpi_score_summary_out,
	RECEIVE = kpi_score_summary_recv,
	SEND = kpi_score_summary_send,
	INTERNALLENGTH = VARIABLE,
	ALIGNMENT = double,
	STORAGE = plain
);
COMMENT ON TYPE score_summary IS 'exact counts of survey scores 0..10; text form v1:c0,c1,...,c10';
COMMENT ON FUNCTION kpi_score_summary_in(cstring) IS 'text input of score_summary, validated';
COMMENT ON FUNCTION kpi_score_summary_out(score_summary) IS 'text output of score_summary';
COMMENT ON FUNCTION kpi_score_summary_recv(internal) IS 'binary input of score_summary, validated';
COMMENT ON FUNCTION kpi_score_summary_send(score_summary) IS 'binary output of score_summary';

-- transition, inverse and combine functions (not for direct use)
CREATE FUNCTION kpi_score_accum(score_summary, integer) RETURNS score_summary
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION kpi_nps_accum(score_summary, integer) RETURNS score_summary
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION kpi_csat_accum(score_summary, integer) RETURNS score_summary
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION kpi_csat_scale_accum(score_summary, integer, integer) RETURNS score_summary
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION kpi_ces_accum(score_summary, integer) RETURNS score_summary
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION kpi_ces_scale_accum(score_summary, integer, integer) RETURNS score_summary
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION kpi_score_inv(score_summary, integer) RETURNS score_summary
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION kpi_score_inv(score_summary, integer, integer) RETURNS score_summary
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION kpi_csat_scale_inv(score_summary, integer, integer) RETURNS score_summary
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION kpi_score_combine(score_summary, score_summary) RETURNS score_summary
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION kpi_score_uncombine(score_summary, score_summary) RETURNS score_summary
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION kpi_csat_scale_final(score_summary) RETURNS numeric
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION kpi_score_accum(score_summary, integer) IS 'score_agg transition: adds a score 0..10';
COMMENT ON FUNCTION kpi_nps_accum(score_summary, integer) IS 'nps transition: adds an NPS score 0..10';
COMMENT ON FUNCTION kpi_csat_accum(score_summary, integer) IS 'csat transition: adds a CSAT score 1..5';
COMMENT ON FUNCTION kpi_csat_scale_accum(score_summary, integer, integer) IS 'csat(score, scale) transition: counts a score 1..scale by its distance from the top';
COMMENT ON FUNCTION kpi_ces_accum(score_summary, integer) IS 'ces transition: adds a CES score 1..7';
COMMENT ON FUNCTION kpi_ces_scale_accum(score_summary, integer, integer) IS 'ces(score, scale) transition: adds a score 1..scale';
COMMENT ON FUNCTION kpi_score_inv(score_summary, integer) IS 'moving-aggregate inverse: removes a score';
COMMENT ON FUNCTION kpi_score_inv(score_summary, integer, integer) IS 'moving-aggregate inverse: removes a score';
COMMENT ON FUNCTION kpi_csat_scale_inv(score_summary, integer, integer) IS 'moving-aggregate inverse of csat(score, scale)';
COMMENT ON FUNCTION kpi_score_combine(score_summary, score_summary) IS 'merges two score summaries (rollup, parallel combine)';
COMMENT ON FUNCTION kpi_score_uncombine(score_summary, score_summary) IS 'moving-aggregate inverse of rollup(score_summary)';
COMMENT ON FUNCTION kpi_csat_scale_final(score_summary) IS 'csat(score, scale) final: share of the top two scores';

-- accessors
CREATE FUNCTION nps(score_summary) RETURNS numeric
	AS 'MODULE_PATHNAME', 'kpi_score_nps' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION nps(score_summary) IS 'Net Promoter Score -100..100: 100 * (promoters 9-10 - detractors 0-6) / responses; NULL without responses';
CREATE FUNCTION csat(score_summary) RETURNS numeric
	AS 'MODULE_PATHNAME', 'kpi_score_top_box' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION csat(score_summary) IS 'CSAT 0..100: share of responses scoring 4 or more; NULL without responses';
CREATE FUNCTION csat(score_summary, positive_min integer) RETURNS numeric
	AS 'MODULE_PATHNAME', 'kpi_score_top_box' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION csat(score_summary, integer) IS 'CSAT 0..100: share of responses scoring positive_min or more; NULL without responses';
CREATE FUNCTION top_box(score_summary, min_score integer) RETURNS numeric
	AS 'MODULE_PATHNAME', 'kpi_score_top_box' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION top_box(score_summary, integer) IS 'top-box share 0..100: 100 * responses >= min_score / responses; NULL without responses';
CREATE FUNCTION mean_score(score_summary) RETURNS numeric
	AS 'MODULE_PATHNAME', 'kpi_score_mean' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION mean_score(score_summary) IS 'mean score; NULL without responses';
CREATE FUNCTION ces(score_summary) RETURNS numeric
	AS 'MODULE_PATHNAME', 'kpi_score_mean' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION ces(score_summary) IS 'Customer Effort Score: the mean effort score; NULL without responses';
CREATE FUNCTION responses(score_summary) RETURNS bigint
	AS 'MODULE_PATHNAME', 'kpi_score_responses' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION responses(score_summary) IS 'number of responses';
CREATE FUNCTION promoters(score_summary) RETURNS bigint
	AS 'MODULE_PATHNAME', 'kpi_score_promoters' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION promoters(score_summary) IS 'number of responses scoring 9 or 10';
CREATE FUNCTION passives(score_summary) RETURNS bigint
	AS 'MODULE_PATHNAME', 'kpi_score_passives' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION passives(score_summary) IS 'number of responses scoring 7 or 8';
CREATE FUNCTION detractors(score_summary) RETURNS bigint
	AS 'MODULE_PATHNAME', 'kpi_score_detractors' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION detractors(score_summary) IS 'number of responses scoring 0 to 6';
CREATE FUNCTION score_histogram(score_summary) RETURNS bigint[]
	AS 'MODULE_PATHNAME', 'kpi_score_histogram' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION score_histogram(score_summary) IS 'responses per score 0..10, as an array of 11 counts';

-- aggregates
CREATE AGGREGATE score_agg(integer) (
	SFUNC = kpi_score_accum, STYPE = score_summary,
	COMBINEFUNC = kpi_score_combine,
	MSFUNC = kpi_score_accum, MINVFUNC = kpi_score_inv, MSTYPE = score_summary,
	PARALLEL = SAFE
);
COMMENT ON AGGREGATE score_agg(integer) IS 'summary of survey scores 0..10, for nps(), csat(), ces() and rollup()';

CREATE AGGREGATE rollup(score_summary) (
	SFUNC = kpi_score_combine, STYPE = score_summary,
	COMBINEFUNC = kpi_score_combine,
	MSFUNC = kpi_score_combine, MINVFUNC = kpi_score_uncombine, MSTYPE = score_summary,
	PARALLEL = SAFE
);
COMMENT ON AGGREGATE rollup(score_summary) IS 'merges score summaries, such as daily ones into a month';

CREATE AGGREGATE nps(integer) (
	SFUNC = kpi_nps_accum, STYPE = score_summary, FINALFUNC = nps,
	COMBINEFUNC = kpi_score_combine,
	MSFUNC = kpi_nps_accum, MINVFUNC = kpi_score_inv, MSTYPE = score_summary, MFINALFUNC = nps,
	PARALLEL = SAFE
);
COMMENT ON AGGREGATE nps(integer) IS 'Net Promoter Score -100..100 of scores 0..10: 100 * (promoters - detractors) / responses';

CREATE AGGREGATE csat(integer) (
	SFUNC = kpi_csat_accum, STYPE = score_summary, FINALFUNC = csat,
	COMBINEFUNC = kpi_score_combine,
	MSFUNC = kpi_csat_accum, MINVFUNC = kpi_score_inv, MSTYPE = score_summary, MFINALFUNC = csat,
	PARALLEL = SAFE
);
COMMENT ON AGGREGATE csat(integer) IS 'CSAT 0..100 of scores 1..5: 100 * responses of 4 or 5 / responses';

CREATE AGGREGATE csat(integer, integer) (
	SFUNC = kpi_csat_scale_accum, STYPE = score_summary, FINALFUNC = kpi_csat_scale_final,
	COMBINEFUNC = kpi_score_combine,
	MSFUNC = kpi_csat_scale_accum, MINVFUNC = kpi_csat_scale_inv, MSTYPE = score_summary,
	MFINALFUNC = kpi_csat_scale_final,
	PARALLEL = SAFE
);
COMMENT ON AGGREGATE csat(integer, integer) IS 'CSAT 0..100 of scores 1..scale: 100 * responses in the top two scores / responses';

CREATE AGGREGATE ces(integer) (
	SFUNC = kpi_ces_accum, STYPE = score_summary, FINALFUNC = ces,
	COMBINEFUNC = kpi_score_combine,
	MSFUNC = kpi_ces_accum, MINVFUNC = kpi_score_inv, MSTYPE = score_summary, MFINALFUNC = ces,
	PARALLEL = SAFE
);
COMMENT ON AGGREGATE ces(integer) IS 'Customer Effort Score: mean of scores 1..7';

CREATE AGGREGATE ces(integer, integer) (
	SFUNC = kpi_ces_scale_accum, STYPE = score_summary, FINALFUNC = ces,
	COMBINEFUNC = kpi_score_combine,
	MSFUNC = kpi_ces_scale_accum, MINVFUNC = kpi_score_inv, MSTYPE = score_summary, MFINALFUNC = ces,
	PARALLEL = SAFE
);
COMMENT ON AGGREGATE ces(integer, integer) IS 'Customer Effort Score: mean of scores 1..scale';

-- smallint, bigint and numeric scores (pandas writes bigint, spreadsheets numeric): the
-- same transition functions, which read the score by its declared type; a numeric score
-- must be a whole number.  An integer argument, such as a literal 5, still picks the
-- integer form.
CREATE FUNCTION kpi_score_accum(score_summary, smallint) RETURNS score_summary
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION kpi_score_accum(score_summary, smallint) IS 'score_agg transition: adds a score 0..10 (smallint scores)';
CREATE FUNCTION kpi_nps_accum(score_summary, smallint) RETURNS score_summary
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION kpi_nps_accum(score_summary, smallint) IS 'nps transition: adds an NPS score 0..10 (smallint scores)';
CREATE FUNCTION kpi_csat_accum(score_summary, smallint) RETURNS score_summary
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION kpi_csat_accum(score_summary, smallint) IS 'csat transition: adds a CSAT score 1..5 (smallint scores)';
CREATE FUNCTION kpi_csat_scale_accum(score_summary, smallint, integer) RETURNS score_summary
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION kpi_csat_scale_accum(score_summary, smallint, integer) IS 'csat(score, scale) transition: counts a score 1..scale by its distance from the top (smallint scores)';
CREATE FUNCTION kpi_ces_accum(score_summary, smallint) RETURNS score_summary
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION kpi_ces_accum(score_summary, smallint) IS 'ces transition: adds a CES score 1..7 (smallint scores)';
CREATE FUNCTION kpi_ces_scale_accum(score_summary, smallint, integer) RETURNS score_summary
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION kpi_ces_scale_accum(score_summary, smallint, integer) IS 'ces(score, scale) transition: adds a score 1..scale (smallint scores)';
CREATE FUNCTION kpi_score_inv(score_summary, smallint) RETURNS score_summary
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION kpi_score_inv(score_summary, smallint) IS 'moving-aggregate inverse: removes a score (smallint scores)';
CREATE FUNCTION kpi_score_inv(score_summary, smallint, integer) RETURNS score_summary
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION kpi_score_inv(score_summary, smallint, integer) IS 'moving-aggregate inverse: removes a score (smallint scores)';
CREATE FUNCTION kpi_csat_scale_inv(score_summary, smallint, integer) RETURNS score_summary
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION kpi_csat_scale_inv(score_summary, smallint, integer) IS 'moving-aggregate inverse of csat(score, scale) (smallint scores)';
CREATE FUNCTION kpi_score_accum(score_summary, bigint) RETURNS score_summary
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION kpi_score_accum(score_summary, bigint) IS 'score_agg transition: adds a score 0..10 (bigint scores)';
CREATE FUNCTION kpi_nps_accum(score_summary, bigint) RETURNS score_summary
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION kpi_nps_accum(score_summary, bigint) IS 'nps transition: adds an NPS score 0..10 (bigint scores)';
CREATE FUNCTION kpi_csat_accum(score_summary, bigint) RETURNS score_summary
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION kpi_csat_accum(score_summary, bigint) IS 'csat transition: adds a CSAT score 1..5 (bigint scores)';
CREATE FUNCTION kpi_csat_scale_accum(score_summary, bigint, integer) RETURNS score_summary
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION kpi_csat_scale_accum(score_summary, bigint, integer) IS 'csat(score, scale) transition: counts a score 1..scale by its distance from the top (bigint scores)';
CREATE FUNCTION kpi_ces_accum(score_summary, bigint) RETURNS score_summary
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION kpi_ces_accum(score_summary, bigint) IS 'ces transition: adds a CES score 1..7 (bigint scores)';
CREATE FUNCTION kpi_ces_scale_accum(score_summary, bigint, integer) RETURNS score_summary
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION kpi_ces_scale_accum(score_summary, bigint, integer) IS 'ces(score, scale) transition: adds a score 1..scale (bigint scores)';
CREATE FUNCTION kpi_score_inv(score_summary, bigint) RETURNS score_summary
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION kpi_score_inv(score_summary, bigint) IS 'moving-aggregate inverse: removes a score (bigint scores)';
CREATE FUNCTION kpi_score_inv(score_summary, bigint, integer) RETURNS score_summary
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION kpi_score_inv(score_summary, bigint, integer) IS 'moving-aggregate inverse: removes a score (bigint scores)';
CREATE FUNCTION kpi_csat_scale_inv(score_summary, bigint, integer) RETURNS score_summary
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION kpi_csat_scale_inv(score_summary, bigint, integer) IS 'moving-aggregate inverse of csat(score, scale) (bigint scores)';
CREATE FUNCTION kpi_score_accum(score_summary, numeric) RETURNS score_summary
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION kpi_score_accum(score_summary, numeric) IS 'score_agg transition: adds a score 0..10 (numeric scores)';
CREATE FUNCTION kpi_nps_accum(score_summary, numeric) RETURNS score_summary
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION kpi_nps_accum(score_summary, numeric) IS 'nps transition: adds an NPS score 0..10 (numeric scores)';
CREATE FUNCTION kpi_csat_accum(score_summary, numeric) RETURNS score_summary
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION kpi_csat_accum(score_summary, numeric) IS 'csat transition: adds a CSAT score 1..5 (numeric scores)';
CREATE FUNCTION kpi_csat_scale_accum(score_summary, numeric, integer) RETURNS score_summary
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION kpi_csat_scale_accum(score_summary, numeric, integer) IS 'csat(score, scale) transition: counts a score 1..scale by its distance from the top (numeric scores)';
CREATE FUNCTION kpi_ces_accum(score_summary, numeric) RETURNS score_summary
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION kpi_ces_accum(score_summary, numeric) IS 'ces transition: adds a CES score 1..7 (numeric scores)';
CREATE FUNCTION kpi_ces_scale_accum(score_summary, numeric, integer) RETURNS score_summary
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION kpi_ces_scale_accum(score_summary, numeric, integer) IS 'ces(score, scale) transition: adds a score 1..scale (numeric scores)';
CREATE FUNCTION kpi_score_inv(score_summary, numeric) RETURNS score_summary
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION kpi_score_inv(score_summary, numeric) IS 'moving-aggregate inverse: removes a score (numeric scores)';
CREATE FUNCTION kpi_score_inv(score_summary, numeric, integer) RETURNS score_summary
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION kpi_score_inv(score_summary, numeric, integer) IS 'moving-aggregate inverse: removes a score (numeric scores)';
CREATE FUNCTION kpi_csat_scale_inv(score_summary, numeric, integer) RETURNS score_summary
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION kpi_csat_scale_inv(score_summary, numeric, integer) IS 'moving-aggregate inverse of csat(score, scale) (numeric scores)';

CREATE AGGREGATE score_agg(smallint) (
	SFUNC = kpi_score_accum, STYPE = score_summary,
	COMBINEFUNC = kpi_score_combine,
	MSFUNC = kpi_score_accum, MINVFUNC = kpi_score_inv, MSTYPE = score_summary,
	PARALLEL = SAFE
);
COMMENT ON AGGREGATE score_agg(smallint) IS 'summary of smallint survey scores 0..10, for nps(), csat(), ces() and rollup()';
CREATE AGGREGATE nps(smallint) (
	SFUNC = kpi_nps_accum, STYPE = score_summary, FINALFUNC = nps,
	COMBINEFUNC = kpi_score_combine,
	MSFUNC = kpi_nps_accum, MINVFUNC = kpi_score_inv, MSTYPE = score_summary, MFINALFUNC = nps,
	PARALLEL = SAFE
);
COMMENT ON AGGREGATE nps(smallint) IS 'Net Promoter Score -100..100 of smallint scores 0..10: 100 * (promoters - detractors) / responses';
CREATE AGGREGATE csat(smallint) (
	SFUNC = kpi_csat_accum, STYPE = score_summary, FINALFUNC = csat,
	COMBINEFUNC = kpi_score_combine,
	MSFUNC = kpi_csat_accum, MINVFUNC = kpi_score_inv, MSTYPE = score_summary, MFINALFUNC = csat,
	PARALLEL = SAFE
);
COMMENT ON AGGREGATE csat(smallint) IS 'CSAT 0..100 of smallint scores 1..5: 100 * responses of 4 or 5 / responses';
CREATE AGGREGATE csat(smallint, integer) (
	SFUNC = kpi_csat_scale_accum, STYPE = score_summary, FINALFUNC = kpi_csat_scale_final,
	COMBINEFUNC = kpi_score_combine,
	MSFUNC = kpi_csat_scale_accum, MINVFUNC = kpi_csat_scale_inv, MSTYPE = score_summary,
	MFINALFUNC = kpi_csat_scale_final,
	PARALLEL = SAFE
);
COMMENT ON AGGREGATE csat(smallint, integer) IS 'CSAT 0..100 of smallint scores 1..scale: 100 * responses in the top two scores / responses';
CREATE AGGREGATE ces(smallint) (
	SFUNC = kpi_ces_accum, STYPE = score_summary, FINALFUNC = ces,
	COMBINEFUNC = kpi_score_combine,
	MSFUNC = kpi_ces_accum, MINVFUNC = kpi_score_inv, MSTYPE = score_summary, MFINALFUNC = ces,
	PARALLEL = SAFE
);
COMMENT ON AGGREGATE ces(smallint) IS 'Customer Effort Score: mean of smallint scores 1..7';
CREATE AGGREGATE ces(smallint, integer) (
	SFUNC = kpi_ces_scale_accum, STYPE = score_summary, FINALFUNC = ces,
	COMBINEFUNC = kpi_score_combine,
	MSFUNC = kpi_ces_scale_accum, MINVFUNC = kpi_score_inv, MSTYPE = score_summary, MFINALFUNC = ces,
	PARALLEL = SAFE
);
COMMENT ON AGGREGATE ces(smallint, integer) IS 'Customer Effort Score: mean of smallint scores 1..scale';

CREATE AGGREGATE score_agg(bigint) (
	SFUNC = kpi_score_accum, STYPE = score_summary,
	COMBINEFUNC = kpi_score_combine,
	MSFUNC = kpi_score_accum, MINVFUNC = kpi_score_inv, MSTYPE = score_summary,
	PARALLEL = SAFE
);
COMMENT ON AGGREGATE score_agg(bigint) IS 'summary of bigint survey scores 0..10, for nps(), csat(), ces() and rollup()';
CREATE AGGREGATE nps(bigint) (
	SFUNC = kpi_nps_accum, STYPE = score_summary, FINALFUNC = nps,
	COMBINEFUNC = kpi_score_combine,
	MSFUNC = kpi_nps_accum, MINVFUNC = kpi_score_inv, MSTYPE = score_summary, MFINALFUNC = nps,
	PARALLEL = SAFE
);
COMMENT ON AGGREGATE nps(bigint) IS 'Net Promoter Score -100..100 of bigint scores 0..10: 100 * (promoters - detractors) / responses';
CREATE AGGREGATE csat(bigint) (
	SFUNC = kpi_csat_accum, STYPE = score_summary, FINALFUNC = csat,
	COMBINEFUNC = kpi_score_combine,
	MSFUNC = kpi_csat_accum, MINVFUNC = kpi_score_inv, MSTYPE = score_summary, MFINALFUNC = csat,
	PARALLEL = SAFE
);
COMMENT ON AGGREGATE csat(bigint) IS 'CSAT 0..100 of bigint scores 1..5: 100 * responses of 4 or 5 / responses';
CREATE AGGREGATE csat(bigint, integer) (
	SFUNC = kpi_csat_scale_accum, STYPE = score_summary, FINALFUNC = kpi_csat_scale_final,
	COMBINEFUNC = kpi_score_combine,
	MSFUNC = kpi_csat_scale_accum, MINVFUNC = kpi_csat_scale_inv, MSTYPE = score_summary,
	MFINALFUNC = kpi_csat_scale_final,
	PARALLEL = SAFE
);
COMMENT ON AGGREGATE csat(bigint, integer) IS 'CSAT 0..100 of bigint scores 1..scale: 100 * responses in the top two scores / responses';
CREATE AGGREGATE ces(bigint) (
	SFUNC = kpi_ces_accum, STYPE = score_summary, FINALFUNC = ces,
	COMBINEFUNC = kpi_score_combine,
	MSFUNC = kpi_ces_accum, MINVFUNC = kpi_score_inv, MSTYPE = score_summary, MFINALFUNC = ces,
	PARALLEL = SAFE
);
COMMENT ON AGGREGATE ces(bigint) IS 'Customer Effort Score: mean of bigint scores 1..7';
CREATE AGGREGATE ces(bigint, integer) (
	SFUNC = kpi_ces_scale_accum, STYPE = score_summary, FINALFUNC = ces,
	COMBINEFUNC = kpi_score_combine,
	MSFUNC = kpi_ces_scale_accum, MINVFUNC = kpi_score_inv, MSTYPE = score_summary, MFINALFUNC = ces,
	PARALLEL = SAFE
);
COMMENT ON AGGREGATE ces(bigint, integer) IS 'Customer Effort Score: mean of bigint scores 1..scale';

CREATE AGGREGATE score_agg(numeric) (
	SFUNC = kpi_score_accum, STYPE = score_summary,
	COMBINEFUNC = kpi_score_combine,
	MSFUNC = kpi_score_accum, MINVFUNC = kpi_score_inv, MSTYPE = score_summary,
	PARALLEL = SAFE
);
COMMENT ON AGGREGATE score_agg(numeric) IS 'summary of whole-number numeric survey scores 0..10, for nps(), csat(), ces() and rollup()';
CREATE AGGREGATE nps(numeric) (
	SFUNC = kpi_nps_accum, STYPE = score_summary, FINALFUNC = nps,
	COMBINEFUNC = kpi_score_combine,
	MSFUNC = kpi_nps_accum, MINVFUNC = kpi_score_inv, MSTYPE = score_summary, MFINALFUNC = nps,
	PARALLEL = SAFE
);
COMMENT ON AGGREGATE nps(numeric) IS 'Net Promoter Score -100..100 of whole-number numeric scores 0..10: 100 * (promoters - detractors) / responses';
CREATE AGGREGATE csat(numeric) (
	SFUNC = kpi_csat_accum, STYPE = score_summary, FINALFUNC = csat,
	COMBINEFUNC = kpi_score_combine,
	MSFUNC = kpi_csat_accum, MINVFUNC = kpi_score_inv, MSTYPE = score_summary, MFINALFUNC = csat,
	PARALLEL = SAFE
);
COMMENT ON AGGREGATE csat(numeric) IS 'CSAT 0..100 of whole-number numeric scores 1..5: 100 * responses of 4 or 5 / responses';
CREATE AGGREGATE csat(numeric, integer) (
	SFUNC = kpi_csat_scale_accum, STYPE = score_summary, FINALFUNC = kpi_csat_scale_final,
	COMBINEFUNC = kpi_score_combine,
	MSFUNC = kpi_csat_scale_accum, MINVFUNC = kpi_csat_scale_inv, MSTYPE = score_summary,
	MFINALFUNC = kpi_csat_scale_final,
	PARALLEL = SAFE
);
COMMENT ON AGGREGATE csat(numeric, integer) IS 'CSAT 0..100 of whole-number numeric scores 1..scale: 100 * responses in the top two scores / responses';
CREATE AGGREGATE ces(numeric) (
	SFUNC = kpi_ces_accum, STYPE = score_summary, FINALFUNC = ces,
	COMBINEFUNC = kpi_score_combine,
	MSFUNC = kpi_ces_accum, MINVFUNC = kpi_score_inv, MSTYPE = score_summary, MFINALFUNC = ces,
	PARALLEL = SAFE
);
COMMENT ON AGGREGATE ces(numeric) IS 'Customer Effort Score: mean of whole-number numeric scores 1..7';
CREATE AGGREGATE ces(numeric, integer) (
	SFUNC = kpi_ces_scale_accum, STYPE = score_summary, FINALFUNC = ces,
	COMBINEFUNC = kpi_score_combine,
	MSFUNC = kpi_ces_scale_accum, MINVFUNC = kpi_score_inv, MSTYPE = score_summary, MFINALFUNC = ces,
	PARALLEL = SAFE
);
COMMENT ON AGGREGATE ces(numeric, integer) IS 'Customer Effort Score: mean of whole-number numeric scores 1..scale';

-- operators: incremental summaries
CREATE FUNCTION kpi_score_plus(score_summary, score_summary) RETURNS score_summary
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION kpi_score_plus(score_summary, score_summary) IS 'a + b: the summary of the responses of both, equal to rollup() over the two; NULL counts as no responses';
CREATE FUNCTION kpi_score_minus(score_summary, score_summary) RETURNS score_summary
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION kpi_score_minus(score_summary, score_summary) IS 'a - b: the summary of the responses of a without those of b, so (a + b) - b = a; NULL when none is left; an error when b holds responses a does not';
CREATE OPERATOR + (
	LEFTARG = score_summary, RIGHTARG = score_summary, FUNCTION = kpi_score_plus,
	COMMUTATOR = +
);
COMMENT ON OPERATOR + (score_summary, score_summary) IS 'the summary of the responses of both: rollup() of the two';
CREATE OPERATOR - (
	LEFTARG = score_summary, RIGHTARG = score_summary, FUNCTION = kpi_score_minus
);
COMMENT ON OPERATOR - (score_summary, score_summary) IS 'the summary of the responses of the left one without those of the right one; (a + b) - b = a';

/*
 * ===========================================================================
 * Rates: FCR, SLA adherence, reopen, escalation, automation, abandonment
 * (src/rate.c)
 * ===========================================================================
 */

CREATE TYPE rate_summary;

CREATE FUNCTION kpi_rate_summary_in(cstring) RETURNS rate_summary
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION kpi_rate_summary_out(rate_summary) RETURNS cstring
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION kpi_rate_summary_recv(internal) RETURNS rate_summary
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION kpi_rate_summary_send(rate_summary) RETURNS bytea
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

CREATE TYPE rate_summary (
	INPUT = kpi_rate_summary_in,
	OUTPUT = kpi_rate_summary_out,
	RECEIVE = kpi_rate_summary_recv,
	SEND = kpi_rate_summary_send,
	INTERNALLENGTH = VARIABLE,
	ALIGNMENT = double,
	STORAGE = plain
);
COMMENT ON TYPE rate_summary IS 'exact counts of hits and trials of a rate; text form v1:hits/trials';
COMMENT ON FUNCTION kpi_rate_summary_in(cstring) IS 'text input of rate_summary, validated';
COMMENT ON FUNCTION kpi_rate_summary_out(rate_summary) IS 'text output of rate_summary';
COMMENT ON FUNCTION kpi_rate_summary_recv(internal) IS 'binary input of rate_summary, validated';
COMMENT ON FUNCTION kpi_rate_summary_send(rate_summary) IS 'binary output of rate_summary';

-- transition, inverse and combine functions (not for direct use)
CREATE FUNCTION kpi_rate_accum(rate_summary, boolean) RETURNS rate_summary
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION kpi_rate_inv(rate_summary, boolean) RETURNS rate_summary
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION kpi_sla_accum(rate_summary, interval, interval) RETURNS rate_summary
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION kpi_sla_inv(rate_summary, interval, interval) RETURNS rate_summary
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION kpi_rate_combine(rate_summary, rate_summary) RETURNS rate_summary
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION kpi_rate_uncombine(rate_summary, rate_summary) RETURNS rate_summary
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION kpi_rate_accum(rate_summary, boolean) IS 'rate transition: counts a trial, and a hit when true';
COMMENT ON FUNCTION kpi_rate_inv(rate_summary, boolean) IS 'moving-aggregate inverse: removes a trial';
COMMENT ON FUNCTION kpi_sla_accum(rate_summary, interval, interval) IS 'sla_adherence(elapsed, target) transition: counts a covered row, and a hit when elapsed <= target';
COMMENT ON FUNCTION kpi_sla_inv(rate_summary, interval, interval) IS 'moving-aggregate inverse of sla_adherence(elapsed, target)';
COMMENT ON FUNCTION kpi_rate_combine(rate_summary, rate_summary) IS 'merges two rate summaries (rollup, parallel combine)';
COMMENT ON FUNCTION kpi_rate_uncombine(rate_summary, rate_summary) IS 'moving-aggregate inverse of rollup(rate_summary)';

-- accessors
CREATE FUNCTION rate(rate_summary) RETURNS numeric
	AS 'MODULE_PATHNAME', 'kpi_rate_percent' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION rate(rate_summary) IS 'rate 0..100: 100 * hits / trials; NULL without trials';
CREATE FUNCTION hits(rate_summary) RETURNS bigint
	AS 'MODULE_PATHNAME', 'kpi_rate_hits' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION hits(rate_summary) IS 'number of hits (true values)';
CREATE FUNCTION trials(rate_summary) RETURNS bigint
	AS 'MODULE_PATHNAME', 'kpi_rate_trials' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION trials(rate_summary) IS 'number of trials (non-NULL values)';

-- aggregates
CREATE AGGREGATE rate_agg(boolean) (
	SFUNC = kpi_rate_accum, STYPE = rate_summary,
	COMBINEFUNC = kpi_rate_combine,
	MSFUNC = kpi_rate_accum, MINVFUNC = kpi_rate_inv, MSTYPE = rate_summary,
	PARALLEL = SAFE
);
COMMENT ON AGGREGATE rate_agg(boolean) IS 'summary of a rate (hits = true, trials = non-NULL), for rate() and rollup()';

CREATE AGGREGATE rollup(rate_summary) (
	SFUNC = kpi_rate_combine, STYPE = rate_summary,
	COMBINEFUNC = kpi_rate_combine,
	MSFUNC = kpi_rate_combine, MINVFUNC = kpi_rate_uncombine, MSTYPE = rate_summary,
	PARALLEL = SAFE
);
COMMENT ON AGGREGATE rollup(rate_summary) IS 'merges rate summaries, such as daily ones into a month';

CREATE AGGREGATE rate(boolean) (
	SFUNC = kpi_rate_accum, STYPE = rate_summary, FINALFUNC = rate,
	COMBINEFUNC = kpi_rate_combine,
	MSFUNC = kpi_rate_accum, MINVFUNC = kpi_rate_inv, MSTYPE = rate_summary, MFINALFUNC = rate,
	PARALLEL = SAFE
);
COMMENT ON AGGREGATE rate(boolean) IS 'rate 0..100: 100 * true values / non-NULL values';

CREATE AGGREGATE fcr_rate(boolean) (
	SFUNC = kpi_rate_accum, STYPE = rate_summary, FINALFUNC = rate,
	COMBINEFUNC = kpi_rate_combine,
	MSFUNC = kpi_rate_accum, MINVFUNC = kpi_rate_inv, MSTYPE = rate_summary, MFINALFUNC = rate,
	PARALLEL = SAFE
);
COMMENT ON AGGREGATE fcr_rate(boolean) IS 'first-contact resolution rate 0..100: 100 * resolved at first contact / contacts';

CREATE AGGREGATE reopen_rate(boolean) (
	SFUNC = kpi_rate_accum, STYPE = rate_summary, FINALFUNC = rate,
	COMBINEFUNC = kpi_rate_combine,
	MSFUNC = kpi_rate_accum, MINVFUNC = kpi_rate_inv, MSTYPE = rate_summary, MFINALFUNC = rate,
	PARALLEL = SAFE
);
COMMENT ON AGGREGATE reopen_rate(boolean) IS 'reopen rate 0..100: 100 * reopened / tickets';

CREATE AGGREGATE escalation_rate(boolean) (
	SFUNC = kpi_rate_accum, STYPE = rate_summary, FINALFUNC = rate,
	COMBINEFUNC = kpi_rate_combine,
	MSFUNC = kpi_rate_accum, MINVFUNC = kpi_rate_inv, MSTYPE = rate_summary, MFINALFUNC = rate,
	PARALLEL = SAFE
);
COMMENT ON AGGREGATE escalation_rate(boolean) IS 'escalation rate 0..100: 100 * escalated / tickets';

CREATE AGGREGATE automation_rate(boolean) (
	SFUNC = kpi_rate_accum, STYPE = rate_summary, FINALFUNC = rate,
	COMBINEFUNC = kpi_rate_combine,
	MSFUNC = kpi_rate_accum, MINVFUNC = kpi_rate_inv, MSTYPE = rate_summary, MFINALFUNC = rate,
	PARALLEL = SAFE
);
COMMENT ON AGGREGATE automation_rate(boolean) IS 'automation rate 0..100: 100 * handled automatically / tickets';

CREATE AGGREGATE abandonment_rate(boolean) (
	SFUNC = kpi_rate_accum, STYPE = rate_summary, FINALFUNC = rate,
	COMBINEFUNC = kpi_rate_combine,
	MSFUNC = kpi_rate_accum, MINVFUNC = kpi_rate_inv, MSTYPE = rate_summary, MFINALFUNC = rate,
	PARALLEL = SAFE
);
COMMENT ON AGGREGATE abandonment_rate(boolean) IS 'abandonment rate 0..100: 100 * abandoned / offered contacts';

CREATE AGGREGATE sla_adherence(boolean) (
	SFUNC = kpi_rate_accum, STYPE = rate_summary, FINALFUNC = rate,
	COMBINEFUNC = kpi_rate_combine,
	MSFUNC = kpi_rate_accum, MINVFUNC = kpi_rate_inv, MSTYPE = rate_summary, MFINALFUNC = rate,
	PARALLEL = SAFE
);
COMMENT ON AGGREGATE sla_adherence(boolean) IS 'SLA adherence 0..100: 100 * met / SLA-covered (non-NULL) rows';

CREATE AGGREGATE sla_adherence(interval, interval) (
	SFUNC = kpi_sla_accum, STYPE = rate_summary, FINALFUNC = rate,
	COMBINEFUNC = kpi_rate_combine,
	MSFUNC = kpi_sla_accum, MINVFUNC = kpi_sla_inv, MSTYPE = rate_summary, MFINALFUNC = rate,
	PARALLEL = SAFE
);
COMMENT ON AGGREGATE sla_adherence(interval, interval) IS 'SLA adherence 0..100 of (elapsed, target): 100 * rows with elapsed <= target / rows with both; a NULL target means not covered';

CREATE AGGREGATE csat(boolean) (
	SFUNC = kpi_rate_accum, STYPE = rate_summary, FINALFUNC = rate,
	COMBINEFUNC = kpi_rate_combine,
	MSFUNC = kpi_rate_accum, MINVFUNC = kpi_rate_inv, MSTYPE = rate_summary, MFINALFUNC = rate,
	PARALLEL = SAFE
);
COMMENT ON AGGREGATE csat(boolean) IS 'CSAT 0..100 of thumbs up/down surveys: 100 * good / rated';

-- operators: incremental summaries
CREATE FUNCTION kpi_rate_plus(rate_summary, rate_summary) RETURNS rate_summary
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION kpi_rate_plus(rate_summary, rate_summary) IS 'a + b: the summary of the trials of both, equal to rollup() over the two; NULL counts as no trials';
CREATE FUNCTION kpi_rate_minus(rate_summary, rate_summary) RETURNS rate_summary
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION kpi_rate_minus(rate_summary, rate_summary) IS 'a - b: the summary of the trials of a without those of b, so (a + b) - b = a; NULL when none is left; an error when b holds trials a does not';
CREATE OPERATOR + (
	LEFTARG = rate_summary, RIGHTARG = rate_summary, FUNCTION = kpi_rate_plus,
	COMMUTATOR = +
);
COMMENT ON OPERATOR + (rate_summary, rate_summary) IS 'the summary of the trials of both: rollup() of the two';
CREATE OPERATOR - (
	LEFTARG = rate_summary, RIGHTARG = rate_summary, FUNCTION = kpi_rate_minus
);
COMMENT ON OPERATOR - (rate_summary, rate_summary) IS 'the summary of the trials of the left one without those of the right one; (a + b) - b = a';

/*
 * ===========================================================================
 * Ratios of sums: utilization, occupancy, schedule adherence, quality score,
 * AHT (src/ratio.c)
 * ===========================================================================
 */

CREATE TYPE ratio_summary;

CREATE FUNCTION kpi_ratio_summary_in(cstring) RETURNS ratio_summary
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION kpi_ratio_summary_out(ratio_summary) RETURNS cstring
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION kpi_ratio_summary_recv(internal) RETURNS ratio_summary
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION kpi_ratio_summary_send(ratio_summary) RETURNS bytea
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

CREATE TYPE ratio_summary (
	INPUT = kpi_ratio_summary_in,
	OUTPUT = kpi_ratio_summary_out,
	RECEIVE = kpi_ratio_summary_recv,
	SEND = kpi_ratio_summary_send,
	INTERNALLENGTH = VARIABLE,
	ALIGNMENT = double,
	STORAGE = plain
);
COMMENT ON TYPE ratio_summary IS 'rows and exact sums of a numerator and a denominator; text form v2:n=<rows>,num=<sum>,den=<sum>, each sum the terms of its exact expansion (12.5+1e-17); reads the v1 values of 0.6.0';
COMMENT ON FUNCTION kpi_ratio_summary_in(cstring) IS 'text input of ratio_summary, validated';
COMMENT ON FUNCTION kpi_ratio_summary_out(ratio_summary) IS 'text output of ratio_summary';
COMMENT ON FUNCTION kpi_ratio_summary_recv(internal) IS 'binary input of ratio_summary, validated';
COMMENT ON FUNCTION kpi_ratio_summary_send(ratio_summary) IS 'binary output of ratio_summary';

-- transition, inverse and combine functions (not for direct use)
CREATE FUNCTION kpi_ratio_accum(ratio_summary, double precision, double precision) RETURNS ratio_summary
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION kpi_ratio_inv(ratio_summary, double precision, double precision) RETURNS ratio_summary
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION kpi_ratio_interval_accum(ratio_summary, interval, interval) RETURNS ratio_summary
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION kpi_ratio_interval_inv(ratio_summary, interval, interval) RETURNS ratio_summary
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION kpi_utilization_accum(ratio_summary, interval, interval) RETURNS ratio_summary
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION kpi_occupancy_accum(ratio_summary, interval, interval) RETURNS ratio_summary
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION kpi_schedule_adherence_accum(ratio_summary, interval, interval) RETURNS ratio_summary
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION kpi_quality_accum(ratio_summary, numeric, numeric) RETURNS ratio_summary
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION kpi_quality_inv(ratio_summary, numeric, numeric) RETURNS ratio_summary
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION kpi_aht_accum(ratio_summary, interval, interval, interval) RETURNS ratio_summary
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION kpi_aht_inv(ratio_summary, interval, interval, interval) RETURNS ratio_summary
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION kpi_ratio_combine(ratio_summary, ratio_summary) RETURNS ratio_summary
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION kpi_ratio_uncombine(ratio_summary, ratio_summary) RETURNS ratio_summary
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION kpi_ratio_accum(ratio_summary, double precision, double precision) IS 'ratio_agg transition: adds a row''s numerator and denominator';
COMMENT ON FUNCTION kpi_ratio_inv(ratio_summary, double precision, double precision) IS 'moving-aggregate inverse: removes a row';
COMMENT ON FUNCTION kpi_ratio_interval_accum(ratio_summary, interval, interval) IS 'ratio_agg(interval, interval) transition: adds a row in seconds';
COMMENT ON FUNCTION kpi_ratio_interval_inv(ratio_summary, interval, interval) IS 'moving-aggregate inverse of every (interval, interval) ratio: removes a row';
COMMENT ON FUNCTION kpi_utilization_accum(ratio_summary, interval, interval) IS 'utilization transition: adds busy and available time';
COMMENT ON FUNCTION kpi_occupancy_accum(ratio_summary, interval, interval) IS 'occupancy transition: adds handle and staffed time';
COMMENT ON FUNCTION kpi_schedule_adherence_accum(ratio_summary, interval, interval) IS 'schedule_adherence transition: adds adherent and scheduled time';
COMMENT ON FUNCTION kpi_quality_accum(ratio_summary, numeric, numeric) IS 'quality_score transition: adds points and maximum points';
COMMENT ON FUNCTION kpi_quality_inv(ratio_summary, numeric, numeric) IS 'moving-aggregate inverse of quality_score';
COMMENT ON FUNCTION kpi_aht_accum(ratio_summary, interval, interval, interval) IS 'aht transition: adds a contact''s talk + hold + wrap time';
COMMENT ON FUNCTION kpi_aht_inv(ratio_summary, interval, interval, interval) IS 'moving-aggregate inverse of aht';
COMMENT ON FUNCTION kpi_ratio_combine(ratio_summary, ratio_summary) IS 'merges two ratio summaries (rollup, parallel combine)';
COMMENT ON FUNCTION kpi_ratio_uncombine(ratio_summary, ratio_summary) IS 'moving-aggregate inverse of rollup(ratio_summary)';
CREATE FUNCTION kpi_ratio_final(ratio_summary) RETURNS ratio_summary
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION kpi_ratio_final(ratio_summary) IS 'final function of ratio_agg, aht_agg and rollup(ratio_summary): the compact value of the working state';

-- accessors
CREATE FUNCTION ratio(ratio_summary) RETURNS double precision
	AS 'MODULE_PATHNAME', 'kpi_ratio_value' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION ratio(ratio_summary) IS 'ratio of sums: sum(numerator) / sum(denominator); NULL when sum(denominator) = 0';
CREATE FUNCTION utilization(ratio_summary) RETURNS numeric
	AS 'MODULE_PATHNAME', 'kpi_ratio_percent' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION utilization(ratio_summary) IS 'utilization 0..100: 100 * sum(busy) / sum(available); NULL when sum(available) = 0';
CREATE FUNCTION occupancy(ratio_summary) RETURNS numeric
	AS 'MODULE_PATHNAME', 'kpi_ratio_percent' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION occupancy(ratio_summary) IS 'occupancy 0..100: 100 * sum(handle) / sum(staffed); NULL when sum(staffed) = 0';
CREATE FUNCTION schedule_adherence(ratio_summary) RETURNS numeric
	AS 'MODULE_PATHNAME', 'kpi_ratio_percent' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION schedule_adherence(ratio_summary) IS 'schedule adherence 0..100: 100 * sum(adherent) / sum(scheduled); NULL when sum(scheduled) = 0';
CREATE FUNCTION quality_score(ratio_summary) RETURNS numeric
	AS 'MODULE_PATHNAME', 'kpi_ratio_percent' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION quality_score(ratio_summary) IS 'quality score 0..100: 100 * sum(points) / sum(max_points); NULL when sum(max_points) = 0';
CREATE FUNCTION aht(ratio_summary) RETURNS interval
	AS 'MODULE_PATHNAME', 'kpi_ratio_aht' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION aht(ratio_summary) IS 'average handle time of an aht_agg summary: sum(handle seconds) / contacts; NULL without contacts';
CREATE FUNCTION numerator(ratio_summary) RETURNS double precision
	AS 'MODULE_PATHNAME', 'kpi_ratio_numerator' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION numerator(ratio_summary) IS 'sum of the numerators (intervals in seconds); 0 without rows';
CREATE FUNCTION denominator(ratio_summary) RETURNS double precision
	AS 'MODULE_PATHNAME', 'kpi_ratio_denominator' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION denominator(ratio_summary) IS 'sum of the denominators (intervals in seconds, contacts for aht_agg); 0 without rows';
CREATE FUNCTION num_rows(ratio_summary) RETURNS bigint
	AS 'MODULE_PATHNAME', 'kpi_ratio_rows' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION num_rows(ratio_summary) IS 'number of rows summed';

-- aggregates
CREATE AGGREGATE ratio_agg(double precision, double precision) (
	SFUNC = kpi_ratio_accum, STYPE = ratio_summary, FINALFUNC = kpi_ratio_final,
	COMBINEFUNC = kpi_ratio_combine,
	MSFUNC = kpi_ratio_accum, MINVFUNC = kpi_ratio_inv, MSTYPE = ratio_summary,
	MFINALFUNC = kpi_ratio_final,
	PARALLEL = SAFE
);
COMMENT ON AGGREGATE ratio_agg(double precision, double precision) IS 'summary of a ratio of sums (num, den), for ratio() and rollup(); rows with a NULL are skipped';

CREATE AGGREGATE ratio_agg(interval, interval) (
	SFUNC = kpi_ratio_interval_accum, STYPE = ratio_summary, FINALFUNC = kpi_ratio_final,
	COMBINEFUNC = kpi_ratio_combine,
	MSFUNC = kpi_ratio_interval_accum, MINVFUNC = kpi_ratio_interval_inv, MSTYPE = ratio_summary,
	MFINALFUNC = kpi_ratio_final,
	PARALLEL = SAFE
);
COMMENT ON AGGREGATE ratio_agg(interval, interval) IS 'summary of a ratio of sums of intervals (in seconds), for utilization(), occupancy(), schedule_adherence(), ratio() and rollup()';

CREATE AGGREGATE rollup(ratio_summary) (
	SFUNC = kpi_ratio_combine, STYPE = ratio_summary, FINALFUNC = kpi_ratio_final,
	COMBINEFUNC = kpi_ratio_combine,
	MSFUNC = kpi_ratio_combine, MINVFUNC = kpi_ratio_uncombine, MSTYPE = ratio_summary,
	MFINALFUNC = kpi_ratio_final,
	PARALLEL = SAFE
);
COMMENT ON AGGREGATE rollup(ratio_summary) IS 'merges ratio summaries, such as daily ones into a month';

CREATE AGGREGATE utilization(interval, interval) (
	SFUNC = kpi_utilization_accum, STYPE = ratio_summary, FINALFUNC = utilization,
	COMBINEFUNC = kpi_ratio_combine,
	MSFUNC = kpi_utilization_accum, MINVFUNC = kpi_ratio_interval_inv, MSTYPE = ratio_summary,
	MFINALFUNC = utilization,
	PARALLEL = SAFE
);
COMMENT ON AGGREGATE utilization(interval, interval) IS 'utilization 0..100 of (busy, available): 100 * sum(busy) / sum(available)';

CREATE AGGREGATE occupancy(interval, interval) (
	SFUNC = kpi_occupancy_accum, STYPE = ratio_summary, FINALFUNC = occupancy,
	COMBINEFUNC = kpi_ratio_combine,
	MSFUNC = kpi_occupancy_accum, MINVFUNC = kpi_ratio_interval_inv, MSTYPE = ratio_summary,
	MFINALFUNC = occupancy,
	PARALLEL = SAFE
);
COMMENT ON AGGREGATE occupancy(interval, interval) IS 'occupancy 0..100 of (handle, staffed): 100 * sum(handle) / sum(staffed)';

CREATE AGGREGATE schedule_adherence(interval, interval) (
	SFUNC = kpi_schedule_adherence_accum, STYPE = ratio_summary, FINALFUNC = schedule_adherence,
	COMBINEFUNC = kpi_ratio_combine,
	MSFUNC = kpi_schedule_adherence_accum, MINVFUNC = kpi_ratio_interval_inv, MSTYPE = ratio_summary,
	MFINALFUNC = schedule_adherence,
	PARALLEL = SAFE
);
COMMENT ON AGGREGATE schedule_adherence(interval, interval) IS 'schedule adherence 0..100 of (adherent, scheduled): 100 * sum(adherent) / sum(scheduled)';

CREATE AGGREGATE quality_score(numeric, numeric) (
	SFUNC = kpi_quality_accum, STYPE = ratio_summary, FINALFUNC = quality_score,
	COMBINEFUNC = kpi_ratio_combine,
	MSFUNC = kpi_quality_accum, MINVFUNC = kpi_quality_inv, MSTYPE = ratio_summary,
	MFINALFUNC = quality_score,
	PARALLEL = SAFE
);
COMMENT ON AGGREGATE quality_score(numeric, numeric) IS 'quality score 0..100 of (points, max_points): 100 * sum(points) / sum(max_points)';

CREATE AGGREGATE aht_agg(interval, interval, interval) (
	SFUNC = kpi_aht_accum, STYPE = ratio_summary, FINALFUNC = kpi_ratio_final,
	COMBINEFUNC = kpi_ratio_combine,
	MSFUNC = kpi_aht_accum, MINVFUNC = kpi_aht_inv, MSTYPE = ratio_summary,
	MFINALFUNC = kpi_ratio_final,
	PARALLEL = SAFE
);
COMMENT ON AGGREGATE aht_agg(interval, interval, interval) IS 'summary of handle time (talk, hold, wrap): seconds of talk + hold + wrap over contacts, for aht() and rollup()';

CREATE AGGREGATE aht(interval, interval, interval) (
	SFUNC = kpi_aht_accum, STYPE = ratio_summary, FINALFUNC = aht,
	COMBINEFUNC = kpi_ratio_combine,
	MSFUNC = kpi_aht_accum, MINVFUNC = kpi_aht_inv, MSTYPE = ratio_summary, MFINALFUNC = aht,
	PARALLEL = SAFE
);
COMMENT ON AGGREGATE aht(interval, interval, interval) IS 'average handle time of (talk, hold, wrap): mean of talk + hold + wrap, a NULL part counting as zero';

-- operators: incremental summaries
CREATE FUNCTION kpi_ratio_plus(ratio_summary, ratio_summary) RETURNS ratio_summary
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION kpi_ratio_plus(ratio_summary, ratio_summary) IS 'a + b: the summary of the rows of both, equal to rollup() over the two; NULL counts as no rows';
CREATE FUNCTION kpi_ratio_minus(ratio_summary, ratio_summary) RETURNS ratio_summary
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION kpi_ratio_minus(ratio_summary, ratio_summary) IS 'a - b: the summary of the rows of a without those of b, exact, so (a + b) - b = a; NULL when no row is left; an error when b holds rows a does not';
CREATE OPERATOR + (
	LEFTARG = ratio_summary, RIGHTARG = ratio_summary, FUNCTION = kpi_ratio_plus,
	COMMUTATOR = +
);
COMMENT ON OPERATOR + (ratio_summary, ratio_summary) IS 'the summary of the rows of both: rollup() of the two';
CREATE OPERATOR - (
	LEFTARG = ratio_summary, RIGHTARG = ratio_summary, FUNCTION = kpi_ratio_minus
);
COMMENT ON OPERATOR - (ratio_summary, ratio_summary) IS 'the summary of the rows of the left one without those of the right one; (a + b) - b = a';

/*
 * ===========================================================================
 * Durations, exact: median, percentile, percentiles, median_resolution,
 * handle_time_percentile (src/percentile.c, with src/pct_*.c)
 * ===========================================================================
 */

-- transition, inverse, combine, serial and final functions (not for direct use)
CREATE FUNCTION kpi_percentile_float8_accum(internal, double precision) RETURNS internal
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION kpi_percentile_float8_accum(internal, double precision, double precision) RETURNS internal
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION kpi_percentile_interval_accum(internal, interval) RETURNS internal
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION kpi_percentile_interval_accum(internal, interval, double precision) RETURNS internal
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION kpi_percentile_span_accum(internal, timestamptz, timestamptz) RETURNS internal
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION kpi_percentile_float8_inv(internal, double precision) RETURNS internal
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION kpi_percentile_float8_inv(internal, double precision, double precision) RETURNS internal
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION kpi_percentile_interval_inv(internal, interval) RETURNS internal
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION kpi_percentile_interval_inv(internal, interval, double precision) RETURNS internal
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION kpi_percentile_span_inv(internal, timestamptz, timestamptz) RETURNS internal
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION kpi_percentile_combine(internal, internal) RETURNS internal
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION kpi_percentile_serialize(internal) RETURNS bytea
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION kpi_percentile_deserialize(bytea, internal) RETURNS internal
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION kpi_percentile_float8_final(internal) RETURNS double precision
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION kpi_percentile_interval_final(internal) RETURNS interval
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION kpi_percentile_float8_accum(internal, double precision) IS 'median(double precision) transition: keeps a finite number';
COMMENT ON FUNCTION kpi_percentile_float8_accum(internal, double precision, double precision) IS 'percentile(double precision, fraction) transition: keeps a finite number, checks the fraction';
COMMENT ON FUNCTION kpi_percentile_interval_accum(internal, interval) IS 'median(interval) transition: keeps a duration >= 0';
COMMENT ON FUNCTION kpi_percentile_interval_accum(internal, interval, double precision) IS 'percentile(interval, fraction) transition: keeps a duration >= 0, checks the fraction';
COMMENT ON FUNCTION kpi_percentile_span_accum(internal, timestamptz, timestamptz) IS 'median_resolution(opened, resolved) transition: keeps resolved - opened';
COMMENT ON FUNCTION kpi_percentile_float8_inv(internal, double precision) IS 'moving-aggregate inverse: removes a number';
COMMENT ON FUNCTION kpi_percentile_float8_inv(internal, double precision, double precision) IS 'moving-aggregate inverse: removes a number';
COMMENT ON FUNCTION kpi_percentile_interval_inv(internal, interval) IS 'moving-aggregate inverse: removes a duration';
COMMENT ON FUNCTION kpi_percentile_interval_inv(internal, interval, double precision) IS 'moving-aggregate inverse: removes a duration';
COMMENT ON FUNCTION kpi_percentile_span_inv(internal, timestamptz, timestamptz) IS 'moving-aggregate inverse: removes resolved - opened';
COMMENT ON FUNCTION kpi_percentile_combine(internal, internal) IS 'exact percentiles: concatenates the values of two partial states (parallel combine)';
COMMENT ON FUNCTION kpi_percentile_serialize(internal) IS 'exact percentiles: partial state to bytea (parallel query)';
COMMENT ON FUNCTION kpi_percentile_deserialize(bytea, internal) IS 'exact percentiles: validated bytea to partial state (parallel query)';
COMMENT ON FUNCTION kpi_percentile_float8_final(internal) IS 'exact percentile of numbers, as percentile_cont computes it';
COMMENT ON FUNCTION kpi_percentile_interval_final(internal) IS 'exact percentile of durations, as percentile_cont computes it';

-- aggregates
CREATE AGGREGATE median(double precision) (
	SFUNC = kpi_percentile_float8_accum, STYPE = internal,
	FINALFUNC = kpi_percentile_float8_final,
	COMBINEFUNC = kpi_percentile_combine,
	SERIALFUNC = kpi_percentile_serialize, DESERIALFUNC = kpi_percentile_deserialize,
	MSFUNC = kpi_percentile_float8_accum, MINVFUNC = kpi_percentile_float8_inv, MSTYPE = internal,
	MFINALFUNC = kpi_percentile_float8_final,
	PARALLEL = SAFE
);
COMMENT ON AGGREGATE median(double precision) IS 'exact median of finite numbers, equal to percentile_cont(0.5) WITHIN GROUP (ORDER BY x)';

CREATE AGGREGATE percentile(double precision, double precision) (
	SFUNC = kpi_percentile_float8_accum, STYPE = internal,
	FINALFUNC = kpi_percentile_float8_final,
	COMBINEFUNC = kpi_percentile_combine,
	SERIALFUNC = kpi_percentile_serialize, DESERIALFUNC = kpi_percentile_deserialize,
	MSFUNC = kpi_percentile_float8_accum, MINVFUNC = kpi_percentile_float8_inv, MSTYPE = internal,
	MFINALFUNC = kpi_percentile_float8_final,
	PARALLEL = SAFE
);
COMMENT ON AGGREGATE percentile(double precision, double precision) IS 'exact percentile (value, fraction 0..1, the same on every row) of finite numbers, equal to percentile_cont(fraction) WITHIN GROUP (ORDER BY value)';

CREATE AGGREGATE median(interval) (
	SFUNC = kpi_percentile_interval_accum, STYPE = internal,
	FINALFUNC = kpi_percentile_interval_final,
	COMBINEFUNC = kpi_percentile_combine,
	SERIALFUNC = kpi_percentile_serialize, DESERIALFUNC = kpi_percentile_deserialize,
	MSFUNC = kpi_percentile_interval_accum, MINVFUNC = kpi_percentile_interval_inv, MSTYPE = internal,
	MFINALFUNC = kpi_percentile_interval_final,
	PARALLEL = SAFE
);
COMMENT ON AGGREGATE median(interval) IS 'exact median of durations >= 0, equal to percentile_cont(0.5) WITHIN GROUP (ORDER BY x)';

CREATE AGGREGATE percentile(interval, double precision) (
	SFUNC = kpi_percentile_interval_accum, STYPE = internal,
	FINALFUNC = kpi_percentile_interval_final,
	COMBINEFUNC = kpi_percentile_combine,
	SERIALFUNC = kpi_percentile_serialize, DESERIALFUNC = kpi_percentile_deserialize,
	MSFUNC = kpi_percentile_interval_accum, MINVFUNC = kpi_percentile_interval_inv, MSTYPE = internal,
	MFINALFUNC = kpi_percentile_interval_final,
	PARALLEL = SAFE
);
COMMENT ON AGGREGATE percentile(interval, double precision) IS 'exact percentile (duration, fraction 0..1, the same on every row) of durations >= 0, equal to percentile_cont(fraction) WITHIN GROUP (ORDER BY duration)';

CREATE AGGREGATE median_resolution(interval) (
	SFUNC = kpi_percentile_interval_accum, STYPE = internal,
	FINALFUNC = kpi_percentile_interval_final,
	COMBINEFUNC = kpi_percentile_combine,
	SERIALFUNC = kpi_percentile_serialize, DESERIALFUNC = kpi_percentile_deserialize,
	MSFUNC = kpi_percentile_interval_accum, MINVFUNC = kpi_percentile_interval_inv, MSTYPE = internal,
	MFINALFUNC = kpi_percentile_interval_final,
	PARALLEL = SAFE
);
COMMENT ON AGGREGATE median_resolution(interval) IS 'exact median resolution time of resolution durations >= 0 (same as median(interval))';

CREATE AGGREGATE median_resolution(timestamptz, timestamptz) (
	SFUNC = kpi_percentile_span_accum, STYPE = internal,
	FINALFUNC = kpi_percentile_interval_final,
	COMBINEFUNC = kpi_percentile_combine,
	SERIALFUNC = kpi_percentile_serialize, DESERIALFUNC = kpi_percentile_deserialize,
	MSFUNC = kpi_percentile_span_accum, MINVFUNC = kpi_percentile_span_inv, MSTYPE = internal,
	MFINALFUNC = kpi_percentile_interval_final,
	PARALLEL = SAFE
);
COMMENT ON AGGREGATE median_resolution(timestamptz, timestamptz) IS 'exact median of resolved - opened (opened, resolved); rows with a NULL timestamp (unresolved tickets) are skipped';

CREATE AGGREGATE handle_time_percentile(interval, double precision) (
	SFUNC = kpi_percentile_interval_accum, STYPE = internal,
	FINALFUNC = kpi_percentile_interval_final,
	COMBINEFUNC = kpi_percentile_combine,
	SERIALFUNC = kpi_percentile_serialize, DESERIALFUNC = kpi_percentile_deserialize,
	MSFUNC = kpi_percentile_interval_accum, MINVFUNC = kpi_percentile_interval_inv, MSTYPE = internal,
	MFINALFUNC = kpi_percentile_interval_final,
	PARALLEL = SAFE
);
COMMENT ON AGGREGATE handle_time_percentile(interval, double precision) IS 'exact percentile (handle, fraction 0..1) of handle times >= 0 (same as percentile(interval, fraction))';

-- several fractions from one collection of the values
CREATE FUNCTION kpi_percentiles_float8_accum(internal, double precision, double precision[]) RETURNS internal
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION kpi_percentiles_interval_accum(internal, interval, double precision[]) RETURNS internal
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION kpi_percentiles_float8_inv(internal, double precision, double precision[]) RETURNS internal
	AS 'MODULE_PATHNAME', 'kpi_percentile_float8_inv' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION kpi_percentiles_interval_inv(internal, interval, double precision[]) RETURNS internal
	AS 'MODULE_PATHNAME', 'kpi_percentile_interval_inv' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION kpi_percentiles_float8_final(internal) RETURNS double precision[]
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION kpi_percentiles_interval_final(internal) RETURNS interval[]
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION kpi_percentiles_float8_accum(internal, double precision, double precision[]) IS 'percentiles(double precision, fractions) transition: keeps a finite number, checks the fractions';
COMMENT ON FUNCTION kpi_percentiles_interval_accum(internal, interval, double precision[]) IS 'percentiles(interval, fractions) transition: keeps a duration >= 0, checks the fractions';
COMMENT ON FUNCTION kpi_percentiles_float8_inv(internal, double precision, double precision[]) IS 'moving-aggregate inverse: removes a number';
COMMENT ON FUNCTION kpi_percentiles_interval_inv(internal, interval, double precision[]) IS 'moving-aggregate inverse: removes a duration';
COMMENT ON FUNCTION kpi_percentiles_float8_final(internal) IS 'exact percentiles of numbers at several fractions, as percentile_cont(fractions) computes them';
COMMENT ON FUNCTION kpi_percentiles_interval_final(internal) IS 'exact percentiles of durations at several fractions, as percentile_cont(fractions) computes them';

CREATE AGGREGATE percentiles(double precision, double precision[]) (
	SFUNC = kpi_percentiles_float8_accum, STYPE = internal,
	FINALFUNC = kpi_percentiles_float8_final,
	COMBINEFUNC = kpi_percentile_combine,
	SERIALFUNC = kpi_percentile_serialize, DESERIALFUNC = kpi_percentile_deserialize,
	MSFUNC = kpi_percentiles_float8_accum, MINVFUNC = kpi_percentiles_float8_inv, MSTYPE = internal,
	MFINALFUNC = kpi_percentiles_float8_final,
	PARALLEL = SAFE
);
COMMENT ON AGGREGATE percentiles(double precision, double precision[]) IS 'exact percentiles (value, fractions 0..1, the same array on every row) of finite numbers from one collection, equal to percentile_cont(fractions) WITHIN GROUP (ORDER BY value)';

CREATE AGGREGATE percentiles(interval, double precision[]) (
	SFUNC = kpi_percentiles_interval_accum, STYPE = internal,
	FINALFUNC = kpi_percentiles_interval_final,
	COMBINEFUNC = kpi_percentile_combine,
	SERIALFUNC = kpi_percentile_serialize, DESERIALFUNC = kpi_percentile_deserialize,
	MSFUNC = kpi_percentiles_interval_accum, MINVFUNC = kpi_percentiles_interval_inv, MSTYPE = internal,
	MFINALFUNC = kpi_percentiles_interval_final,
	PARALLEL = SAFE
);
COMMENT ON AGGREGATE percentiles(interval, double precision[]) IS 'exact percentiles (duration, fractions 0..1, the same array on every row) of durations >= 0 from one collection, equal to percentile_cont(fractions) WITHIN GROUP (ORDER BY duration)';

-- distribution-free confidence intervals of exact percentiles: order statistics whose
-- ranks come from the binomial distribution; (fraction, confidence) ride in the
-- percentiles() state as its two-element fractions array
CREATE FUNCTION kpi_percentile_ci_float8_accum(internal, double precision, double precision) RETURNS internal
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION kpi_percentile_ci_float8_accum(internal, double precision, double precision, double precision) RETURNS internal
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION kpi_percentile_ci_interval_accum(internal, interval, double precision) RETURNS internal
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION kpi_percentile_ci_interval_accum(internal, interval, double precision, double precision) RETURNS internal
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION kpi_percentile_float8_inv(internal, double precision, double precision, double precision) RETURNS internal
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION kpi_percentile_interval_inv(internal, interval, double precision, double precision) RETURNS internal
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION kpi_percentile_ci_float8_low(internal) RETURNS double precision
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION kpi_percentile_ci_float8_high(internal) RETURNS double precision
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION kpi_percentile_ci_interval_low(internal) RETURNS interval
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION kpi_percentile_ci_interval_high(internal) RETURNS interval
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION kpi_percentile_ci_float8_accum(internal, double precision, double precision) IS 'median_ci_low/high(double precision, confidence) transition: collects the value';
COMMENT ON FUNCTION kpi_percentile_ci_float8_accum(internal, double precision, double precision, double precision) IS 'percentile_ci_low/high(double precision, fraction, confidence) transition: collects the value';
COMMENT ON FUNCTION kpi_percentile_ci_interval_accum(internal, interval, double precision) IS 'median_ci_low/high(interval, confidence) transition: collects the duration';
COMMENT ON FUNCTION kpi_percentile_ci_interval_accum(internal, interval, double precision, double precision) IS 'percentile_ci_low/high(interval, fraction, confidence) transition: collects the duration';
COMMENT ON FUNCTION kpi_percentile_float8_inv(internal, double precision, double precision, double precision) IS 'moving-aggregate inverse of percentile_ci_low/high(double precision, fraction, confidence)';
COMMENT ON FUNCTION kpi_percentile_interval_inv(internal, interval, double precision, double precision) IS 'moving-aggregate inverse of percentile_ci_low/high(interval, fraction, confidence)';
COMMENT ON FUNCTION kpi_percentile_ci_float8_low(internal) IS 'percentile_ci_low final: the order statistic of the lower binomial rank';
COMMENT ON FUNCTION kpi_percentile_ci_float8_high(internal) IS 'percentile_ci_high final: the order statistic of the upper binomial rank';
COMMENT ON FUNCTION kpi_percentile_ci_interval_low(internal) IS 'percentile_ci_low final for durations: the order statistic of the lower binomial rank';
COMMENT ON FUNCTION kpi_percentile_ci_interval_high(internal) IS 'percentile_ci_high final for durations: the order statistic of the upper binomial rank';

CREATE AGGREGATE percentile_ci_low(double precision, fraction double precision, confidence double precision) (
	SFUNC = kpi_percentile_ci_float8_accum, STYPE = internal, FINALFUNC = kpi_percentile_ci_float8_low,
	COMBINEFUNC = kpi_percentile_combine, SERIALFUNC = kpi_percentile_serialize, DESERIALFUNC = kpi_percentile_deserialize,
	MSFUNC = kpi_percentile_ci_float8_accum, MINVFUNC = kpi_percentile_float8_inv, MSTYPE = internal, MFINALFUNC = kpi_percentile_ci_float8_low,
	PARALLEL = SAFE
);
COMMENT ON AGGREGATE percentile_ci_low(double precision, double precision, double precision) IS 'lower bound of the distribution-free confidence interval of the exact percentile (value, fraction strictly between 0 and 1, confidence) of finite numbers: an order statistic with binomial rank; NULL when the sample is too small for the bound';
CREATE AGGREGATE median_ci_low(double precision, confidence double precision) (
	SFUNC = kpi_percentile_ci_float8_accum, STYPE = internal, FINALFUNC = kpi_percentile_ci_float8_low,
	COMBINEFUNC = kpi_percentile_combine, SERIALFUNC = kpi_percentile_serialize, DESERIALFUNC = kpi_percentile_deserialize,
	MSFUNC = kpi_percentile_ci_float8_accum, MINVFUNC = kpi_percentile_float8_inv, MSTYPE = internal, MFINALFUNC = kpi_percentile_ci_float8_low,
	PARALLEL = SAFE
);
COMMENT ON AGGREGATE median_ci_low(double precision, double precision) IS 'lower bound of the distribution-free confidence interval of the exact median (value, confidence) of finite numbers: an order statistic with binomial rank; NULL when the sample is too small for the bound (fewer than 6 values at 95%)';

CREATE AGGREGATE percentile_ci_low(interval, fraction double precision, confidence double precision) (
	SFUNC = kpi_percentile_ci_interval_accum, STYPE = internal, FINALFUNC = kpi_percentile_ci_interval_low,
	COMBINEFUNC = kpi_percentile_combine, SERIALFUNC = kpi_percentile_serialize, DESERIALFUNC = kpi_percentile_deserialize,
	MSFUNC = kpi_percentile_ci_interval_accum, MINVFUNC = kpi_percentile_interval_inv, MSTYPE = internal, MFINALFUNC = kpi_percentile_ci_interval_low,
	PARALLEL = SAFE
);
COMMENT ON AGGREGATE percentile_ci_low(interval, double precision, double precision) IS 'lower bound of the distribution-free confidence interval of the exact percentile (value, fraction strictly between 0 and 1, confidence) of durations >= 0: an order statistic with binomial rank; NULL when the sample is too small for the bound';
CREATE AGGREGATE median_ci_low(interval, confidence double precision) (
	SFUNC = kpi_percentile_ci_interval_accum, STYPE = internal, FINALFUNC = kpi_percentile_ci_interval_low,
	COMBINEFUNC = kpi_percentile_combine, SERIALFUNC = kpi_percentile_serialize, DESERIALFUNC = kpi_percentile_deserialize,
	MSFUNC = kpi_percentile_ci_interval_accum, MINVFUNC = kpi_percentile_interval_inv, MSTYPE = internal, MFINALFUNC = kpi_percentile_ci_interval_low,
	PARALLEL = SAFE
);
COMMENT ON AGGREGATE median_ci_low(interval, double precision) IS 'lower bound of the distribution-free confidence interval of the exact median (value, confidence) of durations >= 0: an order statistic with binomial rank; NULL when the sample is too small for the bound (fewer than 6 values at 95%)';

CREATE AGGREGATE percentile_ci_high(double precision, fraction double precision, confidence double precision) (
	SFUNC = kpi_percentile_ci_float8_accum, STYPE = internal, FINALFUNC = kpi_percentile_ci_float8_high,
	COMBINEFUNC = kpi_percentile_combine, SERIALFUNC = kpi_percentile_serialize, DESERIALFUNC = kpi_percentile_deserialize,
	MSFUNC = kpi_percentile_ci_float8_accum, MINVFUNC = kpi_percentile_float8_inv, MSTYPE = internal, MFINALFUNC = kpi_percentile_ci_float8_high,
	PARALLEL = SAFE
);
COMMENT ON AGGREGATE percentile_ci_high(double precision, double precision, double precision) IS 'upper bound of the distribution-free confidence interval of the exact percentile (value, fraction strictly between 0 and 1, confidence) of finite numbers: an order statistic with binomial rank; NULL when the sample is too small for the bound';
CREATE AGGREGATE median_ci_high(double precision, confidence double precision) (
	SFUNC = kpi_percentile_ci_float8_accum, STYPE = internal, FINALFUNC = kpi_percentile_ci_float8_high,
	COMBINEFUNC = kpi_percentile_combine, SERIALFUNC = kpi_percentile_serialize, DESERIALFUNC = kpi_percentile_deserialize,
	MSFUNC = kpi_percentile_ci_float8_accum, MINVFUNC = kpi_percentile_float8_inv, MSTYPE = internal, MFINALFUNC = kpi_percentile_ci_float8_high,
	PARALLEL = SAFE
);
COMMENT ON AGGREGATE median_ci_high(double precision, double precision) IS 'upper bound of the distribution-free confidence interval of the exact median (value, confidence) of finite numbers: an order statistic with binomial rank; NULL when the sample is too small for the bound (fewer than 6 values at 95%)';

CREATE AGGREGATE percentile_ci_high(interval, fraction double precision, confidence double precision) (
	SFUNC = kpi_percentile_ci_interval_accum, STYPE = internal, FINALFUNC = kpi_percentile_ci_interval_high,
	COMBINEFUNC = kpi_percentile_combine, SERIALFUNC = kpi_percentile_serialize, DESERIALFUNC = kpi_percentile_deserialize,
	MSFUNC = kpi_percentile_ci_interval_accum, MINVFUNC = kpi_percentile_interval_inv, MSTYPE = internal, MFINALFUNC = kpi_percentile_ci_interval_high,
	PARALLEL = SAFE
);
COMMENT ON AGGREGATE percentile_ci_high(interval, double precision, double precision) IS 'upper bound of the distribution-free confidence interval of the exact percentile (value, fraction strictly between 0 and 1, confidence) of durations >= 0: an order statistic with binomial rank; NULL when the sample is too small for the bound';
CREATE AGGREGATE median_ci_high(interval, confidence double precision) (
	SFUNC = kpi_percentile_ci_interval_accum, STYPE = internal, FINALFUNC = kpi_percentile_ci_interval_high,
	COMBINEFUNC = kpi_percentile_combine, SERIALFUNC = kpi_percentile_serialize, DESERIALFUNC = kpi_percentile_deserialize,
	MSFUNC = kpi_percentile_ci_interval_accum, MINVFUNC = kpi_percentile_interval_inv, MSTYPE = internal, MFINALFUNC = kpi_percentile_ci_interval_high,
	PARALLEL = SAFE
);
COMMENT ON AGGREGATE median_ci_high(interval, double precision) IS 'upper bound of the distribution-free confidence interval of the exact median (value, confidence) of durations >= 0: an order statistic with binomial rank; NULL when the sample is too small for the bound (fewer than 6 values at 95%)';

/*
 * ===========================================================================
 * Durations, sketched: duration_summary (src/sketch.c)
 * ===========================================================================
 */

CREATE TYPE duration_summary;

CREATE FUNCTION kpi_duration_summary_in(cstring) RETURNS duration_summary
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION kpi_duration_summary_out(duration_summary) RETURNS cstring
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION kpi_duration_summary_recv(internal) RETURNS duration_summary
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION kpi_duration_summary_send(duration_summary) RETURNS bytea
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

CREATE TYPE duration_summary (
	INPUT = kpi_duration_summary_in,
	OUTPUT = kpi_duration_summary_out,
	RECEIVE = kpi_duration_summary_recv,
	SEND = kpi_duration_summary_send,
	INTERNALLENGTH = VARIABLE,
	ALIGNMENT = double,
	STORAGE = extended
);
COMMENT ON TYPE duration_summary IS 'mergeable sketch of durations: relative-error log buckets with exact count, sum, min and max; text form v1:a=..,n=..,z=..,sum=..,min=..,max=..;index:count,...';

COMMENT ON FUNCTION kpi_duration_summary_in(cstring) IS 'duration_summary input: parses and validates the v1 text form';
COMMENT ON FUNCTION kpi_duration_summary_out(duration_summary) IS 'duration_summary output: the v1 text form';
COMMENT ON FUNCTION kpi_duration_summary_recv(internal) IS 'duration_summary binary input, validated';
COMMENT ON FUNCTION kpi_duration_summary_send(duration_summary) IS 'duration_summary binary output';

-- transition, inverse, combine and final functions (not for direct use)
CREATE FUNCTION kpi_sketch_accum(duration_summary, interval) RETURNS duration_summary
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION kpi_sketch_accum_seconds(duration_summary, double precision) RETURNS duration_summary
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION kpi_sketch_accum_alpha(duration_summary, interval, double precision) RETURNS duration_summary
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION kpi_sketch_inv(duration_summary, interval) RETURNS duration_summary
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION kpi_sketch_inv_seconds(duration_summary, double precision) RETURNS duration_summary
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION kpi_sketch_inv_alpha(duration_summary, interval, double precision) RETURNS duration_summary
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION kpi_sketch_combine(duration_summary, duration_summary) RETURNS duration_summary
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION kpi_sketch_uncombine(duration_summary, duration_summary) RETURNS duration_summary
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION kpi_sketch_final(duration_summary) RETURNS duration_summary
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION kpi_sketch_accum(duration_summary, interval) IS 'duration_agg transition: adds a duration';
COMMENT ON FUNCTION kpi_sketch_accum_seconds(duration_summary, double precision) IS 'duration_agg transition: adds a duration in seconds';
COMMENT ON FUNCTION kpi_sketch_accum_alpha(duration_summary, interval, double precision) IS 'duration_agg(interval, relative_error) transition: adds a duration';
COMMENT ON FUNCTION kpi_sketch_inv(duration_summary, interval) IS 'moving-aggregate inverse of duration_agg(interval); NULL asks for recomputation when the value is the minimum or maximum';
COMMENT ON FUNCTION kpi_sketch_inv_seconds(duration_summary, double precision) IS 'moving-aggregate inverse of duration_agg(double precision)';
COMMENT ON FUNCTION kpi_sketch_inv_alpha(duration_summary, interval, double precision) IS 'moving-aggregate inverse of duration_agg(interval, relative_error)';
COMMENT ON FUNCTION kpi_sketch_combine(duration_summary, duration_summary) IS 'merges two duration summaries (rollup, parallel combine)';
COMMENT ON FUNCTION kpi_sketch_uncombine(duration_summary, duration_summary) IS 'moving-aggregate inverse of rollup(duration_summary); NULL asks for recomputation when the removed summary holds the minimum or maximum';
COMMENT ON FUNCTION kpi_sketch_final(duration_summary) IS 'duration_agg and rollup final: the canonical compact summary, NULL without values';

-- accessors
CREATE FUNCTION percentile(duration_summary, fraction double precision) RETURNS interval
	AS 'MODULE_PATHNAME', 'kpi_sketch_percentile' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION percentile(duration_summary, double precision) IS 'estimated duration at rank max(1, ceil(fraction * n)), as percentile_disc, within the summary''s relative error; NULL when empty';
CREATE FUNCTION percentiles(duration_summary, fractions double precision[]) RETURNS interval[]
	AS 'MODULE_PATHNAME', 'kpi_sketch_percentiles' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION percentiles(duration_summary, double precision[]) IS 'estimated durations at several fractions, an array of the same shape; NULL when empty';
CREATE FUNCTION median(duration_summary) RETURNS interval
	AS 'MODULE_PATHNAME', 'kpi_sketch_median' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION median(duration_summary) IS 'estimated median duration (percentile 0.5) within the summary''s relative error; NULL when empty';
CREATE FUNCTION mean(duration_summary) RETURNS interval
	AS 'MODULE_PATHNAME', 'kpi_sketch_mean' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION mean(duration_summary) IS 'exact mean duration, rounded to the microsecond; NULL when empty';
CREATE FUNCTION total(duration_summary) RETURNS interval
	AS 'MODULE_PATHNAME', 'kpi_sketch_total' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION total(duration_summary) IS 'exact sum of the durations; NULL when empty';
CREATE FUNCTION num_values(duration_summary) RETURNS bigint
	AS 'MODULE_PATHNAME', 'kpi_sketch_num_values' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION num_values(duration_summary) IS 'number of durations summarized';
CREATE FUNCTION min_value(duration_summary) RETURNS interval
	AS 'MODULE_PATHNAME', 'kpi_sketch_min_value' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION min_value(duration_summary) IS 'exact shortest duration; NULL when empty';
CREATE FUNCTION max_value(duration_summary) RETURNS interval
	AS 'MODULE_PATHNAME', 'kpi_sketch_max_value' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION max_value(duration_summary) IS 'exact longest duration; NULL when empty';
CREATE FUNCTION relative_error(duration_summary) RETURNS double precision
	AS 'MODULE_PATHNAME', 'kpi_sketch_relative_error' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION relative_error(duration_summary) IS 'the relative error guaranteed for every percentile of the summary';

-- aggregates
CREATE AGGREGATE duration_agg(interval) (
	SFUNC = kpi_sketch_accum, STYPE = duration_summary, FINALFUNC = kpi_sketch_final,
	COMBINEFUNC = kpi_sketch_combine,
	MSFUNC = kpi_sketch_accum, MINVFUNC = kpi_sketch_inv, MSTYPE = duration_summary,
	MFINALFUNC = kpi_sketch_final,
	PARALLEL = SAFE
);
COMMENT ON AGGREGATE duration_agg(interval) IS 'sketch of durations with relative error 1%, for percentile(), median(), mean() and rollup()';

CREATE AGGREGATE duration_agg(double precision) (
	SFUNC = kpi_sketch_accum_seconds, STYPE = duration_summary, FINALFUNC = kpi_sketch_final,
	COMBINEFUNC = kpi_sketch_combine,
	MSFUNC = kpi_sketch_accum_seconds, MINVFUNC = kpi_sketch_inv_seconds, MSTYPE = duration_summary,
	MFINALFUNC = kpi_sketch_final,
	PARALLEL = SAFE
);
COMMENT ON AGGREGATE duration_agg(double precision) IS 'sketch of durations given in seconds (rounded to the microsecond) with relative error 1%';

CREATE AGGREGATE duration_agg(interval, relative_error double precision) (
	SFUNC = kpi_sketch_accum_alpha, STYPE = duration_summary, FINALFUNC = kpi_sketch_final,
	COMBINEFUNC = kpi_sketch_combine,
	MSFUNC = kpi_sketch_accum_alpha, MINVFUNC = kpi_sketch_inv_alpha, MSTYPE = duration_summary,
	MFINALFUNC = kpi_sketch_final,
	PARALLEL = SAFE
);
COMMENT ON AGGREGATE duration_agg(interval, double precision) IS 'sketch of durations with the given relative error, from 0.0001 to less than 0.5';

CREATE AGGREGATE rollup(duration_summary) (
	SFUNC = kpi_sketch_combine, STYPE = duration_summary, FINALFUNC = kpi_sketch_final,
	COMBINEFUNC = kpi_sketch_combine,
	MSFUNC = kpi_sketch_combine, MINVFUNC = kpi_sketch_uncombine, MSTYPE = duration_summary,
	MFINALFUNC = kpi_sketch_final,
	PARALLEL = SAFE
);
COMMENT ON AGGREGATE rollup(duration_summary) IS 'merges duration summaries of the same relative error, such as daily ones into a month';

-- operators: incremental summaries
CREATE FUNCTION kpi_sketch_plus(duration_summary, duration_summary) RETURNS duration_summary
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION kpi_sketch_plus(duration_summary, duration_summary) IS 'a + b: the summary of the durations of both, equal to rollup() over the two; NULL counts as no durations (no -: the exact minimum and maximum cannot be kept when values leave)';
CREATE OPERATOR + (
	LEFTARG = duration_summary, RIGHTARG = duration_summary, FUNCTION = kpi_sketch_plus,
	COMMUTATOR = +
);
COMMENT ON OPERATOR + (duration_summary, duration_summary) IS 'the summary of the durations of both: rollup() of the two';

/*
 * ===========================================================================
 * Business hours: business_calendar, business_duration, business_add,
 * is_business_time (src/calendar.c)
 *
 * The functions depend on the calendar's own time zone, never on the
 * session's, so they are IMMUTABLE like timezone(text, timestamptz).
 * ===========================================================================
 */

CREATE TYPE business_calendar;

CREATE FUNCTION kpi_calendar_in(cstring) RETURNS business_calendar
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION kpi_calendar_out(business_calendar) RETURNS cstring
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION kpi_calendar_recv(internal) RETURNS business_calendar
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION kpi_calendar_send(business_calendar) RETURNS bytea
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION kpi_calendar_in(cstring) IS 'business_calendar input: parses weekday ranges, tz= and holidays=';
COMMENT ON FUNCTION kpi_calendar_out(business_calendar) IS 'business_calendar output: the canonical text form';
COMMENT ON FUNCTION kpi_calendar_recv(internal) IS 'business_calendar binary input, every byte validated';
COMMENT ON FUNCTION kpi_calendar_send(business_calendar) IS 'business_calendar binary output';

CREATE TYPE business_calendar (
	INPUT = kpi_calendar_in,
	OUTPUT = kpi_calendar_out,
	RECEIVE = kpi_calendar_recv,
	SEND = kpi_calendar_send,
	INTERNALLENGTH = VARIABLE,
	ALIGNMENT = int4,
	STORAGE = extended
);
COMMENT ON TYPE business_calendar IS 'weekly working hours in a time zone with holidays, e.g. ''mon-fri 09:00-17:00; tz=Europe/Berlin; holidays=2026-12-25''';

CREATE FUNCTION kpi_calendar_eq(business_calendar, business_calendar) RETURNS boolean
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION kpi_calendar_ne(business_calendar, business_calendar) RETURNS boolean
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION kpi_calendar_eq(business_calendar, business_calendar) IS 'business_calendar equality: identical canonical forms';
COMMENT ON FUNCTION kpi_calendar_ne(business_calendar, business_calendar) IS 'business_calendar inequality: different canonical forms';

CREATE OPERATOR = (
	LEFTARG = business_calendar, RIGHTARG = business_calendar,
	FUNCTION = kpi_calendar_eq, COMMUTATOR = =, NEGATOR = <>,
	RESTRICT = eqsel, JOIN = eqjoinsel
);
CREATE OPERATOR <> (
	LEFTARG = business_calendar, RIGHTARG = business_calendar,
	FUNCTION = kpi_calendar_ne, COMMUTATOR = <>, NEGATOR = =,
	RESTRICT = neqsel, JOIN = neqjoinsel
);
COMMENT ON OPERATOR = (business_calendar, business_calendar) IS 'equal: the calendars have the same canonical form';
COMMENT ON OPERATOR <> (business_calendar, business_calendar) IS 'not equal: the calendars have different canonical forms';

CREATE FUNCTION business_duration(start timestamptz, finish timestamptz, calendar business_calendar)
	RETURNS interval
	AS 'MODULE_PATHNAME', 'kpi_calendar_duration' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION business_duration(timestamptz, timestamptz, business_calendar) IS 'working time between two instants in the calendar, as an interval of hours; start > finish is an error';

CREATE FUNCTION business_add(start timestamptz, duration interval, calendar business_calendar)
	RETURNS timestamptz
	AS 'MODULE_PATHNAME', 'kpi_calendar_add' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION business_add(timestamptz, interval, business_calendar) IS 'earliest instant at which duration of working time has elapsed since start (SLA due time)';

CREATE FUNCTION is_business_time(ts timestamptz, calendar business_calendar)
	RETURNS boolean
	AS 'MODULE_PATHNAME', 'kpi_calendar_is_business_time' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION is_business_time(timestamptz, business_calendar) IS 'whether the instant is working time: its local time is in a range (start inclusive, end exclusive) on a non-holiday';

/*
 * ===========================================================================
 * Contact centre: service level and abandonment over rate_summary (src/contact.c)
 * ===========================================================================
 */

-- transition and inverse functions (not for direct use); combine, rollup and
-- final functions are the rate family's
CREATE FUNCTION kpi_service_level_accum(rate_summary, interval, boolean, interval) RETURNS rate_summary
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION kpi_service_level_accum(rate_summary, interval, boolean, interval, interval) RETURNS rate_summary
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION kpi_service_level_inv(rate_summary, interval, boolean, interval) RETURNS rate_summary
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION kpi_service_level_inv(rate_summary, interval, boolean, interval, interval) RETURNS rate_summary
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION kpi_abandonment_accum(rate_summary, interval, boolean, interval) RETURNS rate_summary
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION kpi_abandonment_inv(rate_summary, interval, boolean, interval) RETURNS rate_summary
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION kpi_service_level_accum(rate_summary, interval, boolean, interval) IS 'service_level transition: counts a contact as offered, and as a hit when answered with wait <= threshold';
COMMENT ON FUNCTION kpi_service_level_accum(rate_summary, interval, boolean, interval, interval) IS 'service_level transition: counts an offered contact (answered, or wait >= short_abandon), and a hit when answered with wait <= threshold';
COMMENT ON FUNCTION kpi_service_level_inv(rate_summary, interval, boolean, interval) IS 'moving-aggregate inverse of service_level(wait, answered, threshold)';
COMMENT ON FUNCTION kpi_service_level_inv(rate_summary, interval, boolean, interval, interval) IS 'moving-aggregate inverse of service_level(wait, answered, threshold, short_abandon)';
COMMENT ON FUNCTION kpi_abandonment_accum(rate_summary, interval, boolean, interval) IS 'abandonment_rate transition: counts an offered contact (answered, or wait >= short_abandon), and a hit when not answered';
COMMENT ON FUNCTION kpi_abandonment_inv(rate_summary, interval, boolean, interval) IS 'moving-aggregate inverse of abandonment_rate(wait, answered, short_abandon)';

-- summaries for materialized views: rate(rollup(...)) reads the KPI back
CREATE AGGREGATE service_level_agg(wait interval, answered boolean, threshold interval) (
	SFUNC = kpi_service_level_accum, STYPE = rate_summary,
	COMBINEFUNC = kpi_rate_combine,
	MSFUNC = kpi_service_level_accum, MINVFUNC = kpi_service_level_inv, MSTYPE = rate_summary,
	PARALLEL = SAFE
);
COMMENT ON AGGREGATE service_level_agg(interval, boolean, interval) IS 'service level summary: hits = answered within threshold, trials = offered contacts; for rate() and rollup()';

CREATE AGGREGATE service_level_agg(wait interval, answered boolean, threshold interval, short_abandon interval) (
	SFUNC = kpi_service_level_accum, STYPE = rate_summary,
	COMBINEFUNC = kpi_rate_combine,
	MSFUNC = kpi_service_level_accum, MINVFUNC = kpi_service_level_inv, MSTYPE = rate_summary,
	PARALLEL = SAFE
);
COMMENT ON AGGREGATE service_level_agg(interval, boolean, interval, interval) IS 'service level summary: hits = answered within threshold, trials = offered contacts (abandons before short_abandon excluded); for rate() and rollup()';

CREATE AGGREGATE abandonment_agg(wait interval, answered boolean, short_abandon interval) (
	SFUNC = kpi_abandonment_accum, STYPE = rate_summary,
	COMBINEFUNC = kpi_rate_combine,
	MSFUNC = kpi_abandonment_accum, MINVFUNC = kpi_abandonment_inv, MSTYPE = rate_summary,
	PARALLEL = SAFE
);
COMMENT ON AGGREGATE abandonment_agg(interval, boolean, interval) IS 'abandonment summary: hits = abandoned after short_abandon, trials = offered contacts; for rate() and rollup()';

-- one-step aggregates
CREATE AGGREGATE service_level(wait interval, answered boolean, threshold interval) (
	SFUNC = kpi_service_level_accum, STYPE = rate_summary, FINALFUNC = rate,
	COMBINEFUNC = kpi_rate_combine,
	MSFUNC = kpi_service_level_accum, MINVFUNC = kpi_service_level_inv, MSTYPE = rate_summary,
	MFINALFUNC = rate,
	PARALLEL = SAFE
);
COMMENT ON AGGREGATE service_level(interval, boolean, interval) IS 'service level 0..100: 100 * contacts answered with wait <= threshold / contacts';

CREATE AGGREGATE service_level(wait interval, answered boolean, threshold interval, short_abandon interval) (
	SFUNC = kpi_service_level_accum, STYPE = rate_summary, FINALFUNC = rate,
	COMBINEFUNC = kpi_rate_combine,
	MSFUNC = kpi_service_level_accum, MINVFUNC = kpi_service_level_inv, MSTYPE = rate_summary,
	MFINALFUNC = rate,
	PARALLEL = SAFE
);
COMMENT ON AGGREGATE service_level(interval, boolean, interval, interval) IS 'service level 0..100: 100 * contacts answered with wait <= threshold / offered contacts, where abandons with wait < short_abandon are not offered';

CREATE AGGREGATE abandonment_rate(wait interval, answered boolean, short_abandon interval) (
	SFUNC = kpi_abandonment_accum, STYPE = rate_summary, FINALFUNC = rate,
	COMBINEFUNC = kpi_rate_combine,
	MSFUNC = kpi_abandonment_accum, MINVFUNC = kpi_abandonment_inv, MSTYPE = rate_summary,
	MFINALFUNC = rate,
	PARALLEL = SAFE
);
COMMENT ON AGGREGATE abandonment_rate(interval, boolean, interval) IS 'abandonment rate 0..100: 100 * contacts not answered with wait >= short_abandon / offered contacts, where abandons with wait < short_abandon are not offered';

/*
 * ===========================================================================
 * Erlang C and Erlang A staffing (src/erlang.c)
 * ===========================================================================
 */

CREATE FUNCTION erlang_c(arrivals double precision, aht interval, period interval, agents integer)
	RETURNS double precision
	AS 'MODULE_PATHNAME', 'kpi_erlang_c' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION erlang_c(double precision, interval, interval, integer) IS 'Erlang C probability 0..1 that a contact waits, for arrivals per period, average handle time and agents; 1 in an overloaded period (agents <= arrivals * aht / period, or no agents), 0 without traffic; ignores abandonment';

CREATE FUNCTION erlang_service_level(arrivals double precision, aht interval, period interval, agents integer, threshold interval)
	RETURNS numeric
	AS 'MODULE_PATHNAME', 'kpi_erlang_service_level' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION erlang_service_level(double precision, interval, interval, integer, interval) IS 'Erlang C service level 0..100: 100 * (1 - C * exp(-(agents - A) * threshold / aht)), the share of contacts answered within threshold; 0 in an overloaded period, 100 without traffic; ignores abandonment';

CREATE FUNCTION erlang_asa(arrivals double precision, aht interval, period interval, agents integer)
	RETURNS interval
	AS 'MODULE_PATHNAME', 'kpi_erlang_asa' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION erlang_asa(double precision, interval, interval, integer) IS 'Erlang C average speed of answer: C * aht / (agents - A); NULL (unbounded) in an overloaded period; ignores abandonment';

CREATE FUNCTION erlang_agents(arrivals double precision, aht interval, period interval,
							  target_service_level numeric, threshold interval,
							  shrinkage double precision DEFAULT 0)
	RETURNS integer
	AS 'MODULE_PATHNAME', 'kpi_erlang_agents' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION erlang_agents(double precision, interval, interval, numeric, interval, double precision) IS 'smallest number of agents whose Erlang C service level reaches target_service_level (a percentage, 1 < target < 100) within threshold, divided by 1 - shrinkage and rounded up; 0 without traffic';

-- Erlang A (M/M/N+M): contacts abandon after an exponential patience of the given mean
CREATE FUNCTION erlang_a_service_level(arrivals double precision, aht interval, period interval, agents integer,
									   threshold interval, patience interval)
	RETURNS numeric
	AS 'MODULE_PATHNAME', 'kpi_erlang_a_service_level' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION erlang_a_service_level(double precision, interval, interval, integer, interval, interval) IS 'Erlang A service level 0..100: the share of offered contacts answered within threshold when waiting contacts abandon after an exponential patience of mean patience; any number of agents';
CREATE FUNCTION erlang_a_abandonment(arrivals double precision, aht interval, period interval, agents integer,
									 patience interval)
	RETURNS numeric
	AS 'MODULE_PATHNAME', 'kpi_erlang_a_abandonment' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION erlang_a_abandonment(double precision, interval, interval, integer, interval) IS 'Erlang A abandonment 0..100: the share of offered contacts that hang up before an agent answers, for an exponential patience of mean patience';
CREATE FUNCTION erlang_a_asa(arrivals double precision, aht interval, period interval, agents integer,
							 patience interval)
	RETURNS interval
	AS 'MODULE_PATHNAME', 'kpi_erlang_a_asa' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION erlang_a_asa(double precision, interval, interval, integer, interval) IS 'Erlang A average speed of answer: the mean wait of the answered contacts, for an exponential patience of mean patience; NULL without agents';
CREATE FUNCTION erlang_a_agents(arrivals double precision, aht interval, period interval,
								target_service_level numeric, threshold interval, patience interval,
								shrinkage double precision DEFAULT 0)
	RETURNS integer
	AS 'MODULE_PATHNAME', 'kpi_erlang_a_agents' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION erlang_a_agents(double precision, interval, interval, numeric, interval, interval, double precision) IS 'smallest number of agents whose Erlang A service level reaches target_service_level (a percentage, 1 < target < 100) within threshold, for an exponential patience of mean patience, divided by 1 - shrinkage and rounded up; 0 without traffic';

/*
 * ===========================================================================
 * Business formulas: retention rate, customer lifetime value, cost per
 * contact (src/business.c)
 * ===========================================================================
 */

CREATE FUNCTION retention_rate(customers_start numeric, customers_end numeric, new_customers numeric)
	RETURNS numeric
	AS 'MODULE_PATHNAME', 'kpi_retention_rate' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION retention_rate(numeric, numeric, numeric) IS 'customer retention rate 0..100: 100 * (customers_end - new_customers) / customers_start; NULL when customers_start is 0';

CREATE FUNCTION clv(avg_revenue numeric, avg_lifespan numeric)
	RETURNS numeric
	AS 'MODULE_PATHNAME', 'kpi_clv' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION clv(numeric, numeric) IS 'customer lifetime value: average revenue per customer and period * average lifespan in periods';

CREATE FUNCTION cost_per_contact(total_cost numeric, contacts numeric)
	RETURNS numeric
	AS 'MODULE_PATHNAME', 'kpi_cost_per_contact' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION cost_per_contact(numeric, numeric) IS 'cost per contact: total_cost / contacts; NULL when contacts is 0';

/*
 * ===========================================================================
 * Ticket flow and backlog over time (src/flow.c)
 * ===========================================================================
 */

CREATE TYPE ticket_flow;

CREATE FUNCTION kpi_ticket_flow_in(cstring) RETURNS ticket_flow
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION kpi_ticket_flow_out(ticket_flow) RETURNS cstring
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION kpi_ticket_flow_recv(internal) RETURNS ticket_flow
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION kpi_ticket_flow_send(ticket_flow) RETURNS bytea
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION kpi_ticket_flow_in(cstring) IS 'ticket_flow text input: reads and validates v1:<bucket>;<zone>;<first bucket>;<counts>';
COMMENT ON FUNCTION kpi_ticket_flow_out(ticket_flow) IS 'ticket_flow text output, empty buckets at the ends dropped';
COMMENT ON FUNCTION kpi_ticket_flow_recv(internal) IS 'ticket_flow binary input: reads and validates the version byte and every field';
COMMENT ON FUNCTION kpi_ticket_flow_send(ticket_flow) IS 'ticket_flow binary output: version byte, bucket, zone, first bucket, counts';

CREATE TYPE ticket_flow (
	INPUT = kpi_ticket_flow_in,
	OUTPUT = kpi_ticket_flow_out,
	RECEIVE = kpi_ticket_flow_recv,
	SEND = kpi_ticket_flow_send,
	INTERNALLENGTH = VARIABLE,
	ALIGNMENT = double,
	STORAGE = extended
);
COMMENT ON TYPE ticket_flow IS 'tickets opened and closed per time bucket; text form v1:<bucket>;<time zone>;<first bucket>;<opened>/<closed>,~<empty buckets>,...';

-- transition, inverse, combine and final functions (not for direct use)
CREATE FUNCTION kpi_flow_accum(ticket_flow, timestamptz, timestamptz, interval) RETURNS ticket_flow
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION kpi_flow_tz_accum(ticket_flow, timestamptz, timestamptz, interval, text) RETURNS ticket_flow
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION kpi_flow_inv(ticket_flow, timestamptz, timestamptz, interval) RETURNS ticket_flow
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION kpi_flow_tz_inv(ticket_flow, timestamptz, timestamptz, interval, text) RETURNS ticket_flow
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION kpi_flow_combine(ticket_flow, ticket_flow) RETURNS ticket_flow
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION kpi_flow_uncombine(ticket_flow, ticket_flow) RETURNS ticket_flow
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION kpi_flow_final(ticket_flow) RETURNS ticket_flow
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION kpi_flow_accum(ticket_flow, timestamptz, timestamptz, interval) IS 'ticket_flow_agg transition: counts a ticket in the UTC buckets of its opened and closed timestamps';
COMMENT ON FUNCTION kpi_flow_tz_accum(ticket_flow, timestamptz, timestamptz, interval, text) IS 'ticket_flow_agg transition: counts a ticket in the local buckets of its opened and closed timestamps';
COMMENT ON FUNCTION kpi_flow_inv(ticket_flow, timestamptz, timestamptz, interval) IS 'moving-aggregate inverse: removes a ticket';
COMMENT ON FUNCTION kpi_flow_tz_inv(ticket_flow, timestamptz, timestamptz, interval, text) IS 'moving-aggregate inverse: removes a ticket';
COMMENT ON FUNCTION kpi_flow_combine(ticket_flow, ticket_flow) IS 'merges two ticket flows with the same buckets (rollup, parallel combine)';
COMMENT ON FUNCTION kpi_flow_uncombine(ticket_flow, ticket_flow) IS 'moving-aggregate inverse of rollup(ticket_flow)';
COMMENT ON FUNCTION kpi_flow_final(ticket_flow) IS 'ticket_flow final: drops empty buckets at both ends; NULL without tickets';

CREATE AGGREGATE ticket_flow_agg(opened timestamptz, closed timestamptz, bucket interval) (
	SFUNC = kpi_flow_accum, STYPE = ticket_flow, FINALFUNC = kpi_flow_final,
	COMBINEFUNC = kpi_flow_combine,
	MSFUNC = kpi_flow_accum, MINVFUNC = kpi_flow_inv, MSTYPE = ticket_flow, MFINALFUNC = kpi_flow_final,
	PARALLEL = SAFE
);
COMMENT ON AGGREGATE ticket_flow_agg(timestamptz, timestamptz, interval) IS 'tickets opened and closed per bucket (1 hour .. 24 hours, 1 day, 1 week) in UTC, for backlog_series(); a NULL closed means still open';

CREATE AGGREGATE ticket_flow_agg(opened timestamptz, closed timestamptz, bucket interval, tz text) (
	SFUNC = kpi_flow_tz_accum, STYPE = ticket_flow, FINALFUNC = kpi_flow_final,
	COMBINEFUNC = kpi_flow_combine,
	MSFUNC = kpi_flow_tz_accum, MINVFUNC = kpi_flow_tz_inv, MSTYPE = ticket_flow, MFINALFUNC = kpi_flow_final,
	PARALLEL = SAFE
);
COMMENT ON AGGREGATE ticket_flow_agg(timestamptz, timestamptz, interval, text) IS 'tickets opened and closed per bucket; days start at local midnight in tz, weeks on Monday; a NULL closed means still open';

CREATE AGGREGATE rollup(ticket_flow) (
	SFUNC = kpi_flow_combine, STYPE = ticket_flow, FINALFUNC = kpi_flow_final,
	COMBINEFUNC = kpi_flow_combine,
	MSFUNC = kpi_flow_combine, MINVFUNC = kpi_flow_uncombine, MSTYPE = ticket_flow, MFINALFUNC = kpi_flow_final,
	PARALLEL = SAFE
);
COMMENT ON AGGREGATE rollup(ticket_flow) IS 'merges ticket flows with the same buckets, such as per-team flows into one';

-- operators: incremental summaries
CREATE FUNCTION kpi_flow_plus(ticket_flow, ticket_flow) RETURNS ticket_flow
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION kpi_flow_plus(ticket_flow, ticket_flow) IS 'a + b: the summary of the tickets of both, equal to rollup() over the two; NULL counts as no tickets';
CREATE FUNCTION kpi_flow_minus(ticket_flow, ticket_flow) RETURNS ticket_flow
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION kpi_flow_minus(ticket_flow, ticket_flow) IS 'a - b: the summary of the tickets of a without those of b, so (a + b) - b = a; NULL when none is left; an error when b holds tickets a does not';
CREATE OPERATOR + (
	LEFTARG = ticket_flow, RIGHTARG = ticket_flow, FUNCTION = kpi_flow_plus,
	COMMUTATOR = +
);
COMMENT ON OPERATOR + (ticket_flow, ticket_flow) IS 'the summary of the tickets of both: rollup() of the two';
CREATE OPERATOR - (
	LEFTARG = ticket_flow, RIGHTARG = ticket_flow, FUNCTION = kpi_flow_minus
);
COMMENT ON OPERATOR - (ticket_flow, ticket_flow) IS 'the summary of the tickets of the left one without those of the right one; (a + b) - b = a';

CREATE FUNCTION backlog_series(flow ticket_flow, "from" timestamptz, "to" timestamptz,
							   OUT bucket_start timestamptz, OUT opened bigint, OUT closed bigint, OUT backlog bigint)
	RETURNS SETOF record
	AS 'MODULE_PATHNAME', 'kpi_backlog_series' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE ROWS 100;
COMMENT ON FUNCTION backlog_series(ticket_flow, timestamptz, timestamptz) IS 'one row per bucket starting in [from, to]: tickets opened and closed in it, and the backlog open at its end (tickets opened before from included)';

/*
 * ===========================================================================
 * Aging reports: age buckets (src/aging.c)
 * ===========================================================================
 */

CREATE FUNCTION age_bucket(age interval) RETURNS text
	AS 'MODULE_PATHNAME', 'kpi_age_bucket' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION age_bucket(interval) IS 'aging label that sorts in age order: 1: 0-1d, 2: 1-3d, 3: 3-7d, 4: 7-14d, 5: 14-30d, 6: 30d+';
CREATE FUNCTION age_bucket(age interval, bounds interval[]) RETURNS text
	AS 'MODULE_PATHNAME', 'kpi_age_bucket_bounds' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION age_bucket(interval, interval[]) IS 'aging label for increasing upper bounds, numbered so that it sorts in age order, such as 2: 4h-1d';

/*
 * ===========================================================================
 * Ticket histories: time in status, SLA clocks that pause (src/timeline.c)
 * ===========================================================================
 */

CREATE TYPE timeline;

CREATE FUNCTION kpi_timeline_in(cstring) RETURNS timeline
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION kpi_timeline_out(timeline) RETURNS cstring
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION kpi_timeline_recv(internal) RETURNS timeline
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION kpi_timeline_send(timeline) RETURNS bytea
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION kpi_timeline_in(cstring) IS 'timeline text input: reads and validates v1:<instant> [#<seq> ]"<state>", ... (instants in UTC, any order, duplicates merged)';
COMMENT ON FUNCTION kpi_timeline_out(timeline) IS 'timeline text output: the events in order, instants in UTC';
COMMENT ON FUNCTION kpi_timeline_recv(internal) IS 'timeline binary input: reads and validates the version byte, the labels and every event';
COMMENT ON FUNCTION kpi_timeline_send(timeline) IS 'timeline binary output: version byte, labels, events (instant, seq flag, seq, label index)';

CREATE TYPE timeline (
	INPUT = kpi_timeline_in,
	OUTPUT = kpi_timeline_out,
	RECEIVE = kpi_timeline_recv,
	SEND = kpi_timeline_send,
	INTERNALLENGTH = VARIABLE,
	ALIGNMENT = double,
	STORAGE = extended
);
COMMENT ON TYPE timeline IS 'history of one entity as (instant, state [, seq]) events, mergeable; text form v1:<instant UTC> [#<seq> ]"<state>", ...';

-- transition, combine and final functions (not for direct use)
CREATE FUNCTION kpi_timeline_accum(timeline, timestamptz, text) RETURNS timeline
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION kpi_timeline_accum_seq(timeline, timestamptz, text, bigint) RETURNS timeline
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION kpi_timeline_combine(timeline, timeline) RETURNS timeline
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION kpi_timeline_final(timeline) RETURNS timeline
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION kpi_timeline_accum(timeline, timestamptz, text) IS 'timeline_agg transition: adds an event (at, state); NULL at or state skips the row';
COMMENT ON FUNCTION kpi_timeline_accum_seq(timeline, timestamptz, text, bigint) IS 'timeline_agg(at, state, seq) transition: adds an event; a NULL seq is an event without seq';
COMMENT ON FUNCTION kpi_timeline_combine(timeline, timeline) IS 'merges two timelines: the union of their events (rollup, parallel combine)';
COMMENT ON FUNCTION kpi_timeline_final(timeline) IS 'timeline_agg and rollup final: the canonical compact form; NULL without events';

CREATE FUNCTION kpi_timeline_plus(timeline, timeline) RETURNS timeline
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION kpi_timeline_plus(timeline, timeline) IS 'implementation of timeline + timeline';
CREATE OPERATOR + (
	LEFTARG = timeline, RIGHTARG = timeline, FUNCTION = kpi_timeline_plus, COMMUTATOR = +
);
COMMENT ON OPERATOR + (timeline, timeline) IS 'a + b: the union of the events, equal to rollup over both (commutative, associative)';

-- SSPACE: a ticket's history in the accumulating form is a few hundred bytes; with
-- the default estimate the planner hashes a million tickets in work_mem and spills
CREATE AGGREGATE timeline_agg(at timestamptz, state text) (
	SFUNC = kpi_timeline_accum, STYPE = timeline, SSPACE = 400, FINALFUNC = kpi_timeline_final,
	COMBINEFUNC = kpi_timeline_combine,
	PARALLEL = SAFE
);
COMMENT ON AGGREGATE timeline_agg(timestamptz, text) IS 'history of one entity (GROUP BY it) from its state changes, in any input order; events at one instant ordered by state label in byte order';

CREATE AGGREGATE timeline_agg(at timestamptz, state text, seq bigint) (
	SFUNC = kpi_timeline_accum_seq, STYPE = timeline, SSPACE = 400, FINALFUNC = kpi_timeline_final,
	COMBINEFUNC = kpi_timeline_combine,
	PARALLEL = SAFE
);
COMMENT ON AGGREGATE timeline_agg(timestamptz, text, bigint) IS 'history of one entity; seq (such as the audit event id) orders events at one instant, events without seq first';

CREATE AGGREGATE rollup(timeline) (
	SFUNC = kpi_timeline_combine, STYPE = timeline, SSPACE = 400, FINALFUNC = kpi_timeline_final,
	COMBINEFUNC = kpi_timeline_combine,
	PARALLEL = SAFE
);
COMMENT ON AGGREGATE rollup(timeline) IS 'merges partial histories of one entity (days, parallel workers) into the one-step timeline, byte for byte';

-- time in states
CREATE FUNCTION duration_in(tl timeline, states text[]) RETURNS interval
	AS 'MODULE_PATHNAME', 'kpi_timeline_duration_in' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION duration_in(timeline, text[]) IS 'time spent in any of states from the first to the last event (the open last segment counts 0)';
CREATE FUNCTION duration_in(tl timeline, states text[], calendar business_calendar) RETURNS interval
	AS 'MODULE_PATHNAME', 'kpi_timeline_duration_in_cal' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION duration_in(timeline, text[], business_calendar) IS 'working time spent in any of states from the first to the last event; 0 when all of it lies outside business hours';
CREATE FUNCTION duration_in(tl timeline, states text[], "until" timestamptz) RETURNS interval
	AS 'MODULE_PATHNAME', 'kpi_timeline_duration_in_until' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION duration_in(timeline, text[], timestamptz) IS 'time spent in any of states up to until, the state in force then running until it (open tickets); later events ignored';
CREATE FUNCTION duration_in(tl timeline, states text[], "until" timestamptz, calendar business_calendar) RETURNS interval
	AS 'MODULE_PATHNAME', 'kpi_timeline_duration_in_until_cal' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION duration_in(timeline, text[], timestamptz, business_calendar) IS 'working time spent in any of states up to until, the last state running until it';
CREATE FUNCTION duration_in(tl timeline, states text[], since timestamptz, "until" timestamptz) RETURNS interval
	AS 'MODULE_PATHNAME', 'kpi_timeline_duration_in_range' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION duration_in(timeline, text[], timestamptz, timestamptz) IS 'time spent in any of states within [since, until), the state in force at since carried in; until < since is an error';
CREATE FUNCTION duration_in(tl timeline, states text[], since timestamptz, "until" timestamptz, calendar business_calendar) RETURNS interval
	AS 'MODULE_PATHNAME', 'kpi_timeline_duration_in_range_cal' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION duration_in(timeline, text[], timestamptz, timestamptz, business_calendar) IS 'working time spent in any of states within [since, until), the state in force at since carried in';

-- states, entries, transitions, segments
CREATE FUNCTION state_at(tl timeline, at timestamptz) RETURNS text
	AS 'MODULE_PATHNAME', 'kpi_timeline_state_at' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION state_at(timeline, timestamptz) IS 'the state in force at the instant (after every event at that instant); NULL before the first event';
CREATE FUNCTION first_entered(tl timeline, state text) RETURNS timestamptz
	AS 'MODULE_PATHNAME', 'kpi_timeline_first_entered' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION first_entered(timeline, text) IS 'start of the first segment in state; NULL when never in it';
CREATE FUNCTION last_entered(tl timeline, state text) RETURNS timestamptz
	AS 'MODULE_PATHNAME', 'kpi_timeline_last_entered' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION last_entered(timeline, text) IS 'start of the last segment in state (such as the last solve); NULL when never in it';
CREATE FUNCTION entries(tl timeline, state text) RETURNS integer
	AS 'MODULE_PATHNAME', 'kpi_timeline_entries' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION entries(timeline, text) IS 'number of segments in state (times the entity entered it, the first event included)';
CREATE FUNCTION transitions(tl timeline, from_state text, to_state text) RETURNS integer
	AS 'MODULE_PATHNAME', 'kpi_timeline_transitions' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION transitions(timeline, text, text) IS 'number of changes from from_state directly to to_state, such as reopens = transitions(tl, ''solved'', ''open'')';
CREATE FUNCTION state_timeline(tl timeline, OUT state text, OUT start_time timestamptz, OUT end_time timestamptz)
	RETURNS SETOF record
	AS 'MODULE_PATHNAME', 'kpi_timeline_state_timeline' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE ROWS 10;
COMMENT ON FUNCTION state_timeline(timeline) IS 'the segments in order: state, start_time, end_time (NULL for the last, open one)';
CREATE FUNCTION segment_durations(tl timeline, state text) RETURNS interval[]
	AS 'MODULE_PATHNAME', 'kpi_timeline_segment_durations' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION segment_durations(timeline, text) IS 'the length of each stay in state, in order; NULL for a stay still open at the last event (from a message log: first and next reply times)';
CREATE FUNCTION segment_durations(tl timeline, state text, calendar business_calendar) RETURNS interval[]
	AS 'MODULE_PATHNAME', 'kpi_timeline_segment_durations_cal' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION segment_durations(timeline, text, business_calendar) IS 'the working time of each stay in state, in order; NULL for a stay still open';

-- SLA clocks that pause
CREATE FUNCTION sla_elapsed(tl timeline, start timestamptz, "until" timestamptz, paused text[]) RETURNS interval
	AS 'MODULE_PATHNAME', 'kpi_timeline_sla_elapsed' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION sla_elapsed(timeline, timestamptz, timestamptz, text[]) IS 'time an SLA clock ran in [start, until): not in a paused state (before the first event it runs, the last state continues)';
CREATE FUNCTION sla_elapsed(tl timeline, start timestamptz, "until" timestamptz, paused text[], calendar business_calendar) RETURNS interval
	AS 'MODULE_PATHNAME', 'kpi_timeline_sla_elapsed_cal' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION sla_elapsed(timeline, timestamptz, timestamptz, text[], business_calendar) IS 'working time an SLA clock ran in [start, until), not in a paused state';
CREATE FUNCTION sla_due(tl timeline, start timestamptz, target interval, paused text[]) RETURNS timestamptz
	AS 'MODULE_PATHNAME', 'kpi_timeline_sla_due' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION sla_due(timeline, timestamptz, interval, text[]) IS 'earliest instant at which sla_elapsed from start reaches target, the last state continuing; NULL when the clock stays paused before';
CREATE FUNCTION sla_due(tl timeline, start timestamptz, target interval, paused text[], calendar business_calendar) RETURNS timestamptz
	AS 'MODULE_PATHNAME', 'kpi_timeline_sla_due_cal' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION sla_due(timeline, timestamptz, interval, text[], business_calendar) IS 'earliest instant at which the business-hours sla_elapsed reaches target; NULL when the clock stays paused before';

/*
 * ===========================================================================
 * Confidence intervals, change tests, anomaly scores (src/stats.c)
 * ===========================================================================
 */

CREATE FUNCTION normal_cdf(x double precision) RETURNS double precision
	AS 'MODULE_PATHNAME', 'kpi_normal_cdf_sql' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION normal_cdf(double precision) IS 'standard normal cumulative distribution Phi(x) = erfc(-x / sqrt 2) / 2';
CREATE FUNCTION normal_quantile(p double precision) RETURNS double precision
	AS 'MODULE_PATHNAME', 'kpi_normal_quantile_sql' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION normal_quantile(double precision) IS 'standard normal quantile Phi^-1(p) for p in [0, 1], to full double precision; normal_quantile(0.975) = 1.959963984540054';

CREATE FUNCTION nps_margin(summary score_summary, confidence double precision DEFAULT 0.95) RETURNS numeric
	AS 'MODULE_PATHNAME', 'kpi_nps_margin' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION nps_margin(score_summary, double precision) IS 'NPS margin of error (half-width of the confidence interval, NPS points): z * 100 * sqrt((p + d - (p - d)^2) / n); NULL without responses';
CREATE FUNCTION nps_change_pvalue(before score_summary, after score_summary) RETURNS double precision
	AS 'MODULE_PATHNAME', 'kpi_nps_change_pvalue' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION nps_change_pvalue(score_summary, score_summary) IS 'two-sided p-value of the NPS change between two periods (z-test, SE = sqrt(SE1^2 + SE2^2)); NULL when a period has no responses';

CREATE FUNCTION wilson_low(summary score_summary, min_score integer, confidence double precision DEFAULT 0.95) RETURNS numeric
	AS 'MODULE_PATHNAME', 'kpi_score_wilson_low' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION wilson_low(score_summary, integer, double precision) IS 'lower Wilson score bound (percent) of top_box(summary, min_score); NULL without responses';
CREATE FUNCTION wilson_high(summary score_summary, min_score integer, confidence double precision DEFAULT 0.95) RETURNS numeric
	AS 'MODULE_PATHNAME', 'kpi_score_wilson_high' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION wilson_high(score_summary, integer, double precision) IS 'upper Wilson score bound (percent) of top_box(summary, min_score); NULL without responses';

CREATE FUNCTION robust_zscore(value double precision, median double precision, mad double precision) RETURNS double precision
	AS 'MODULE_PATHNAME', 'kpi_robust_zscore' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION robust_zscore(double precision, double precision, double precision) IS 'robust z-score (value - median) / (1.482602218505602 * mad), the constant 1 / Phi^-1(3/4); |z| > 3.5 is an outlier';
CREATE FUNCTION robust_zscore(value double precision, history double precision[]) RETURNS double precision
	AS 'MODULE_PATHNAME', 'kpi_robust_zscore_history' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION robust_zscore(double precision, double precision[]) IS 'robust z-score of value against the median and MAD of the non-NULL history values; NULL with fewer than 2';
CREATE FUNCTION ewma_zscore(value double precision, history double precision[], alpha double precision DEFAULT 0.3) RETURNS double precision
	AS 'MODULE_PATHNAME', 'kpi_ewma_zscore' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION ewma_zscore(double precision, double precision[], double precision) IS 'z-score of value against the exponentially weighted mean and standard deviation of the history (oldest first: m = x1, v = 0, then d = x - m, m += alpha d, v = (1 - alpha)(v + alpha d^2)); NULL with fewer than 2 values';

-- rates: Wilson interval, change test, p-chart (rate_summary)
CREATE FUNCTION wilson_low(summary rate_summary, confidence double precision DEFAULT 0.95) RETURNS numeric
	AS 'MODULE_PATHNAME', 'kpi_rate_wilson_low' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION wilson_low(rate_summary, double precision) IS 'lower Wilson score bound (percent) of rate(summary); NULL without trials';
CREATE FUNCTION wilson_high(summary rate_summary, confidence double precision DEFAULT 0.95) RETURNS numeric
	AS 'MODULE_PATHNAME', 'kpi_rate_wilson_high' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION wilson_high(rate_summary, double precision) IS 'upper Wilson score bound (percent) of rate(summary); NULL without trials';
CREATE FUNCTION rate_change_pvalue(before rate_summary, after rate_summary) RETURNS double precision
	AS 'MODULE_PATHNAME', 'kpi_rate_change_pvalue' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION rate_change_pvalue(rate_summary, rate_summary) IS 'two-sided p-value of the rate change between two periods (two-proportion z-test, pooled variance); NULL when a period has no trials';
CREATE FUNCTION pchart_zscore(current rate_summary, baseline rate_summary) RETURNS double precision
	AS 'MODULE_PATHNAME', 'kpi_pchart_zscore' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION pchart_zscore(rate_summary, rate_summary) IS 'p-chart z-score of the current rate against the baseline rate pbar: (p - pbar) / sqrt(pbar (1 - pbar) / n); |z| > 3 is outside the control limits';

-- top-box shares (CSAT) from summaries: a rate_summary, its change test, and the
-- t interval of the mean score (CES, CSAT means)
CREATE FUNCTION top_box_summary(summary score_summary, min_score integer) RETURNS rate_summary
	AS 'MODULE_PATHNAME', 'kpi_score_top_box_summary' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION top_box_summary(score_summary, integer) IS 'the responses scoring min_score or more as a rate_summary (hits = top-box responses, trials = responses), for rate(), wilson_low/high(), rate_change_pvalue() and pchart_zscore()';
CREATE FUNCTION top_box_change_pvalue(before score_summary, after score_summary, min_score integer) RETURNS double precision
	AS 'MODULE_PATHNAME', 'kpi_top_box_change_pvalue' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION top_box_change_pvalue(score_summary, score_summary, integer) IS 'two-sided p-value of the change of top_box(summary, min_score) between two periods, such as CSAT with min_score 4: the two-proportion z-test of rate_change_pvalue; NULL when a period has no responses';
CREATE FUNCTION mean_ci_low(summary score_summary, confidence double precision DEFAULT 0.95) RETURNS numeric
	AS 'MODULE_PATHNAME', 'kpi_mean_ci_low' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION mean_ci_low(score_summary, double precision) IS 'lower bound of the Student t confidence interval of mean_score(summary) (and so of ces()): mean - t(n - 1) * s / sqrt(n); NULL with fewer than 2 responses';
CREATE FUNCTION mean_ci_high(summary score_summary, confidence double precision DEFAULT 0.95) RETURNS numeric
	AS 'MODULE_PATHNAME', 'kpi_mean_ci_high' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION mean_ci_high(score_summary, double precision) IS 'upper bound of the Student t confidence interval of mean_score(summary): mean + t(n - 1) * s / sqrt(n); NULL with fewer than 2 responses';
CREATE FUNCTION mean_margin(summary score_summary, confidence double precision DEFAULT 0.95) RETURNS numeric
	AS 'MODULE_PATHNAME', 'kpi_mean_margin' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION mean_margin(score_summary, double precision) IS 'margin of error of mean_score(summary), the half-width of its t interval: t(n - 1) * s / sqrt(n); NULL with fewer than 2 responses';
CREATE FUNCTION t_quantile(p double precision, degrees_of_freedom double precision) RETURNS double precision
	AS 'MODULE_PATHNAME', 'kpi_t_quantile' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION t_quantile(double precision, double precision) IS 'quantile of Student''s t distribution: the t with P(T <= t) = p for whole degrees of freedom >= 1; t_quantile(0.975, 10) = 2.2281388519649';

/*
 * ===========================================================================
 * Sparklines (src/sparkline.c)
 * ===========================================================================
 */

CREATE FUNCTION sparkline(double precision[]) RETURNS text
	AS 'MODULE_PATHNAME', 'kpi_sparkline' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION sparkline(double precision[]) IS 'draws the values with the eight block glyphs U+2581..U+2588 (minimum lowest, maximum full block, NULL a space, a flat series half blocks)';

CREATE AGGREGATE sparkline(double precision) (
	SFUNC = array_append, STYPE = double precision[], FINALFUNC = sparkline,
	COMBINEFUNC = array_cat,
	PARALLEL = SAFE
);
COMMENT ON AGGREGATE sparkline(double precision) IS 'draws the values in the order of ORDER BY inside the call, such as sparkline(n ORDER BY day)';

/*
 * ===========================================================================
 * Industry benchmarks: the published ranges of the KPIs, as reference data
 * (no C code)
 * ===========================================================================
 */

CREATE VIEW kpi_benchmarks AS
SELECT kpi, measured_by, low, high, unit, segment, published, source
FROM (VALUES
	('FCR', 'fcr_rate', 70, 80, 'percent', 'most industries', '70-80 %', 'The 12 customer service KPIs worth tracking — at a glance'),
	('FCR', 'fcr_rate', 70, 70, 'percent', 'industry average', 'industry average: 70 %', '15 Customer Service Metrics Every Team Should Track in 2026'),
	('FCR', 'fcr_rate', 85, NULL, 'percent', 'top performers', 'top performers: 85 %+', '15 Customer Service Metrics Every Team Should Track in 2026'),
	('CSAT', 'csat', 75, 85, 'percent', 'most industries', '75-85 % is considered good across most industries', '15 Customer Service Metrics Every Team Should Track in 2026'),
	('CSAT', 'csat', 85, 90, 'percent', 'working target', '85-90 % is the working target; below 80 % needs root-cause work', 'The 12 customer service KPIs worth tracking — at a glance'),
	('CSAT', 'csat', 90, NULL, 'percent', 'top SaaS and ecommerce teams', 'top SaaS and ecommerce teams target 90 %+', '15 Customer Service Metrics Every Team Should Track in 2026'),
	('NPS', 'nps', 30, NULL, 'NPS points', 'B2B SaaS: good', '30+ is solid for B2B SaaS', 'The 12 customer service KPIs worth tracking — at a glance'),
	('NPS', 'nps', 50, NULL, 'NPS points', 'great', '50+ is genuinely good', 'The 12 customer service KPIs worth tracking — at a glance'),
	('NPS', 'nps', 70, NULL, 'NPS points', 'world-class', '70+ is rare', 'The 12 customer service KPIs worth tracking — at a glance'),
	('NPS', 'nps', 32, 32, 'NPS points', 'global average, all sectors', 'global average: 32 across all sectors', '15 Customer Service Metrics Every Team Should Track in 2026'),
	('NPS', 'nps', 49, 49, 'NPS points', 'B2C average', 'B2C average: 49', '15 Customer Service Metrics Every Team Should Track in 2026'),
	('NPS', 'nps', 38, 38, 'NPS points', 'B2B average', 'B2B average: 38', '15 Customer Service Metrics Every Team Should Track in 2026'),
	('NPS', 'nps', 66, 66, 'NPS points', 'technology companies average', 'technology companies average 66', '15 Customer Service Metrics Every Team Should Track in 2026'),
	('CES', 'ces', 5.5, 7, 'score 1-7', '7-point scale', 'above 5.5 on a 7-point scale indicates low customer effort', '15 Customer Service Metrics Every Team Should Track in 2026'),
	('CES top-2-box', 'top_box(summary, 6)', 70, 100, 'percent', '7-point scale', '70 %+ top-2-box', 'The 12 customer service KPIs worth tracking — at a glance'),
	('first response time', 'median, percentile', NULL, 60, 'seconds', 'live chat', 'live chat: under 1 minute', '15 Customer Service Metrics Every Team Should Track in 2026'),
	('first response time', 'median, percentile', NULL, 28, 'seconds', 'phone', 'phone: under 28 seconds (80/20 service level standard)', '15 Customer Service Metrics Every Team Should Track in 2026'),
	('first response time', 'median, percentile', NULL, 3600, 'seconds', 'email, paid tiers', 'email < 1 hour for paid tiers, < 4 hours otherwise', 'The 12 customer service KPIs worth tracking — at a glance'),
	('first response time', 'median, percentile', NULL, 14400, 'seconds', 'email, business hours', 'email: under 4 hours for business-hours response', '15 Customer Service Metrics Every Team Should Track in 2026'),
	('resolution time', 'median_resolution', NULL, 86400, 'seconds', 'email, standard tiers', '< 24 hours for email on standard tiers', 'The 12 customer service KPIs worth tracking — at a glance'),
	('resolution time', 'median_resolution', NULL, 14400, 'seconds', 'paid SLAs', '< 4 hours on paid SLAs; track the median, not just the mean', 'The 12 customer service KPIs worth tracking — at a glance'),
	('resolution time', 'median_resolution', 21600, 36000, 'seconds', 'ecommerce email', 'for ecommerce, email TTR of 6-10 hours is standard', '15 Customer Service Metrics Every Team Should Track in 2026'),
	('resolution time', 'median_resolution', 86400, 259200, 'seconds', 'complex B2B issues', 'complex B2B issues may legitimately take 24-72 hours', '15 Customer Service Metrics Every Team Should Track in 2026'),
	('AHT', 'aht', 370, 370, 'seconds', 'across industries (average)', '6 minutes 10 seconds across industries', '15 Customer Service Metrics Every Team Should Track in 2026'),
	('AHT', 'aht', 300, 300, 'seconds', 'retail and ecommerce (average)', 'retail/ecommerce ~5 min', '15 Customer Service Metrics Every Team Should Track in 2026'),
	('AHT', 'aht', 540, 540, 'seconds', 'financial services (average)', 'financial services ~9 min', '15 Customer Service Metrics Every Team Should Track in 2026'),
	('AHT', 'aht', 720, 720, 'seconds', 'healthcare (average)', 'healthcare ~12 min', '15 Customer Service Metrics Every Team Should Track in 2026'),
	('abandonment rate', 'abandonment_rate', NULL, 5, 'percent', 'most contact centers', 'under 5 % is the target; above 8 % indicates a significant wait time problem', '15 Customer Service Metrics Every Team Should Track in 2026'),
	('service level', 'service_level, erlang_service_level', 80, NULL, 'percent answered within 20 s', 'most industries', '80/20: 80 % of calls answered within 20 seconds', '15 Customer Service Metrics Every Team Should Track in 2026'),
	('service level', 'service_level, erlang_service_level', 80, NULL, 'percent answered within 30 s', 'healthcare', 'healthcare often targets 80 % within 30 seconds', '15 Customer Service Metrics Every Team Should Track in 2026'),
	('SLA adherence', 'sla_adherence', 95, NULL, 'percent', 'paid SLAs', '95 %+ for paid SLAs', 'The 12 customer service KPIs worth tracking — at a glance'),
	('utilization', 'utilization, occupancy', 85, 90, 'percent', 'agent time on customer interactions', '85-90 % is the target range; above 90 % risks burnout, below 80 % suggests overstaffing', '15 Customer Service Metrics Every Team Should Track in 2026'),
	('quality score', 'quality_score', 85, NULL, 'percent', 'QA passing threshold', 'most QA programs target 85 %+; elite teams aim for 90 %+', '15 Customer Service Metrics Every Team Should Track in 2026'),
	('backlog', 'backlog_series', NULL, 5, 'percent of weekly volume open beyond 24 h', 'all teams', 'less than 5 % of the weekly volume open beyond 24 hours, less than 1 % beyond 7 days', 'The 12 customer service KPIs worth tracking — at a glance'),
	('cost per contact', 'cost_per_contact', 5, 15, 'USD', 'SMB-focused teams', '$5-15 for SMB-focused teams', 'The 12 customer service KPIs worth tracking — at a glance'),
	('cost per contact', 'cost_per_contact', 25, 75, 'USD', 'enterprise and complex products', '$25-75 for enterprise/complex products', 'The 12 customer service KPIs worth tracking — at a glance'),
	('cost per contact', 'cost_per_contact', 5, 15, 'USD', 'voice', 'voice calls: $5-$15 per contact', '15 Customer Service Metrics Every Team Should Track in 2026'),
	('cost per contact', 'cost_per_contact', 2, 5, 'USD', 'chat', 'chat: $2-$5', '15 Customer Service Metrics Every Team Should Track in 2026'),
	('cost per contact', 'cost_per_contact', 0.10, 0.50, 'USD', 'self-service', 'self-service: $0.10-$0.50', '15 Customer Service Metrics Every Team Should Track in 2026'),
	('retention rate', 'retention_rate', 85, 95, 'percent per year', 'SaaS', 'SaaS: 85-95 % annual retention is healthy', '15 Customer Service Metrics Every Team Should Track in 2026'),
	('retention rate', 'retention_rate', 90, NULL, 'percent per year', 'higher-value B2B', 'higher-value B2B relationships should target 90 %+ annually', '15 Customer Service Metrics Every Team Should Track in 2026')
) AS b(kpi, measured_by, low, high, unit, segment, published, source);
COMMENT ON VIEW kpi_benchmarks IS 'published benchmark ranges of the KPIs (low and high in unit, NULL for an open end; equal for a published average), with the segment they apply to, the wording and the article they come from; directional context, not targets';
