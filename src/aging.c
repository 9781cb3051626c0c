/*-------------------------------------------------------------------------
 *
 * aging.c
 *	  Aging reports: age_bucket labels a ticket's age with the bucket it falls
 *	  in, such as "2: 1-3d", numbered so that the labels sort in age order.
 *
 * A label depends on the age (a duration) and the bucket bounds only: no time
 * zone, calendar or summary type is involved, so aging is a family of its own
 * rather than part of the ticket flow, whose buckets are instants in time.
 *
 *-------------------------------------------------------------------------
 */
#include "postgres.h"

#include "catalog/pg_type.h"
#include "utils/array.h"
#include "utils/builtins.h"
#include "utils/timestamp.h"

#include "kpi_ext.h"

/* a bound as a short label: 0, 90s, 45m, 4h, 1d, 1d12h, 30d ... */
static void
append_age_label(StringInfo buf, int64 usecs)
{
	int64		days = usecs / USECS_PER_DAY;
	int64		rest = usecs % USECS_PER_DAY;
	int64		hours = rest / USECS_PER_HOUR;
	int64		minutes = (rest % USECS_PER_HOUR) / USECS_PER_MINUTE;
	int64		secs = (rest % USECS_PER_MINUTE) / USECS_PER_SEC;
	int64		micros = rest % USECS_PER_SEC;
	bool		any = false;

	if (days > 0)
	{
		appendStringInfo(buf, INT64_FORMAT "d", days);
		any = true;
	}
	if (hours > 0)
	{
		appendStringInfo(buf, INT64_FORMAT "h", hours);
		any = true;
	}
	if (minutes > 0)
	{
		appendStringInfo(buf, INT64_FORMAT "m", minutes);
		any = true;
	}
	if (secs > 0 || micros > 0)
	{
		if (micros > 0)
		{
			appendStringInfo(buf, INT64_FORMAT ".%06d", secs, (int) micros);
			while (buf->data[buf->len - 1] == '0')
				buf->data[--buf->len] = '\0';
		}
		else
			appendStringInfo(buf, INT64_FORMAT, secs);
		appendStringInfoChar(buf, 's');
		any = true;
	}
	if (!any)
		appendStringInfoChar(buf, '0');
}

static const int64 default_age_bounds[] = {
	USECS_PER_DAY, 3 * USECS_PER_DAY, 7 * USECS_PER_DAY, 14 * USECS_PER_DAY, 30 * USECS_PER_DAY
};

/* the largest of day, hour, minute that divides usecs, or 0 */
static int64
age_unit(int64 usecs, char *symbol)
{
	if (usecs % USECS_PER_DAY == 0)
	{
		*symbol = 'd';
		return USECS_PER_DAY;
	}
	if (usecs % USECS_PER_HOUR == 0)
	{
		*symbol = 'h';
		return USECS_PER_HOUR;
	}
	if (usecs % USECS_PER_MINUTE == 0)
	{
		*symbol = 'm';
		return USECS_PER_MINUTE;
	}
	return 0;
}

/*
 * The label of the bucket holding age among nbounds increasing bounds:
 * "<k>: <lower>-<upper>" for lower <= age < upper, "<k>: <last>+" above the
 * last bound, such as "2: 1-3d" or "6: 30d+".  The leading number k
 * (zero-padded to the width of the largest one) makes the labels sort in age
 * order as text; a bare "1-3d" would sort after "14-30d".
 */
static text *
age_label(int64 age, const int64 *bounds, int nbounds)
{
	StringInfoData buf;
	int			k = 0;
	int			width = nbounds + 1 >= 10 ? (nbounds + 1 >= 100 ? 3 : 2) : 1;
	int64		lower;

	while (k < nbounds && age >= bounds[k])
		k++;
	lower = k == 0 ? 0 : bounds[k - 1];
	initStringInfo(&buf);
	appendStringInfo(&buf, "%0*d: ", width, k + 1);
	if (k < nbounds)
	{
		char		symbol;
		int64		unit = age_unit(bounds[k], &symbol);

		if (unit != 0 && lower % unit == 0)
			appendStringInfo(&buf, INT64_FORMAT "-" INT64_FORMAT "%c",
							 lower / unit, bounds[k] / unit, symbol);
		else
		{
			append_age_label(&buf, lower);
			appendStringInfoChar(&buf, '-');
			append_age_label(&buf, bounds[k]);
		}
	}
	else
	{
		append_age_label(&buf, lower);
		appendStringInfoChar(&buf, '+');
	}
	return cstring_to_text_with_len(buf.data, buf.len);
}

PG_FUNCTION_INFO_V1(kpi_age_bucket);
Datum
kpi_age_bucket(PG_FUNCTION_ARGS)
{
	int64		age = kpi_duration_usecs(PG_GETARG_INTERVAL_P(0), "age");

	PG_RETURN_TEXT_P(age_label(age, default_age_bounds, lengthof(default_age_bounds)));
}

PG_FUNCTION_INFO_V1(kpi_age_bucket_bounds);
Datum
kpi_age_bucket_bounds(PG_FUNCTION_ARGS)
{
	int64		age = kpi_duration_usecs(PG_GETARG_INTERVAL_P(0), "age");
	ArrayType  *arr = PG_GETARG_ARRAYTYPE_P(1);
	Datum	   *elems;
	bool	   *nulls;
	int			n;
	int64	   *bounds;

	if (ARR_NDIM(arr) > 1)
		ereport(ERROR,
				(errcode(ERRCODE_ARRAY_SUBSCRIPT_ERROR),
				 errmsg("age bounds must be a one-dimensional array")));
	deconstruct_array(arr, INTERVALOID, sizeof(Interval), false, TYPALIGN_DOUBLE,
					  &elems, &nulls, &n);
	if (n == 0 || n > 998)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("age bounds must hold from 1 to 998 intervals"),
				 errhint("Pass increasing upper bounds, such as ARRAY['1 day', '3 days', '7 days']::interval[].")));
	bounds = palloc(n * sizeof(int64));
	for (int i = 0; i < n; i++)
	{
		if (nulls[i])
			ereport(ERROR,
					(errcode(ERRCODE_NULL_VALUE_NOT_ALLOWED),
					 errmsg("age bounds must not contain nulls")));
		bounds[i] = kpi_duration_usecs(DatumGetIntervalP(elems[i]), "age bound");
		if (bounds[i] == 0 || (i > 0 && bounds[i] <= bounds[i - 1]))
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					 errmsg("age bounds must be positive and strictly increasing"),
					 errdetail("Bound %d is not greater than the one before it.", i + 1),
					 errhint("Pass increasing upper bounds, such as ARRAY['1 day', '3 days', '7 days']::interval[].")));
	}
	PG_RETURN_TEXT_P(age_label(age, bounds, n));
}
