/*-------------------------------------------------------------------------
 *
 * pct_store.c
 *	  Exact percentiles: a state, and the chunks that collect its values in
 *	  no order.
 *
 * The fields of nearly every duration follow from its key: a time part only
 * (day = month = 0), or days and a time of day, as timestamptz subtraction
 * writes it (day = key / 1 day, month = 0).  While that holds for every value
 * of a group, the chunks keep only the 8-byte keys; the first value that fits
 * neither rule turns them into 16-byte items with explicit fields.
 *
 * Durations of whole seconds below 136 years, the usual case, are kept in a
 * third, packed encoding of 4-byte seconds while every value of the group is
 * one (PctState.packed); a chunk received from a parallel worker may hold
 * offsets from a base in another unit (see pct_parallel.c).
 *
 *-------------------------------------------------------------------------
 */
#include "postgres.h"

#include "utils/memutils.h"

#include "percentile.h"

/* a new empty state, kept in context (the aggregate context) */
PctState *
pct_new_state(MemoryContext context, uint8 kind, bool windowed)
{
	PctState   *state = (PctState *) MemoryContextAllocZero(context, sizeof(PctState));

	state->magic = PCT_STATE_MAGIC;
	state->context = context;
	state->kind = kind;
	state->windowed = windowed;
	state->time_ok = true;
	state->days_ok = (kind == PCT_KIND_INTERVAL);
	state->packed = (kind == PCT_KIND_INTERVAL && !windowed);
	return state;
}

/* a new chunk for capacity values after the others: data, or a new empty one */
PctChunk *
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
void
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
