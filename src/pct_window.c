/*-------------------------------------------------------------------------
 *
 * pct_window.c
 *	  Exact percentiles in a window: the frame's values in sorted blocks.
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
 *-------------------------------------------------------------------------
 */
#include "postgres.h"

#include "utils/memutils.h"

#include "percentile.h"

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

void
pct_block_insert(PctState *state, const PctItem *item)
{
	int64		b;
	PctBlock   *block;
	int			pos;

	/* cannot happen: 2^62 values do not fit in memory */
	if (state->count >= PG_INT64_MAX / 2)
		elog(ERROR, "too many values in a window frame");
	if (state->nblocks == 0)
	{
		/* the first value of the frame; otherwise no block is ever empty */
		block = pct_add_block(state, 0);
		block->items[0] = *item;
		block->count = 1;
		state->count++;
		return;
	}
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

/*
 * The window executor removes only values it added; an aggregate defined
 * with these support functions the other way round may not.
 */
static void
pct_not_in_frame(const char *function)
{
	ereport(ERROR,
			(errcode(ERRCODE_NUMERIC_VALUE_OUT_OF_RANGE),
			 errmsg("%s cannot remove a value that is not in the window frame", function),
			 errhint("Support functions work only in the aggregates of kpi_ext that use them; call the aggregates instead.")));
}

void
pct_block_delete(PctState *state, const PctItem *item, const char *function)
{
	int64		b = pct_find_block(state, item);
	PctBlock   *block;
	int			pos;

	if (b == state->nblocks)
		pct_not_in_frame(function);
	block = state->blocks[b];
	pos = pct_lower_bound(block->items, block->count, item);
	if (pos == block->count || pct_cmp(&block->items[pos], item) != 0)
		pct_not_in_frame(function);
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
