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
 * in the aggregate context and the final function finds the rows it needs by
 * radix selection, without moving any value: one pass counts the values per
 * bucket of their key range (2^16 buckets), the buckets holding the wanted
 * ranks become the new ranges, and once a range holds few values (or a single
 * key) they are copied out and an introselect (quickselect with a
 * median-of-three pivot and a heapsort fallback) finishes.  Every pass narrows
 * the range by 16 bits, so there are at most four passes over the values,
 * whatever their distribution; usually there are two.  percentiles() with
 * several fractions finds all their rows in the same passes.  Since nothing
 * is moved, the final function can run any number of times on one state.
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
 * The fields of nearly every duration follow from its key: a time part only
 * (day = month = 0), or days and a time of day, as timestamptz subtraction
 * writes it (day = key / 1 day, month = 0).  While that holds for every value
 * of a group, the chunks keep only the 8-byte keys; the first value that fits
 * neither rule turns them into 16-byte items with explicit fields.
 *
 * In a window (OVER) the state instead keeps the frame's values in order, in
 * blocks of at most PCT_BLOCK_CAPACITY sorted values (every value of a block
 * <= every value of the next).  A value entering or leaving the frame (the
 * moving-aggregate inverse) is placed or found by binary search over the
 * blocks' last values and then within its block, and moved with a memmove of
 * at most one block; full blocks split, nearly empty ones merge with their
 * neighbour.  The final function reads its rows by walking the block counts.
 * A row of a sliding frame of w values thus costs O(log w) comparisons, one
 * short memmove and O(w / PCT_BLOCK_CAPACITY) additions, and a running frame
 * (UNBOUNDED PRECEDING) grows the same way, instead of collecting and
 * re-selecting the whole frame for every row.
 *
 * Parallel aggregation serializes the values into a bytea (version byte,
 * kind, fraction or fractions, form, count, then the values, 8 bytes each in
 * the keys forms) that the deserializer validates value by value; the combine
 * function takes over the chunks of the partial states it gets, copying
 * nothing.
 *
 *-------------------------------------------------------------------------
 */
#include "postgres.h"

#include "catalog/pg_type.h"
#include "common/int.h"
#include "miscadmin.h"
#include "port/pg_bitutils.h"
#include "utils/array.h"
#include "utils/builtins.h"
#include "utils/float.h"
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

/*
 * A run of collected values: int64 keys, or PctItems in the items form, or,
 * in a chunk received from a parallel worker that packed them (unit > 0),
 * uint32 offsets: key = base + offset * unit.
 */
typedef struct PctChunk
{
	int64		count;
	int64		capacity;
	int64		base;
	int64		unit;
	char	   *data;
} PctChunk;

typedef struct PctState
{
	MemoryContext context;		/* owns everything: the aggregate context */
	uint8		kind;			/* PCT_KIND_* */
	bool		has_fraction;	/* fraction(s) seen (any row, even a NULL value) */
	bool		windowed;		/* in a window: values are in blocks, in order */
	double		fraction;		/* percentile(), median() */
	int64		count;			/* values held */
	/* percentiles(): the fractions, NaN for a NULL element, and their shape */
	bool		multi;
	int			nfractions;
	double	   *fractions;
	int			ndim;
	int			dims[MAXDIM];
	int			lbs[MAXDIM];
	ArrayType  *fraction_array; /* as first seen, for a quick comparison */
	/* not windowed: the values in chunks, in no order */
	bool		items_form;		/* chunks hold PctItems, else keys */
	bool		packed;			/* durations of whole seconds only: new values go
								 * to chunks of uint32 seconds (base 0, unit 1 s) */
	bool		time_ok;		/* keys: every value has day = month = 0 */
	bool		days_ok;		/* keys: every value has day = key / 1 day, month = 0 */
	uint64		umin;			/* smallest and largest ordered key, when count > 0 */
	uint64		umax;
	int64		nchunks;
	int64		maxchunks;
	PctChunk   *chunks;
	/* windowed: the values in order, in blocks */
	int64		nblocks;		/* blocks in use */
	int64		maxblocks;		/* room in blocks */
	struct PctBlock **blocks;	/* the blocks, in order */
} PctState;

/* a run of values in order, for window states */
#define PCT_BLOCK_CAPACITY 512

typedef struct PctBlock
{
	int32		count;
	PctItem		items[PCT_BLOCK_CAPACITY];
} PctBlock;

/*
 * Serialized state: this header, for percentiles() the fractions' shape and
 * values, then the values in one of three forms (the state's keys forms, or
 * whole items).
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
	uint8		multi;			/* 0 or 1: percentiles(), the shape follows */
	uint8		unused[3];		/* zero */
	double		fraction;		/* 0 when has_fraction is 0 or multi is 1 */
	int64		count;
	int64		base;			/* packed keys forms: the smallest key, else 0 */
	int64		unit;			/* packed: 1, 1000 or 1000000; 0: not packed */
} PctSerialHeader;

/*
 * For percentiles(), after the header: ndim, then dims[ndim] and lbs[ndim]
 * (int32 each, padded with a zero to a multiple of 8 bytes), then the
 * fractions as doubles, NaN for a NULL element.
 *
 * Support systems record times to the second, so the keys of a worker's
 * share usually differ by whole seconds (or milliseconds) within a range of
 * at most 136 years of them: then the keys forms are packed as 4-byte offsets
 * from the smallest key in that unit, which halves what moves from the
 * workers to the leader, and the leader keeps them packed.
 */

#define PCT_STATE_NAME "exact percentile aggregate state"
#define PCT_FIRST_CHUNK 64		/* values in a group's first chunk */
#define PCT_MAX_CHUNK ((int64) 1 << 20) /* chunks grow by doubling up to this */
#define PCT_RADIX_BITS 16		/* buckets per selection pass: 2^16 */
#define PCT_GATHER_MAX ((int64) 1 << 16)	/* ranges this small are copied out */
#define PCT_SMALL_RANGE 16
#define PCT_MAX_DAY (PG_INT64_MAX / USECS_PER_DAY)	/* day * 1 day fits int64 */
#define PCT_MAX_FRACTIONS 10000

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

/* --- the state ------------------------------------------------------------ */

static PctState *
pct_new_state(MemoryContext context, uint8 kind, bool windowed)
{
	PctState   *state = (PctState *) MemoryContextAllocZero(context, sizeof(PctState));

	state->context = context;
	state->kind = kind;
	state->windowed = windowed;
	state->time_ok = true;
	state->days_ok = (kind == PCT_KIND_INTERVAL);
	state->packed = (kind == PCT_KIND_INTERVAL && !windowed);
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

/* a map of the keys onto unsigned integers that keeps their order, and back */
static inline uint64
pct_ukey(int64 key)
{
	return (uint64) key ^ ((uint64) 1 << 63);
}

static inline int64
pct_skey(uint64 ukey)
{
	return (int64) (ukey ^ ((uint64) 1 << 63));
}

/* the bytes of one value in the chunks */
static inline size_t
pct_width(const PctState *state)
{
	return state->items_form ? sizeof(PctItem) : sizeof(int64);
}

static inline int64
pct_chunk_key(const PctChunk *chunk, size_t width, int64 i)
{
	int64		key;

	if (chunk->unit > 0)
		return chunk->base + (int64) ((const uint32 *) chunk->data)[i] * chunk->unit;
	memcpy(&key, chunk->data + i * width, sizeof(int64));
	return key;
}

/* the bytes of a chunk's values */
static inline Size
pct_chunk_bytes(const PctChunk *chunk, size_t width)
{
	return (Size) chunk->count * (chunk->unit > 0 ? sizeof(uint32) : width);
}

/* the item of a key in the keys forms: its fields follow from it */
static inline void
pct_key_item(const PctState *state, int64 key, PctItem *item)
{
	item->key = key;
	item->month = 0;
	item->day = state->time_ok ? 0 : (int32) (key / USECS_PER_DAY);
}

static inline void
pct_chunk_item(const PctState *state, const PctChunk *chunk, int64 i, PctItem *item)
{
	if (state->items_form)
		memcpy(item, chunk->data + i * sizeof(PctItem), sizeof(PctItem));
	else
		pct_key_item(state, pct_chunk_key(chunk, sizeof(int64), i), item);
}

/* a new chunk for capacity values after the others: data, or a new empty one */
static PctChunk *
pct_add_chunk(PctState *state, int64 capacity, char *data)
{
	PctChunk   *chunk;

	if (state->nchunks >= state->maxchunks)
	{
		int64		room = Max(8, state->maxchunks * 2);

		if (state->chunks == NULL)
			state->chunks = (PctChunk *) MemoryContextAlloc(state->context, room * sizeof(PctChunk));
		else
			state->chunks = (PctChunk *) repalloc(state->chunks, room * sizeof(PctChunk));
		state->maxchunks = room;
	}
	chunk = &state->chunks[state->nchunks++];
	chunk->count = 0;
	chunk->capacity = capacity;
	chunk->base = 0;
	chunk->unit = 0;
	if (data == NULL && state->packed)
	{
		chunk->unit = USECS_PER_SEC;
		data = MemoryContextAllocHuge(state->context, capacity * sizeof(uint32));
	}
	chunk->data = data != NULL ? data :
		MemoryContextAllocHuge(state->context, capacity * pct_width(state));
	return chunk;
}

/* from keys to whole items: a value came whose fields do not follow from its key */
static void
pct_to_items(PctState *state)
{
	for (int64 c = 0; c < state->nchunks; c++)
	{
		PctChunk   *chunk = &state->chunks[c];
		PctItem    *items = (PctItem *) MemoryContextAllocHuge(state->context,
															   chunk->capacity * sizeof(PctItem));

		for (int64 i = 0; i < chunk->count; i++)
			pct_chunk_item(state, chunk, i, &items[i]);
		pfree(chunk->data);
		chunk->data = (char *) items;
		chunk->unit = 0;
		chunk->base = 0;
	}
	state->items_form = true;
	state->time_ok = false;
	state->days_ok = false;
	state->packed = false;
}

static inline void
pct_note_range(PctState *state, uint64 lo, uint64 hi)
{
	if (state->count == 0)
	{
		state->umin = lo;
		state->umax = hi;
	}
	else
	{
		state->umin = Min(state->umin, lo);
		state->umax = Max(state->umax, hi);
	}
}

/* add a value to a state that is not windowed */
static inline void
pct_push(PctState *state, const PctItem *item)
{
	PctChunk   *chunk;
	uint64		u = pct_ukey(item->key);
	uint64		secs = 0;

	if (!state->items_form)
	{
		bool		time_ok = state->time_ok && item->day == 0 && item->month == 0;
		bool		days_ok = state->days_ok && item->month == 0 &&
			item->day >= 0 && item->day <= PCT_MAX_DAY &&
			(uint64) (item->key - item->day * USECS_PER_DAY) < (uint64) USECS_PER_DAY;

		if (time_ok || days_ok)
		{
			state->time_ok = time_ok;
			state->days_ok = days_ok;
		}
		else
			pct_to_items(state);
	}
	if (state->packed)
	{
		/* the first duration that is not whole seconds: 8-byte keys from now on */
		secs = (uint64) item->key / USECS_PER_SEC;
		if (unlikely(secs * USECS_PER_SEC != (uint64) item->key || secs > PG_UINT32_MAX))
			state->packed = false;
	}
	pct_note_range(state, u, u);
	chunk = state->nchunks > 0 ? &state->chunks[state->nchunks - 1] : NULL;
	if (unlikely(chunk == NULL || chunk->count == chunk->capacity ||
				 chunk->unit != (state->packed ? USECS_PER_SEC : 0)))
		chunk = pct_add_chunk(state, Min(Max(state->count, PCT_FIRST_CHUNK), PCT_MAX_CHUNK), NULL);
	if (state->items_form)
		((PctItem *) chunk->data)[chunk->count] = *item;
	else if (state->packed)
		((uint32 *) chunk->data)[chunk->count] = (uint32) secs;
	else
		((int64 *) chunk->data)[chunk->count] = item->key;
	chunk->count++;
	state->count++;
}

/* --- radix selection over the chunks --------------------------------------- */

/*
 * Copy out the count values whose ordered key lies in [lo, hi], below values
 * being smaller than all of them, and select the ranks (ascending, distinct)
 * among them into out.
 */
static void
pct_gather(const PctState *state, uint64 lo, uint64 hi, int64 below, int64 count,
		   const int64 *ranks, int nranks, PctItem *out)
{
	PctItem    *a = (PctItem *) MemoryContextAllocHuge(CurrentMemoryContext,
													   Max(count, 1) * sizeof(PctItem));
	size_t		width = pct_width(state);
	int64		n = 0;
	int64		start = 0;

	for (int64 c = 0; c < state->nchunks; c++)
	{
		const PctChunk *chunk = &state->chunks[c];

		CHECK_FOR_INTERRUPTS();
		for (int64 i = 0; i < chunk->count; i++)
		{
			if (likely(pct_ukey(pct_chunk_key(chunk, width, i)) - lo > hi - lo))
				continue;
			if (n == count)
				elog(ERROR, "exact percentile: more values in a range than counted");
			pct_chunk_item(state, chunk, i, &a[n++]);
		}
	}
	if (n != count)
		elog(ERROR, "exact percentile: fewer values in a range than counted");
	for (int r = 0; r < nranks; r++)
	{
		int64		k = ranks[r] - below;

		pct_select(a + start, n - start, k - start);
		out[r] = a[k];
		start = k + 1;
	}
	pfree(a);
}

/*
 * Select the ranks (ascending, distinct) among the count values whose ordered
 * key lies in [lo, hi], below values being smaller than all of them.
 */
static void
pct_radix(const PctState *state, uint64 lo, uint64 hi, int64 below, int64 count,
		  const int64 *ranks, int nranks, PctItem *out)
{
	uint64		span = hi - lo;
	size_t		width = pct_width(state);
	int			shift;
	int64		nbuckets;
	int64	   *hist;
	int64		cum = below;
	int64		b = 0;
	int			r = 0;

	if (span == 0 && !state->items_form)
	{
		/* one key, and the fields follow from it */
		PctItem		item;

		pct_key_item(state, pct_skey(lo), &item);
		for (int i = 0; i < nranks; i++)
			out[i] = item;
		return;
	}
	if (count <= PCT_GATHER_MAX || span == 0)
	{
		pct_gather(state, lo, hi, below, count, ranks, nranks, out);
		return;
	}

	shift = Max(pg_leftmost_one_pos64(span) + 1 - PCT_RADIX_BITS, 0);
	nbuckets = (int64) (span >> shift) + 1;
	hist = (int64 *) palloc0(nbuckets * sizeof(int64));
	for (int64 c = 0; c < state->nchunks; c++)
	{
		const PctChunk *chunk = &state->chunks[c];

		CHECK_FOR_INTERRUPTS();
		for (int64 i = 0; i < chunk->count; i++)
		{
			uint64		d = pct_ukey(pct_chunk_key(chunk, width, i)) - lo;

			if (d <= span)
				hist[d >> shift]++;
		}
	}

	/* each run of ranks falling in one bucket: that bucket is the next range */
	while (r < nranks)
	{
		int			first = r;
		uint64		blo;
		uint64		bhi;

		while (b < nbuckets && cum + hist[b] <= ranks[r])
			cum += hist[b++];
		if (b == nbuckets)
			elog(ERROR, "exact percentile: rank beyond the values counted");
		while (r < nranks && ranks[r] < cum + hist[b])
			r++;
		blo = lo + ((uint64) b << shift);
		bhi = (b == nbuckets - 1) ? hi : blo + (((uint64) 1 << shift) - 1);
		pct_radix(state, blo, bhi, cum, hist[b], ranks + first, r - first, out + first);
	}
	pfree(hist);
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
static bool
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

static void
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
	if (PG_ARGISNULL(0))
	{
		bool		windowed;
		MemoryContext context = pct_agg_context(fcinfo, function, &windowed);

		return pct_new_state(context, kind, windowed);
	}
	return (PctState *) PG_GETARG_POINTER(0);
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

/* --- combine, serialize, deserialize ------------------------------------ */

static void
pct_merge_fraction(PctState *state, const PctState *other)
{
	if (!other->has_fraction)
		return;
	if (state->has_fraction && state->multi != other->multi)
		elog(ERROR, "kpi_percentile_combine: states of different aggregates");
	if (other->multi)
	{
		if (!state->has_fraction)
		{
			state->fractions = (double *) MemoryContextAlloc(state->context,
															 Max(other->nfractions, 1) * sizeof(double));
			memcpy(state->fractions, other->fractions, other->nfractions * sizeof(double));
			state->nfractions = other->nfractions;
			state->ndim = other->ndim;
			memcpy(state->dims, other->dims, sizeof(state->dims));
			memcpy(state->lbs, other->lbs, sizeof(state->lbs));
			state->multi = true;
			state->has_fraction = true;
		}
		else if (!pct_same_fractions(state, other))
			pct_fractions_differ();
		return;
	}
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

/*
 * Combine: the values of other join state.  Its chunks are taken over as
 * they are when they live in the same context (the deserializer allocates
 * them there), else copied; both end in the same form.
 */
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
		/* the first partial state: adopt it when it lives in this context */
		if (other->context == context && !other->windowed)
			PG_RETURN_POINTER(other);
		state = pct_new_state(context, other->kind, false);
	}
	else
		state = (PctState *) PG_GETARG_POINTER(0);
	if (state->kind != other->kind || state->windowed || other->windowed)
		elog(ERROR, "kpi_percentile_combine: states of different kinds");
	pct_merge_fraction(state, other);
	if (other->count == 0)
		PG_RETURN_POINTER(state);
	/* its chunks come in any encoding: values added later are not packed */
	state->packed = false;

	/* one form for both */
	if (state->count == 0 && state->nchunks == 0)
	{
		state->items_form = other->items_form;
		state->time_ok = other->time_ok;
		state->days_ok = other->days_ok;
	}
	else if (state->items_form || other->items_form ||
			 !((state->time_ok && other->time_ok) || (state->days_ok && other->days_ok)))
	{
		if (!state->items_form)
			pct_to_items(state);
		if (!other->items_form)
			pct_to_items(other);
	}
	else
	{
		state->time_ok = state->time_ok && other->time_ok;
		state->days_ok = state->days_ok && other->days_ok;
	}

	for (int64 c = 0; c < other->nchunks; c++)
	{
		const PctChunk *from = &other->chunks[c];
		PctChunk   *to;

		if (from->count == 0)
			continue;
		if (other->context == state->context)
			to = pct_add_chunk(state, from->capacity, from->data);
		else
		{
			to = pct_add_chunk(state, from->count, NULL);
			memcpy(to->data, from->data, pct_chunk_bytes(from, pct_width(state)));
		}
		to->count = from->count;
		to->base = from->base;
		to->unit = from->unit;
	}
	pct_note_range(state, other->umin, other->umax);
	state->count += other->count;
	PG_RETURN_POINTER(state);
}

/* the bytes of the fractions' shape for percentiles(): ndim, dims, lbs, padded */
static inline Size
pct_shape_size(int ndim)
{
	return TYPEALIGN(8, (1 + 2 * ndim) * sizeof(int32));
}

/*
 * Write the keys as offsets from base in unit (a constant where this is
 * inlined) to out; false at the first key that is not base plus a whole
 * number of units.
 */
static pg_attribute_always_inline bool
pct_pack_in(const PctState *state, int64 base, const uint64 unit, uint32 *out)
{
	for (int64 c = 0; c < state->nchunks; c++)
	{
		const PctChunk *chunk = &state->chunks[c];

		for (int64 i = 0; i < chunk->count; i++)
		{
			uint64		d = (uint64) (pct_chunk_key(chunk, sizeof(int64), i) - base);
			uint64		q = d / unit;

			if (q * unit != d)
				return false;
			*out++ = (uint32) q;
		}
	}
	return true;
}

/*
 * Pack the durations of the state into out as offsets from the smallest,
 * *base, in the largest unit (1000000, 1000 or 1 microseconds) that every one
 * of them is a whole number of, when their range fits 32 bits of it.  Returns
 * the unit, or 0 when they cannot be packed (and for numbers, whose keys are
 * bit patterns).
 */
static int64
pct_pack(const PctState *state, int64 *base, uint32 *out)
{
	int64		lo = pct_skey(state->umin);
	uint64		span = state->umax - state->umin;

	if (state->kind != PCT_KIND_INTERVAL || state->items_form || state->count == 0)
		return 0;
	if (state->packed)
	{
		/* already: every chunk holds whole seconds from 0 */
		for (int64 c = 0; c < state->nchunks; c++)
		{
			memcpy(out, state->chunks[c].data, state->chunks[c].count * sizeof(uint32));
			out += state->chunks[c].count;
		}
		*base = 0;
		return USECS_PER_SEC;
	}
	*base = lo;
	if (span / 1000000 <= PG_UINT32_MAX && pct_pack_in(state, lo, 1000000, out))
		return 1000000;
	if (span / 1000 <= PG_UINT32_MAX && pct_pack_in(state, lo, 1000, out))
		return 1000;
	if (span <= PG_UINT32_MAX && pct_pack_in(state, lo, 1, out))
		return 1;
	*base = 0;
	return 0;
}

PG_FUNCTION_INFO_V1(kpi_percentile_serialize);
Datum
kpi_percentile_serialize(PG_FUNCTION_ARGS)
{
	PctState   *state;
	PctSerialHeader header;
	Size		width;
	Size		size;
	Size		extra = 0;
	bytea	   *result;
	char	   *out;

	pct_agg_context(fcinfo, "kpi_percentile_serialize", NULL);
	state = (PctState *) PG_GETARG_POINTER(0);
	if (state->windowed)
		elog(ERROR, "kpi_percentile_serialize: a window state cannot be serialized");

	memset(&header, 0, sizeof(header));
	header.version = KPI_FORMAT_VERSION;
	header.kind = state->kind;
	header.has_fraction = state->has_fraction ? 1 : 0;
	header.multi = state->multi ? 1 : 0;
	header.form = state->items_form ? PCT_FORM_ITEMS :
		state->time_ok ? PCT_FORM_TIME : PCT_FORM_DAYS;
	header.fraction = (state->has_fraction && !state->multi) ? state->fraction : 0.0;
	header.count = state->count;
	if (state->multi)
		extra = pct_shape_size(state->ndim) + state->nfractions * sizeof(double);

	/* room for the values unpacked; packed ones take half, the rest stays untouched */
	width = pct_width(state);
	size = VARHDRSZ + sizeof(PctSerialHeader) + extra + (Size) state->count * width;
	if (size > MaxAllocSize)
		ereport(ERROR,
				(errcode(ERRCODE_PROGRAM_LIMIT_EXCEEDED),
				 errmsg("too many values to pass an exact percentile between parallel workers"),
				 errdetail("A worker's share of the group takes more than 1 GB."),
				 errhint("Run the query without parallel workers: SET max_parallel_workers_per_gather = 0.")));

	result = (bytea *) palloc(size);
	out = VARDATA(result) + sizeof(header);
	if (state->multi)
	{
		int32	   *shape = (int32 *) out;

		shape[0] = state->ndim;
		shape[1 + 2 * state->ndim] = 0; /* padding */
		for (int i = 0; i < state->ndim; i++)
		{
			shape[1 + i] = state->dims[i];
			shape[1 + state->ndim + i] = state->lbs[i];
		}
		out += pct_shape_size(state->ndim);
		memcpy(out, state->fractions, state->nfractions * sizeof(double));
		out += state->nfractions * sizeof(double);
	}
	header.unit = pct_pack(state, &header.base, (uint32 *) out);
	memcpy(VARDATA(result), &header, sizeof(header));
	if (header.unit > 0)
	{
		SET_VARSIZE(result, (out - (char *) result) + state->count * sizeof(uint32));
		PG_RETURN_BYTEA_P(result);
	}
	SET_VARSIZE(result, size);
	for (int64 c = 0; c < state->nchunks; c++)
	{
		const PctChunk *chunk = &state->chunks[c];

		if (chunk->unit > 0)
		{
			for (int64 i = 0; i < chunk->count; i++)
			{
				int64		key = pct_chunk_key(chunk, width, i);

				memcpy(out + i * width, &key, sizeof(int64));
			}
		}
		else
			memcpy(out, chunk->data, chunk->count * width);
		out += chunk->count * width;
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

/* read and check the fractions of percentiles() after the header; returns the bytes read */
static Size
pct_read_shape(PctState *state, const char *data, Size size)
{
	int32		ndim;
	int64		n = 1;
	Size		used;

	if (size < sizeof(int32))
		kpi_corrupt_summary(PCT_STATE_NAME, "The value is too short.");
	memcpy(&ndim, data, sizeof(int32));
	if (ndim < 0 || ndim > MAXDIM)
		kpi_corrupt_summary(PCT_STATE_NAME, "The fractions have a bad number of dimensions.");
	used = pct_shape_size(ndim);
	if (size < used)
		kpi_corrupt_summary(PCT_STATE_NAME, "The value is too short.");
	state->ndim = ndim;
	for (int i = 0; i < ndim; i++)
	{
		int32		upper;

		memcpy(&state->dims[i], data + (1 + i) * sizeof(int32), sizeof(int32));
		memcpy(&state->lbs[i], data + (1 + ndim + i) * sizeof(int32), sizeof(int32));
		if (state->dims[i] < 1 || state->dims[i] > PCT_MAX_FRACTIONS ||
			pg_add_s32_overflow(state->lbs[i], state->dims[i], &upper))
			kpi_corrupt_summary(PCT_STATE_NAME, "The fractions have a bad shape.");
		n *= state->dims[i];
		if (n > PCT_MAX_FRACTIONS)
			kpi_corrupt_summary(PCT_STATE_NAME, "The fractions have a bad shape.");
	}
	if (ndim == 0)
		n = 0;
	{
		/* 1 + 2 ndim words are always padded with one zero word */
		int32		pad;

		memcpy(&pad, data + (1 + 2 * ndim) * sizeof(int32), sizeof(int32));
		if (pad != 0)
			kpi_corrupt_summary(PCT_STATE_NAME, "Reserved bytes are not zero.");
	}
	if (size - used < (Size) n * sizeof(double))
		kpi_corrupt_summary(PCT_STATE_NAME, "The value is too short.");
	state->fractions = (double *) MemoryContextAlloc(state->context, Max(n, 1) * sizeof(double));
	memcpy(state->fractions, data + used, n * sizeof(double));
	for (int64 i = 0; i < n; i++)
		if (!isnan(state->fractions[i]) && (state->fractions[i] < 0 || state->fractions[i] > 1))
			kpi_corrupt_summary(PCT_STATE_NAME, "A fraction is out of range.");
	state->nfractions = (int) n;
	state->multi = true;
	return used + n * sizeof(double);
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
	PctChunk   *chunk;
	bool		below_one_day = true;

	if (size < sizeof(header))
		kpi_corrupt_summary(PCT_STATE_NAME, "The value is too short.");
	memcpy(&header, data, sizeof(header));
	data += sizeof(header);
	size -= sizeof(header);
	if (header.version != KPI_FORMAT_VERSION)
		kpi_corrupt_summary(PCT_STATE_NAME, "The value has an unknown format version.");
	if (header.kind != PCT_KIND_FLOAT8 && header.kind != PCT_KIND_INTERVAL)
		kpi_corrupt_summary(PCT_STATE_NAME, "The value has an unknown kind.");
	if (header.has_fraction > 1 || header.multi > 1 || (header.multi && !header.has_fraction))
		kpi_corrupt_summary(PCT_STATE_NAME, "The fraction flags are not 0 or 1.");
	if (header.form > PCT_FORM_ITEMS ||
		(header.kind == PCT_KIND_FLOAT8 && header.form != PCT_FORM_TIME))
		kpi_corrupt_summary(PCT_STATE_NAME, "The value has an unknown form.");
	for (size_t i = 0; i < lengthof(header.unused); i++)
		if (header.unused[i] != 0)
			kpi_corrupt_summary(PCT_STATE_NAME, "Reserved bytes are not zero.");
	if (header.has_fraction && !header.multi
		? (isnan(header.fraction) || header.fraction < 0 || header.fraction > 1)
		: header.fraction != 0.0)
		kpi_corrupt_summary(PCT_STATE_NAME, "The fraction is out of range.");

	state = pct_new_state(context, header.kind, false);
	state->packed = false;
	state->has_fraction = header.has_fraction != 0;
	state->fraction = header.fraction;
	if (header.multi)
	{
		Size		used = pct_read_shape(state, data, size);

		data += used;
		size -= used;
	}

	state->items_form = (header.form == PCT_FORM_ITEMS);
	state->time_ok = (header.form == PCT_FORM_TIME);
	state->days_ok = (header.form == PCT_FORM_DAYS);
	if (header.unit != 0 &&
		(header.form == PCT_FORM_ITEMS || header.kind != PCT_KIND_INTERVAL || header.base < 0 ||
		 (header.unit != 1 && header.unit != 1000 && header.unit != 1000000)))
		kpi_corrupt_summary(PCT_STATE_NAME, "The packed values have a bad base or unit.");
	if (header.unit == 0 && header.base != 0)
		kpi_corrupt_summary(PCT_STATE_NAME, "Reserved bytes are not zero.");
	width = header.unit > 0 ? sizeof(uint32) : pct_width(state);
	if (header.count < 0 || size % width != 0 || (Size) header.count != size / width)
		kpi_corrupt_summary(PCT_STATE_NAME, "The value count does not match the size.");
	if (header.count == 0)
		PG_RETURN_POINTER(state);

	if (header.unit > 0)
	{
		/* offsets: any is valid when the largest key fits; keep them packed */
		const uint32 *offsets;
		uint32		lowest = PG_UINT32_MAX;
		uint32		highest = 0;
		int64		top;

		chunk = pct_add_chunk(state, header.count,
							  MemoryContextAllocHuge(context, size));
		memcpy(chunk->data, data, size);
		chunk->count = header.count;
		chunk->base = header.base;
		chunk->unit = header.unit;
		offsets = (const uint32 *) chunk->data;
		for (int64 i = 0; i < header.count; i++)
		{
			lowest = Min(lowest, offsets[i]);
			highest = Max(highest, offsets[i]);
		}
		if (pg_mul_s64_overflow((int64) highest, header.unit, &top) ||
			pg_add_s64_overflow(top, header.base, &top))
			kpi_corrupt_summary(PCT_STATE_NAME, "A duration is out of range.");
		state->umin = pct_ukey(header.base + (int64) lowest * header.unit);
		state->umax = pct_ukey(top);
		state->count = header.count;
		if (top < USECS_PER_DAY)
			state->time_ok = state->days_ok = true;
		PG_RETURN_POINTER(state);
	}

	/* copy, then check every value */
	chunk = pct_add_chunk(state, header.count, NULL);
	memcpy(chunk->data, data, size);
	chunk->count = header.count;
	for (int64 i = 0; i < header.count; i++)
	{
		PctItem		item;
		uint64		u;

		if ((i & 0xFFFF) == 0)
			CHECK_FOR_INTERRUPTS();
		if (state->items_form)
			memcpy(&item, chunk->data + i * sizeof(PctItem), sizeof(PctItem));
		else
		{
			item.key = pct_chunk_key(chunk, sizeof(int64), i);
			if (item.key < 0 && header.kind == PCT_KIND_INTERVAL)
				kpi_corrupt_summary(PCT_STATE_NAME, "A duration is negative or inconsistent.");
			pct_key_item(state, item.key, &item);
			below_one_day = below_one_day && item.key < USECS_PER_DAY;
		}
		pct_check_item(header.kind, &item);
		u = pct_ukey(item.key);
		pct_note_range(state, u, u);
		state->count++;
	}
	/* values below one day follow both rules */
	if (header.kind == PCT_KIND_INTERVAL && !state->items_form && below_one_day)
		state->time_ok = state->days_ok = true;
	PG_RETURN_POINTER(state);
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
	state = (PctState *) PG_GETARG_POINTER(0);
	if (state->kind != kind || state->multi != multi)
		elog(ERROR, "%s: wrong kind of state", function);
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
		elog(ERROR, "%s: wrong kind of state", function);
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
