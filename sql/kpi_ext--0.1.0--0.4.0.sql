/* kpi_ext 0.1.0 -> 0.4.0: contact centre (service level, abandonment) and business formulas (Erlang C, retention, CLV, cost per contact) */

\echo Use "ALTER EXTENSION kpi_ext UPDATE TO '0.4.0'" to load this file. \quit

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
