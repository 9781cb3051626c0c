/*-------------------------------------------------------------------------
 *
 * percentile.c
 *	  Exact percentiles of durations and numbers: median(), percentile(),
 *	  percentiles(), median_resolution() and handle_time_percentile().
 *
 * The result is the one percentile_cont(fraction) WITHIN GROUP (ORDER BY x)
 * returns, computed the same way: with n values in order, pos = fraction *
 * (n - 1), first = the value at floor(pos), second = the value at ceil(pos),
 * and the result is first when they are the same row, otherwise
 *
 *	  float8:	 first + (pos - floor(pos)) * (second - first)
 *	  interval:	 interval_pl(interval_mul(interval_mi(second, first),
 *							 pos - floor(pos)), first)
 *
 * using the very expressions and functions of orderedsetaggs.c, so that the
 * bits agree.  What differs is how the two values are found: percentile_cont
 * sorts every value through tuplesort; here the values are appended to chunks
 * in the aggregate context and the final function finds the rows it needs
 * without moving any value.  The code is in five files, one idea each:
 *
 *	  percentile.c	  the SQL-facing functions: reading a row's value and
 *					  fractions, the transition, inverse and final functions
 *	  pct_store.c	  the state and its chunks, in three encodings
 *	  pct_select.c	  radix selection over the chunks, and introselect
 *	  pct_window.c	  a window frame's values in sorted blocks
 *	  pct_parallel.c  combine, serialize and deserialize for parallel plans
 *
 * with the state and the inline helpers they share in percentile.h.
 *
 * Intervals are ordered as PostgreSQL orders them, a month counting as 30
 * days; each value keeps its month and day fields beside that 64-bit key, so
 * the result is written exactly as percentile_cont writes it ('2 days 03:00:00'
 * stays that, not '51:00:00').  Values with equal keys but different fields
 * (such as '1 mon' and '30 days') are put in a fixed order, by month then day,
 * which makes the result independent of the input order.  Numbers are kept as
 * 64-bit keys with the same order as the doubles (-0 just below +0), so both
 * kinds share one code path.
 *
 *-------------------------------------------------------------------------
 */
#include "postgres.h"

#include "catalog/pg_type.h"
#include "common/int.h"
#include "utils/array.h"
#include "utils/builtins.h"
#include "utils/float.h"
#include "utils/fmgrprotos.h"
#include "utils/timestamp.h"

#include "kpi_ext.h"
#include "percentile.h"

/* --- values and their order ---------------------------------------------- */

static Interval *
pct_item_interval(const PctItem *item)
{
	Interval   *result = (Interval *) palloc(sizeof(Interval));

	result->time = pct_item_time(item);
	result->day = item->day;
	result->month = item->month;
	return result;
}

/* --- the aggregate context and the fraction --------------------------------- */

static void
pct_bad_fraction(double fraction)
{
	ereport(ERROR,
			(errcode(ERRCODE_NUMERIC_VALUE_OUT_OF_RANGE),
			 errmsg("percentile value %g is not between 0 and 1", fraction),
			 errdetail("The fraction of a percentile must be from 0 to 1, such as 0.9 for the 90th percentile."),
			 errhint("Pass the percentile as a fraction: 0.5 for the median, 0.9 for p90.")));
}

/* the fraction of this row: checked, and the same as the group's earlier rows */
static void
pct_set_fraction(PctState *state, FunctionCallInfo fcinfo, int argno)
{
	double		fraction;

	if (argno < 0)
		fraction = 0.5;
	else
	{
		if (PG_ARGISNULL(argno))
			ereport(ERROR,
					(errcode(ERRCODE_NULL_VALUE_NOT_ALLOWED),
					 errmsg("percentile fraction must not be null"),
					 errhint("Pass the percentile as a fraction: 0.5 for the median, 0.9 for p90.")));
		fraction = PG_GETARG_FLOAT8(argno);
		if (isnan(fraction) || fraction < 0 || fraction > 1)
			pct_bad_fraction(fraction);
	}
	if (!state->has_fraction)
	{
		state->fraction = fraction;
		state->has_fraction = true;
	}
	else if (state->fraction != fraction)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("percentile fraction must be the same for every row of a group"),
				 errdetail("The group started with fraction %g and a later row has %g.",
						   state->fraction, fraction),
				 errhint("Compute different percentiles in separate aggregate calls.")));
}

/* --- reading one row --------------------------------------------------------- */

static void
pct_float8_item(double value, PctItem *item)
{
	if (isnan(value) || isinf(value))
		ereport(ERROR,
				(errcode(ERRCODE_NUMERIC_VALUE_OUT_OF_RANGE),
				 errmsg("value %g is not finite", value),
				 errdetail("Exact percentiles accept finite numbers only."),
				 errhint("Filter out NaN and infinite values with WHERE, or map them to NULL.")));
	item->key = pct_float8_key(value);
	item->day = 0;
	item->month = 0;
}

static void
pct_interval_item(const Interval *span, PctItem *item)
{
	item->key = kpi_duration_usecs(span, "duration");
	item->day = span->day;
	item->month = span->month;
}

/*
 * resolved - opened as timestamptz subtraction writes it: days and a time of
 * day below 24 hours (interval_justify_hours of the microseconds, which for a
 * duration >= 0 is a plain division).
 */
static void
pct_span_item(TimestampTz opened, TimestampTz resolved, PctItem *item)
{
	int64		usecs;

	if (TIMESTAMP_NOT_FINITE(opened) || TIMESTAMP_NOT_FINITE(resolved))
		ereport(ERROR,
				(errcode(ERRCODE_DATETIME_VALUE_OUT_OF_RANGE),
				 errmsg("resolution time is infinite"),
				 errdetail("A duration needs finite opened and resolved timestamps."),
				 errhint("Map infinite timestamps to NULL.")));
	if (pg_sub_s64_overflow(resolved, opened, &usecs))
		ereport(ERROR,
				(errcode(ERRCODE_DATETIME_VALUE_OUT_OF_RANGE),
				 errmsg("resolution time is out of range"),
				 errdetail("The difference of the timestamps must fit in an interval.")));
	if (usecs < 0)
		ereport(ERROR,
				(errcode(ERRCODE_NUMERIC_VALUE_OUT_OF_RANGE),
				 errmsg("resolution time must not be negative"),
				 errdetail("The resolved timestamp is earlier than the opened timestamp."),
				 errhint("Check that the opened and resolved arguments are not swapped, or map bad rows to NULL.")));
	item->key = usecs;
	item->day = (int32) (usecs / USECS_PER_DAY);
	item->month = 0;
}

/* the value of this row; false for a NULL */
static bool
pct_row_item(FunctionCallInfo fcinfo, uint8 kind, bool span, PctItem *item)
{
	if (span)
	{
		if (PG_ARGISNULL(1) || PG_ARGISNULL(2))
			return false;
		pct_span_item(PG_GETARG_TIMESTAMPTZ(1), PG_GETARG_TIMESTAMPTZ(2), item);
	}
	else
	{
		if (PG_ARGISNULL(1))
			return false;
		if (kind == PCT_KIND_FLOAT8)
			pct_float8_item(PG_GETARG_FLOAT8(1), item);
		else
			pct_interval_item(PG_GETARG_INTERVAL_P(1), item);
	}
	return true;
}


/* --- percentiles(): an array of fractions ------------------------------------ */

/* read a fractions argument into a state's fraction fields (not yet set) */
static void
pct_read_fractions(PctState *state, ArrayType *array)
{
	Datum	   *elems;
	bool	   *nulls;
	int			n;

	deconstruct_array(array, FLOAT8OID, sizeof(float8), FLOAT8PASSBYVAL, TYPALIGN_DOUBLE,
					  &elems, &nulls, &n);
	if (n > PCT_MAX_FRACTIONS)
		ereport(ERROR,
				(errcode(ERRCODE_PROGRAM_LIMIT_EXCEEDED),
				 errmsg("too many percentile fractions"),
				 errdetail("The array has %d fractions; the limit is %d.", n, PCT_MAX_FRACTIONS)));
	state->fractions = (double *) MemoryContextAlloc(state->context, Max(n, 1) * sizeof(double));
	for (int i = 0; i < n; i++)
	{
		if (nulls[i])
			state->fractions[i] = get_float8_nan();
		else
		{
			double		fraction = DatumGetFloat8(elems[i]);

			if (isnan(fraction) || fraction < 0 || fraction > 1)
				pct_bad_fraction(fraction);
			state->fractions[i] = fraction;
		}
	}
	state->nfractions = n;
	state->ndim = ARR_NDIM(array);
	memcpy(state->dims, ARR_DIMS(array), state->ndim * sizeof(int));
	memcpy(state->lbs, ARR_LBOUND(array), state->ndim * sizeof(int));
	state->multi = true;
	state->has_fraction = true;
}

/* the same fractions, in the same shape (NULL elements compare equal) */
bool
pct_same_fractions(const PctState *a, const PctState *b)
{
	if (a->nfractions != b->nfractions || a->ndim != b->ndim ||
		memcmp(a->dims, b->dims, a->ndim * sizeof(int)) != 0 ||
		memcmp(a->lbs, b->lbs, a->ndim * sizeof(int)) != 0)
		return false;
	for (int i = 0; i < a->nfractions; i++)
		if (isnan(a->fractions[i]) ? !isnan(b->fractions[i]) : a->fractions[i] != b->fractions[i])
			return false;
	return true;
}

void
pct_fractions_differ(void)
{
	ereport(ERROR,
			(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
			 errmsg("percentile fractions must be the same for every row of a group"),
			 errhint("Pass the same array, such as ARRAY[0.5, 0.9], on every row.")));
}

/* the fractions of this row: checked, and the same as the group's earlier rows */
static void
pct_set_fractions(PctState *state, FunctionCallInfo fcinfo, int argno)
{
	ArrayType  *array;
	PctState	other;

	if (PG_ARGISNULL(argno))
		ereport(ERROR,
				(errcode(ERRCODE_NULL_VALUE_NOT_ALLOWED),
				 errmsg("percentile fractions must not be null"),
				 errhint("Pass an array of fractions, such as ARRAY[0.5, 0.9] for the median and p90.")));
	array = PG_GETARG_ARRAYTYPE_P(argno);
	if (state->has_fraction && state->fraction_array != NULL &&
		VARSIZE(array) == VARSIZE(state->fraction_array) &&
		memcmp(array, state->fraction_array, VARSIZE(array)) == 0)
		return;
	if (!state->has_fraction)
	{
		pct_read_fractions(state, array);
		state->fraction_array = (ArrayType *) MemoryContextAlloc(state->context, VARSIZE(array));
		memcpy(state->fraction_array, array, VARSIZE(array));
		return;
	}
	/* written differently: compare the values */
	memset(&other, 0, sizeof(other));
	other.context = CurrentMemoryContext;
	pct_read_fractions(&other, array);
	if (!pct_same_fractions(state, &other))
		pct_fractions_differ();
}

/* --- transition and inverse functions ---------------------------------------- */

/*
 * Add one row: the common step of every transition function.  The fraction
 * (or the fractions, for multi) is argument 2 when there are three arguments
 * (none for median and span).
 */
/* the state of a transition function: argument 0, or a new one */
static PctState *
pct_accum_state(FunctionCallInfo fcinfo, uint8 kind, const char *function)
{
	PctState   *state;

	if (PG_ARGISNULL(0))
	{
		bool		windowed;
		MemoryContext context = pct_agg_context(fcinfo, function, &windowed);

		return pct_new_state(context, kind, windowed);
	}
	state = pct_state_arg(fcinfo, 0, function);
	if (state->kind != kind)
		kpi_state_mismatch(function);
	return state;
}

/* the value of this row (argument 1, or 1 and 2 for span) into the state */
static void
pct_add_row(PctState *state, FunctionCallInfo fcinfo, uint8 kind, bool span)
{
	PctItem		item;

	if (pct_row_item(fcinfo, kind, span, &item))
	{
		if (state->windowed)
			pct_block_insert(state, &item);
		else
			pct_push(state, &item);
	}
}

static Datum
pct_accum(FunctionCallInfo fcinfo, uint8 kind, bool span, bool multi, const char *function)
{
	PctState   *state = pct_accum_state(fcinfo, kind, function);
	int			fraction_arg = (!span && PG_NARGS() > 2) ? 2 : -1;

	if (multi)
		pct_set_fractions(state, fcinfo, fraction_arg);
	/* the median's fixed fraction needs checking only once */
	else if (fraction_arg >= 0 || !state->has_fraction)
		pct_set_fraction(state, fcinfo, fraction_arg);
	pct_add_row(state, fcinfo, kind, span);
	PG_RETURN_POINTER(state);
}

/*
 * percentile_ci_low/high(x, fraction, confidence) and median_ci_low/high(x,
 * confidence): the state of percentiles() with the two-element "fractions"
 * {fraction, confidence}, so that combine, serialization and windows serve
 * these aggregates unchanged; only their final functions read the second
 * element as a confidence level.
 */
static void
pct_set_ci(PctState *state, FunctionCallInfo fcinfo, int fraction_arg, int confidence_arg)
{
	double		fraction = 0.5;
	double		confidence;

	if (fraction_arg >= 0)
	{
		if (PG_ARGISNULL(fraction_arg))
			ereport(ERROR,
					(errcode(ERRCODE_NULL_VALUE_NOT_ALLOWED),
					 errmsg("percentile fraction must not be null"),
					 errhint("Pass the percentile as a fraction: 0.5 for the median, 0.9 for p90.")));
		fraction = PG_GETARG_FLOAT8(fraction_arg);
		if (!(fraction > 0.0 && fraction < 1.0))
			ereport(ERROR,
					(errcode(ERRCODE_NUMERIC_VALUE_OUT_OF_RANGE),
					 errmsg("percentile value %g is not between 0 and 1, both excluded", fraction),
					 errdetail("A sample bounds the minimum and the maximum of a population from one side only."),
					 errhint("Pass the percentile as a fraction: 0.5 for the median, 0.9 for p90.")));
	}
	if (PG_ARGISNULL(confidence_arg))
		ereport(ERROR,
				(errcode(ERRCODE_NULL_VALUE_NOT_ALLOWED),
				 errmsg("confidence level must not be null"),
				 errhint("Pass 0.95 for a 95%% confidence interval.")));
	confidence = PG_GETARG_FLOAT8(confidence_arg);
	kpi_check_confidence(confidence);
	if (!state->has_fraction)
	{
		state->fractions = (double *) MemoryContextAlloc(state->context, 2 * sizeof(double));
		state->fractions[0] = fraction;
		state->fractions[1] = confidence;
		state->nfractions = 2;
		state->ndim = 1;
		state->dims[0] = 2;
		state->lbs[0] = 1;
		state->multi = true;
		state->has_fraction = true;
	}
	else if (state->fractions[0] != fraction || state->fractions[1] != confidence)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("percentile fraction and confidence level must be the same for every row of a group"),
				 errdetail("The group started with fraction %g and confidence %g, a later row has %g and %g.",
						   state->fractions[0], state->fractions[1], fraction, confidence),
				 errhint("Compute different intervals in separate aggregate calls.")));
}

/* (x, fraction, confidence), or (x, confidence) for the median */
static Datum
pct_ci_accum(FunctionCallInfo fcinfo, uint8 kind, const char *function)
{
	PctState   *state = pct_accum_state(fcinfo, kind, function);

	if (PG_NARGS() > 3)
		pct_set_ci(state, fcinfo, 2, 3);
	else
		pct_set_ci(state, fcinfo, -1, 2);
	pct_add_row(state, fcinfo, kind, false);
	PG_RETURN_POINTER(state);
}

/* Remove one row that left a window frame (moving-aggregate inverse). */
static Datum
pct_inv(FunctionCallInfo fcinfo, uint8 kind, bool span, const char *function)
{
	PctState   *state;
	PctItem		item;

	pct_agg_context(fcinfo, function, NULL);
	/* an inverse as the forward transition function of an aggregate */
	if (PG_ARGISNULL(0))
		kpi_state_mismatch(function);
	state = pct_state_arg(fcinfo, 0, function);
	if (!state->windowed || state->kind != kind)
		kpi_state_mismatch(function);
	if (pct_row_item(fcinfo, kind, span, &item))
		pct_block_delete(state, &item, function);
	PG_RETURN_POINTER(state);
}

PG_FUNCTION_INFO_V1(kpi_percentile_float8_accum);
Datum
kpi_percentile_float8_accum(PG_FUNCTION_ARGS)
{
	return pct_accum(fcinfo, PCT_KIND_FLOAT8, false, false, "kpi_percentile_float8_accum");
}

PG_FUNCTION_INFO_V1(kpi_percentile_interval_accum);
Datum
kpi_percentile_interval_accum(PG_FUNCTION_ARGS)
{
	return pct_accum(fcinfo, PCT_KIND_INTERVAL, false, false, "kpi_percentile_interval_accum");
}

PG_FUNCTION_INFO_V1(kpi_percentile_span_accum);
Datum
kpi_percentile_span_accum(PG_FUNCTION_ARGS)
{
	return pct_accum(fcinfo, PCT_KIND_INTERVAL, true, false, "kpi_percentile_span_accum");
}

PG_FUNCTION_INFO_V1(kpi_percentiles_float8_accum);
Datum
kpi_percentiles_float8_accum(PG_FUNCTION_ARGS)
{
	return pct_accum(fcinfo, PCT_KIND_FLOAT8, false, true, "kpi_percentiles_float8_accum");
}

PG_FUNCTION_INFO_V1(kpi_percentiles_interval_accum);
Datum
kpi_percentiles_interval_accum(PG_FUNCTION_ARGS)
{
	return pct_accum(fcinfo, PCT_KIND_INTERVAL, false, true, "kpi_percentiles_interval_accum");
}

PG_FUNCTION_INFO_V1(kpi_percentile_ci_float8_accum);
Datum
kpi_percentile_ci_float8_accum(PG_FUNCTION_ARGS)
{
	return pct_ci_accum(fcinfo, PCT_KIND_FLOAT8, "kpi_percentile_ci_float8_accum");
}

PG_FUNCTION_INFO_V1(kpi_percentile_ci_interval_accum);
Datum
kpi_percentile_ci_interval_accum(PG_FUNCTION_ARGS)
{
	return pct_ci_accum(fcinfo, PCT_KIND_INTERVAL, "kpi_percentile_ci_interval_accum");
}

PG_FUNCTION_INFO_V1(kpi_percentile_float8_inv);
Datum
kpi_percentile_float8_inv(PG_FUNCTION_ARGS)
{
	return pct_inv(fcinfo, PCT_KIND_FLOAT8, false, "kpi_percentile_float8_inv");
}

PG_FUNCTION_INFO_V1(kpi_percentile_interval_inv);
Datum
kpi_percentile_interval_inv(PG_FUNCTION_ARGS)
{
	return pct_inv(fcinfo, PCT_KIND_INTERVAL, false, "kpi_percentile_interval_inv");
}

PG_FUNCTION_INFO_V1(kpi_percentile_span_inv);
Datum
kpi_percentile_span_inv(PG_FUNCTION_ARGS)
{
	return pct_inv(fcinfo, PCT_KIND_INTERVAL, true, "kpi_percentile_span_inv");
}

/* --- final functions ---------------------------------------------------------- */

/* the values of the given ranks (ascending, distinct) */
static void
pct_find_ranks(const PctState *state, const int64 *ranks, int nranks, PctItem *out)
{
	if (state->windowed)
	{
		for (int i = 0; i < nranks; i++)
			out[i] = *pct_block_rank(state, ranks[i]);
	}
	else
		pct_radix(state, state->umin, state->umax, 0, state->count, ranks, nranks, out);
}

/* the rows first_row and second_row of fraction as percentile_cont numbers them */
static void
pct_rows(double fraction, int64 n, int64 *first_row, int64 *second_row)
{
	/* the same expressions as percentile_cont_final_common */
	*first_row = floor(fraction * (n - 1));
	*second_row = ceil(fraction * (n - 1));
	/* cannot happen: every fraction is checked to lie in [0, 1] on its way in */
	if (*first_row < 0 || *second_row >= n || *second_row - *first_row > 1)
		elog(ERROR, "exact percentile: row %lld of %lld out of range",
			 (long long) *second_row, (long long) n);
}

/* the result for fraction from the values at its rows, as percentile_cont computes it */
static Datum
pct_result(uint8 kind, double fraction, int64 n, int64 first_row, int64 second_row,
		   const PctItem *first, const PctItem *second)
{
	double		proportion = (fraction * (n - 1)) - first_row;

	if (kind == PCT_KIND_FLOAT8)
	{
		double		loval = pct_key_float8(first->key);
		double		hival;

		if (first_row == second_row)
			return Float8GetDatum(loval);
		hival = pct_key_float8(second->key);
		/*
		 * Values of opposite signs near the ends of the double range: hival -
		 * loval overflows, and percentile_cont returns infinity for the
		 * median of -1e308 and 1e308.  The weighted mean cannot overflow, its
		 * weights adding up to 1; elsewhere it is percentile_cont's very
		 * expression, to the bit.
		 */
		if (unlikely(isinf(hival - loval)))
			return Float8GetDatum(loval * (1.0 - proportion) + hival * proportion);
		return Float8GetDatum(loval + (proportion * (hival - loval)));
	}
	else
	{
		Datum		lo = IntervalPGetDatum(pct_item_interval(first));
		Datum		diff;
		Datum		scaled;

		if (first_row == second_row)
			return lo;
		/* interval_lerp of orderedsetaggs.c */
		diff = DirectFunctionCall2(interval_mi, IntervalPGetDatum(pct_item_interval(second)), lo);
		scaled = DirectFunctionCall2(interval_mul, diff, Float8GetDatum(proportion));
		return DirectFunctionCall2(interval_pl, scaled, lo);
	}
}

/* the state of a final function of the given kind, or NULL for no values */
static PctState *
pct_final_state(FunctionCallInfo fcinfo, uint8 kind, bool multi, const char *function)
{
	PctState   *state;

	pct_agg_context(fcinfo, function, NULL);
	if (PG_ARGISNULL(0))
		return NULL;
	state = pct_state_arg(fcinfo, 0, function);
	if (state->kind != kind || state->multi != multi)
		kpi_state_mismatch(function);
	return state->count > 0 ? state : NULL;
}

/* median(), percentile(): the percentile of the state's one fraction */
static Datum
pct_final(FunctionCallInfo fcinfo, uint8 kind, const char *function)
{
	PctState   *state = pct_final_state(fcinfo, kind, false, function);
	int64		ranks[2];
	PctItem		items[2];

	if (state == NULL)
		PG_RETURN_NULL();
	pct_rows(state->fraction, state->count, &ranks[0], &ranks[1]);
	pct_find_ranks(state, ranks, ranks[1] != ranks[0] ? 2 : 1, items);
	PG_RETURN_DATUM(pct_result(kind, state->fraction, state->count, ranks[0], ranks[1],
							   &items[0], &items[ranks[1] != ranks[0] ? 1 : 0]));
}

static int
pct_rank_cmp(const void *a, const void *b)
{
	int64		x = *(const int64 *) a;
	int64		y = *(const int64 *) b;

	return (x > y) - (x < y);
}

/* the index of rank in ranks[0 .. n), which holds it */
static int
pct_rank_index(const int64 *ranks, int n, int64 rank)
{
	const int64 *found = bsearch(&rank, ranks, n, sizeof(int64), pct_rank_cmp);

	/* cannot happen: the ranks selected are those of every fraction */
	if (found == NULL)
		elog(ERROR, "exact percentile: rank %lld not selected", (long long) rank);
	return (int) (found - ranks);
}

/* percentiles(): an array of the shape of the fractions, NULL for a NULL one */
static Datum
pct_multi_final(FunctionCallInfo fcinfo, uint8 kind, const char *function)
{
	PctState   *state = pct_final_state(fcinfo, kind, true, function);
	Oid			elemtype = (kind == PCT_KIND_FLOAT8) ? FLOAT8OID : INTERVALOID;
	int16		typlen = (kind == PCT_KIND_FLOAT8) ? sizeof(float8) : sizeof(Interval);
	bool		byval = (kind == PCT_KIND_FLOAT8) ? FLOAT8PASSBYVAL : false;
	int64	   *ranks;
	PctItem    *items;
	Datum	   *values;
	bool	   *nulls;
	int			nranks = 0;
	int			m;

	if (state == NULL)
		PG_RETURN_NULL();
	if (state->nfractions == 0)
		PG_RETURN_ARRAYTYPE_P(construct_empty_array(elemtype));

	ranks = (int64 *) palloc(2 * state->nfractions * sizeof(int64));
	for (int i = 0; i < state->nfractions; i++)
	{
		if (isnan(state->fractions[i]))
			continue;
		pct_rows(state->fractions[i], state->count, &ranks[nranks], &ranks[nranks + 1]);
		nranks += 2;
	}
	qsort(ranks, nranks, sizeof(int64), pct_rank_cmp);
	m = 0;
	for (int i = 0; i < nranks; i++)
		if (m == 0 || ranks[i] != ranks[m - 1])
			ranks[m++] = ranks[i];
	nranks = m;
	items = (PctItem *) palloc(Max(nranks, 1) * sizeof(PctItem));
	if (nranks > 0)
		pct_find_ranks(state, ranks, nranks, items);

	values = (Datum *) palloc(state->nfractions * sizeof(Datum));
	nulls = (bool *) palloc(state->nfractions * sizeof(bool));
	for (int i = 0; i < state->nfractions; i++)
	{
		int64		first_row;
		int64		second_row;

		nulls[i] = isnan(state->fractions[i]);
		if (nulls[i])
		{
			values[i] = (Datum) 0;
			continue;
		}
		pct_rows(state->fractions[i], state->count, &first_row, &second_row);
		values[i] = pct_result(kind, state->fractions[i], state->count, first_row, second_row,
							   &items[pct_rank_index(ranks, nranks, first_row)],
							   &items[pct_rank_index(ranks, nranks, second_row)]);
	}
	PG_RETURN_ARRAYTYPE_P(construct_md_array(values, nulls, state->ndim, state->dims, state->lbs,
											 elemtype, typlen, byval, TYPALIGN_DOUBLE));
}

PG_FUNCTION_INFO_V1(kpi_percentile_float8_final);
Datum
kpi_percentile_float8_final(PG_FUNCTION_ARGS)
{
	return pct_final(fcinfo, PCT_KIND_FLOAT8, "kpi_percentile_float8_final");
}

PG_FUNCTION_INFO_V1(kpi_percentile_interval_final);
Datum
kpi_percentile_interval_final(PG_FUNCTION_ARGS)
{
	return pct_final(fcinfo, PCT_KIND_INTERVAL, "kpi_percentile_interval_final");
}

PG_FUNCTION_INFO_V1(kpi_percentiles_float8_final);
Datum
kpi_percentiles_float8_final(PG_FUNCTION_ARGS)
{
	return pct_multi_final(fcinfo, PCT_KIND_FLOAT8, "kpi_percentiles_float8_final");
}

PG_FUNCTION_INFO_V1(kpi_percentiles_interval_final);
Datum
kpi_percentiles_interval_final(PG_FUNCTION_ARGS)
{
	return pct_multi_final(fcinfo, PCT_KIND_INTERVAL, "kpi_percentiles_interval_final");
}

/*
 * percentile_ci_low/high, median_ci_low/high: the order statistic of the
 * rank kpi_quantile_ci_ranks chooses for the state's fraction and
 * confidence; NULL when the sample is too small for that bound.
 */
static Datum
pct_ci_final(FunctionCallInfo fcinfo, uint8 kind, bool upper, const char *function)
{
	PctState   *state = pct_final_state(fcinfo, kind, true, function);
	int64		lower_rank;
	int64		upper_rank;
	int64		rank;
	PctItem		item;

	if (state == NULL)
		PG_RETURN_NULL();
	if (state->nfractions != 2)
		kpi_state_mismatch(function);
	kpi_quantile_ci_ranks(state->count, state->fractions[0], state->fractions[1],
						  &lower_rank, &upper_rank);
	rank = (upper ? upper_rank : lower_rank) - 1;
	if (rank < 0 || rank >= state->count)
		PG_RETURN_NULL();
	pct_find_ranks(state, &rank, 1, &item);
	PG_RETURN_DATUM(pct_result(kind, 0.0, state->count, rank, rank, &item, &item));
}

PG_FUNCTION_INFO_V1(kpi_percentile_ci_float8_low);
Datum
kpi_percentile_ci_float8_low(PG_FUNCTION_ARGS)
{
	return pct_ci_final(fcinfo, PCT_KIND_FLOAT8, false, "kpi_percentile_ci_float8_low");
}

PG_FUNCTION_INFO_V1(kpi_percentile_ci_float8_high);
Datum
kpi_percentile_ci_float8_high(PG_FUNCTION_ARGS)
{
	return pct_ci_final(fcinfo, PCT_KIND_FLOAT8, true, "kpi_percentile_ci_float8_high");
}

PG_FUNCTION_INFO_V1(kpi_percentile_ci_interval_low);
Datum
kpi_percentile_ci_interval_low(PG_FUNCTION_ARGS)
{
	return pct_ci_final(fcinfo, PCT_KIND_INTERVAL, false, "kpi_percentile_ci_interval_low");
}

PG_FUNCTION_INFO_V1(kpi_percentile_ci_interval_high);
Datum
kpi_percentile_ci_interval_high(PG_FUNCTION_ARGS)
{
	return pct_ci_final(fcinfo, PCT_KIND_INTERVAL, true, "kpi_percentile_ci_interval_high");
}
