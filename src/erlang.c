/*-------------------------------------------------------------------------
 *
 * erlang.c
 *	  Erlang C staffing formulas: erlang_c, erlang_service_level, erlang_asa
 *	  and erlang_agents.
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
	if (aht <= 0)
		ereport(ERROR,
				(errcode(ERRCODE_NUMERIC_VALUE_OUT_OF_RANGE),
				 errmsg("average handle time must be positive"),
				 errdetail("Erlang C needs an average handle time greater than zero."),
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

static int32
erlang_agents_arg(FunctionCallInfo fcinfo, int argno, const ErlangLoad *load)
{
	int32		agents = PG_GETARG_INT32(argno);

	if (agents <= 0)
		ereport(ERROR,
				(errcode(ERRCODE_NUMERIC_VALUE_OUT_OF_RANGE),
				 errmsg("number of agents must be positive"),
				 errdetail("Erlang C needs at least one agent.")));
	if ((double) agents <= load->traffic)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("%d agents cannot carry a traffic of %s erlangs", agents, fmt_double(load->traffic)),
				 errdetail("Erlang C has a steady state only when the number of agents exceeds the traffic intensity arrivals * AHT / period; otherwise the queue grows without bound."),
				 errhint("Pass more agents than the traffic intensity, or let erlang_agents() find how many are needed.")));
	return agents;
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

static double
erlang_c_prob(double traffic, int32 agents)
{
	double		b = 1.0;

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

/* service level as a percentage 0..100 */
static double
erlang_sl_percent(double traffic, int64 agents, double c, double threshold_usecs,
				  double aht_usecs)
{
	double		sl = 100.0 * (1.0 - c * exp(-((double) agents - traffic) * threshold_usecs / aht_usecs));

	return Max(0.0, Min(100.0, sl));
}

PG_FUNCTION_INFO_V1(kpi_erlang_c);
Datum
kpi_erlang_c(PG_FUNCTION_ARGS)
{
	ErlangLoad	load = erlang_load(fcinfo);
	int32		agents = erlang_agents_arg(fcinfo, 3, &load);

	PG_RETURN_FLOAT8(erlang_c_prob(load.traffic, agents));
}

PG_FUNCTION_INFO_V1(kpi_erlang_service_level);
Datum
kpi_erlang_service_level(PG_FUNCTION_ARGS)
{
	ErlangLoad	load = erlang_load(fcinfo);
	int32		agents = erlang_agents_arg(fcinfo, 3, &load);
	double		threshold = erlang_threshold_usecs(fcinfo, 4);
	double		c = erlang_c_prob(load.traffic, agents);

	PG_RETURN_NUMERIC(kpi_numeric_from_double(erlang_sl_percent(load.traffic, agents, c,
																 threshold, load.aht_usecs)));
}

PG_FUNCTION_INFO_V1(kpi_erlang_asa);
Datum
kpi_erlang_asa(PG_FUNCTION_ARGS)
{
	ErlangLoad	load = erlang_load(fcinfo);
	int32		agents = erlang_agents_arg(fcinfo, 3, &load);
	double		c = erlang_c_prob(load.traffic, agents);

	PG_RETURN_INTERVAL_P(kpi_usecs_interval(c * load.aht_usecs / ((double) agents - load.traffic)));
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
 * harmless.
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
	staff = numeric_div_opt_error(needed, available, NULL);
	staff = DatumGetNumeric(DirectFunctionCall1(numeric_ceil, NumericGetDatum(staff)));
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
	Numeric		target = kpi_numeric_arg(fcinfo, 3, "target service level");
	double		threshold = erlang_threshold_usecs(fcinfo, 4);
	double		shrinkage = PG_NARGS() > 5 ? PG_GETARG_FLOAT8(5) : 0.0;
	double		first;
	double		b = 1.0;
	int64		agents;

	if (!(kpi_numeric_cmp(target, int64_to_numeric(0)) > 0 &&
		  kpi_numeric_cmp(target, int64_to_numeric(100)) < 0))
		ereport(ERROR,
				(errcode(ERRCODE_NUMERIC_VALUE_OUT_OF_RANGE),
				 errmsg("target service level %s is out of range",
						DatumGetCString(DirectFunctionCall1(numeric_out, NumericGetDatum(target)))),
				 errdetail("The target is a percentage greater than 0 and less than 100."),
				 errhint("For an 80/20 service level pass 80 and interval '20 seconds'.")));
	if (isnan(shrinkage) || shrinkage < 0.0 || shrinkage >= 1.0)
		ereport(ERROR,
				(errcode(ERRCODE_NUMERIC_VALUE_OUT_OF_RANGE),
				 errmsg("shrinkage %s is out of range", fmt_double(shrinkage)),
				 errdetail("Shrinkage is the fraction of paid time in which agents cannot take contacts, from 0 up to but excluding 1."),
				 errhint("For 30%% shrinkage pass 0.3.")));
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
