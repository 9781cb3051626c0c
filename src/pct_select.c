/*-------------------------------------------------------------------------
 *
 * pct_select.c
 *	  Exact percentiles: the rows of given ranks among the values collected
 *	  in a state's chunks, by radix selection and introselect.
 *
 * The final function finds the rows it needs by radix selection, without
 * moving any value: one pass counts the values per bucket of their key range
 * (2^16 buckets), the buckets holding the wanted ranks become the new ranges,
 * and once a range holds few values (or a single key) they are copied out and
 * an introselect (quickselect with a median-of-three pivot and a heapsort
 * fallback) finishes.  Every pass narrows the range by 16 bits, so there are
 * at most four passes over the values, whatever their distribution; usually
 * there are two.  percentiles() with several fractions finds all their rows in
 * the same passes.  Since nothing is moved, the final function can run any
 * number of times on one state.
 *
 *-------------------------------------------------------------------------
 */
#include "postgres.h"

#include "miscadmin.h"
#include "port/pg_bitutils.h"
#include "utils/memutils.h"

#include "percentile.h"

#define PCT_RADIX_BITS 16		/* buckets per selection pass: 2^16 */
#define PCT_GATHER_MAX ((int64) 1 << 16)	/* ranges this small are copied out */
#define PCT_SMALL_RANGE 16

/* --- introselect ----------------------------------------------------------- */

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
			/* cannot happen: the same values were counted in this range before */
			if (n == count)
				elog(ERROR, "exact percentile: more values in a range than counted");
			pct_chunk_item(state, chunk, i, &a[n++]);
		}
	}
	/* cannot happen, as above */
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
void
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
		/* cannot happen: the ranks are below the count, which the histogram adds up to */
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
