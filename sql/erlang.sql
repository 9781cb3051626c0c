-- Erlang C in overloaded and empty periods, and Erlang A (M/M/N+M) against an
-- independent birth-death-chain computation in plain SQL
CREATE SCHEMA erlang_test;
SET search_path = erlang_test, public;

--
-- Erlang C over real history: overloaded periods give the limits, not an error
--

-- half-hours as a contact centre records them: some overloaded, some without
-- agents, without contacts or with an AHT of 0 (nothing handled)
CREATE TABLE halfhours AS
SELECT h, (h * 37) % 130 AS offered, ((h * 11) % 9) * interval '40 s' AS aht,
	   (h * 7) % 15 AS agents
FROM generate_series(1, 400) AS h;

-- the limits in plain SQL: A = offered * aht / 30 min; N <= A waits for ever;
-- no traffic never waits
CREATE FUNCTION ref_erlang_c(a double precision, n integer) RETURNS double precision
LANGUAGE plpgsql IMMUTABLE STRICT AS $$
DECLARE b double precision := 1;
BEGIN
	IF n = 0 OR n <= a THEN RETURN 1; END IF;
	IF a = 0 THEN RETURN 0; END IF;
	FOR k IN 1..n LOOP b := a * b / (k + a * b); END LOOP;
	RETURN n * b / (n - a * (1 - b));
END $$;

SELECT count(*) AS periods,
	   count(*) FILTER (WHERE agents <= offered * extract(epoch FROM aht) / 1800) AS overloaded,
	   count(*) FILTER (WHERE aht = '0 s' OR offered = 0) AS no_traffic,
	   count(*) FILTER (WHERE abs(erlang_c(offered, aht, '30 min', agents)
								  - ref_erlang_c(offered * extract(epoch FROM aht)::float8 / 1800, agents)) < 1e-12) AS c_equal,
	   count(*) FILTER (WHERE erlang_service_level(offered, aht, '30 min', agents, '20 s')
						= CASE WHEN agents <= offered * extract(epoch FROM aht) / 1800 THEN 0
							   WHEN aht = '0 s' OR offered = 0 THEN 100
							   ELSE round((100 * (1 - ref_erlang_c(offered * extract(epoch FROM aht)::float8 / 1800, agents)
												 * exp(-(agents - offered * extract(epoch FROM aht)::float8 / 1800) * 20
													   / extract(epoch FROM aht)::float8)))::numeric, 12) END
						OR abs(erlang_service_level(offered, aht, '30 min', agents, '20 s')
							   - (100 * (1 - ref_erlang_c(offered * extract(epoch FROM aht)::float8 / 1800, agents)
										 * exp(-(agents - offered * extract(epoch FROM aht)::float8 / 1800) * 20
											   / nullif(extract(epoch FROM aht)::float8, 0))))::numeric) < 1e-9) AS sl_equal,
	   count(*) FILTER (WHERE erlang_asa(offered, aht, '30 min', agents) IS NULL) AS asa_unbounded,
	   count(*) FILTER (WHERE (erlang_asa(offered, aht, '30 min', agents) IS NULL)
						= (agents <= offered * extract(epoch FROM aht) / 1800)) AS asa_null_iff_overloaded
FROM halfhours;

-- the limits one by one: overloaded (10 erlangs on 10 and 9 agents), no agents,
-- no contacts, an AHT of 0
SELECT erlang_c(100, '180 s', '30 min', 10) AS c_10, erlang_c(100, '180 s', '30 min', 9) AS c_9,
	   erlang_service_level(100, '180 s', '30 min', 10, '20 s') AS sl_10,
	   erlang_asa(100, '180 s', '30 min', 10) AS asa_10,
	   erlang_c(5, '3 min', '30 min', 0) AS c_no_agents, erlang_c(0, '3 min', '30 min', 0) AS c_nothing,
	   erlang_c(0, '3 min', '30 min', 3) AS c_no_contacts,
	   erlang_c(100, '0 s', '30 min', 3) AS c_aht_0,
	   erlang_service_level(100, '0 s', '30 min', 3, '0 s') AS sl_aht_0,
	   erlang_asa(100, '0 s', '30 min', 3) AS asa_aht_0,
	   erlang_agents(100, '0 s', '30 min', 80, '20 s') AS agents_aht_0;
-- just above the overload point the ASA leaves the interval range: NULL, like overload
SELECT erlang_asa(1e6, '1 hour', '1 hour', 1000001) IS NOT NULL AS asa_finite,
	   erlang_asa(4503599627370495, '1 hour', '1 hour', 2147483647) AS asa_beyond_range;

-- targets: a percentage; 1 or less is taken for a fraction
SELECT erlang_agents(100, '3 min', '30 min', 1.5, '20 s') AS agents_1_5_percent;
SELECT erlang_agents(100, '3 min', '30 min', 0.8, '20 s');
SELECT erlang_agents(100, '3 min', '30 min', 1, '20 s');
SELECT erlang_a_agents(100, '3 min', '30 min', 0.95, '20 s', '1 min');

-- shrinkage next to 1: no division by zero, the staff needed out of range
SELECT erlang_agents(100, '3 min', '30 min', 80, '20 s', 0.99999999) AS staff_at_99_999999;
SELECT erlang_agents(100, '3 min', '30 min', 80, '20 s', 0.9999999999999999);
SELECT erlang_agents(1, '3 min', '1 year', 80, '20 s', 0.9999999999999999);
SELECT erlang_agents(100, '3 min', '30 min', 80, '20 s', 5e-324) AS staff_subnormal_shrinkage;

--
-- Erlang A against the birth-death chain
--

-- The independent computation, in the contact centre's own terms (seconds):
-- lambda = arrivals / period, mu = 1 / aht, theta = 1 / patience; the chain's
-- state k (contacts present) has birth rate lambda and death rate
-- min(k, n) mu + max(k - n, 0) theta.  pi_k from detailed balance over enough
-- states; waiting = sum pi_k, k >= n; abandonment = theta E[queue] / lambda
-- (Little); the service level from the integral form of the answered waits
-- (Mandelbaum and Zeltyn): with x = n mu / theta, y = lambda / theta,
-- z = exp(-theta T), the answered-within-T mass above n is
--   x e^y y^-(x+1) (gamma(x+1, y) - gamma(x+1, y z)),
-- gamma the lower incomplete gamma function by its series; and the ASA of
-- the answered from the integral over t of P(answered, wait > t) (Simpson's
-- rule).  Nothing here is shared with the C code, which sums incomplete beta
-- terms per queue position.
CREATE FUNCTION ref_lower_gamma_series(s double precision, v double precision) RETURNS double precision
LANGUAGE plpgsql IMMUTABLE STRICT AS $$
-- sum over k >= 0 of v^k / (s (s + 1) ... (s + k)), so gamma(s, v) = v^s e^-v times it
DECLARE term double precision := 1 / s; total double precision := 1 / s; k integer := 0;
BEGIN
	LOOP
		k := k + 1;
		term := term * v / (s + k);
		total := total + term;
		EXIT WHEN term < 1e-18 * total AND k > v;
	END LOOP;
	RETURN total;
END $$;

CREATE FUNCTION ref_erlang_a(arrivals double precision, aht_s double precision, period_s double precision,
							 n integer, t_s double precision, patience_s double precision,
							 OUT waiting double precision, OUT abandoned double precision,
							 OUT service_level double precision, OUT asa_s double precision)
LANGUAGE plpgsql IMMUTABLE STRICT AS $$
DECLARE
	lambda double precision := arrivals / period_s;
	mu double precision := 1 / aht_s;
	theta double precision := 1 / patience_s;
	w double precision := 1;
	total double precision := 1;
	below double precision := 0;	-- sum of pi_k for k < n, unnormalized
	at_n double precision;
	above double precision := 0;	-- sum of pi_k for k >= n
	queue double precision := 0;	-- sum of (k - n) pi_k
	x double precision := n * mu / theta;
	y double precision := lambda / theta;
	z double precision := exp(-theta * t_s);
	in_time double precision;
	integral double precision := 0;
	steps integer := 4000;
	p double precision := greatest(1, 3 / (n * mu / theta + 1));
	u double precision;
	f double precision;
	k integer := 0;
BEGIN
	IF n = 0 THEN at_n := 1; ELSE below := 1; END IF;
	LOOP
		k := k + 1;
		w := w * lambda / (least(k, n) * mu + greatest(k - n, 0) * theta);
		IF k < n THEN below := below + w; END IF;
		IF k = n THEN at_n := w; END IF;
		IF k >= n THEN above := above + w; queue := queue + (k - n) * w; END IF;
		total := total + w;
		EXIT WHEN k > n AND k - n > y AND w < 1e-20 * total;
	END LOOP;
	IF n = 0 THEN above := above + 1; END IF;
	waiting := above / total;
	abandoned := theta * queue / total / lambda;
	IF n = 0 THEN service_level := 0; asa_s := NULL; RETURN; END IF;
	-- x e^y y^-(x+1) gamma(x+1, v) = x (v / y)^(x+1) e^(y - v) * series(x+1, v)
	in_time := x * (ref_lower_gamma_series(x + 1, y)
					- CASE WHEN t_s = 0 THEN ref_lower_gamma_series(x + 1, y)
						   ELSE exp(greatest((x + 1) * ln(z) + y - y * z, -700)) * ref_lower_gamma_series(x + 1, y * z) END);
	service_level := (below + at_n * in_time) / total;
	-- E[wait, answered] / pi_n = (1 / theta) * integral over u in (0, 1] of x e^(y (1 - u)) u^x series(x+1, y u),
	-- with u = s^p so that the integrand is smooth at 0 for Simpson's rule
	FOR i IN 0..steps LOOP
		u := (i::double precision / steps) ^ p;
		f := CASE WHEN i = 0 THEN 0
				  ELSE p * (i::double precision / steps) ^ (p - 1)
					   * x * exp(greatest(y * (1 - u) + x * ln(u), -700)) * ref_lower_gamma_series(x + 1, y * u) END;
		integral := integral + f * CASE WHEN i = 0 OR i = steps THEN 1 WHEN i % 2 = 1 THEN 4 ELSE 2 END;
	END LOOP;
	integral := integral / (3 * steps) / theta;
	asa_s := at_n * integral / total / (1 - abandoned);
END $$;

-- a grid of loads, staffing, thresholds and patiences (AHT 3 minutes, half-hours)
CREATE TABLE grid AS
SELECT arrivals, n, t, patience
FROM unnest(ARRAY[1, 20, 100, 250]) AS arrivals,
	 generate_series(1, 22, 3) AS n,
	 unnest(ARRAY[0, 20, 60, 300]) AS t,
	 unnest(ARRAY[30, 120, 600]) AS patience;
SELECT count(*) AS cases,
	   count(*) FILTER (WHERE abs(erlang_a_service_level(arrivals, '3 min', '30 min', n, make_interval(secs => t), make_interval(secs => patience))
								  - (100 * r.service_level)::numeric) < 1e-9) AS sl_equal,
	   count(*) FILTER (WHERE abs(erlang_a_abandonment(arrivals, '3 min', '30 min', n, make_interval(secs => patience))
								  - (100 * r.abandoned)::numeric) < 1e-9) AS abandonment_equal,
	   count(*) FILTER (WHERE abs(extract(epoch FROM erlang_a_asa(arrivals, '3 min', '30 min', n, make_interval(secs => patience)))
								  - r.asa_s::numeric) <= 1e-6 * r.asa_s + 2e-6) AS asa_equal,
	   max(abs(erlang_a_service_level(arrivals, '3 min', '30 min', n, make_interval(secs => t), make_interval(secs => patience))
			   - (100 * r.service_level)::numeric)) < 1e-9 AS max_sl_error_small
FROM grid, LATERAL ref_erlang_a(arrivals, 180, 1800, n, t, patience) AS r;

-- the classic example with 60 s mean patience next to Erlang C: abandonment
-- lifts the service level and shortens the wait of those answered
SELECT n, round(erlang_service_level(100, '3 min', '30 min', n, '20 s'), 2) AS erlang_c_sl,
	   round(erlang_a_service_level(100, '3 min', '30 min', n, '20 s', '60 s'), 2) AS erlang_a_sl,
	   round(erlang_a_abandonment(100, '3 min', '30 min', n, '60 s'), 2) AS abandoned,
	   date_trunc('second', erlang_a_asa(100, '3 min', '30 min', n, '60 s')) AS asa
FROM generate_series(8, 14) AS n;

-- no agents: nobody is answered; no traffic: nobody waits
SELECT erlang_a_service_level(100, '3 min', '30 min', 0, '20 s', '1 min') AS sl_no_agents,
	   erlang_a_abandonment(100, '3 min', '30 min', 0, '1 min') AS abandoned_no_agents,
	   erlang_a_asa(100, '3 min', '30 min', 0, '1 min') AS asa_no_agents,
	   erlang_a_service_level(0, '3 min', '30 min', 5, '20 s', '1 min') AS sl_no_contacts,
	   erlang_a_abandonment(100, '0 s', '30 min', 5, '1 min') AS abandoned_aht_0,
	   erlang_a_asa(0, '3 min', '30 min', 5, '1 min') AS asa_no_contacts,
	   erlang_a_agents(0, '3 min', '30 min', 80, '20 s', '1 min') AS agents_no_contacts;

-- a patience far longer than any wait: Erlang A tends to Erlang C
SELECT n, abs(erlang_a_service_level(100, '3 min', '30 min', n, '20 s', '1000 days')
			  - erlang_service_level(100, '3 min', '30 min', n, '20 s')) < 0.01 AS sl_near_c,
	   abs(extract(epoch FROM erlang_a_asa(100, '3 min', '30 min', n, '1000 days') - erlang_asa(100, '3 min', '30 min', n)))
	   < 0.01 * extract(epoch FROM erlang_asa(100, '3 min', '30 min', n)) AS asa_near_c
FROM generate_series(11, 15) AS n;

-- stable for every number of agents: thousands of agents around the load, a
-- heavy overload, a tiny patience, the largest number of agents
SELECT n, erlang_a_service_level(90000, '3 min', '30 min', n, '20 s', '2 min') BETWEEN 0 AND 100 AS sl_in_range,
	   erlang_a_abandonment(90000, '3 min', '30 min', n, '2 min') BETWEEN 0 AND 100 AS ab_in_range
FROM unnest(ARRAY[1, 1000, 8000, 9000, 9100, 10000, 20000]) AS n;
SELECT round(erlang_a_abandonment(100, '3 min', '30 min', 5, '1 microsecond'), 6) AS impatient_abandonment,
	   round(erlang_a_service_level(100, '3 min', '30 min', 5, '0 s', '1 microsecond'), 6) AS impatient_sl,
	   erlang_a_service_level(100, '3 min', '30 min', 2147483647, '20 s', '1 min') AS sl_max_agents,
	   erlang_a_abandonment(100, '3 min', '30 min', 2147483647, '1 min') AS ab_max_agents;
-- an overloaded chain against the reference too (3 times the load the agents carry)
SELECT abs(erlang_a_abandonment(3000, '3 min', '30 min', 100, '10 min') - (100 * r.abandoned)::numeric) < 1e-9 AS overload_equal,
	   round(erlang_a_abandonment(3000, '3 min', '30 min', 100, '10 min'), 4) AS abandoned,
	   abs(erlang_a_service_level(3000, '3 min', '30 min', 100, '1 min', '10 min') - (100 * r.service_level)::numeric) < 1e-9 AS overload_sl_equal
FROM ref_erlang_a(3000, 180, 1800, 100, 60, 600) AS r;
-- the weights pass 2^830 and are rescaled: 99.99 % of 1e6 contacts abandon on 10 agents
SELECT round(erlang_a_abandonment(1e6, '3 min', '30 min', 10, '2 min'), 6) AS overload_abandonment,
	   round(100 - 100.0 * 10 * 1800 / 180 / 1e6, 6) AS share_the_agents_cannot_take;

-- erlang_a_agents: the smallest number of agents reaching the target
SELECT arrivals, target, patience,
	   erlang_a_agents(arrivals, '3 min', '30 min', target, '20 s', make_interval(secs => patience)) AS agents,
	   (SELECT min(n) FROM generate_series(1, 1000) AS n
		WHERE erlang_a_service_level(arrivals, '3 min', '30 min', n, '20 s', make_interval(secs => patience)) >= target)
	   = erlang_a_agents(arrivals, '3 min', '30 min', target, '20 s', make_interval(secs => patience)) AS minimal,
	   erlang_agents(arrivals, '3 min', '30 min', target, '20 s') AS erlang_c_agents
FROM unnest(ARRAY[20, 100, 400, 2000]) AS arrivals, unnest(ARRAY[50, 80, 95]::numeric[]) AS target,
	 unnest(ARRAY[60, 300]) AS patience
ORDER BY 1, 2, 3;
SELECT erlang_a_agents(100, '3 min', '30 min', 80, '20 s', '1 min', 0.3) AS staff_30pct,
	   erlang_a_agents(100, '3 min', '30 min', 80, '20 s', '1 min') AS agents;

-- NULL arguments give NULL
SELECT erlang_a_service_level(NULL, '3 min', '30 min', 5, '20 s', '1 min') IS NULL AS sl_null,
	   erlang_a_abandonment(100, '3 min', '30 min', 5, NULL) IS NULL AS ab_null,
	   erlang_a_asa(100, '3 min', NULL, 5, '1 min') IS NULL AS asa_null,
	   erlang_a_agents(100, '3 min', '30 min', 80, '20 s', '1 min', NULL) IS NULL AS agents_null;

-- errors
SELECT erlang_a_service_level(100, '3 min', '30 min', 5, '20 s', '0 s');
SELECT erlang_a_abandonment(100, '3 min', '30 min', 5, '-1 min');
SELECT erlang_a_asa(100, '3 min', '30 min', -1, '1 min');
SELECT erlang_a_service_level(100, '3 min', '30 min', 5, '-20 s', '1 min');
SELECT erlang_a_abandonment(-1, '3 min', '30 min', 5, '1 min');
SELECT erlang_a_abandonment(1e9, '3 min', '30 min', 5, '1000 years');
SELECT erlang_a_agents(100, '3 min', '30 min', 100, '20 s', '1 min');
SELECT erlang_a_agents(100, '3 min', '30 min', 80, '20 s', '1 min', 1);

-- business formulas at the ends of numeric: no spurious overflow of 100 * retained
SELECT retention_rate(1e131071, 1e131071, 0) = 100 AS retention_near_numeric_max,
	   retention_rate(1e131071, 5e131070, 0) = 50 AS half_near_numeric_max;
-- a true overflow is an error
SELECT clv(1e131071, 1000);
