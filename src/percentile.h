/*-------------------------------------------------------------------------
 *
 * percentile.h
 *	  The exact percentiles' state, private to percentile.c and the pct_*.c
 *	  modules it is made of (see percentile.c for the whole picture).
 *
 * The small functions every module calls per value are static inline here,
 * so that splitting the code over files costs no call in a loop.
 *
 *-------------------------------------------------------------------------
 */
#ifndef KPI_PERCENTILE_H
#define KPI_PERCENTILE_H

#include "utils/array.h"
#include "utils/timestamp.h"

#include "kpi_ext.h"

/* what the state holds, and so what the final function returns */
/*
 * The first eight bytes of every state.  A user-defined aggregate can pair
 * these support functions with those of another family whose state is also
 * internal; the tag tells such a state apart before any other field is read.
 * Its value is no pointer, count or small number a foreign state starts with,
 * and every palloc'd chunk holds at least eight bytes.
 */
#define PCT_STATE_MAGIC		UINT64CONST(0xE7C1B0A5F00DCAFE)

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
	uint64		magic;			/* PCT_STATE_MAGIC: a state of this family */
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

#define PCT_FIRST_CHUNK 64		/* values in a group's first chunk */
#define PCT_MAX_CHUNK ((int64) 1 << 20) /* chunks grow by doubling up to this */
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

/* --- the chunks: values in no order ---------------------------------------- */

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

/* percentile.c and pct_parallel.c: the aggregate context, checked */
static inline MemoryContext
pct_agg_context(FunctionCallInfo fcinfo, const char *function, bool *windowed)
{
	MemoryContext context;
	int			how = AggCheckCallContext(fcinfo, &context);

	/*
	 * Cannot happen: these functions take internal, which no SQL expression
	 * can pass, so only the aggregate machinery calls them.
	 */
	if (how == 0)
		elog(ERROR, "%s called in non-aggregate context", function);
	if (windowed)
		*windowed = (how == AGG_CONTEXT_WINDOW);
	return context;
}

/* the state in argument argno (not NULL), checked to be one of this family */
static inline PctState *
pct_state_arg(FunctionCallInfo fcinfo, int argno, const char *function)
{
	PctState   *state = (PctState *) PG_GETARG_POINTER(argno);

	if (state->magic != PCT_STATE_MAGIC)
		kpi_state_mismatch(function);
	return state;
}

/* percentile.c: the fractions of percentiles() */
extern bool pct_same_fractions(const PctState *a, const PctState *b);
extern void pct_fractions_differ(void);

/* pct_store.c: a new state, a new chunk, and the switch to the items form */
extern PctState *pct_new_state(MemoryContext context, uint8 kind, bool windowed);
extern PctChunk *pct_add_chunk(PctState *state, int64 capacity, char *data);
extern void pct_to_items(PctState *state);

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

/*
 * pct_select.c: select the ranks (ascending, distinct) among the count values
 * of the chunks whose ordered key lies in [lo, hi], below values being smaller
 * than all of them.
 */
extern void pct_radix(const PctState *state, uint64 lo, uint64 hi, int64 below, int64 count,
					  const int64 *ranks, int nranks, PctItem *out);

/* pct_window.c: a window state's values in sorted blocks */
extern void pct_block_insert(PctState *state, const PctItem *item);
extern void pct_block_delete(PctState *state, const PctItem *item, const char *function);

/* the value of rank k (from 0) of a window state */
static inline const PctItem *
pct_block_rank(const PctState *state, int64 k)
{
	for (int64 b = 0; b < state->nblocks; b++)
	{
		const PctBlock *block = state->blocks[b];

		if (k < block->count)
			return &block->items[k];
		k -= block->count;
	}
	/* cannot happen: callers ask for ranks below state->count, the sum of the block counts */
	elog(ERROR, "exact percentile: rank beyond the window frame");
	return NULL;				/* keep the compiler quiet */
}

#endif							/* KPI_PERCENTILE_H */
