/*-------------------------------------------------------------------------
 *
 * percentile.c
 *	  Exact percentiles of durations and numbers: median(), percentile(),
 *	  median_resolution() and handle_time_percentile().
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
 * sorts every value through tuplesort; here the values are appended to a flat
 * array in the aggregate context and the final function selects the two rows
 * it needs with an introselect (quickselect with a median-of-three pivot and a
 * heapsort fallback after 2 log2(n) levels), which is linear on average and
 * never quadratic.  Selection only swaps values, so the array remains the same
 * multiset and a later call of a final function (another aggregate sharing the
 * state) or of a transition function still sees every value.
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
 * In a window (OVER) the state instead keeps the frame's values in order, in
 * blocks of at most PCT_BLOCK_CAPACITY sorted values (every value of a block
 * <= every value of the next).  A value entering or leaving the frame (the
 * moving-aggregate inverse) is placed or found by binary search over the
 * blocks' last values and then within its block, and moved with a memmove of
 * at most one block; full blocks split, nearly empty ones merge with their
 * neighbour.  The final function reads rows k and k + 1 by walking the block
 * counts.  A row of a sliding frame of w values thus costs O(log w) comparisons,
 * one short memmove and O(w / PCT_BLOCK_CAPACITY) additions, and a running
 * frame (UNBOUNDED PRECEDING) grows the same way, instead of collecting and
 * re-selecting the whole frame for every row.
 *
 * Parallel aggregation serializes the values into a bytea (version byte,
 * kind, fraction, form, count, then the values, 8 bytes each when their fields
 * follow from their keys) that the deserializer validates value by value; the
 * combine function concatenates, adopting the first partial state it gets.
 *
 *-------------------------------------------------------------------------
 */
#include "postgres.h"

#include "common/int.h"
#include "miscadmin.h"
#include "utils/builtins.h"
#include "utils/fmgrprotos.h"
#include "utils/memutils.h"
#include "utils/timestamp.h"

#include "kpi_ext.h"

/* what the state holds, and so what the final function returns */
#define PCT_KIND_FLOAT8		1
#define PCT_KIND_INTERVAL	2

/*
 * One value: the ordering key (microseconds, or the ordered bits of a
 * double) and, for intervals, the month and day fields it was written with.
 * The time field is key - month * 30 days - day * 1 day, computed modulo 2^64
 * (exact, since the true time field fits in 64 bits).
 */
typedef struct PctItem
{
	int64		key;
	int32		day;
	int32		month;
} PctItem;

typedef struct PctState
{
	MemoryContext context;		/* owns values: the aggregate context */
	uint8		kind;			/* PCT_KIND_* */
	bool		has_fraction;	/* fraction seen (any row, even a NULL value) */
	bool		windowed;		/* in a window: values are in blocks, in order */
	double		fraction;
	int64		count;			/* values held */
	int64		capacity;		/* not windowed: room in values */
	PctItem    *values;			/* not windowed: the values, in no order */
	int64		nblocks;		/* windowed: blocks in use */
	int64		maxblocks;		/* windowed: room in blocks */
	struct PctBlock **blocks;	/* windowed: the blocks, in order */
} PctState;

/* a run of values in order, for window states */
#define PCT_BLOCK_CAPACITY 512

typedef struct PctBlock
{
	int32		count;
	PctItem		items[PCT_BLOCK_CAPACITY];
} PctBlock;

/*
 * Serialized state: this header, then the values in one of three forms.  The
 * compact forms halve what parallel workers send when every value's fields
 * follow from its key, which is the rule: numbers, intervals of a time part
 * only, and timestamptz differences (days and a time of day below 24 hours).
 */
#define PCT_FORM_TIME		0	/* int64 keys; day = month = 0 */
#define PCT_FORM_DAYS		1	/* int64 keys >= 0; day = key / 1 day, month = 0 */
#define PCT_FORM_ITEMS		2	/* whole PctItems of 16 bytes */

typedef struct PctSerialHeader
{
	uint8		version;		/* KPI_FORMAT_VERSION */
	uint8		kind;			/* PCT_KIND_* */
	uint8		has_fraction;	/* 0 or 1 */
	uint8		form;			/* PCT_FORM_* */
	uint8		unused[4];		/* zero */
	double		fraction;		/* 0 when has_fraction is 0 */
	int64		count;
} PctSerialHeader;

#define PCT_STATE_NAME "exact percentile aggregate state"
#define PCT_INITIAL_CAPACITY 64
#define PCT_SMALL_RANGE 16
#define PCT_DOUBLING_LIMIT ((int64) 4 * 1024 * 1024)

/* --- values and their order ---------------------------------------------- */

static inline bool
pct_lt(const PctItem *a, const PctItem *b)
{
	if (a->key != b->key)
		return a->key < b->key;
	if (a->month != b->month)
		return a->month < b->month;
	return a->day < b->day;
}

static inline int
pct_cmp(const PctItem *a, const PctItem *b)
{
	return pct_lt(a, b) ? -1 : pct_lt(b, a) ? 1 : 0;
}

static inline void
pct_swap(PctItem *a, PctItem *b)
{
	PctItem		t = *a;

	*a = *b;
	*b = t;
}

/* a bijection from the non-NaN doubles onto int64 that keeps their order */
static inline int64
pct_float8_key(double value)
{
	int64		bits;

	memcpy(&bits, &value, sizeof(bits));
	return bits < 0 ? bits ^ PG_INT64_MAX : bits;
}

static inline double
pct_key_float8(int64 key)
{
	double		value;

	if (key < 0)
		key ^= PG_INT64_MAX;
	memcpy(&value, &key, sizeof(value));
	return value;
}

static inline int64
pct_item_time(const PctItem *item)
{
	uint64		time = (uint64) item->key
		- (uint64) (int64) item->month * (uint64) KPI_USECS_PER_MONTH
		- (uint64) (int64) item->day * (uint64) USECS_PER_DAY;

	return (int64) time;
}

static Interval *
pct_item_interval(const PctItem *item)
{
	Interval   *result = (Interval *) palloc(sizeof(Interval));

	result->time = pct_item_time(item);
	result->day = item->day;
	result->month = item->month;
	return result;
}

/* --- selection ------------------------------------------------------------ */

static void
pct_sift_down(PctItem *a, int64 n, int64 i)
{
	for (;;)
	{
		int64		child = 2 * i + 1;

		if (child >= n)
			break;
		if (child + 1 < n && pct_lt(&a[child], &a[child + 1]))
			child++;
		if (!pct_lt(&a[i], &a[child]))
			break;
		pct_swap(&a[i], &a[child]);
		i = child;
	}
}

/* the fallback that bounds the worst case: heapsort of a range, by swaps */
static void
pct_heapsort(PctItem *a, int64 n)
{
	for (int64 i = n / 2 - 1; i >= 0; i--)
		pct_sift_down(a, n, i);
	for (int64 end = n - 1; end > 0; end--)
	{
		CHECK_FOR_INTERRUPTS();
		pct_swap(&a[0], &a[end]);
		pct_sift_down(a, end, 0);
	}
}

static void
pct_insertion_sort(PctItem *a, int64 n)
{
	for (int64 i = 1; i < n; i++)
		for (int64 j = i; j > 0 && pct_lt(&a[j], &a[j - 1]); j--)
			pct_swap(&a[j], &a[j - 1]);
}

/*
 * Reorder a[0 .. n) by swaps so that a[k] holds the value of rank k, every
 * value before it is <= a[k] and every value after it is >= a[k].
 */
static void
pct_select(PctItem *a, int64 n, int64 k)
{
	int64		lo = 0;
	int64		hi = n - 1;
	int			depth = 0;

	for (int64 m = n; m > 1; m >>= 1)
		depth += 2;

	while (hi > lo)
	{
		int64		mid;
		int64		i;
		int64		j;
		PctItem		pivot;

		CHECK_FOR_INTERRUPTS();
		if (hi - lo < PCT_SMALL_RANGE)
		{
			pct_insertion_sort(a + lo, hi - lo + 1);
			return;
		}
		if (depth-- <= 0)
		{
			pct_heapsort(a + lo, hi - lo + 1);
			return;
		}

		/* median of three: a[lo] <= a[mid] <= a[hi], the ends act as sentinels */
		mid = lo + (hi - lo) / 2;
		if (pct_lt(&a[mid], &a[lo]))
			pct_swap(&a[mid], &a[lo]);
		if (pct_lt(&a[hi], &a[lo]))
			pct_swap(&a[hi], &a[lo]);
		if (pct_lt(&a[hi], &a[mid]))
			pct_swap(&a[hi], &a[mid]);
		pct_swap(&a[mid], &a[hi - 1]);
		pivot = a[hi - 1];

		/* Hoare partition stopping on equal values: duplicates split evenly */
		i = lo;
		j = hi - 1;
		for (;;)
		{
			CHECK_FOR_INTERRUPTS();
			while (pct_lt(&a[++i], &pivot))
				;
			while (pct_lt(&pivot, &a[--j]))
				;
			if (i >= j)
				break;
			pct_swap(&a[i], &a[j]);
		}
		pct_swap(&a[i], &a[hi - 1]);

		/* a[lo .. i) <= a[i] = pivot <= a(i .. hi] */
		if (k < i)
			hi = i - 1;
		else if (k > i)
			lo = i + 1;
		else
			return;
	}
}

/* the smallest of a[0 .. n), n > 0 */
static const PctItem *
pct_min(const PctItem *a, int64 n)
{
	const PctItem *best = &a[0];

	for (int64 i = 1; i < n; i++)
	{
		if ((i & 0xFFFF) == 0)
			CHECK_FOR_INTERRUPTS();
		if (pct_lt(&a[i], best))
			best = &a[i];
	}
	return best;
}

/* --- the state ------------------------------------------------------------ */

static PctState *
pct_new_state(MemoryContext context, uint8 kind, bool windowed)
{
	PctState   *state = (PctState *) MemoryContextAllocZero(context, sizeof(PctState));

	state->context = context;
	state->kind = kind;
	state->windowed = windowed;
	return state;
}

static MemoryContext
pct_agg_context(FunctionCallInfo fcinfo, const char *function, bool *windowed)
{
	MemoryContext context;
	int			how = AggCheckCallContext(fcinfo, &context);

	if (how == 0)
		elog(ERROR, "%s called in non-aggregate context", function);
	if (windowed)
		*windowed = (how == AGG_CONTEXT_WINDOW);
	return context;
}

/* room for extra more values, growing geometrically with huge allocations */
static void
pct_reserve(PctState *state, int64 extra)
{
	int64		need;
	int64		capacity;

	if (pg_add_s64_overflow(state->count, extra, &need) ||
		need > (int64) (MaxAllocHugeSize / sizeof(PctItem)))
		ereport(ERROR,
				(errcode(ERRCODE_PROGRAM_LIMIT_EXCEEDED),
				 errmsg("too many values for an exact percentile"),
				 errhint("Use duration_agg() for a bounded-error percentile of very large groups.")));
	if (need <= state->capacity)
		return;
	/* double while small, then grow by half so that a huge group wastes less */
	capacity = Max(state->capacity, PCT_INITIAL_CAPACITY);
	while (capacity < need)
		capacity = Min(capacity < PCT_DOUBLING_LIMIT ? capacity * 2 : capacity + capacity / 2,
					   (int64) (MaxAllocHugeSize / sizeof(PctItem)));
	if (state->values == NULL)
		state->values = (PctItem *) MemoryContextAllocHuge(state->context,
														   capacity * sizeof(PctItem));
	else
		state->values = (PctItem *) repalloc_huge(state->values, capacity * sizeof(PctItem));
	state->capacity = capacity;
}

static inline void
pct_append(PctState *state, const PctItem *item)
{
	if (unlikely(state->count >= state->capacity))
		pct_reserve(state, 1);
	state->values[state->count++] = *item;
}

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

/* --- window states: values in ordered blocks ----------------------------- */

/* the first position in a[0 .. n) whose value is >= item */
static int
pct_lower_bound(const PctItem *a, int n, const PctItem *item)
{
	int			lo = 0;
	int			hi = n;

	while (lo < hi)
	{
		int			mid = lo + (hi - lo) / 2;

		if (pct_lt(&a[mid], item))
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

/* the first block whose last value is >= item, or nblocks if there is none */
static int64
pct_find_block(const PctState *state, const PctItem *item)
{
	int64		lo = 0;
	int64		hi = state->nblocks;

	while (lo < hi)
	{
		int64		mid = lo + (hi - lo) / 2;
		const PctBlock *block = state->blocks[mid];

		if (pct_lt(&block->items[block->count - 1], item))
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

/* make room for a new block at position b of the directory */
static PctBlock *
pct_add_block(PctState *state, int64 b)
{
	PctBlock   *block;

	if (state->nblocks >= state->maxblocks)
	{
		int64		room = Max(16, state->maxblocks * 2);

		if (state->blocks == NULL)
			state->blocks = (PctBlock **) MemoryContextAllocHuge(state->context,
																 room * sizeof(PctBlock *));
		else
			state->blocks = (PctBlock **) repalloc_huge(state->blocks, room * sizeof(PctBlock *));
		state->maxblocks = room;
	}
	block = (PctBlock *) MemoryContextAlloc(state->context, sizeof(PctBlock));
	block->count = 0;
	memmove(&state->blocks[b + 1], &state->blocks[b],
			(state->nblocks - b) * sizeof(PctBlock *));
	state->blocks[b] = block;
	state->nblocks++;
	return block;
}

static void
pct_drop_block(PctState *state, int64 b)
{
	pfree(state->blocks[b]);
	memmove(&state->blocks[b], &state->blocks[b + 1],
			(state->nblocks - b - 1) * sizeof(PctBlock *));
	state->nblocks--;
}

static void
pct_block_insert(PctState *state, const PctItem *item)
{
	int64		b;
	PctBlock   *block;
	int			pos;

	if (state->count >= PG_INT64_MAX / 2)
		elog(ERROR, "too many values in a window frame");
	if (state->nblocks == 0)
		pct_add_block(state, 0);
	b = pct_find_block(state, item);
	if (b == state->nblocks)
		b--;					/* larger than every value: the last block */
	block = state->blocks[b];
	pos = pct_lower_bound(block->items, block->count, item);
	if (block->count == PCT_BLOCK_CAPACITY)
	{
		/* split: the upper half moves to a new block after this one */
		PctBlock   *upper = pct_add_block(state, b + 1);
		int			half = PCT_BLOCK_CAPACITY / 2;

		memcpy(upper->items, &block->items[half], (PCT_BLOCK_CAPACITY - half) * sizeof(PctItem));
		upper->count = PCT_BLOCK_CAPACITY - half;
		block->count = half;
		if (pos > half)
		{
			block = upper;
			pos -= half;
		}
	}
	memmove(&block->items[pos + 1], &block->items[pos], (block->count - pos) * sizeof(PctItem));
	block->items[pos] = *item;
	block->count++;
	state->count++;
}

static void
pct_block_delete(PctState *state, const PctItem *item, const char *function)
{
	int64		b = pct_find_block(state, item);
	PctBlock   *block;
	int			pos;

	if (b == state->nblocks)
		elog(ERROR, "%s: the value to remove is not in the frame", function);
	block = state->blocks[b];
	pos = pct_lower_bound(block->items, block->count, item);
	if (pos == block->count || pct_cmp(&block->items[pos], item) != 0)
		elog(ERROR, "%s: the value to remove is not in the frame", function);
	memmove(&block->items[pos], &block->items[pos + 1], (block->count - pos - 1) * sizeof(PctItem));
	block->count--;
	state->count--;
	if (block->count == 0)
		pct_drop_block(state, b);
	else if (block->count < PCT_BLOCK_CAPACITY / 4 && b + 1 < state->nblocks &&
			 block->count + state->blocks[b + 1]->count <= PCT_BLOCK_CAPACITY / 2)
	{
		/* keep blocks reasonably full: take in the next one */
		PctBlock   *next = state->blocks[b + 1];

		memcpy(&block->items[block->count], next->items, next->count * sizeof(PctItem));
		block->count += next->count;
		pct_drop_block(state, b + 1);
	}
}

/* the value of rank k (from 0) of a window state */
static const PctItem *
pct_block_rank(const PctState *state, int64 k)
{
	for (int64 b = 0; b < state->nblocks; b++)
	{
		const PctBlock *block = state->blocks[b];

		if (k < block->count)
			return &block->items[k];
		k -= block->count;
	}
	elog(ERROR, "exact percentile: rank beyond the window frame");
	return NULL;				/* keep the compiler quiet */
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
				(errcode(ERRCODE_NUMERIC_VALUE_OUT_OF_RANGE),
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

/* --- transition and inverse functions ---------------------------------------- */

/*
 * Add one row: the common step of every transition function.  The fraction
 * is argument 2 when there are three arguments (none for median and span).
 */
static Datum
pct_accum(FunctionCallInfo fcinfo, uint8 kind, bool span, const char *function)
{
	PctState   *state;
	PctItem		item;
	int			fraction_arg = (!span && PG_NARGS() > 2) ? 2 : -1;

	if (PG_ARGISNULL(0))
	{
		bool		windowed;
		MemoryContext context = pct_agg_context(fcinfo, function, &windowed);

		state = pct_new_state(context, kind, windowed);
	}
	else
		state = (PctState *) PG_GETARG_POINTER(0);
	/* the median's fixed fraction needs checking only once */
	if (fraction_arg >= 0 || !state->has_fraction)
		pct_set_fraction(state, fcinfo, fraction_arg);
	if (pct_row_item(fcinfo, kind, span, &item))
	{
		if (state->windowed)
			pct_block_insert(state, &item);
		else
			pct_append(state, &item);
	}
	PG_RETURN_POINTER(state);
}

/* Remove one row that left a window frame (moving-aggregate inverse). */
static Datum
pct_inv(FunctionCallInfo fcinfo, uint8 kind, bool span, const char *function)
{
	PctState   *state;
	PctItem		item;

	pct_agg_context(fcinfo, function, NULL);
	if (PG_ARGISNULL(0))
		elog(ERROR, "%s called without a state", function);
	state = (PctState *) PG_GETARG_POINTER(0);
	if (!state->windowed)
		elog(ERROR, "%s called outside a window", function);
	if (pct_row_item(fcinfo, kind, span, &item))
		pct_block_delete(state, &item, function);
	PG_RETURN_POINTER(state);
}

PG_FUNCTION_INFO_V1(kpi_percentile_float8_accum);
Datum
kpi_percentile_float8_accum(PG_FUNCTION_ARGS)
{
	return pct_accum(fcinfo, PCT_KIND_FLOAT8, false, "kpi_percentile_float8_accum");
}

PG_FUNCTION_INFO_V1(kpi_percentile_interval_accum);
Datum
kpi_percentile_interval_accum(PG_FUNCTION_ARGS)
{
	return pct_accum(fcinfo, PCT_KIND_INTERVAL, false, "kpi_percentile_interval_accum");
}

PG_FUNCTION_INFO_V1(kpi_percentile_span_accum);
Datum
kpi_percentile_span_accum(PG_FUNCTION_ARGS)
{
	return pct_accum(fcinfo, PCT_KIND_INTERVAL, true, "kpi_percentile_span_accum");
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

/* --- combine, serialize, deserialize ------------------------------------ */

static void
pct_merge_fraction(PctState *state, const PctState *other)
{
	if (!other->has_fraction)
		return;
	if (!state->has_fraction)
	{
		state->fraction = other->fraction;
		state->has_fraction = true;
	}
	else if (state->fraction != other->fraction)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("percentile fraction must be the same for every row of a group"),
				 errdetail("Parts of the group have fractions %g and %g.",
						   state->fraction, other->fraction),
				 errhint("Compute different percentiles in separate aggregate calls.")));
}

PG_FUNCTION_INFO_V1(kpi_percentile_combine);
Datum
kpi_percentile_combine(PG_FUNCTION_ARGS)
{
	MemoryContext context = pct_agg_context(fcinfo, "kpi_percentile_combine", NULL);
	PctState   *state;
	PctState   *other;

	if (PG_ARGISNULL(1))
	{
		if (PG_ARGISNULL(0))
			PG_RETURN_NULL();
		PG_RETURN_POINTER(PG_GETARG_POINTER(0));
	}
	other = (PctState *) PG_GETARG_POINTER(1);
	if (PG_ARGISNULL(0))
	{
		/*
		 * The first partial state: adopt it when it lives in this aggregate
		 * context (the deserializer allocates it there), saving a copy.
		 */
		if (other->context == context)
			PG_RETURN_POINTER(other);
		state = pct_new_state(context, other->kind, false);
	}
	else
		state = (PctState *) PG_GETARG_POINTER(0);
	if (state->kind != other->kind || state->windowed || other->windowed)
		elog(ERROR, "kpi_percentile_combine: states of different kinds");
	pct_merge_fraction(state, other);
	if (other->count > 0)
	{
		pct_reserve(state, other->count);
		memcpy(&state->values[state->count], other->values, other->count * sizeof(PctItem));
		state->count += other->count;
	}
	PG_RETURN_POINTER(state);
}

PG_FUNCTION_INFO_V1(kpi_percentile_serialize);
Datum
kpi_percentile_serialize(PG_FUNCTION_ARGS)
{
	PctState   *state;
	PctSerialHeader header;
	bool		time_form = true;
	bool		days_form = true;
	Size		width;
	Size		size;
	bytea	   *result;
	char	   *out;

	pct_agg_context(fcinfo, "kpi_percentile_serialize", NULL);
	state = (PctState *) PG_GETARG_POINTER(0);
	if (state->windowed)
		elog(ERROR, "kpi_percentile_serialize: a window state cannot be serialized");

	for (int64 i = 0; i < state->count && (time_form || days_form); i++)
	{
		const PctItem *item = &state->values[i];

		time_form = time_form && item->day == 0 && item->month == 0;
		days_form = days_form && item->month == 0 && item->key >= 0 &&
			item->day == item->key / USECS_PER_DAY;
	}

	memset(&header, 0, sizeof(header));
	header.version = KPI_FORMAT_VERSION;
	header.kind = state->kind;
	header.has_fraction = state->has_fraction ? 1 : 0;
	header.form = time_form ? PCT_FORM_TIME : days_form ? PCT_FORM_DAYS : PCT_FORM_ITEMS;
	header.fraction = state->has_fraction ? state->fraction : 0.0;
	header.count = state->count;

	width = header.form == PCT_FORM_ITEMS ? sizeof(PctItem) : sizeof(int64);
	size = VARHDRSZ + sizeof(PctSerialHeader) + (Size) state->count * width;
	if (size > MaxAllocSize)
		ereport(ERROR,
				(errcode(ERRCODE_PROGRAM_LIMIT_EXCEEDED),
				 errmsg("too many values to pass an exact percentile between parallel workers"),
				 errdetail("A worker's share of the group takes more than 1 GB."),
				 errhint("Run the query without parallel workers: SET max_parallel_workers_per_gather = 0.")));

	result = (bytea *) palloc(size);
	SET_VARSIZE(result, size);
	out = VARDATA(result);
	memcpy(out, &header, sizeof(header));
	out += sizeof(header);
	if (header.form == PCT_FORM_ITEMS)
	{
		if (state->count > 0)
			memcpy(out, state->values, state->count * sizeof(PctItem));
	}
	else
	{
		for (int64 i = 0; i < state->count; i++)
			memcpy(out + i * sizeof(int64), &state->values[i].key, sizeof(int64));
	}
	PG_RETURN_BYTEA_P(result);
}

/* a value a transition function could have stored, or an error */
static void
pct_check_item(uint8 kind, const PctItem *item)
{
	if (kind == PCT_KIND_FLOAT8)
	{
		double		value = pct_key_float8(item->key);

		if (isnan(value) || isinf(value) || item->day != 0 || item->month != 0)
			kpi_corrupt_summary(PCT_STATE_NAME, "A number is not finite.");
	}
	else
	{
		int64		check;
		int64		part;

		/* the time field the key implies must be reachable without wrapping */
		if (item->key < 0 ||
			pg_mul_s64_overflow((int64) item->month, KPI_USECS_PER_MONTH, &check) ||
			pg_mul_s64_overflow((int64) item->day, USECS_PER_DAY, &part) ||
			pg_add_s64_overflow(check, part, &check) ||
			pg_add_s64_overflow(check, pct_item_time(item), &check) ||
			check != item->key)
			kpi_corrupt_summary(PCT_STATE_NAME, "A duration is negative or inconsistent.");
	}
}

PG_FUNCTION_INFO_V1(kpi_percentile_deserialize);
Datum
kpi_percentile_deserialize(PG_FUNCTION_ARGS)
{
	MemoryContext context = pct_agg_context(fcinfo, "kpi_percentile_deserialize", NULL);
	bytea	   *bytes = PG_GETARG_BYTEA_PP(0);
	const char *data = VARDATA_ANY(bytes);
	Size		size = VARSIZE_ANY_EXHDR(bytes);
	PctSerialHeader header;
	PctState   *state;
	Size		width;

	if (size < sizeof(header))
		kpi_corrupt_summary(PCT_STATE_NAME, "The value is too short.");
	memcpy(&header, data, sizeof(header));
	data += sizeof(header);
	size -= sizeof(header);
	if (header.version != KPI_FORMAT_VERSION)
		kpi_corrupt_summary(PCT_STATE_NAME, "The value has an unknown format version.");
	if (header.kind != PCT_KIND_FLOAT8 && header.kind != PCT_KIND_INTERVAL)
		kpi_corrupt_summary(PCT_STATE_NAME, "The value has an unknown kind.");
	if (header.has_fraction > 1)
		kpi_corrupt_summary(PCT_STATE_NAME, "The fraction flag is not 0 or 1.");
	if (header.form > PCT_FORM_ITEMS ||
		(header.kind == PCT_KIND_FLOAT8 && header.form == PCT_FORM_DAYS))
		kpi_corrupt_summary(PCT_STATE_NAME, "The value has an unknown form.");
	for (size_t i = 0; i < lengthof(header.unused); i++)
		if (header.unused[i] != 0)
			kpi_corrupt_summary(PCT_STATE_NAME, "Reserved bytes are not zero.");
	if (header.has_fraction
		? (isnan(header.fraction) || header.fraction < 0 || header.fraction > 1)
		: header.fraction != 0.0)
		kpi_corrupt_summary(PCT_STATE_NAME, "The fraction is out of range.");
	width = header.form == PCT_FORM_ITEMS ? sizeof(PctItem) : sizeof(int64);
	if (header.count < 0 || size % width != 0 || (Size) header.count != size / width)
		kpi_corrupt_summary(PCT_STATE_NAME, "The value count does not match the size.");

	state = pct_new_state(context, header.kind, false);
	state->has_fraction = header.has_fraction != 0;
	state->fraction = header.fraction;
	if (header.count > 0)
		pct_reserve(state, header.count);

	/* rebuild and check every value */
	for (int64 i = 0; i < header.count; i++)
	{
		PctItem    *item = &state->values[i];

		if ((i & 0xFFFF) == 0)
			CHECK_FOR_INTERRUPTS();
		if (header.form == PCT_FORM_ITEMS)
			memcpy(item, data + i * sizeof(PctItem), sizeof(PctItem));
		else
		{
			memcpy(&item->key, data + i * sizeof(int64), sizeof(int64));
			item->month = 0;
			item->day = 0;
			if (header.form == PCT_FORM_DAYS)
			{
				if (item->key < 0)
					kpi_corrupt_summary(PCT_STATE_NAME, "A duration is negative or inconsistent.");
				item->day = (int32) (item->key / USECS_PER_DAY);
			}
		}
		pct_check_item(header.kind, item);
	}
	state->count = header.count;
	PG_RETURN_POINTER(state);
}

/* --- final functions ---------------------------------------------------------- */

/*
 * Find the rows first_row and second_row as percentile_cont numbers them,
 * and the interpolation proportion.  Returns false for no values.
 */
static bool
pct_find(PctState *state, PctItem *first, PctItem *second, double *proportion,
		 bool *interpolate)
{
	double		percentile = state->fraction;
	int64		n = state->count;
	int64		first_row;
	int64		second_row;

	if (n == 0)
		return false;

	/* the same expressions as percentile_cont_final_common */
	first_row = floor(percentile * (n - 1));
	second_row = ceil(percentile * (n - 1));
	if (first_row < 0 || second_row >= n || second_row - first_row > 1)
		elog(ERROR, "exact percentile: row %lld of %lld out of range",
			 (long long) second_row, (long long) n);

	if (state->windowed)
	{
		*first = *pct_block_rank(state, first_row);
		*second = *pct_block_rank(state, second_row);
	}
	else
	{
		pct_select(state->values, n, first_row);
		*first = state->values[first_row];
		if (second_row != first_row)
			*second = *pct_min(&state->values[first_row + 1], n - first_row - 1);
		else
			*second = *first;
	}
	*interpolate = (first_row != second_row);
	*proportion = (percentile * (n - 1)) - first_row;
	return true;
}

PG_FUNCTION_INFO_V1(kpi_percentile_float8_final);
Datum
kpi_percentile_float8_final(PG_FUNCTION_ARGS)
{
	PctState   *state;
	PctItem		first;
	PctItem		second;
	double		proportion;
	bool		interpolate;
	double		loval;
	double		hival;

	pct_agg_context(fcinfo, "kpi_percentile_float8_final", NULL);
	if (PG_ARGISNULL(0))
		PG_RETURN_NULL();
	state = (PctState *) PG_GETARG_POINTER(0);
	if (state->kind != PCT_KIND_FLOAT8)
		elog(ERROR, "kpi_percentile_float8_final: wrong kind of state");
	if (!pct_find(state, &first, &second, &proportion, &interpolate))
		PG_RETURN_NULL();
	loval = pct_key_float8(first.key);
	if (!interpolate)
		PG_RETURN_FLOAT8(loval);
	hival = pct_key_float8(second.key);
	PG_RETURN_FLOAT8(loval + (proportion * (hival - loval)));
}

PG_FUNCTION_INFO_V1(kpi_percentile_interval_final);
Datum
kpi_percentile_interval_final(PG_FUNCTION_ARGS)
{
	PctState   *state;
	PctItem		first;
	PctItem		second;
	double		proportion;
	bool		interpolate;
	Datum		lo;
	Datum		diff;
	Datum		scaled;

	pct_agg_context(fcinfo, "kpi_percentile_interval_final", NULL);
	if (PG_ARGISNULL(0))
		PG_RETURN_NULL();
	state = (PctState *) PG_GETARG_POINTER(0);
	if (state->kind != PCT_KIND_INTERVAL)
		elog(ERROR, "kpi_percentile_interval_final: wrong kind of state");
	if (!pct_find(state, &first, &second, &proportion, &interpolate))
		PG_RETURN_NULL();
	lo = IntervalPGetDatum(pct_item_interval(&first));
	if (!interpolate)
		PG_RETURN_DATUM(lo);
	/* interval_lerp of orderedsetaggs.c */
	diff = DirectFunctionCall2(interval_mi, IntervalPGetDatum(pct_item_interval(&second)), lo);
	scaled = DirectFunctionCall2(interval_mul, diff, Float8GetDatum(proportion));
	PG_RETURN_DATUM(DirectFunctionCall2(interval_pl, scaled, lo));
}
