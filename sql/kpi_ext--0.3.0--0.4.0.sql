/* kpi_ext 0.3.0 -> 0.4.0: contact centre (service level, abandonment) and business formulas (Erlang C, retention, CLV, cost per contact) */

\echo Use "ALTER EXTENSION kpi_ext UPDATE TO '0.4.0'" to load this file. \quit

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
 * Erlang C staffing and business formulas (src/erlang.c)
 * ===========================================================================
 */

CREATE FUNCTION erlang_c(arrivals double precision, aht interval, period interval, agents integer)
	RETURNS double precision
	AS 'MODULE_PATHNAME', 'kpi_erlang_c' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION erlang_c(double precision, interval, interval, integer) IS 'Erlang C probability 0..1 that a contact waits, for arrivals per period, average handle time and agents (agents must exceed arrivals * aht / period); ignores abandonment';

CREATE FUNCTION erlang_service_level(arrivals double precision, aht interval, period interval, agents integer, threshold interval)
	RETURNS numeric
	AS 'MODULE_PATHNAME', 'kpi_erlang_service_level' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION erlang_service_level(double precision, interval, interval, integer, interval) IS 'Erlang C service level 0..100: 100 * (1 - C * exp(-(agents - A) * threshold / aht)), the share of contacts answered within threshold; ignores abandonment';

CREATE FUNCTION erlang_asa(arrivals double precision, aht interval, period interval, agents integer)
	RETURNS interval
	AS 'MODULE_PATHNAME', 'kpi_erlang_asa' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION erlang_asa(double precision, interval, interval, integer) IS 'Erlang C average speed of answer: C * aht / (agents - A); ignores abandonment';

CREATE FUNCTION erlang_agents(arrivals double precision, aht interval, period interval,
							  target_service_level numeric, threshold interval,
							  shrinkage double precision DEFAULT 0)
	RETURNS integer
	AS 'MODULE_PATHNAME', 'kpi_erlang_agents' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION erlang_agents(double precision, interval, interval, numeric, interval, double precision) IS 'smallest number of agents whose Erlang C service level reaches target_service_level (0..100 exclusive) within threshold, divided by 1 - shrinkage and rounded up; 0 without arrivals';

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
