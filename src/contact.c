/*-------------------------------------------------------------------------
 *
 * contact.c
 *	  Contact-centre rates over (wait, answered) rows: service level and
 *	  abandonment rate with short abandons.
 *
 * A contact is offered unless it was abandoned before short_abandon: callers
 * who hang up within a few seconds (a wrong number, a menu they did not
 * want) are not counted.  Then
 *
 *	  service level    = 100 * answered with wait <= threshold / offered
 *	  abandonment rate = 100 * not answered with wait >= short_abandon / offered
 *
 * Both are rates, so they are kept in a rate_summary (hits = the numerator,
 * trials = offered) and share the rate family's combine, inverse, rollup and
 * final functions (src/rate.c): the functions here only decide, row by row,
 * whether a contact is offered and whether it is a hit, and hand that on to
 * the rate family's own transition functions.
 *
 *-------------------------------------------------------------------------
 */
#include "postgres.h"

#include "fmgr.h"
#include "utils/timestamp.h"

#include "kpi_ext.h"

/* the rate family's transition functions (src/rate.c) */
extern PGDLLEXPORT Datum kpi_rate_accum(PG_FUNCTION_ARGS);
extern PGDLLEXPORT Datum kpi_rate_inv(PG_FUNCTION_ARGS);

/*
 * Count one contact into the rate_summary in argument 0 through the rate
 * family's transition function (kpi_rate_accum or kpi_rate_inv): as a trial
 * and maybe a hit, or not at all when it is not offered or has NULL inputs.
 * The call keeps the caller's aggregate context, so the state is still
 * updated in place and a skipped first row still follows the rate family's
 * rules for NULL states in windows.
 */
static Datum
contact_count(FunctionCallInfo fcinfo, PGFunction rate_step, bool counted, bool hit)
{
	LOCAL_FCINFO(rate_fcinfo, 2);
	Datum		result;

	InitFunctionCallInfoData(*rate_fcinfo, fcinfo->flinfo, 2, fcinfo->fncollation,
							 fcinfo->context, NULL);
	rate_fcinfo->args[0] = fcinfo->args[0];
	rate_fcinfo->args[1].value = BoolGetDatum(hit);
	rate_fcinfo->args[1].isnull = !counted;
	result = rate_step(rate_fcinfo);
	fcinfo->isnull = rate_fcinfo->isnull;
	return result;
}

/* a threshold or short-abandon limit: an interval of zero or more */
static int64
limit_arg(FunctionCallInfo fcinfo, int argno, const char *what, const char *hint)
{
	int64		usecs = kpi_interval_usecs(PG_GETARG_INTERVAL_P(argno), what);

	if (usecs < 0)
		ereport(ERROR,
				(errcode(ERRCODE_NUMERIC_VALUE_OUT_OF_RANGE),
				 errmsg("%s must not be negative", what),
				 errdetail("It is a waiting time, zero or more."),
				 errhint("%s", hint)));
	return usecs;
}

/*
 * Classify one row of service_level(wait, answered, threshold [, short_abandon])
 * (threshold_arg > 0) or abandonment_rate(wait, answered, short_abandon)
 * (threshold_arg = 0) and count it.  Any NULL argument skips the row; the
 * limits are checked even then, so that a bad constant is never silent.
 */
static Datum
contact_step(FunctionCallInfo fcinfo, int threshold_arg, int short_abandon_arg,
			 PGFunction rate_step)
{
	int64		threshold = 0;
	int64		short_abandon = 0;
	int64		wait;
	bool		answered;
	bool		offered;
	bool		hit;

	if (threshold_arg > 0 && !PG_ARGISNULL(threshold_arg))
		threshold = limit_arg(fcinfo, threshold_arg, "service level threshold",
							  "For an 80/20 service level pass interval '20 seconds'.");
	if (short_abandon_arg > 0 && !PG_ARGISNULL(short_abandon_arg))
		short_abandon = limit_arg(fcinfo, short_abandon_arg, "short abandon limit",
								  "Pass the wait below which an abandoned contact is not counted, such as interval '5 seconds'.");
	for (int i = 1; i < PG_NARGS(); i++)
		if (PG_ARGISNULL(i))
			return contact_count(fcinfo, rate_step, false, false);
	wait = kpi_duration_usecs(PG_GETARG_INTERVAL_P(1), "waiting time");
	answered = PG_GETARG_BOOL(2);

	offered = answered || wait >= short_abandon;
	if (threshold_arg > 0)
		hit = answered && wait <= threshold;
	else
		hit = !answered;
	return contact_count(fcinfo, rate_step, offered, hit);
}

/* service_level(wait, answered, threshold [, short_abandon]) and service_level_agg */
PG_FUNCTION_INFO_V1(kpi_service_level_accum);
Datum
kpi_service_level_accum(PG_FUNCTION_ARGS)
{
	return contact_step(fcinfo, 3, PG_NARGS() > 4 ? 4 : 0, kpi_rate_accum);
}

PG_FUNCTION_INFO_V1(kpi_service_level_inv);
Datum
kpi_service_level_inv(PG_FUNCTION_ARGS)
{
	return contact_step(fcinfo, 3, PG_NARGS() > 4 ? 4 : 0, kpi_rate_inv);
}

/* abandonment_rate(wait, answered, short_abandon) and abandonment_agg */
PG_FUNCTION_INFO_V1(kpi_abandonment_accum);
Datum
kpi_abandonment_accum(PG_FUNCTION_ARGS)
{
	return contact_step(fcinfo, 0, 3, kpi_rate_accum);
}

PG_FUNCTION_INFO_V1(kpi_abandonment_inv);
Datum
kpi_abandonment_inv(PG_FUNCTION_ARGS)
{
	return contact_step(fcinfo, 0, 3, kpi_rate_inv);
}
