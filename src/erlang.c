/*-------------------------------------------------------------------------
 *
 * erlang.c
 *	  Erlang C and Erlang A staffing formulas: erlang_c, erlang_service_level,
 *	  erlang_asa, erlang_agents and their erlang_a_* counterparts.
 *
 * Erlang C models a queue of contacts arriving at random (Poisson) and served
 * by N identical agents with exponential handle times.  With the traffic
 * intensity A = arrivals * AHT / period (in erlangs), the probability that a
 * contact has to wait is
 *
 *	  C(N, A) = N * B(N, A) / (N - A * (1 - B(N, A)))
 *
 * where B is Erlang B, computed through the recurrence
 *
 *	  B(0) = 1,  B(k) = A * B(k-1) / (k + A * B(k-1))
 *
 * rather than through A^N / N! and a sum of such terms: every step stays in
 * [0, 1], so hundreds or thousands of agents neither overflow nor lose
 * precision.  From C follow the service level, the share of contacts answered
 * within a threshold T,
 *
 *	  SL = 1 - C * exp(-(N - A) * T / AHT),
 *
 * and the average speed of answer ASA = C * AHT / (N - A).  The model has a
 * steady state only when N > A.  It assumes that nobody abandons, so with
 * real abandonment it overstates waiting and errs on the side of more agents.
 *
 *-------------------------------------------------------------------------
 */
#include "postgres.h"

#include <math.h>

#include "miscadmin.h"
#include "utils/builtins.h"
#include "utils/float.h"
#include "utils/numeric.h"

#include "kpi_ext.h"

/* the inputs every Erlang function shares, checked and converted */
typedef struct ErlangLoad
{
	double		traffic;		/* A, in erlangs */
	double		aht_usecs;		/* average handle time */
} ErlangLoad;

/* a double in its shortest exact text form, for messages */
static char *
fmt_double(double value)
{
	StringInfoData buf;

	initStringInfo(&buf);
	kpi_append_double(&buf, value);
	return buf.data;
}

static ErlangLoad
erlang_load(FunctionCallInfo fcinfo)
{
	double		arrivals = PG_GETARG_FLOAT8(0);
	int64		aht = kpi_interval_usecs(PG_GETARG_INTERVAL_P(1), "average handle time");
	int64		period = kpi_interval_usecs(PG_GETARG_INTERVAL_P(2), "period");
	ErlangLoad	load;

	if (isnan(arrivals) || isinf(arrivals) || arrivals < 0)
		ereport(ERROR,
				(errcode(ERRCODE_NUMERIC_VALUE_OUT_OF_RANGE),
				 errmsg("number of arrivals %s is out of range", fmt_double(arrivals)),
				 errdetail("Arrivals are the contacts offered in one period: a finite number of zero or more."),
				 errhint("Map missing forecasts to NULL rather than to a negative number.")));
	if (aht < 0)
		ereport(ERROR,
				(errcode(ERRCODE_NUMERIC_VALUE_OUT_OF_RANGE),
				 errmsg("average handle time must not be negative"),
				 errdetail("The average handle time is the mean of talk, hold and wrap time, zero or more."),
				 errhint("Pass the mean of talk, hold and wrap time, such as interval '3 minutes'.")));
	if (period <= 0)
		ereport(ERROR,
				(errcode(ERRCODE_NUMERIC_VALUE_OUT_OF_RANGE),
				 errmsg("period must be positive"),
				 errdetail("The period is the length of the interval the arrivals are counted in."),
				 errhint("Pass the interval length, such as interval '30 minutes'.")));
	load.aht_usecs = (double) aht;
	load.traffic = arrivals * ((double) aht / (double) period);
	if (isinf(load.traffic))
		ereport(ERROR,
				(errcode(ERRCODE_NUMERIC_VALUE_OUT_OF_RANGE),
				 errmsg("traffic intensity is out of range"),
				 errdetail("The traffic intensity arrivals * AHT / period must be a finite number.")));
	return load;
}

/*
 * The number of agents, zero or more.  Returns whether the period is
 * overloaded: agents <= traffic (so always without agents), where Erlang C
 * has no steady state and the functions return their limits.
 */
static bool
erlang_agents_arg(FunctionCallInfo fcinfo, int argno, const ErlangLoad *load, int32 *agents)
{
	*agents = PG_GETARG_INT32(argno);
	if (*agents < 0)
		ereport(ERROR,
				(errcode(ERRCODE_NUMERIC_VALUE_OUT_OF_RANGE),
				 errmsg("number of agents must not be negative"),
				 errdetail("The agents are the people taking contacts in the period, zero or more.")));
	return *agents == 0 || (double) *agents <= load->traffic;
}

static double
erlang_threshold_usecs(FunctionCallInfo fcinfo, int argno)
{
	int64		threshold = kpi_interval_usecs(PG_GETARG_INTERVAL_P(argno), "service level threshold");

	if (threshold < 0)
		ereport(ERROR,
				(errcode(ERRCODE_NUMERIC_VALUE_OUT_OF_RANGE),
				 errmsg("service level threshold must not be negative"),
				 errdetail("The threshold is the waiting time within which a contact counts as answered in time."),
				 errhint("For an 80/20 service level pass interval '20 seconds'.")));
	return (double) threshold;
}

/* one step of the Erlang B recurrence: B(k) from B(k-1) */
static inline double
erlang_b_next(double traffic, double b, int64 k)
{
	double		ab = traffic * b;

	return ab / ((double) k + ab);
}

/* Erlang C from Erlang B for the same number of agents (agents > traffic) */
static inline double
erlang_c_from_b(double traffic, int64 agents, double b)
{
	return (double) agents * b / ((double) agents - traffic * (1.0 - b));
}

/* Erlang C for agents > traffic */
static double
erlang_c_prob(double traffic, int32 agents)
{
	double		b = 1.0;

	if (traffic == 0.0)
		return 0.0;

	for (int64 k = 1; k <= agents; k++)
	{
		b = erlang_b_next(traffic, b, k);
		if (b == 0.0)
			return 0.0;			/* underflow: B and C stay 0 from here on */
		if ((k & 0xFFFF) == 0)
			CHECK_FOR_INTERRUPTS();
	}
	return erlang_c_from_b(traffic, agents, b);
}

/* service level as a percentage 0..100, for agents > traffic */
static double
erlang_sl_percent(double traffic, int64 agents, double c, double threshold_usecs,
				  double aht_usecs)
{
	double		sl;

	if (c == 0.0)
		return 100.0;			/* also without traffic, where aht_usecs may be 0 */
	sl = 100.0 * (1.0 - c * exp(-((double) agents - traffic) * (threshold_usecs / aht_usecs)));

	return Max(0.0, Min(100.0, sl));
}

PG_FUNCTION_INFO_V1(kpi_erlang_c);
Datum
kpi_erlang_c(PG_FUNCTION_ARGS)
{
	ErlangLoad	load = erlang_load(fcinfo);
	int32		agents;

	if (erlang_agents_arg(fcinfo, 3, &load, &agents))
		PG_RETURN_FLOAT8(1.0);
	PG_RETURN_FLOAT8(erlang_c_prob(load.traffic, agents));
}

PG_FUNCTION_INFO_V1(kpi_erlang_service_level);
Datum
kpi_erlang_service_level(PG_FUNCTION_ARGS)
{
	ErlangLoad	load = erlang_load(fcinfo);
	int32		agents;
	double		threshold = erlang_threshold_usecs(fcinfo, 4);
	double		c;

	if (erlang_agents_arg(fcinfo, 3, &load, &agents))
		PG_RETURN_NUMERIC(int64_to_numeric(0));
	c = erlang_c_prob(load.traffic, agents);
	PG_RETURN_NUMERIC(kpi_numeric_from_double(erlang_sl_percent(load.traffic, agents, c,
																 threshold, load.aht_usecs)));
}

/*
 * A mean waiting time in microseconds as an interval; NULL (unbounded) when
 * it exceeds what an interval holds, as just above the overload point.
 */
static Datum
erlang_wait_interval(FunctionCallInfo fcinfo, double usecs)
{
	if (!(usecs < (double) PG_INT64_MAX / 2))
		PG_RETURN_NULL();
	PG_RETURN_INTERVAL_P(kpi_usecs_interval(usecs));
}

PG_FUNCTION_INFO_V1(kpi_erlang_asa);
Datum
kpi_erlang_asa(PG_FUNCTION_ARGS)
{
	ErlangLoad	load = erlang_load(fcinfo);
	int32		agents;
	double		c;

	if (erlang_agents_arg(fcinfo, 3, &load, &agents))
		PG_RETURN_NULL();
	c = erlang_c_prob(load.traffic, agents);
	if (c == 0.0)
		return erlang_wait_interval(fcinfo, 0.0);
	return erlang_wait_interval(fcinfo, c * load.aht_usecs / ((double) agents - load.traffic));
}

static bool
num_ge(Numeric a, Numeric b)
{
	return kpi_numeric_cmp(a, b) >= 0;
}

/*
 * Staff needed after shrinkage: the smallest integer M with M * (1 - s) >= N.
 * Computed in numeric from the shrinkage rounded to 15 significant digits, so
 * that 7 agents at 30% shrinkage give exactly 10, not 11 from a binary
 * rounding of 7 / 0.7; the product check makes the rounding of the division
 * harmless.  A shrinkage within 1e-15 of 1 rounds to 1 there: then the
 * available share is 1 - s itself (exact in binary for s >= 0.5), never 0.
 */
static int32
erlang_with_shrinkage(int32 agents, double shrinkage)
{
	Numeric		available;
	Numeric		needed = int64_to_numeric(agents);
	Numeric		staff;
	int64		m;

	if (shrinkage == 0.0 || agents == 0)
		return agents;
	available = numeric_sub_opt_error(int64_to_numeric(1), kpi_numeric_from_double(shrinkage), NULL);
	if (kpi_numeric_cmp(available, int64_to_numeric(0)) <= 0)
		available = kpi_numeric_from_double(1.0 - shrinkage);
	staff = numeric_div_opt_error(needed, available, NULL);
	staff = DatumGetNumeric(DirectFunctionCall1(numeric_ceil, NumericGetDatum(staff)));
	if (kpi_numeric_cmp(staff, int64_to_numeric(PG_INT32_MAX)) > 0)
		ereport(ERROR,
				(errcode(ERRCODE_NUMERIC_VALUE_OUT_OF_RANGE),
				 errmsg("required number of agents is out of range"),
				 errdetail("%d agents at a shrinkage of %s need more than %d staff.", agents, fmt_double(shrinkage), PG_INT32_MAX)));
	m = DatumGetInt64(DirectFunctionCall1(numeric_int8, NumericGetDatum(staff)));
	while (m > 0 && num_ge(numeric_mul_opt_error(int64_to_numeric(m - 1), available, NULL), needed))
		m--;
	while (!num_ge(numeric_mul_opt_error(int64_to_numeric(m), available, NULL), needed))
		m++;
	if (m > PG_INT32_MAX)
		ereport(ERROR,
				(errcode(ERRCODE_NUMERIC_VALUE_OUT_OF_RANGE),
				 errmsg("required number of agents is out of range"),
				 errdetail("%d agents at a shrinkage of %s need more than %d staff.", agents, fmt_double(shrinkage), PG_INT32_MAX)));
	return (int32) m;
}

/*
 * A target service level: a percentage strictly between 0 and 100.  A value
 * in (0, 1] is almost surely a fraction (0.8 for 80%) and is rejected rather
 * than read as 0.8%.
 */
static Numeric
erlang_target_arg(FunctionCallInfo fcinfo, int argno)
{
	Numeric		target = kpi_numeric_arg(fcinfo, argno, "target service level");
	char	   *text = DatumGetCString(DirectFunctionCall1(numeric_out, NumericGetDatum(target)));

	if (!(kpi_numeric_cmp(target, int64_to_numeric(0)) > 0 &&
		  kpi_numeric_cmp(target, int64_to_numeric(100)) < 0))
		ereport(ERROR,
				(errcode(ERRCODE_NUMERIC_VALUE_OUT_OF_RANGE),
				 errmsg("target service level %s is out of range", text),
				 errdetail("The target is a percentage greater than 0 and less than 100."),
				 errhint("For an 80/20 service level pass 80 and interval '20 seconds'.")));
	if (kpi_numeric_cmp(target, int64_to_numeric(1)) <= 0)
		ereport(ERROR,
				(errcode(ERRCODE_NUMERIC_VALUE_OUT_OF_RANGE),
				 errmsg("target service level %s looks like a fraction", text),
				 errdetail("The target is a percentage from 0 to 100, and targets of 1%% or less are taken for fractions."),
				 errhint("Pass the target as a percentage: 80 for an 80%% service level, not 0.8.")));
	return target;
}

static double
erlang_shrinkage_arg(FunctionCallInfo fcinfo, int argno)
{
	double		shrinkage = PG_NARGS() > argno ? PG_GETARG_FLOAT8(argno) : 0.0;

	if (isnan(shrinkage) || shrinkage < 0.0 || shrinkage >= 1.0)
		ereport(ERROR,
				(errcode(ERRCODE_NUMERIC_VALUE_OUT_OF_RANGE),
				 errmsg("shrinkage %s is out of range", fmt_double(shrinkage)),
				 errdetail("Shrinkage is the fraction of paid time in which agents cannot take contacts, from 0 up to but excluding 1."),
				 errhint("For 30%% shrinkage pass 0.3.")));
	return shrinkage;
}

/*
 * The smallest number of agents N > A whose Erlang C service level reaches
 * the target, then grossed up for shrinkage.  B is carried along the
 * recurrence, so the whole search costs O(N).  The service level is compared
 * as the numeric erlang_service_level() returns, so that
 * erlang_service_level(..., erlang_agents(...), ...) >= target always holds
 * without shrinkage.  Without traffic no agents are needed: 0.
 */
PG_FUNCTION_INFO_V1(kpi_erlang_agents);
Datum
kpi_erlang_agents(PG_FUNCTION_ARGS)
{
	ErlangLoad	load = erlang_load(fcinfo);
	Numeric		target = erlang_target_arg(fcinfo, 3);
	double		threshold = erlang_threshold_usecs(fcinfo, 4);
	double		shrinkage = erlang_shrinkage_arg(fcinfo, 5);
	double		first;
	double		b = 1.0;
	int64		agents;

	if (load.traffic == 0.0)
		PG_RETURN_INT32(0);

	first = floor(load.traffic) + 1.0;
	if (first > (double) PG_INT32_MAX)
		ereport(ERROR,
				(errcode(ERRCODE_NUMERIC_VALUE_OUT_OF_RANGE),
				 errmsg("traffic of %s erlangs is out of range", fmt_double(load.traffic)),
				 errdetail("The number of agents must fit in an integer.")));

	/* Erlang B up to the largest N that cannot carry the traffic */
	for (agents = 1; agents < (int64) first; agents++)
	{
		b = erlang_b_next(load.traffic, b, agents);
		if ((agents & 0xFFFF) == 0)
			CHECK_FOR_INTERRUPTS();
	}

	/* the service level rises with N towards 100; the target is below 100 */
	for (agents = (int64) first;; agents++)
	{
		double		c;
		double		sl;

		if (agents > PG_INT32_MAX)
			ereport(ERROR,
					(errcode(ERRCODE_NUMERIC_VALUE_OUT_OF_RANGE),
					 errmsg("required number of agents is out of range"),
					 errdetail("No number of agents that fits in an integer reaches the target.")));
		CHECK_FOR_INTERRUPTS();
		b = erlang_b_next(load.traffic, b, agents);
		c = erlang_c_from_b(load.traffic, agents, b);
		sl = erlang_sl_percent(load.traffic, agents, c, threshold, load.aht_usecs);
		if (num_ge(kpi_numeric_from_double(sl), target))
			break;
	}
	PG_RETURN_INT32(erlang_with_shrinkage((int32) agents, shrinkage));
}

/* --- Erlang A: abandonment ------------------------------------------------- */

/*
 * Erlang A (M/M/N+M; Palm 1943, Garnett, Mandelbaum and Reiman 2002) adds
 * abandonment to Erlang C: a waiting contact hangs up after an exponential
 * patience of mean P, independently of the others.  The number of contacts
 * in the system is a birth-death chain with birth rate lambda, death rate
 * k mu up to N and N mu + (k - N) theta above (mu = 1 / AHT, theta = 1 / P),
 * which has a steady state for any load.  With x = N mu / theta and
 * y = lambda / theta (the arrivals during one mean patience), the chain's
 * weights above N, relative to state N, are
 *
 *	  w(j) = y^j / ((x + 1) (x + 2) ... (x + j)),	j = 0, 1, ... waiting
 *
 * and with M = sum of w(j) and B the Erlang B of N agents, an arriving contact
 * waits with probability P(wait) = B M / (1 - B + B M).  A contact that finds
 * j others waiting (J = j + 1 in the queue with it) is answered with
 * probability x / (x + J): at each step ahead of it the queue moves at rate
 * N mu + i theta while it abandons at rate theta, and the product of these
 * chances telescopes.  Given that it is answered, its wait is a sum of
 * exponentials of rates N mu + m theta, m = 1 .. J, which is distributed as
 * -ln(U) / theta with U ~ Beta(x + 1, J): it exceeds T with probability
 * I_z(x + 1, J), z = exp(-theta T) (the regularized incomplete beta), and its
 * mean is (1 / theta) (1 / (x + 1) + ... + 1 / (x + J)).  So, over all offered
 * contacts (those that find a free agent are answered at once):
 *
 *	  answered within T = 1 - P(wait) + P(wait) sum w x / (x + J) (1 - I_z(x + 1, J)) / M
 *	  abandoned			= P(wait) sum w J / (x + J) / M
 *	  ASA				= mean wait of the answered contacts
 *
 * The sums run over j until the weights, past their peak near j = y - x,
 * have fallen below 2^-60 of their total; the weights are rescaled by 2^-830
 * whenever they pass 2^830, and I_z(x + 1, J) follows its recurrence in J,
 *
 *	  I_z(a, J + 1) = I_z(a, J) + z^a (1 - z)^J Gamma(a + J) / (Gamma(a) Gamma(J + 1)),
 *
 * with the added term carried as a logarithm: nothing overflows or underflows
 * for any number of agents, load or patience.  The cost is O(N + y).
 */
typedef struct ErlangA
{
	double		wait;			/* P(wait) */
	double		in_time;		/* share of offered contacts answered within T */
	double		abandoned;		/* share of offered contacts that abandon */
	double		asa_usecs;		/* mean wait of the answered; NaN when none are */
} ErlangA;

/* more terms than this would take minutes: the patience is then far too long */
#define ERLANG_A_MAX_TERMS 4e8
#define ERLANG_A_SCALE_BITS 830

static double
erlang_patience_usecs(FunctionCallInfo fcinfo, int argno)
{
	int64		patience = kpi_interval_usecs(PG_GETARG_INTERVAL_P(argno), "patience");

	if (patience <= 0)
		ereport(ERROR,
				(errcode(ERRCODE_NUMERIC_VALUE_OUT_OF_RANGE),
				 errmsg("patience must be positive"),
				 errdetail("Erlang A models contacts that abandon after waiting an exponentially distributed time of this mean."),
				 errhint("Estimate it as the total waiting time of all offered contacts divided by the number that abandoned; for contacts that never abandon use Erlang C.")));
	return (double) patience;
}

static void
erlang_a_eval(const ErlangLoad *load, int32 agents, double threshold_usecs,
			  double patience_usecs, ErlangA *r)
{
	double		ratio;
	double		x;
	double		y;
	double		b = 1.0;
	double		theta_t = threshold_usecs / patience_usecs;
	double		log_1mz = log(-expm1(-theta_t));	/* log(1 - z), -inf for T = 0 */
	double		log_term;
	double		late_share;		/* I_z(x + 1, J) */
	double		w = 1.0;
	double		total = 0.0;
	double		served = 0.0;
	double		late = 0.0;
	double		gone = 0.0;
	double		waited = 0.0;
	double		harmonic = 0.0;
	double		limit;
	double		log_rest;
	int64		scaled = 0;

	if (agents == 0)
	{
		/* nobody is ever answered: every contact waits until it abandons */
		r->wait = 1.0;
		r->in_time = 0.0;
		r->abandoned = 1.0;
		r->asa_usecs = get_float8_nan();
		return;
	}
	if (load->traffic == 0.0)
	{
		r->wait = 0.0;
		r->in_time = 1.0;
		r->abandoned = 0.0;
		r->asa_usecs = 0.0;
		return;
	}
	ratio = patience_usecs / load->aht_usecs;
	x = (double) agents * ratio;
	y = load->traffic * ratio;
	limit = Max(0.0, y - x) + 40.0 * sqrt(y) + 100.0;
	if (!(limit <= ERLANG_A_MAX_TERMS))
		ereport(ERROR,
				(errcode(ERRCODE_PROGRAM_LIMIT_EXCEEDED),
				 errmsg("patience is too long for Erlang A at this load"),
				 errdetail("The queue would hold about %s contacts waiting at once (arrivals during one mean patience), more than this function sums.",
						   fmt_double(rint(y))),
				 errhint("For contacts that hardly ever abandon use Erlang C: erlang_service_level and erlang_asa.")));

	for (int64 k = 1; k <= agents; k++)
	{
		b = erlang_b_next(load->traffic, b, k);
		if (b == 0.0)
			break;
		if ((k & 0xFFFF) == 0)
			CHECK_FOR_INTERRUPTS();
	}
	if (b == 0.0)
	{
		/* so many free agents that waiting underflows */
		r->wait = 0.0;
		r->in_time = 1.0;
		r->abandoned = 0.0;
		r->asa_usecs = 0.0;
		return;
	}

	/* J = 1: I_z(x + 1, 1) = z^(x + 1); the first added term z^(x+1) (1 - z) (x + 1) */
	late_share = theta_t == 0.0 ? 1.0 : exp(-(x + 1.0) * theta_t);
	log_term = -(x + 1.0) * theta_t + log_1mz + log(x + 1.0);
	for (int64 j = 0;; j++)
	{
		double		big_j = (double) (j + 1);
		double		answer = x / (x + big_j);

		harmonic += 1.0 / (x + big_j);
		total += w;
		served += w * answer;
		late += w * answer * Min(late_share, 1.0);
		gone += w * (big_j / (x + big_j));
		waited += w * answer * harmonic;
		if (theta_t > 0.0)
		{
			late_share += exp(log_term);
			log_term += log_1mz + log((x + 1.0 + big_j) / (big_j + 1.0));
		}
		w *= y / (x + big_j);
		if (w > ldexp(1.0, ERLANG_A_SCALE_BITS))
		{
			w = ldexp(w, -ERLANG_A_SCALE_BITS);
			total = ldexp(total, -ERLANG_A_SCALE_BITS);
			served = ldexp(served, -ERLANG_A_SCALE_BITS);
			late = ldexp(late, -ERLANG_A_SCALE_BITS);
			gone = ldexp(gone, -ERLANG_A_SCALE_BITS);
			waited = ldexp(waited, -ERLANG_A_SCALE_BITS);
			scaled++;
		}
		/* past the peak, the rest is below 2^-60 of the total (weights fall faster than geometrically) */
		if (big_j >= y - x && w * (big_j + 1.0) < ldexp(total, -60))
			break;
		if ((j & 0xFFFF) == 0xFFFF)
			CHECK_FOR_INTERRUPTS();
	}

	/* (1 - B) / (B M) in logarithms, M being total * 2^(830 scaled) */
	log_rest = log1p(-b) - log(b) - log(total) - (double) scaled * ERLANG_A_SCALE_BITS * M_LN2;
	r->wait = 1.0 / (1.0 + exp(log_rest));
	r->in_time = Max(0.0, Min(1.0, (1.0 - r->wait) + r->wait * Max(0.0, served - late) / total));
	r->abandoned = Max(0.0, Min(1.0, r->wait * (gone / total)));
	r->asa_usecs = r->wait * (waited / total) * patience_usecs /
		((1.0 - r->wait) + r->wait * (served / total));
}

/* the arguments every Erlang A function but erlang_a_agents takes: load and agents */
static void
erlang_a_args(FunctionCallInfo fcinfo, ErlangLoad *load, int32 *agents)
{
	*load = erlang_load(fcinfo);
	/* no steady-state condition: Erlang A is defined for any number of agents */
	(void) erlang_agents_arg(fcinfo, 3, load, agents);
}

PG_FUNCTION_INFO_V1(kpi_erlang_a_service_level);
Datum
kpi_erlang_a_service_level(PG_FUNCTION_ARGS)
{
	ErlangLoad	load;
	int32		agents;
	double		threshold;
	double		patience;
	ErlangA		r;

	erlang_a_args(fcinfo, &load, &agents);
	threshold = erlang_threshold_usecs(fcinfo, 4);
	patience = erlang_patience_usecs(fcinfo, 5);
	erlang_a_eval(&load, agents, threshold, patience, &r);
	PG_RETURN_NUMERIC(kpi_numeric_from_double(100.0 * r.in_time));
}

PG_FUNCTION_INFO_V1(kpi_erlang_a_abandonment);
Datum
kpi_erlang_a_abandonment(PG_FUNCTION_ARGS)
{
	ErlangLoad	load;
	int32		agents;
	double		patience;
	ErlangA		r;

	erlang_a_args(fcinfo, &load, &agents);
	patience = erlang_patience_usecs(fcinfo, 4);
	erlang_a_eval(&load, agents, 0.0, patience, &r);
	PG_RETURN_NUMERIC(kpi_numeric_from_double(100.0 * r.abandoned));
}

PG_FUNCTION_INFO_V1(kpi_erlang_a_asa);
Datum
kpi_erlang_a_asa(PG_FUNCTION_ARGS)
{
	ErlangLoad	load;
	int32		agents;
	double		patience;
	ErlangA		r;

	erlang_a_args(fcinfo, &load, &agents);
	patience = erlang_patience_usecs(fcinfo, 4);
	erlang_a_eval(&load, agents, 0.0, patience, &r);
	if (isnan(r.asa_usecs))
		PG_RETURN_NULL();
	return erlang_wait_interval(fcinfo, r.asa_usecs);
}

/* the Erlang A service level of n agents as erlang_a_service_level returns it */
static Numeric
erlang_a_sl(const ErlangLoad *load, int64 agents, double threshold, double patience)
{
	ErlangA		r;

	CHECK_FOR_INTERRUPTS();
	erlang_a_eval(load, (int32) agents, threshold, patience, &r);
	return kpi_numeric_from_double(100.0 * r.in_time);
}

/*
 * The smallest number of agents whose Erlang A service level reaches the
 * target, grossed up for shrinkage.  The service level rises with the number
 * of agents, so a doubling search brackets it and a bisection finds it, with
 * O(log N) evaluations of O(N + y) each.  Without traffic: 0.
 */
PG_FUNCTION_INFO_V1(kpi_erlang_a_agents);
Datum
kpi_erlang_a_agents(PG_FUNCTION_ARGS)
{
	ErlangLoad	load = erlang_load(fcinfo);
	Numeric		target = erlang_target_arg(fcinfo, 3);
	double		threshold = erlang_threshold_usecs(fcinfo, 4);
	double		patience = erlang_patience_usecs(fcinfo, 5);
	double		shrinkage = erlang_shrinkage_arg(fcinfo, 6);
	int64		lo = 0;			/* never enough: 0 agents answer nobody */
	int64		hi = 1;

	if (load.traffic == 0.0)
		PG_RETURN_INT32(0);
	while (!num_ge(erlang_a_sl(&load, hi, threshold, patience), target))
	{
		if (hi == PG_INT32_MAX)
			ereport(ERROR,
					(errcode(ERRCODE_NUMERIC_VALUE_OUT_OF_RANGE),
					 errmsg("required number of agents is out of range"),
					 errdetail("No number of agents that fits in an integer reaches the target.")));
		lo = hi;
		hi = Min(2 * hi, (int64) PG_INT32_MAX);
	}
	while (hi - lo > 1)
	{
		int64		mid = lo + (hi - lo) / 2;

		if (num_ge(erlang_a_sl(&load, mid, threshold, patience), target))
			hi = mid;
		else
			lo = mid;
	}
	PG_RETURN_INT32(erlang_with_shrinkage((int32) hi, shrinkage));
}
