/* kpi_ext 0.6.0 -> 0.7.0 */

\echo Use "ALTER EXTENSION kpi_ext UPDATE TO '0.7.0'" to load this file. \quit

/*
 * --- analysts (issue #16: Erlang for real history and Erlang A; #15: finite
 * confidence intervals, Erlang arithmetic) ------------------------------------
 */

-- Erlang C: overloaded periods give the limits, targets of 1 or less are taken for fractions
COMMENT ON FUNCTION erlang_c(double precision, interval, interval, integer) IS 'Erlang C probability 0..1 that a contact waits, for arrivals per period, average handle time and agents; 1 in an overloaded period (agents <= arrivals * aht / period, or no agents), 0 without traffic; ignores abandonment';
COMMENT ON FUNCTION erlang_service_level(double precision, interval, interval, integer, interval) IS 'Erlang C service level 0..100: 100 * (1 - C * exp(-(agents - A) * threshold / aht)), the share of contacts answered within threshold; 0 in an overloaded period, 100 without traffic; ignores abandonment';
COMMENT ON FUNCTION erlang_asa(double precision, interval, interval, integer) IS 'Erlang C average speed of answer: C * aht / (agents - A); NULL (unbounded) in an overloaded period; ignores abandonment';
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
