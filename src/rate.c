/*-------------------------------------------------------------------------
 *
 * rate.c
 *	  Rates: FCR, SLA adherence, reopen, escalation, automation, abandonment,
 *	  thumbs-up CSAT, and the rate_summary type.
 *
 * A rate_summary holds two exact counters, hits and trials, and every rate is
 *
 *	  rate = 100 * hits / trials
 *
 * Summaries merge by adding both counters, so a monthly rate rolled up from
 * daily summaries is the rate of the month, never the mean of daily rates.
 * All the named one-step rates (fcr_rate, reopen_rate, ..., csat(boolean))
 * are the same aggregate under a KPI's name: one transition function, one
 * inverse, one combine function and one final function.  sla_adherence over
 * (elapsed, target) counts a row as a trial only when it has a target and an
 * elapsed time, and as a hit when elapsed <= target.
 *
 *-------------------------------------------------------------------------
 */
#include "postgres.h"

#include "libpq/pqformat.h"
#include "utils/builtins.h"

#include "kpi_ext.h"

typedef struct RateSummary
{
	int32		vl_len_;		/* varlena header (do not touch directly!) */
	uint8		version;		/* KPI_FORMAT_VERSION */
	uint8		unused[3];		/* zero */
	int64		hits;			/* trials that count as a success */
	int64		trials;			/* rows counted */
} RateSummary;

#define RATE_SUMMARY_TYPE "rate_summary"

/* validate a value before it is trusted: size, version, padding, counts */
static RateSummary *
rate_check(RateSummary *s, int sqlerrcode)
{
	if (VARSIZE(s) != sizeof(RateSummary))
		kpi_invalid_summary(sqlerrcode, RATE_SUMMARY_TYPE, "The value has an unexpected size.");
	if (s->version != KPI_FORMAT_VERSION)
		kpi_invalid_summary(sqlerrcode, RATE_SUMMARY_TYPE, "The value has an unknown format version.");
	if (s->unused[0] != 0 || s->unused[1] != 0 || s->unused[2] != 0)
		kpi_invalid_summary(sqlerrcode, RATE_SUMMARY_TYPE, "Reserved bytes are not zero.");
	if (s->hits < 0 || s->trials < 0)
		kpi_invalid_summary(sqlerrcode, RATE_SUMMARY_TYPE, "A count is negative.");
	if (s->hits > s->trials)
		kpi_invalid_summary(sqlerrcode, RATE_SUMMARY_TYPE, "There are more hits than trials.");
	return s;
}

#define PG_GETARG_RATE_SUMMARY(n) \
	rate_check((RateSummary *) PG_DETOAST_DATUM(PG_GETARG_DATUM(n)), ERRCODE_DATA_CORRUPTED)

static RateSummary *
rate_state(FunctionCallInfo fcinfo, int argno)
{
	RateSummary *s = (RateSummary *) kpi_state_for_update(fcinfo, argno, sizeof(RateSummary));

	s->version = KPI_FORMAT_VERSION;
	return s;
}

/* --- I/O ------------------------------------------------------------------ */

PG_FUNCTION_INFO_V1(kpi_rate_summary_in);
Datum
kpi_rate_summary_in(PG_FUNCTION_ARGS)
{
	char	   *str = PG_GETARG_CSTRING(0);
	RateSummary *s = palloc0(sizeof(RateSummary));
	KpiParser	ps;

	SET_VARSIZE(s, sizeof(RateSummary));
	s->version = KPI_FORMAT_VERSION;
	kpi_parse_begin(&ps, RATE_SUMMARY_TYPE, str);
	s->hits = kpi_parse_count(&ps, "hits");
	kpi_parse_expect(&ps, "/");
	s->trials = kpi_parse_count(&ps, "trials");
	kpi_parse_end(&ps);
	if (s->hits > s->trials)
		kpi_parse_error(&ps, "The hits must not exceed the trials.");
	PG_RETURN_POINTER(rate_check(s, ERRCODE_INVALID_TEXT_REPRESENTATION));
}

PG_FUNCTION_INFO_V1(kpi_rate_summary_out);
Datum
kpi_rate_summary_out(PG_FUNCTION_ARGS)
{
	RateSummary *s = PG_GETARG_RATE_SUMMARY(0);

	PG_RETURN_CSTRING(psprintf("v%d:" INT64_FORMAT "/" INT64_FORMAT,
							   KPI_FORMAT_VERSION, s->hits, s->trials));
}

PG_FUNCTION_INFO_V1(kpi_rate_summary_recv);
Datum
kpi_rate_summary_recv(PG_FUNCTION_ARGS)
{
	StringInfo	buf = (StringInfo) PG_GETARG_POINTER(0);
	RateSummary *s = palloc0(sizeof(RateSummary));

	SET_VARSIZE(s, sizeof(RateSummary));
	kpi_recv_version(buf, RATE_SUMMARY_TYPE);
	s->version = KPI_FORMAT_VERSION;
	s->hits = pq_getmsgint64(buf);
	s->trials = pq_getmsgint64(buf);
	pq_getmsgend(buf);
	PG_RETURN_POINTER(rate_check(s, ERRCODE_INVALID_BINARY_REPRESENTATION));
}

PG_FUNCTION_INFO_V1(kpi_rate_summary_send);
Datum
kpi_rate_summary_send(PG_FUNCTION_ARGS)
{
	RateSummary *s = PG_GETARG_RATE_SUMMARY(0);
	StringInfoData buf;

	pq_begintypsend(&buf);
	pq_sendbyte(&buf, KPI_FORMAT_VERSION);
	pq_sendint64(&buf, s->hits);
	pq_sendint64(&buf, s->trials);
	PG_RETURN_BYTEA_P(pq_endtypsend(&buf));
}

/* --- transition functions ---------------------------------------------- */

/*
 * Add (sign = 1) or remove (sign = -1) one trial: the common step of every
 * transition and inverse transition function of this family.
 */
static Datum
rate_step(FunctionCallInfo fcinfo, bool hit, int sign)
{
	RateSummary *s = rate_state(fcinfo, 0);

	if (sign > 0)
	{
		s->trials = kpi_add_count(s->trials, 1, RATE_SUMMARY_TYPE);
		if (hit)
			s->hits = kpi_add_count(s->hits, 1, RATE_SUMMARY_TYPE);
	}
	else
	{
		s->trials = kpi_sub_count(s->trials, 1, RATE_SUMMARY_TYPE);
		if (hit)
			s->hits = kpi_sub_count(s->hits, 1, RATE_SUMMARY_TYPE);
	}
	PG_RETURN_POINTER(s);
}

/* rate_agg, rate, the named rates, sla_adherence(met) and csat(good) */
PG_FUNCTION_INFO_V1(kpi_rate_accum);
Datum
kpi_rate_accum(PG_FUNCTION_ARGS)
{
	if (PG_ARGISNULL(1))
		return kpi_state_skip(fcinfo, 0, sizeof(RateSummary));
	return rate_step(fcinfo, PG_GETARG_BOOL(1), 1);
}

PG_FUNCTION_INFO_V1(kpi_rate_inv);
Datum
kpi_rate_inv(PG_FUNCTION_ARGS)
{
	if (PG_ARGISNULL(1))
		return kpi_state_skip(fcinfo, 0, sizeof(RateSummary));
	return rate_step(fcinfo, PG_GETARG_BOOL(1), -1);
}

/*
 * sla_adherence(elapsed, target): a row without a target is not covered by
 * an SLA, and a row without an elapsed time (an open ticket) is not counted;
 * callers who want open tickets counted as breached pass
 * coalesce(elapsed, now() - opened_at).
 */
static Datum
sla_step(FunctionCallInfo fcinfo, int sign)
{
	int64		elapsed;
	int64		target;

	if (PG_ARGISNULL(1) || PG_ARGISNULL(2))
		return kpi_state_skip(fcinfo, 0, sizeof(RateSummary));
	elapsed = kpi_duration_usecs(PG_GETARG_INTERVAL_P(1), "SLA elapsed time");
	target = kpi_duration_usecs(PG_GETARG_INTERVAL_P(2), "SLA target");
	return rate_step(fcinfo, elapsed <= target, sign);
}

PG_FUNCTION_INFO_V1(kpi_sla_accum);
Datum
kpi_sla_accum(PG_FUNCTION_ARGS)
{
	return sla_step(fcinfo, 1);
}

PG_FUNCTION_INFO_V1(kpi_sla_inv);
Datum
kpi_sla_inv(PG_FUNCTION_ARGS)
{
	return sla_step(fcinfo, -1);
}

/* merge (sign = 1) or unmerge (sign = -1) a summary: rollup, combine, moving rollup */
static Datum
rate_merge(FunctionCallInfo fcinfo, int sign)
{
	RateSummary *s;
	RateSummary *other;

	if (PG_ARGISNULL(1))
		return kpi_state_skip(fcinfo, 0, sizeof(RateSummary));
	other = PG_GETARG_RATE_SUMMARY(1);
	s = rate_state(fcinfo, 0);
	if (sign > 0)
	{
		s->hits = kpi_add_count(s->hits, other->hits, RATE_SUMMARY_TYPE);
		s->trials = kpi_add_count(s->trials, other->trials, RATE_SUMMARY_TYPE);
	}
	else
	{
		s->hits = kpi_sub_count(s->hits, other->hits, RATE_SUMMARY_TYPE);
		s->trials = kpi_sub_count(s->trials, other->trials, RATE_SUMMARY_TYPE);
		/* the misses, trials - hits, are a count too */
		if (s->hits > s->trials)
			kpi_negative_count(RATE_SUMMARY_TYPE);
	}
	PG_RETURN_POINTER(s);
}

PG_FUNCTION_INFO_V1(kpi_rate_combine);
Datum
kpi_rate_combine(PG_FUNCTION_ARGS)
{
	return rate_merge(fcinfo, 1);
}

PG_FUNCTION_INFO_V1(kpi_rate_uncombine);
Datum
kpi_rate_uncombine(PG_FUNCTION_ARGS)
{
	return rate_merge(fcinfo, -1);
}

/* --- accessors and final functions --------------------------------------- */

/* rate(rate_summary) and the final function of every rate aggregate */
PG_FUNCTION_INFO_V1(kpi_rate_percent);
Datum
kpi_rate_percent(PG_FUNCTION_ARGS)
{
	RateSummary *s = PG_GETARG_RATE_SUMMARY(0);

	if (s->trials == 0)
		PG_RETURN_NULL();
	PG_RETURN_NUMERIC(kpi_percent(s->hits, s->trials));
}

PG_FUNCTION_INFO_V1(kpi_rate_hits);
Datum
kpi_rate_hits(PG_FUNCTION_ARGS)
{
	RateSummary *s = PG_GETARG_RATE_SUMMARY(0);

	PG_RETURN_INT64(s->hits);
}

PG_FUNCTION_INFO_V1(kpi_rate_trials);
Datum
kpi_rate_trials(PG_FUNCTION_ARGS)
{
	RateSummary *s = PG_GETARG_RATE_SUMMARY(0);

	PG_RETURN_INT64(s->trials);
}

/*
 * For other families (Wilson intervals, change tests, control charts): the
 * validated counts of a rate_summary datum.
 */
void
kpi_rate_counts(Datum summary, int64 *hits, int64 *trials)
{
	RateSummary *s = rate_check((RateSummary *) PG_DETOAST_DATUM(summary), ERRCODE_DATA_CORRUPTED);

	*hits = s->hits;
	*trials = s->trials;
}

/*
 * For other families (top_box_summary): a new rate_summary of the given
 * counts, 0 <= hits <= trials.
 */
Datum
kpi_rate_make(int64 hits, int64 trials)
{
	RateSummary *s = palloc0(sizeof(RateSummary));

	SET_VARSIZE(s, sizeof(RateSummary));
	s->version = KPI_FORMAT_VERSION;
	s->hits = hits;
	s->trials = trials;
	PG_RETURN_POINTER(rate_check(s, ERRCODE_DATA_CORRUPTED));
}

/* --- operators ------------------------------------------------------------ */

/*
 * rate_summary + rate_summary: the counts of both, the value rollup() gives
 * over the two; a NULL operand is a summary of no trials.
 */
PG_FUNCTION_INFO_V1(kpi_rate_plus);
Datum
kpi_rate_plus(PG_FUNCTION_ARGS)
{
	return rate_merge(fcinfo, 1);
}

/*
 * rate_summary - rate_summary: the trials of a without those of b, so
 * (a + b) - b = a; NULL when no trial is left.  b holding hits or misses a
 * does not is an error.
 */
PG_FUNCTION_INFO_V1(kpi_rate_minus);
Datum
kpi_rate_minus(PG_FUNCTION_ARGS)
{
	RateSummary *s;

	if (PG_ARGISNULL(0) && PG_ARGISNULL(1))
		PG_RETURN_NULL();
	if (PG_ARGISNULL(1))
		s = PG_GETARG_RATE_SUMMARY(0);
	else
		s = (RateSummary *) DatumGetPointer(rate_merge(fcinfo, -1));
	if (s->trials == 0)
		PG_RETURN_NULL();
	PG_RETURN_POINTER(s);
}
