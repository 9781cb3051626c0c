/*-------------------------------------------------------------------------
 *
 * ratio.c
 *	  Ratios of sums: utilization, occupancy, schedule adherence, quality
 *	  score, average handle time, and the ratio_summary type.
 *
 * A ratio_summary holds the number of rows and two compensated sums, of a
 * numerator and of a denominator, and every KPI of this family is
 *
 *	  ratio = sum(numerator) / sum(denominator)
 *
 * never the mean of per-row ratios: a short shift at 100% must not weigh as
 * much as a long one at 50%.  The KPIs differ only in what they sum:
 *
 *	  utilization        = 100 * sum(busy) / sum(available)
 *	  occupancy          = 100 * sum(handle) / sum(staffed)
 *	  schedule_adherence = 100 * sum(adherent) / sum(scheduled)
 *	  quality_score      = 100 * sum(points) / sum(max_points)
 *	  aht                = sum(talk + hold + wrap) / contacts
 *
 * Intervals are summed as seconds (a month counts as 30 days).  The sums are
 * compensated (KpiSum) and kept normalized, |comp| <= ulp(sum) / 2, so that
 * removing rows in a moving window gives back the sum of the remaining rows
 * rather than an accumulation of rounding errors, and a stored value has a
 * single exact text form.
 *
 *-------------------------------------------------------------------------
 */
#include "postgres.h"

#include "common/int.h"
#include "libpq/pqformat.h"
#include "utils/builtins.h"
#include "utils/timestamp.h"

#include "kpi_ext.h"

typedef struct RatioSummary
{
	int32		vl_len_;		/* varlena header (do not touch directly!) */
	uint8		version;		/* KPI_FORMAT_VERSION */
	uint8		unused[3];		/* zero */
	int64		n;				/* rows summed */
	KpiSum		num;			/* sum of the numerators */
	KpiSum		den;			/* sum of the denominators */
} RatioSummary;

#define RATIO_SUMMARY_TYPE "ratio_summary"

/*
 * A normalized sum has |comp| <= ulp(sum) / 2 <= |sum| * 2^-53; accept a
 * little more, but not a compensation that would change the sum's leading
 * digits.
 */
#define RATIO_COMP_LIMIT (1.0 / (double) (INT64CONST(1) << 50))

static bool
ratio_sum_valid(const KpiSum *s)
{
	return isfinite(s->sum) && isfinite(s->comp) &&
		fabs(s->comp) <= fabs(s->sum) * RATIO_COMP_LIMIT;
}

/* validate a value before it is trusted: size, version, padding, counts, sums */
static RatioSummary *
ratio_check(RatioSummary *s, int sqlerrcode)
{
	if (VARSIZE(s) != sizeof(RatioSummary))
		kpi_invalid_summary(sqlerrcode, RATIO_SUMMARY_TYPE, "The value has an unexpected size.");
	if (s->version != KPI_FORMAT_VERSION)
		kpi_invalid_summary(sqlerrcode, RATIO_SUMMARY_TYPE, "The value has an unknown format version.");
	if (s->unused[0] != 0 || s->unused[1] != 0 || s->unused[2] != 0)
		kpi_invalid_summary(sqlerrcode, RATIO_SUMMARY_TYPE, "Reserved bytes are not zero.");
	if (s->n < 0)
		kpi_invalid_summary(sqlerrcode, RATIO_SUMMARY_TYPE, "The row count is negative.");
	if (!ratio_sum_valid(&s->num) || !ratio_sum_valid(&s->den))
		kpi_invalid_summary(sqlerrcode, RATIO_SUMMARY_TYPE, "A sum is not finite or not normalized.");
	if (s->n == 0 && (s->num.sum != 0 || s->den.sum != 0))
		kpi_invalid_summary(sqlerrcode, RATIO_SUMMARY_TYPE, "A summary of no rows has non-zero sums.");
	return s;
}

#define PG_GETARG_RATIO_SUMMARY(n) \
	ratio_check((RatioSummary *) PG_DETOAST_DATUM(PG_GETARG_DATUM(n)), ERRCODE_DATA_CORRUPTED)

static RatioSummary *
ratio_state(FunctionCallInfo fcinfo, int argno)
{
	RatioSummary *s = (RatioSummary *) kpi_state_for_update(fcinfo, argno, sizeof(RatioSummary));

	s->version = KPI_FORMAT_VERSION;
	return s;
}

/*
 * Fold the compensation into the sum without losing anything (Knuth's
 * TwoSum: sum + comp is the same real number before and after), so the pair
 * stays normalized.
 */
static void
ratio_sum_normalize(KpiSum *s)
{
	double		t = s->sum + s->comp;
	double		b = t - s->sum;

	s->comp = (s->sum - (t - b)) + (s->comp - b);
	s->sum = t;
	if (!isfinite(s->sum) || !isfinite(s->comp))
		ereport(ERROR,
				(errcode(ERRCODE_NUMERIC_VALUE_OUT_OF_RANGE),
				 errmsg("%s sum out of range", RATIO_SUMMARY_TYPE),
				 errdetail("A sum would exceed the range of double precision.")));
}

static void
ratio_sum_add(KpiSum *s, double x)
{
	kpi_sum_add(s, x);
	ratio_sum_normalize(s);
}

/* --- I/O ------------------------------------------------------------------ */

/* a sum as its value and, when not zero, its signed compensation: 12.5+1e-17 */
static void
ratio_parse_sum(KpiParser *ps, const char *field, KpiSum *s)
{
	s->sum = kpi_parse_double(ps, field);
	s->comp = 0;
	if (kpi_parse_accept(ps, "+"))
		s->comp = kpi_parse_double(ps, "compensation");
	else if (kpi_parse_accept(ps, "-"))
		s->comp = -kpi_parse_double(ps, "compensation");
	if (!ratio_sum_valid(s))
		kpi_parse_error(ps, psprintf("The compensation of %s must be tiny relative to the sum.", field));
}

static void
ratio_append_sum(StringInfo buf, const KpiSum *s)
{
	kpi_append_double(buf, s->sum);
	if (s->comp > 0)
		appendStringInfoChar(buf, '+');
	if (s->comp != 0)
		kpi_append_double(buf, s->comp);
}

PG_FUNCTION_INFO_V1(kpi_ratio_summary_in);
Datum
kpi_ratio_summary_in(PG_FUNCTION_ARGS)
{
	char	   *str = PG_GETARG_CSTRING(0);
	RatioSummary *s = palloc0(sizeof(RatioSummary));
	KpiParser	ps;

	SET_VARSIZE(s, sizeof(RatioSummary));
	s->version = KPI_FORMAT_VERSION;
	kpi_parse_begin(&ps, RATIO_SUMMARY_TYPE, str);
	kpi_parse_expect(&ps, "n=");
	s->n = kpi_parse_count(&ps, "rows");
	kpi_parse_expect(&ps, ",");
	kpi_parse_expect(&ps, "num=");
	ratio_parse_sum(&ps, "num", &s->num);
	kpi_parse_expect(&ps, ",");
	kpi_parse_expect(&ps, "den=");
	ratio_parse_sum(&ps, "den", &s->den);
	kpi_parse_end(&ps);
	if (s->n == 0 && (s->num.sum != 0 || s->den.sum != 0))
		kpi_parse_error(&ps, "A summary of no rows (n=0) must have zero sums.");
	PG_RETURN_POINTER(ratio_check(s, ERRCODE_INVALID_TEXT_REPRESENTATION));
}

PG_FUNCTION_INFO_V1(kpi_ratio_summary_out);
Datum
kpi_ratio_summary_out(PG_FUNCTION_ARGS)
{
	RatioSummary *s = PG_GETARG_RATIO_SUMMARY(0);
	StringInfoData buf;

	initStringInfo(&buf);
	appendStringInfo(&buf, "v%d:n=" INT64_FORMAT ",num=", KPI_FORMAT_VERSION, s->n);
	ratio_append_sum(&buf, &s->num);
	appendStringInfoString(&buf, ",den=");
	ratio_append_sum(&buf, &s->den);
	PG_RETURN_CSTRING(buf.data);
}

PG_FUNCTION_INFO_V1(kpi_ratio_summary_recv);
Datum
kpi_ratio_summary_recv(PG_FUNCTION_ARGS)
{
	StringInfo	buf = (StringInfo) PG_GETARG_POINTER(0);
	RatioSummary *s = palloc0(sizeof(RatioSummary));

	SET_VARSIZE(s, sizeof(RatioSummary));
	kpi_recv_version(buf, RATIO_SUMMARY_TYPE);
	s->version = KPI_FORMAT_VERSION;
	s->n = pq_getmsgint64(buf);
	s->num.sum = pq_getmsgfloat8(buf);
	s->num.comp = pq_getmsgfloat8(buf);
	s->den.sum = pq_getmsgfloat8(buf);
	s->den.comp = pq_getmsgfloat8(buf);
	pq_getmsgend(buf);
	PG_RETURN_POINTER(ratio_check(s, ERRCODE_INVALID_BINARY_REPRESENTATION));
}

PG_FUNCTION_INFO_V1(kpi_ratio_summary_send);
Datum
kpi_ratio_summary_send(PG_FUNCTION_ARGS)
{
	RatioSummary *s = PG_GETARG_RATIO_SUMMARY(0);
	StringInfoData buf;

	pq_begintypsend(&buf);
	pq_sendbyte(&buf, KPI_FORMAT_VERSION);
	pq_sendint64(&buf, s->n);
	pq_sendfloat8(&buf, s->num.sum);
	pq_sendfloat8(&buf, s->num.comp);
	pq_sendfloat8(&buf, s->den.sum);
	pq_sendfloat8(&buf, s->den.comp);
	PG_RETURN_BYTEA_P(pq_endtypsend(&buf));
}

/* --- transition functions ---------------------------------------------- */

/*
 * Add (sign = 1) or remove (sign = -1) one row: the common step of every
 * transition and inverse transition function of this family.  When the last
 * row leaves, the sums are exactly zero again, whatever rounding happened.
 */
static Datum
ratio_step(FunctionCallInfo fcinfo, double num, double den, int sign)
{
	RatioSummary *s = ratio_state(fcinfo, 0);

	if (sign > 0)
	{
		s->n = kpi_add_count(s->n, 1, RATIO_SUMMARY_TYPE);
		ratio_sum_add(&s->num, num);
		ratio_sum_add(&s->den, den);
	}
	else
	{
		s->n = kpi_sub_count(s->n, 1, RATIO_SUMMARY_TYPE);
		if (s->n == 0)
		{
			memset(&s->num, 0, sizeof(KpiSum));
			memset(&s->den, 0, sizeof(KpiSum));
		}
		else
		{
			ratio_sum_add(&s->num, -num);
			ratio_sum_add(&s->den, -den);
		}
	}
	PG_RETURN_POINTER(s);
}

static double
finite_arg(FunctionCallInfo fcinfo, int argno, const char *what)
{
	double		value = PG_GETARG_FLOAT8(argno);

	if (!isfinite(value))
		ereport(ERROR,
				(errcode(ERRCODE_NUMERIC_VALUE_OUT_OF_RANGE),
				 errmsg("%s must be a finite number", what),
				 errdetail("NaN and infinity cannot be summed."),
				 errhint("Filter such rows with WHERE, or map them to NULL.")));
	return value;
}

/* ratio_agg(num double precision, den double precision): rows with a NULL are skipped */
static Datum
ratio_float_step(FunctionCallInfo fcinfo, int sign)
{
	if (PG_ARGISNULL(1) || PG_ARGISNULL(2))
		return kpi_state_skip(fcinfo, 0, sizeof(RatioSummary));
	return ratio_step(fcinfo,
					  finite_arg(fcinfo, 1, "ratio numerator"),
					  finite_arg(fcinfo, 2, "ratio denominator"),
					  sign);
}

PG_FUNCTION_INFO_V1(kpi_ratio_accum);
Datum
kpi_ratio_accum(PG_FUNCTION_ARGS)
{
	return ratio_float_step(fcinfo, 1);
}

PG_FUNCTION_INFO_V1(kpi_ratio_inv);
Datum
kpi_ratio_inv(PG_FUNCTION_ARGS)
{
	return ratio_float_step(fcinfo, -1);
}

static double
interval_seconds(const Interval *span, bool duration, const char *what)
{
	int64		usecs = duration ? kpi_duration_usecs(span, what) : kpi_interval_usecs(span, what);

	return (double) usecs / USECS_PER_SEC;
}

/*
 * (interval, interval) rows, summed as seconds.  ratio_agg accepts negative
 * intervals; the named KPIs sum durations, which must not be negative.
 */
static Datum
ratio_interval_step(FunctionCallInfo fcinfo, bool duration,
					const char *num_name, const char *den_name, int sign)
{
	if (PG_ARGISNULL(1) || PG_ARGISNULL(2))
		return kpi_state_skip(fcinfo, 0, sizeof(RatioSummary));
	return ratio_step(fcinfo,
					  interval_seconds(PG_GETARG_INTERVAL_P(1), duration, num_name),
					  interval_seconds(PG_GETARG_INTERVAL_P(2), duration, den_name),
					  sign);
}

PG_FUNCTION_INFO_V1(kpi_ratio_interval_accum);
Datum
kpi_ratio_interval_accum(PG_FUNCTION_ARGS)
{
	return ratio_interval_step(fcinfo, false, "ratio numerator", "ratio denominator", 1);
}

/* inverse of every (interval, interval) accumulator: the values were checked on the way in */
PG_FUNCTION_INFO_V1(kpi_ratio_interval_inv);
Datum
kpi_ratio_interval_inv(PG_FUNCTION_ARGS)
{
	return ratio_interval_step(fcinfo, false, "ratio numerator", "ratio denominator", -1);
}

PG_FUNCTION_INFO_V1(kpi_utilization_accum);
Datum
kpi_utilization_accum(PG_FUNCTION_ARGS)
{
	return ratio_interval_step(fcinfo, true, "utilization busy time",
							   "utilization available time", 1);
}

PG_FUNCTION_INFO_V1(kpi_occupancy_accum);
Datum
kpi_occupancy_accum(PG_FUNCTION_ARGS)
{
	return ratio_interval_step(fcinfo, true, "occupancy handle time",
							   "occupancy staffed time", 1);
}

PG_FUNCTION_INFO_V1(kpi_schedule_adherence_accum);
Datum
kpi_schedule_adherence_accum(PG_FUNCTION_ARGS)
{
	return ratio_interval_step(fcinfo, true, "schedule adherence adherent time",
							   "schedule adherence scheduled time", 1);
}

static double
quality_arg(FunctionCallInfo fcinfo, int argno, const char *what)
{
	/* beyond the double range is infinite here, and refused below with the rest */
	double		value = DatumGetFloat8(DirectFunctionCall1(numeric_float8_no_overflow,
														  PG_GETARG_DATUM(argno)));

	if (!isfinite(value))
		ereport(ERROR,
				(errcode(ERRCODE_NUMERIC_VALUE_OUT_OF_RANGE),
				 errmsg("quality score %s out of range", what),
				 errdetail("Points and maximum points must be zero or more, and finite (below about 1e308)."),
				 errhint("Filter such rows with WHERE, or map them to NULL.")));
	if (value < 0)
		ereport(ERROR,
				(errcode(ERRCODE_NUMERIC_VALUE_OUT_OF_RANGE),
				 errmsg("quality score %s %g is out of range", what, value),
				 errdetail("Points and maximum points must be zero or more, and finite (below about 1e308)."),
				 errhint("Filter such rows with WHERE, or map them to NULL.")));
	return value;
}

/* quality_score(points numeric, max_points numeric) */
static Datum
quality_step(FunctionCallInfo fcinfo, int sign)
{
	if (PG_ARGISNULL(1) || PG_ARGISNULL(2))
		return kpi_state_skip(fcinfo, 0, sizeof(RatioSummary));
	return ratio_step(fcinfo,
					  quality_arg(fcinfo, 1, "points"),
					  quality_arg(fcinfo, 2, "maximum points"),
					  sign);
}

PG_FUNCTION_INFO_V1(kpi_quality_accum);
Datum
kpi_quality_accum(PG_FUNCTION_ARGS)
{
	return quality_step(fcinfo, 1);
}

PG_FUNCTION_INFO_V1(kpi_quality_inv);
Datum
kpi_quality_inv(PG_FUNCTION_ARGS)
{
	return quality_step(fcinfo, -1);
}

/*
 * aht(talk, hold, wrap): one contact whose handle time is talk + hold + wrap,
 * a NULL part counting as zero; a row with no part at all is no contact.
 */
static Datum
aht_step(FunctionCallInfo fcinfo, int sign)
{
	static const char *const parts[] = {"AHT talk time", "AHT hold time", "AHT wrap time"};
	int64		handle = 0;
	bool		any = false;

	for (int i = 0; i < 3; i++)
	{
		if (PG_ARGISNULL(i + 1))
			continue;
		any = true;
		if (pg_add_s64_overflow(handle,
								kpi_duration_usecs(PG_GETARG_INTERVAL_P(i + 1), parts[i]),
								&handle))
			ereport(ERROR,
					(errcode(ERRCODE_DATETIME_VALUE_OUT_OF_RANGE),
					 errmsg("AHT handle time is out of range"),
					 errdetail("Intervals are counted in microseconds, a month as 30 days, and must fit in 64 bits.")));
	}
	if (!any)
		return kpi_state_skip(fcinfo, 0, sizeof(RatioSummary));
	return ratio_step(fcinfo, (double) handle / USECS_PER_SEC, 1.0, sign);
}

PG_FUNCTION_INFO_V1(kpi_aht_accum);
Datum
kpi_aht_accum(PG_FUNCTION_ARGS)
{
	return aht_step(fcinfo, 1);
}

PG_FUNCTION_INFO_V1(kpi_aht_inv);
Datum
kpi_aht_inv(PG_FUNCTION_ARGS)
{
	return aht_step(fcinfo, -1);
}

/* merge (sign = 1) or unmerge (sign = -1) a summary: rollup, combine, moving rollup */
static Datum
ratio_merge(FunctionCallInfo fcinfo, int sign)
{
	RatioSummary *s;
	RatioSummary *other;

	if (PG_ARGISNULL(1))
		return kpi_state_skip(fcinfo, 0, sizeof(RatioSummary));
	other = PG_GETARG_RATIO_SUMMARY(1);
	s = ratio_state(fcinfo, 0);
	if (sign > 0)
		s->n = kpi_add_count(s->n, other->n, RATIO_SUMMARY_TYPE);
	else
		s->n = kpi_sub_count(s->n, other->n, RATIO_SUMMARY_TYPE);
	if (s->n == 0)
	{
		memset(&s->num, 0, sizeof(KpiSum));
		memset(&s->den, 0, sizeof(KpiSum));
	}
	else
	{
		kpi_sum_merge(&s->num, &other->num, sign);
		ratio_sum_normalize(&s->num);
		kpi_sum_merge(&s->den, &other->den, sign);
		ratio_sum_normalize(&s->den);
	}
	PG_RETURN_POINTER(s);
}

PG_FUNCTION_INFO_V1(kpi_ratio_combine);
Datum
kpi_ratio_combine(PG_FUNCTION_ARGS)
{
	return ratio_merge(fcinfo, 1);
}

PG_FUNCTION_INFO_V1(kpi_ratio_uncombine);
Datum
kpi_ratio_uncombine(PG_FUNCTION_ARGS)
{
	return ratio_merge(fcinfo, -1);
}

/* --- accessors and final functions --------------------------------------- */

/* sum(num) / sum(den), false when sum(den) is zero */
static bool
ratio_value(const RatioSummary *s, double scale, double *result)
{
	double		den = kpi_sum_value(&s->den);

	if (den == 0)
		return false;
	*result = scale * kpi_sum_value(&s->num) / den;
	if (!isfinite(*result))
		ereport(ERROR,
				(errcode(ERRCODE_NUMERIC_VALUE_OUT_OF_RANGE),
				 errmsg("ratio out of range"),
				 errdetail("The ratio of the sums exceeds the range of double precision.")));
	return true;
}

PG_FUNCTION_INFO_V1(kpi_ratio_value);
Datum
kpi_ratio_value(PG_FUNCTION_ARGS)
{
	RatioSummary *s = PG_GETARG_RATIO_SUMMARY(0);
	double		result;

	if (!ratio_value(s, 1.0, &result))
		PG_RETURN_NULL();
	PG_RETURN_FLOAT8(result);
}

/* utilization, occupancy, schedule_adherence, quality_score: 100 * ratio */
PG_FUNCTION_INFO_V1(kpi_ratio_percent);
Datum
kpi_ratio_percent(PG_FUNCTION_ARGS)
{
	RatioSummary *s = PG_GETARG_RATIO_SUMMARY(0);
	double		result;

	if (!ratio_value(s, 100.0, &result))
		PG_RETURN_NULL();
	PG_RETURN_NUMERIC(kpi_numeric_from_double(result));
}

/* aht(ratio_summary): seconds of handle time per contact, as an interval */
PG_FUNCTION_INFO_V1(kpi_ratio_aht);
Datum
kpi_ratio_aht(PG_FUNCTION_ARGS)
{
	RatioSummary *s = PG_GETARG_RATIO_SUMMARY(0);
	double		result;

	if (!ratio_value(s, (double) USECS_PER_SEC, &result))
		PG_RETURN_NULL();
	PG_RETURN_INTERVAL_P(kpi_usecs_interval(result));
}

PG_FUNCTION_INFO_V1(kpi_ratio_numerator);
Datum
kpi_ratio_numerator(PG_FUNCTION_ARGS)
{
	RatioSummary *s = PG_GETARG_RATIO_SUMMARY(0);

	PG_RETURN_FLOAT8(kpi_sum_value(&s->num));
}

PG_FUNCTION_INFO_V1(kpi_ratio_denominator);
Datum
kpi_ratio_denominator(PG_FUNCTION_ARGS)
{
	RatioSummary *s = PG_GETARG_RATIO_SUMMARY(0);

	PG_RETURN_FLOAT8(kpi_sum_value(&s->den));
}

PG_FUNCTION_INFO_V1(kpi_ratio_rows);
Datum
kpi_ratio_rows(PG_FUNCTION_ARGS)
{
	RatioSummary *s = PG_GETARG_RATIO_SUMMARY(0);

	PG_RETURN_INT64(s->n);
}
