/*-------------------------------------------------------------------------
 *
 * pct_parallel.c
 *	  Exact percentiles in parallel plans: combine, serialize, deserialize.
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

#include "common/int.h"
#include "miscadmin.h"
#include "utils/builtins.h"
#include "utils/memutils.h"

#include "percentile.h"

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

static void
pct_merge_fraction(PctState *state, const PctState *other)
{
	if (!other->has_fraction)
		return;
	if (state->has_fraction && state->multi != other->multi)
		kpi_state_mismatch("kpi_percentile_combine");
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
	other = pct_state_arg(fcinfo, 1, "kpi_percentile_combine");
	if (PG_ARGISNULL(0))
	{
		/* the first partial state: adopt it when it lives in this context */
		if (other->context == context && !other->windowed)
			PG_RETURN_POINTER(other);
		state = pct_new_state(context, other->kind, false);
	}
	else
		state = pct_state_arg(fcinfo, 0, "kpi_percentile_combine");
	if (state->kind != other->kind || state->windowed || other->windowed)
		kpi_state_mismatch("kpi_percentile_combine");
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
	state = pct_state_arg(fcinfo, 0, "kpi_percentile_serialize");
	/* cannot happen: only partial aggregation serializes, never a window */
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
