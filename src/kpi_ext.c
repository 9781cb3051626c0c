/*-------------------------------------------------------------------------
 *
 * kpi_ext.c
 *	  Module entry and the helpers every KPI family shares: aggregate state
 *	  handling, interval conversion, exact numeric results, and the text and
 *	  binary framing of summary values.
 *
 *-------------------------------------------------------------------------
 */
#include "postgres.h"

#include <ctype.h>
#include <errno.h>
#include <math.h>

#include "common/int.h"
#include "common/shortest_dec.h"
#include "libpq/pqformat.h"
#include "mb/pg_wchar.h"
#include "utils/builtins.h"
#include "utils/float.h"

#include "kpi_ext.h"

KPI_MODULE_MAGIC;

struct varlena *
kpi_state_for_update(FunctionCallInfo fcinfo, int argno, Size size)
{
	struct varlena *state;

	if (PG_ARGISNULL(argno))
	{
		state = (struct varlena *) palloc0(size);
		SET_VARSIZE(state, size);
		return state;
	}
	state = PG_DETOAST_DATUM(PG_GETARG_DATUM(argno));
	if (VARSIZE(state) != size)
		kpi_corrupt_summary("aggregate state", "The state has an unexpected size.");
	if (!AggCheckCallContext(fcinfo, NULL) &&
		(Pointer) state == DatumGetPointer(PG_GETARG_DATUM(argno)))
	{
		/* called as a plain function: never scribble on the caller's value */
		struct varlena *copy = (struct varlena *) palloc(size);

		memcpy(copy, state, size);
		state = copy;
	}
	return state;
}

int64
kpi_interval_usecs(const Interval *span, const char *what)
{
	int64		usecs;
	int64		part;

	if (INTERVAL_NOT_FINITE(span))
		ereport(ERROR,
				(errcode(ERRCODE_DATETIME_VALUE_OUT_OF_RANGE),
				 errmsg("%s is out of range", what),
				 errdetail("An infinite interval has no length in microseconds."),
				 errhint("Leave infinite intervals out with WHERE isfinite(...), or map them to NULL.")));
	if (pg_mul_s64_overflow((int64) span->month, KPI_USECS_PER_MONTH, &usecs) ||
		pg_mul_s64_overflow((int64) span->day, USECS_PER_DAY, &part) ||
		pg_add_s64_overflow(usecs, part, &usecs) ||
		pg_add_s64_overflow(usecs, span->time, &usecs))
		ereport(ERROR,
				(errcode(ERRCODE_DATETIME_VALUE_OUT_OF_RANGE),
				 errmsg("%s is out of range", what),
				 errdetail("Intervals are counted in microseconds, a month as 30 days, and must fit in 64 bits.")));
	return usecs;
}

int64
kpi_duration_usecs(const Interval *span, const char *what)
{
	int64		usecs = kpi_interval_usecs(span, what);

	if (usecs < 0)
		ereport(ERROR,
				(errcode(ERRCODE_NUMERIC_VALUE_OUT_OF_RANGE),
				 errmsg("%s must not be negative", what),
				 errdetail("A duration must be zero or more."),
				 errhint("Check that start and end timestamps are not swapped, or map bad rows to NULL.")));
	return usecs;
}

Interval *
kpi_usecs_interval(double usecs)
{
	Interval   *result = (Interval *) palloc0(sizeof(Interval));
	double		rounded = rint(usecs);

	if (isnan(rounded) || rounded < (double) PG_INT64_MIN || rounded >= (double) PG_INT64_MAX)
		ereport(ERROR,
				(errcode(ERRCODE_DATETIME_VALUE_OUT_OF_RANGE),
				 errmsg("interval out of range")));
	result->time = (int64) rounded;
	return result;
}

Numeric
kpi_numeric_div(int64 a, int64 b)
{
	return numeric_div_opt_error(int64_to_numeric(a), int64_to_numeric(b), NULL);
}

Numeric
kpi_percent(int64 part, int64 whole)
{
	int64		hundred_part;

	/* one numeric division per result: the final function of rolling windows is per row */
	if (pg_mul_s64_overflow(part, 100, &hundred_part))
		return numeric_div_opt_error(numeric_mul_opt_error(int64_to_numeric(100),
														   int64_to_numeric(part), NULL),
									 int64_to_numeric(whole), NULL);
	return kpi_numeric_div(hundred_part, whole);
}

Numeric
kpi_numeric_from_double(double value)
{
	return DatumGetNumeric(DirectFunctionCall1(float8_numeric, Float8GetDatum(value)));
}

Numeric
kpi_numeric_arg(FunctionCallInfo fcinfo, int argno, const char *what)
{
	Numeric		value = PG_GETARG_NUMERIC(argno);

	if (numeric_is_nan(value) || numeric_is_inf(value))
		ereport(ERROR,
				(errcode(ERRCODE_NUMERIC_VALUE_OUT_OF_RANGE),
				 errmsg("%s must be a finite number", what),
				 errhint("Map unknown values to NULL.")));
	return value;
}

int
kpi_numeric_cmp(Numeric a, Numeric b)
{
	return DatumGetInt32(DirectFunctionCall2(numeric_cmp, NumericGetDatum(a), NumericGetDatum(b)));
}

void
kpi_count_overflow(const char *type_name)
{
	ereport(ERROR,
			(errcode(ERRCODE_NUMERIC_VALUE_OUT_OF_RANGE),
			 errmsg("%s counter out of range", type_name),
			 errdetail("A count would exceed the 64-bit limit.")));
}

void
kpi_negative_count(const char *type_name)
{
	ereport(ERROR,
			(errcode(ERRCODE_NUMERIC_VALUE_OUT_OF_RANGE),
			 errmsg("%s count would become negative", type_name),
			 errdetail("The summary subtracted holds rows that the one it is subtracted from does not hold."),
			 errhint("Subtract only a summary of rows that were added before, such as the old rows of an UPDATE or a DELETE.")));
}

/* --- text I/O ------------------------------------------------------------ */

void
kpi_parse_error(KpiParser *ps, const char *detail)
{
	ereport(ERROR,
			(errcode(ERRCODE_INVALID_TEXT_REPRESENTATION),
			 errmsg("invalid input syntax for type %s: \"%s\"", ps->type_name, ps->input),
			 errdetail("%s", detail),
			 errhint("Summary values are written by kpi_ext itself; pass values produced by its aggregates.")));
}

static void
skip_space(KpiParser *ps)
{
	while (isspace((unsigned char) *ps->p))
		ps->p++;
}

int
kpi_parse_begin_versions(KpiParser *ps, const char *type_name, const char *input, int newest)
{
	int			version;

	Assert(newest >= 1 && newest <= 9);
	ps->type_name = type_name;
	ps->input = input;
	ps->p = input;
	skip_space(ps);
	if (ps->p[0] != 'v' || !isdigit((unsigned char) ps->p[1]))
		kpi_parse_error(ps, "A summary starts with its format version, such as \"v1:\".");
	ps->p++;
	version = *ps->p - '0';
	if (version < 1 || version > newest || isdigit((unsigned char) ps->p[1]))
	{
		if (newest == 1)
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_TEXT_REPRESENTATION),
					 errmsg("unsupported %s format version in \"%s\"", type_name, input),
					 errdetail("This release of kpi_ext reads format version 1."),
					 errhint("Update kpi_ext to the release that wrote the value.")));
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_TEXT_REPRESENTATION),
				 errmsg("unsupported %s format version in \"%s\"", type_name, input),
				 errdetail("This release of kpi_ext reads format versions 1 to %d.", newest),
				 errhint("Update kpi_ext to the release that wrote the value.")));
	}
	ps->p++;
	kpi_parse_expect(ps, ":");
	return version;
}

void
kpi_parse_begin(KpiParser *ps, const char *type_name, const char *input)
{
	(void) kpi_parse_begin_versions(ps, type_name, input, KPI_FORMAT_VERSION);
}

bool
kpi_parse_accept(KpiParser *ps, const char *token)
{
	size_t		len = strlen(token);

	skip_space(ps);
	if (strncmp(ps->p, token, len) != 0)
		return false;
	ps->p += len;
	return true;
}

void
kpi_parse_expect(KpiParser *ps, const char *token)
{
	if (!kpi_parse_accept(ps, token))
	{
		char	   *detail = psprintf("Expected \"%s\" at \"%s\".", token,
									  kpi_excerpt(ps->p, strlen(ps->p)));

		kpi_parse_error(ps, detail);
	}
}

int64
kpi_parse_count(KpiParser *ps, const char *field)
{
	char	   *end;
	long long	value;

	skip_space(ps);
	if (!isdigit((unsigned char) *ps->p))
		kpi_parse_error(ps, psprintf("Expected a count (%s) at \"%s\".", field,
									 kpi_excerpt(ps->p, strlen(ps->p))));
	errno = 0;
	value = strtoll(ps->p, &end, 10);
	if (errno == ERANGE)
		kpi_parse_error(ps, psprintf("The count %s is out of range.", field));
	ps->p = end;
	return (int64) value;
}

double
kpi_parse_double(KpiParser *ps, const char *field)
{
	char	   *end;
	double		value;

	skip_space(ps);
	if (!(isdigit((unsigned char) *ps->p) || *ps->p == '-' || *ps->p == '+' || *ps->p == '.'))
		kpi_parse_error(ps, psprintf("Expected a number (%s) at \"%s\".", field,
									 kpi_excerpt(ps->p, strlen(ps->p))));
	errno = 0;
	value = strtod(ps->p, &end);
	if (end == ps->p || (errno == ERANGE && (value == 0.0 || isinf(value))) || !isfinite(value))
		kpi_parse_error(ps, psprintf("The number %s is not a finite double precision value.", field));
	ps->p = end;
	return value;
}

void
kpi_parse_end(KpiParser *ps)
{
	skip_space(ps);
	if (*ps->p != '\0')
		kpi_parse_error(ps, psprintf("Unexpected text at \"%s\".",
									 kpi_excerpt(ps->p, strlen(ps->p))));
}

/* shortest text that reads back to exactly the same double */
void
kpi_append_double(StringInfo buf, double value)
{
	char		digits[DOUBLE_SHORTEST_DECIMAL_LEN];

	double_to_shortest_decimal_buf(value, digits);
	appendStringInfoString(buf, digits);
}

int
kpi_recv_versions(StringInfo buf, const char *type_name, int newest)
{
	int			version = pq_getmsgbyte(buf);

	if (version < 1 || version > newest)
	{
		if (newest == 1)
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_BINARY_REPRESENTATION),
					 errmsg("unsupported %s format version %d", type_name, version),
					 errdetail("This release of kpi_ext reads format version 1.")));
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_BINARY_REPRESENTATION),
				 errmsg("unsupported %s format version %d", type_name, version),
				 errdetail("This release of kpi_ext reads format versions 1 to %d.", newest)));
	}
	return version;
}

void
kpi_recv_version(StringInfo buf, const char *type_name)
{
	(void) kpi_recv_versions(buf, type_name, KPI_FORMAT_VERSION);
}

void
kpi_invalid_summary(int sqlerrcode, const char *type_name, const char *detail)
{
	if (sqlerrcode == ERRCODE_DATA_CORRUPTED)
		ereport(ERROR,
				(errcode(sqlerrcode),
				 errmsg("corrupt %s value", type_name),
				 errdetail("%s", detail),
				 errhint("Recompute the summary from its source rows.")));
	ereport(ERROR,
			(errcode(sqlerrcode),
			 errmsg("invalid %s value", type_name),
			 errdetail("%s", detail),
			 errhint("Summary values are written by kpi_ext itself; pass values produced by its aggregates.")));
}

void
kpi_corrupt_summary(const char *type_name, const char *detail)
{
	kpi_invalid_summary(ERRCODE_DATA_CORRUPTED, type_name, detail);
}

/*
 * The window executor reads a NULL returned by an inverse transition function
 * as "cannot invert" and refuses a NULL from a moving-aggregate transition
 * function, so in a window a skipped first input yields an empty state (every
 * summary type has the version byte first) rather than NULL.
 */
Datum
kpi_state_skip(FunctionCallInfo fcinfo, int argno, Size size)
{
	struct varlena *state;

	if (!PG_ARGISNULL(argno))
		return PG_GETARG_DATUM(argno);
	if (AggCheckCallContext(fcinfo, NULL) != AGG_CONTEXT_WINDOW)
	{
		fcinfo->isnull = true;
		return (Datum) 0;
	}
	state = kpi_state_for_update(fcinfo, argno, size);
	((uint8 *) VARDATA(state))[0] = KPI_FORMAT_VERSION;
	return PointerGetDatum(state);
}

char *
kpi_excerpt(const char *s, size_t len)
{
	if (len <= KPI_EXCERPT_LEN)
		return pnstrdup(s, len);
	len = pg_mbcliplen(s, KPI_EXCERPT_LEN + MAX_MULTIBYTE_CHAR_LEN, KPI_EXCERPT_LEN);
	return psprintf("%.*s...", (int) len, s);
}
