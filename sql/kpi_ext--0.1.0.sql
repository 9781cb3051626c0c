/* kpi_ext 0.1.0: survey scores, rates and ratios of sums */

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
