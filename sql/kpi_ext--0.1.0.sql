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
COMMENT ON TYPE ratio_summary IS 'rows and compensated sums of a numerator and a denominator; text form v1:n=<rows>,num=<sum>,den=<sum>';
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
	SFUNC = kpi_ratio_accum, STYPE = ratio_summary,
	COMBINEFUNC = kpi_ratio_combine,
	MSFUNC = kpi_ratio_accum, MINVFUNC = kpi_ratio_inv, MSTYPE = ratio_summary,
	PARALLEL = SAFE
);
COMMENT ON AGGREGATE ratio_agg(double precision, double precision) IS 'summary of a ratio of sums (num, den), for ratio() and rollup(); rows with a NULL are skipped';

CREATE AGGREGATE ratio_agg(interval, interval) (
	SFUNC = kpi_ratio_interval_accum, STYPE = ratio_summary,
	COMBINEFUNC = kpi_ratio_combine,
	MSFUNC = kpi_ratio_interval_accum, MINVFUNC = kpi_ratio_interval_inv, MSTYPE = ratio_summary,
	PARALLEL = SAFE
);
COMMENT ON AGGREGATE ratio_agg(interval, interval) IS 'summary of a ratio of sums of intervals (in seconds), for utilization(), occupancy(), schedule_adherence(), ratio() and rollup()';

CREATE AGGREGATE rollup(ratio_summary) (
	SFUNC = kpi_ratio_combine, STYPE = ratio_summary,
	COMBINEFUNC = kpi_ratio_combine,
	MSFUNC = kpi_ratio_combine, MINVFUNC = kpi_ratio_uncombine, MSTYPE = ratio_summary,
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
	SFUNC = kpi_aht_accum, STYPE = ratio_summary,
	COMBINEFUNC = kpi_ratio_combine,
	MSFUNC = kpi_aht_accum, MINVFUNC = kpi_aht_inv, MSTYPE = ratio_summary,
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
