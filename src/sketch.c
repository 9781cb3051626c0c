/*-------------------------------------------------------------------------
 *
 * sketch.c
 *	  Durations: the mergeable relative-error sketch duration_summary.
 *
 * A duration_summary counts durations (whole microseconds) in logarithmic
 * buckets, in the spirit of DDSketch.  With relative error alpha and
 *
 *	  gamma = (1 + alpha) / (1 - alpha)
 *
 * a duration x >= 1 us falls into bucket i = ceil(log_gamma(x)), that is
 * gamma^(i-1) < x <= gamma^i, and a bucket is estimated by
 *
 *	  e(i) = 2 gamma^i / (gamma + 1) = (1 - alpha) gamma^i
 *
 * so that (1 - alpha) x <= e(i) < (1 + alpha) x for every x of the bucket.
 * Zero durations have a bucket of their own.  Count, sum (a 128-bit integer of
 * microseconds), minimum and maximum are exact.
 *
 * Quantile definition: the q-quantile of n values is the value at rank
 * r = max(1, ceil(q * n)) in ascending order, which is what
 * percentile_disc(q) returns.  Rank 1 is answered with the exact minimum,
 * rank n with the exact maximum, a rank among the zeros with 0, and any
 * other rank with e(i) of the bucket that holds it, clamped to [min, max].
 * As the value at rank r lies in that bucket and min <= it <= max, the
 * estimate is within alpha * x of the true value x (clamping only moves it
 * closer), up to floating-point rounding of about 1e-12 * alpha and the
 * rounding of the result to whole microseconds.
 *
 * Determinism: a summary is a function of the multiset of its values only
 * (bucket counts, exact integers), so it is identical whatever the input
 * order, merge order or parallel plan.
 *
 * Two physical forms share the type.  The compact form, written by the final
 * functions and by input, stores only non-empty buckets as pairs of varints
 * (index delta, count).  The dense form is the working form of the
 * aggregates: a window of int64 counts over a range of bucket indexes that
 * grows geometrically, updated in place in the aggregate context.  Every
 * function reads both forms; the text and binary forms do not depend on the
 * physical form.
 *
 *-------------------------------------------------------------------------
 */
#include "postgres.h"

#include <ctype.h>
#include <math.h>

#include "catalog/pg_type.h"
#include "common/int.h"
#include "libpq/pqformat.h"
#include "miscadmin.h"
#include "utils/array.h"
#include "utils/builtins.h"
#include "utils/float.h"
#include "utils/memutils.h"

#include "kpi_ext.h"

#ifndef HAVE_INT128
#error "duration_summary needs a 128-bit integer type for its exact sum"
#endif

#define DS_TYPE "duration_summary"

#define DS_COMPACT 0
#define DS_DENSE 1

/* the relative error accepted: a smaller one makes the working form too large */
#define DS_MIN_ALPHA 0.0001
#define DS_MAX_ALPHA 0.5
#define DS_DEFAULT_ALPHA 0.01

/* the dense window grows by at least this many slots */
#define DS_MIN_SLOTS 32

typedef struct DurationSummary
{
	int32		vl_len_;		/* varlena header (do not touch directly!) */
	uint8		version;		/* KPI_FORMAT_VERSION */
	uint8		form;			/* DS_COMPACT or DS_DENSE */
	uint8		unused[2];		/* zero */
	double		alpha;			/* relative error, DS_MIN_ALPHA .. < DS_MAX_ALPHA */
	int64		count;			/* values, zeros included */
	int64		zeros;			/* values equal to zero */
	int64		min;			/* smallest value in us, 0 when empty */
	int64		max;			/* largest value in us, 0 when empty */
	int64		sum_hi;			/* exact sum of the values in us, as a */
	uint64		sum_lo;			/* 128-bit integer split in two halves */
	int32		nbuckets;		/* compact: non-empty buckets; dense: slots */
	int32		base;			/* dense: bucket index of slot 0; compact: 0 */
	/* compact: nbuckets varint pairs (index delta, count); dense: int64 counts[nbuckets] */
} DurationSummary;

#define DS_HDRSZ ((Size) sizeof(DurationSummary))
#define DS_DATA(s) ((uint8 *) (s) + DS_HDRSZ)
#define DS_SLOTS(s) ((int64 *) DS_DATA(s))

StaticAssertDecl(sizeof(DurationSummary) == 72, "duration_summary header layout");

/* parameters derived from alpha, cached for the last alpha seen */
typedef struct DsParams
{
	double		alpha;
	double		ln_gamma;
	int32		max_index;		/* bucket of the largest int64 */
} DsParams;

/* the non-empty buckets of a summary, in increasing index order */
typedef struct DsBuckets
{
	int			n;
	int32	   *index;
	int64	   *count;
} DsBuckets;

static inline int32
ds_index(int64 usecs, double ln_gamma)
{
	return (int32) ceil(log((double) usecs) / ln_gamma);
}

static const DsParams *
ds_params(double alpha)
{
	static DsParams cache = {0, 0, 0};

	if (cache.alpha != alpha)
	{
		cache.ln_gamma = log((1.0 + alpha) / (1.0 - alpha));
		cache.max_index = ds_index(PG_INT64_MAX, cache.ln_gamma);
		cache.alpha = alpha;
	}
	return &cache;
}

static inline int128
ds_sum(const DurationSummary *s)
{
	return (int128) (((uint128) (uint64) s->sum_hi << 64) | s->sum_lo);
}

static inline void
ds_set_sum(DurationSummary *s, int128 sum)
{
	s->sum_hi = (int64) (sum >> 64);
	s->sum_lo = (uint64) sum;
}

/* --- varints: LEB128, canonical (no redundant trailing groups) -------------- */

static inline int
varint_len(uint64 v)
{
	int			n = 1;

	while (v >= 0x80)
	{
		v >>= 7;
		n++;
	}
	return n;
}

static inline uint8 *
varint_put(uint8 *p, uint64 v)
{
	while (v >= 0x80)
	{
		*p++ = (uint8) (v | 0x80);
		v >>= 7;
	}
	*p++ = (uint8) v;
	return p;
}

static bool
varint_get(const uint8 **pp, const uint8 *end, uint64 *v)
{
	const uint8 *p = *pp;
	uint64		result = 0;

	for (int shift = 0; shift < 64; shift += 7)
	{
		uint8		b;

		if (p >= end)
			return false;
		b = *p++;
		if (shift == 63 && b > 1)
			return false;		/* more than 64 bits */
		result |= (uint64) (b & 0x7f) << shift;
		if ((b & 0x80) == 0)
		{
			if (b == 0 && shift > 0)
				return false;	/* not the shortest encoding */
			*pp = p;
			*v = result;
			return true;
		}
	}
	return false;
}

/* --- validation ---------------------------------------------------------- */

static void
ds_check_alpha(double alpha, int sqlerrcode)
{
	if (!(alpha >= DS_MIN_ALPHA && alpha < DS_MAX_ALPHA))
		kpi_invalid_summary(sqlerrcode, DS_TYPE, "The relative error is out of range.");
}

/*
 * Validate every byte of a value before it is trusted, and return its
 * non-empty buckets when asked.  Checks the header, the bucket encoding
 * (increasing indexes, positive counts, exact length), and that counts, sum,
 * minimum and maximum agree with each other and with the buckets.
 * sqlerrcode says where the value came from (see kpi_invalid_summary).
 */
static DurationSummary *
ds_check(DurationSummary *s, DsBuckets *out, int sqlerrcode)
{
	Size		size = VARSIZE(s);
	const DsParams *p;
	int64		total;
	int			nb = 0;
	int32		first = -1;
	int32		last = -1;
	int32	   *index = NULL;
	int64	   *count = NULL;
	int128		sum;

	if (size < DS_HDRSZ)
		kpi_invalid_summary(sqlerrcode, DS_TYPE, "The value is too short.");
	if (s->version != KPI_FORMAT_VERSION)
		kpi_invalid_summary(sqlerrcode, DS_TYPE, "The value has an unknown format version.");
	if (s->form != DS_COMPACT && s->form != DS_DENSE)
		kpi_invalid_summary(sqlerrcode, DS_TYPE, "The value has an unknown physical form.");
	if (s->unused[0] != 0 || s->unused[1] != 0)
		kpi_invalid_summary(sqlerrcode, DS_TYPE, "Reserved bytes are not zero.");
	ds_check_alpha(s->alpha, sqlerrcode);
	p = ds_params(s->alpha);
	if (s->count < 0 || s->zeros < 0 || s->zeros > s->count)
		kpi_invalid_summary(sqlerrcode, DS_TYPE, "A count is out of range.");
	if (s->nbuckets < 0 || s->base < 0)
		kpi_invalid_summary(sqlerrcode, DS_TYPE, "The bucket range is out of range.");

	total = s->zeros;
	if (s->form == DS_COMPACT)
	{
		const uint8 *ptr = DS_DATA(s);
		const uint8 *end = (const uint8 *) s + size;
		int64		prev = -1;

		if (s->base != 0)
			kpi_invalid_summary(sqlerrcode, DS_TYPE, "Reserved bytes are not zero.");
		/* every pair takes at least two bytes */
		if ((Size) s->nbuckets > (size - DS_HDRSZ) / 2)
			kpi_invalid_summary(sqlerrcode, DS_TYPE, "The value has an unexpected size.");
		if (out)
		{
			index = palloc(sizeof(int32) * (s->nbuckets + 1));
			count = palloc(sizeof(int64) * (s->nbuckets + 1));
		}
		for (int k = 0; k < s->nbuckets; k++)
		{
			uint64		delta;
			uint64		c;

			if (!varint_get(&ptr, end, &delta) || !varint_get(&ptr, end, &c))
				kpi_invalid_summary(sqlerrcode, DS_TYPE, "A bucket is truncated or badly encoded.");
			if ((k > 0 && delta == 0) || delta > (uint64) p->max_index ||
				prev + (int64) delta > p->max_index)
				kpi_invalid_summary(sqlerrcode, DS_TYPE, "Bucket indexes are not increasing within range.");
			if (c == 0 || c > (uint64) PG_INT64_MAX)
				kpi_invalid_summary(sqlerrcode, DS_TYPE, "A bucket count is out of range.");
			prev = (k == 0 ? 0 : prev) + (int64) delta;
			total = kpi_add_count(total, (int64) c, DS_TYPE);
			if (first < 0)
				first = (int32) prev;
			last = (int32) prev;
			if (out)
			{
				index[nb] = (int32) prev;
				count[nb] = (int64) c;
			}
			nb++;
		}
		if (ptr != end)
			kpi_invalid_summary(sqlerrcode, DS_TYPE, "The value has an unexpected size.");
	}
	else
	{
		int64	   *slots = DS_SLOTS(s);

		if (size != DS_HDRSZ + (Size) s->nbuckets * sizeof(int64))
			kpi_invalid_summary(sqlerrcode, DS_TYPE, "The value has an unexpected size.");
		if (s->nbuckets > 0 && (int64) s->base + s->nbuckets - 1 > p->max_index)
			kpi_invalid_summary(sqlerrcode, DS_TYPE, "The bucket range is out of range.");
		for (int k = 0; k < s->nbuckets; k++)
		{
			if (slots[k] < 0)
				kpi_invalid_summary(sqlerrcode, DS_TYPE, "A bucket count is out of range.");
			if (slots[k] == 0)
				continue;
			total = kpi_add_count(total, slots[k], DS_TYPE);
			if (first < 0)
				first = s->base + k;
			last = s->base + k;
			nb++;
		}
		if (out)
		{
			int			j = 0;

			index = palloc(sizeof(int32) * (nb + 1));
			count = palloc(sizeof(int64) * (nb + 1));
			for (int k = 0; k < s->nbuckets; k++)
				if (slots[k] > 0)
				{
					index[j] = s->base + k;
					count[j++] = slots[k];
				}
		}
	}

	if (total != s->count)
		kpi_invalid_summary(sqlerrcode, DS_TYPE, "The bucket counts do not add up to the number of values.");
	sum = ds_sum(s);
	if (s->count == 0)
	{
		if (s->min != 0 || s->max != 0 || sum != 0)
			kpi_invalid_summary(sqlerrcode, DS_TYPE, "An empty summary has a non-zero minimum, maximum or sum.");
	}
	else
	{
		if (s->min < 0 || s->min > s->max)
			kpi_invalid_summary(sqlerrcode, DS_TYPE, "The minimum and maximum are out of order.");
		if (sum < (int128) s->count * s->min || sum > (int128) s->count * s->max)
			kpi_invalid_summary(sqlerrcode, DS_TYPE, "The sum is not between count times minimum and count times maximum.");
		if ((s->zeros > 0) != (s->min == 0))
			kpi_invalid_summary(sqlerrcode, DS_TYPE, "The minimum does not agree with the zero count.");
		if (nb == 0 ? s->max != 0 :
			(last != ds_index(s->max, p->ln_gamma) ||
			 (s->min > 0 && first != ds_index(s->min, p->ln_gamma))))
			kpi_invalid_summary(sqlerrcode, DS_TYPE, "The minimum or maximum does not lie in the outermost buckets.");
	}
	if (out)
	{
		out->n = nb;
		out->index = index;
		out->count = count;
	}
	return s;
}

#define PG_GETARG_DURATION_SUMMARY(n, b) \
	ds_check((DurationSummary *) PG_DETOAST_DATUM(PG_GETARG_DATUM(n)), (b), ERRCODE_DATA_CORRUPTED)

/* --- building values ------------------------------------------------------ */

static void
ds_init_header(DurationSummary *s, Size size, uint8 form, double alpha)
{
	memset(s, 0, DS_HDRSZ);
	SET_VARSIZE(s, size);
	s->version = KPI_FORMAT_VERSION;
	s->form = form;
	s->alpha = alpha;
}

/* the compact form of the given header fields and buckets; not yet validated */
static DurationSummary *
ds_build_compact(const DurationSummary *hdr, int nb, const int32 *index, const int64 *count,
				 int sqlerrcode)
{
	DurationSummary *s;
	Size		len = 0;
	int64		prev = 0;
	uint8	   *ptr;

	for (int k = 0; k < nb; k++)
	{
		if (index[k] < 0 || (k > 0 && index[k] <= index[k - 1]))
			kpi_invalid_summary(sqlerrcode, DS_TYPE, "Bucket indexes are not increasing within range.");
		if (count[k] <= 0)
			kpi_invalid_summary(sqlerrcode, DS_TYPE, "A bucket count is out of range.");
		len += varint_len((uint64) (index[k] - prev)) + varint_len((uint64) count[k]);
		prev = index[k];
	}
	s = palloc(DS_HDRSZ + len);
	memcpy(s, hdr, DS_HDRSZ);
	SET_VARSIZE(s, DS_HDRSZ + len);
	s->form = DS_COMPACT;
	s->nbuckets = nb;
	s->base = 0;
	ptr = DS_DATA(s);
	prev = 0;
	for (int k = 0; k < nb; k++)
	{
		ptr = varint_put(ptr, (uint64) (index[k] - prev));
		ptr = varint_put(ptr, (uint64) count[k]);
		prev = index[k];
	}
	return s;
}

static DurationSummary *
ds_new_dense(double alpha)
{
	DurationSummary *s = palloc(DS_HDRSZ);

	ds_init_header(s, DS_HDRSZ, DS_DENSE, alpha);
	return s;
}

/*
 * Make the dense window of s cover bucket indexes lo..hi, returning s or a
 * larger copy.  The window at least doubles on each growth, with the slack on
 * the side that grew, so that n values cost O(log n) copies.
 */
static DurationSummary *
ds_cover(DurationSummary *s, int32 lo, int32 hi)
{
	const DsParams *p = ds_params(s->alpha);
	int32		old_lo = s->base;
	int32		old_hi = s->base + s->nbuckets - 1;
	int32		new_lo;
	int32		new_hi;
	int64		width;
	int64		extra;
	DurationSummary *t;

	if (s->nbuckets > 0 && lo >= old_lo && hi <= old_hi)
		return s;
	if (s->nbuckets == 0)
	{
		old_lo = lo;
		old_hi = hi;
	}
	new_lo = Min(lo, old_lo);
	new_hi = Max(hi, old_hi);
	width = (int64) new_hi - new_lo + 1;
	extra = Max(Max(width, (int64) s->nbuckets * 2), DS_MIN_SLOTS) - width;
	if (s->nbuckets > 0 && lo < old_lo && hi <= old_hi)
		new_lo = (int32) Max((int64) new_lo - extra, 0);
	else if (s->nbuckets > 0 && hi > old_hi && lo >= old_lo)
		new_hi = (int32) Min((int64) new_hi + extra, p->max_index);
	else
	{
		new_lo = (int32) Max((int64) new_lo - extra / 2, 0);
		new_hi = (int32) Min((int64) new_hi + (extra - extra / 2), p->max_index);
	}
	width = (int64) new_hi - new_lo + 1;

	t = palloc0(DS_HDRSZ + width * sizeof(int64));
	memcpy(t, s, DS_HDRSZ);
	SET_VARSIZE(t, DS_HDRSZ + width * sizeof(int64));
	t->nbuckets = (int32) width;
	t->base = new_lo;
	if (s->nbuckets > 0)
		memcpy(DS_SLOTS(t) + (s->base - new_lo), DS_SLOTS(s), s->nbuckets * sizeof(int64));
	return t;
}

/* a dense copy of a checked value */
static DurationSummary *
ds_dense_copy(DurationSummary *s)
{
	DurationSummary *t;

	if (s->form == DS_DENSE)
	{
		t = palloc(VARSIZE(s));
		memcpy(t, s, VARSIZE(s));
	}
	else
	{
		DsBuckets	b;

		ds_check(s, &b, ERRCODE_DATA_CORRUPTED);
		t = palloc(DS_HDRSZ);
		memcpy(t, s, DS_HDRSZ);
		SET_VARSIZE(t, DS_HDRSZ);
		t->form = DS_DENSE;
		t->nbuckets = 0;
		t->base = 0;
		if (b.n > 0)
		{
			t = ds_cover(t, b.index[0], b.index[b.n - 1]);
			for (int k = 0; k < b.n; k++)
				DS_SLOTS(t)[b.index[k] - t->base] = b.count[k];
		}
	}
	return t;
}

/*
 * The writable dense state of a transition function.  Inside an aggregate
 * the state is our own dense value in the aggregate context, updated in
 * place; a new one is created for a NULL state; anything else (a plain call,
 * a compact value) is validated and copied first.
 */
static DurationSummary *
ds_state(FunctionCallInfo fcinfo, int argno, double alpha)
{
	DurationSummary *s;
	Datum		d;

	if (PG_ARGISNULL(argno))
		return ds_new_dense(alpha);
	d = PG_GETARG_DATUM(argno);
	if (AggCheckCallContext(fcinfo, NULL) && VARATT_IS_4B_U(DatumGetPointer(d)))
	{
		s = (DurationSummary *) DatumGetPointer(d);
		if (s->form == DS_DENSE && s->version == KPI_FORMAT_VERSION)
			return s;
	}
	s = ds_check((DurationSummary *) PG_DETOAST_DATUM(d), NULL, ERRCODE_DATA_CORRUPTED);
	return ds_dense_copy(s);
}

/* --- errors --------------------------------------------------------------- */

static void
ds_alpha_mismatch(double have, double got)
{
	ereport(ERROR,
			(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
			 errmsg("cannot merge duration summaries with different relative errors"),
			 errdetail("One has relative error %g, the other %g.", have, got),
			 errhint("Build every summary that is rolled up together with the same relative_error.")));
}

static double
ds_alpha_arg(FunctionCallInfo fcinfo, int argno)
{
	double		alpha;

	if (PG_ARGISNULL(argno))
		ereport(ERROR,
				(errcode(ERRCODE_NULL_VALUE_NOT_ALLOWED),
				 errmsg("relative error must not be null"),
				 errhint("Pass a relative error such as 0.01 for 1%%, or omit it.")));
	alpha = PG_GETARG_FLOAT8(argno);
	if (!(alpha >= DS_MIN_ALPHA && alpha < DS_MAX_ALPHA))
		ereport(ERROR,
				(errcode(ERRCODE_NUMERIC_VALUE_OUT_OF_RANGE),
				 errmsg("relative error %g is out of range", alpha),
				 errdetail("The relative error must be at least %g and less than %g.",
						   DS_MIN_ALPHA, DS_MAX_ALPHA),
				 errhint("Pass a relative error such as 0.01 for 1%%, or omit it.")));
	return alpha;
}

static double
ds_fraction(double q)
{
	if (isnan(q) || q < 0 || q > 1)
		ereport(ERROR,
				(errcode(ERRCODE_NUMERIC_VALUE_OUT_OF_RANGE),
				 errmsg("percentile value %g is not between 0 and 1", q),
				 errdetail("A percentile fraction must be from 0 to 1."),
				 errhint("Pass 0.5 for the median or 0.9 for the 90th percentile.")));
	return q;
}

/* a duration in seconds as whole microseconds */
static int64
ds_seconds_usecs(double seconds)
{
	double		usecs;

	if (isnan(seconds) || isinf(seconds))
		ereport(ERROR,
				(errcode(ERRCODE_NUMERIC_VALUE_OUT_OF_RANGE),
				 errmsg("duration must be finite"),
				 errdetail("A duration in seconds must be a finite number, not %g.", seconds),
				 errhint("Map infinite or NaN durations to NULL, or filter them out with WHERE.")));
	if (seconds < 0)
		ereport(ERROR,
				(errcode(ERRCODE_NUMERIC_VALUE_OUT_OF_RANGE),
				 errmsg("duration must not be negative"),
				 errdetail("A duration must be zero or more."),
				 errhint("Check that start and end timestamps are not swapped, or map bad rows to NULL.")));
	usecs = rint(seconds * 1e6);
	if (usecs >= 9223372036854775807.0)
		ereport(ERROR,
				(errcode(ERRCODE_DATETIME_VALUE_OUT_OF_RANGE),
				 errmsg("duration is out of range"),
				 errdetail("Durations are counted in microseconds and must fit in 64 bits.")));
	return (int64) usecs;
}

/* --- adding and removing values ----------------------------------------- */

static DurationSummary *
ds_add(DurationSummary *s, int64 usecs)
{
	if (s->count == 0)
		s->min = s->max = usecs;
	else if (usecs < s->min)
		s->min = usecs;
	else if (usecs > s->max)
		s->max = usecs;
	s->count = kpi_add_count(s->count, 1, DS_TYPE);
	ds_set_sum(s, ds_sum(s) + usecs);
	if (usecs == 0)
		s->zeros++;
	else
	{
		int32		i = ds_index(usecs, ds_params(s->alpha)->ln_gamma);

		if (s->nbuckets == 0 || i < s->base || i >= s->base + s->nbuckets)
			s = ds_cover(s, i, i);
		DS_SLOTS(s)[i - s->base]++;
	}
	return s;
}

/*
 * Remove a value for a moving aggregate.  Returns NULL, telling the window
 * machinery to recompute the frame, when the value is the minimum or maximum:
 * whether another copy of it remains is not known, so the exact minimum or
 * maximum could not be kept.
 */
static DurationSummary *
ds_remove(DurationSummary *s, int64 usecs)
{
	if (s->count <= 1 || usecs <= s->min || usecs >= s->max)
		return NULL;
	s->count--;
	ds_set_sum(s, ds_sum(s) - usecs);
	if (usecs == 0)
		s->zeros--;				/* not reached: 0 is always the minimum */
	else
	{
		int32		i = ds_index(usecs, ds_params(s->alpha)->ln_gamma);

		if (i < s->base || i >= s->base + s->nbuckets || DS_SLOTS(s)[i - s->base] <= 0)
			elog(ERROR, "duration_summary: removing a value that was not added");
		DS_SLOTS(s)[i - s->base]--;
	}
	return s;
}

/*
 * The common step of the value transition functions: add (sign 1) or remove
 * (sign -1) one duration.  A NULL value leaves the state alone; the state is
 * never NULL afterwards, as moving aggregates require.
 */
static Datum
ds_value_step(FunctionCallInfo fcinfo, int64 usecs, bool isnull, double alpha, int sign)
{
	DurationSummary *s;

	if (isnull)
	{
		if (PG_ARGISNULL(0))
			PG_RETURN_POINTER(ds_new_dense(alpha));
		PG_RETURN_DATUM(PG_GETARG_DATUM(0));
	}
	s = ds_state(fcinfo, 0, alpha);
	if (s->alpha != alpha)
	{
		if (s->count > 0)
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					 errmsg("relative error must be the same for every row of a group"),
					 errdetail("The group started with relative error %g, then got %g.", s->alpha, alpha),
					 errhint("Pass a constant as the relative_error argument of duration_agg.")));
		s = ds_new_dense(alpha);
	}
	if (sign > 0)
		s = ds_add(s, usecs);
	else
	{
		s = ds_remove(s, usecs);
		if (s == NULL)
			PG_RETURN_NULL();
	}
	PG_RETURN_POINTER(s);
}

static Datum
ds_interval_step(FunctionCallInfo fcinfo, double alpha, int sign)
{
	if (PG_ARGISNULL(1))
		return ds_value_step(fcinfo, 0, true, alpha, sign);
	return ds_value_step(fcinfo, kpi_duration_usecs(PG_GETARG_INTERVAL_P(1), "duration"),
						 false, alpha, sign);
}

static Datum
ds_seconds_step(FunctionCallInfo fcinfo, int sign)
{
	if (PG_ARGISNULL(1))
		return ds_value_step(fcinfo, 0, true, DS_DEFAULT_ALPHA, sign);
	return ds_value_step(fcinfo, ds_seconds_usecs(PG_GETARG_FLOAT8(1)),
						 false, DS_DEFAULT_ALPHA, sign);
}

static Datum
ds_alpha_step(FunctionCallInfo fcinfo, int sign)
{
	double		alpha;

	if (PG_ARGISNULL(1))
	{
		if (PG_ARGISNULL(0))
			PG_RETURN_POINTER(ds_new_dense(DS_DEFAULT_ALPHA));
		PG_RETURN_DATUM(PG_GETARG_DATUM(0));
	}
	alpha = ds_alpha_arg(fcinfo, 2);
	return ds_interval_step(fcinfo, alpha, sign);
}

PG_FUNCTION_INFO_V1(kpi_sketch_accum);
Datum
kpi_sketch_accum(PG_FUNCTION_ARGS)
{
	return ds_interval_step(fcinfo, DS_DEFAULT_ALPHA, 1);
}

PG_FUNCTION_INFO_V1(kpi_sketch_accum_seconds);
Datum
kpi_sketch_accum_seconds(PG_FUNCTION_ARGS)
{
	return ds_seconds_step(fcinfo, 1);
}

PG_FUNCTION_INFO_V1(kpi_sketch_accum_alpha);
Datum
kpi_sketch_accum_alpha(PG_FUNCTION_ARGS)
{
	return ds_alpha_step(fcinfo, 1);
}

PG_FUNCTION_INFO_V1(kpi_sketch_inv);
Datum
kpi_sketch_inv(PG_FUNCTION_ARGS)
{
	return ds_interval_step(fcinfo, DS_DEFAULT_ALPHA, -1);
}

PG_FUNCTION_INFO_V1(kpi_sketch_inv_seconds);
Datum
kpi_sketch_inv_seconds(PG_FUNCTION_ARGS)
{
	return ds_seconds_step(fcinfo, -1);
}

PG_FUNCTION_INFO_V1(kpi_sketch_inv_alpha);
Datum
kpi_sketch_inv_alpha(PG_FUNCTION_ARGS)
{
	return ds_alpha_step(fcinfo, -1);
}

/* --- merging summaries ---------------------------------------------------- */

/*
 * Merge (sign 1) or unmerge (sign -1) a summary: rollup, combine and the
 * moving rollup.  An empty state takes the relative error of what is merged
 * into it; an empty summary merges as nothing whatever its relative error.
 * Unmerging returns NULL (recompute the frame) when the removed summary holds
 * the state's minimum or maximum, which could then no longer be kept exact.
 */
static Datum
ds_merge(FunctionCallInfo fcinfo, int sign)
{
	DurationSummary *s;
	DurationSummary *other;
	DsBuckets	b;

	if (PG_ARGISNULL(1))
	{
		if (PG_ARGISNULL(0))
			PG_RETURN_POINTER(ds_new_dense(DS_DEFAULT_ALPHA));
		PG_RETURN_DATUM(PG_GETARG_DATUM(0));
	}
	other = PG_GETARG_DURATION_SUMMARY(1, &b);
	s = ds_state(fcinfo, 0, other->alpha);
	if (other->count == 0)
		PG_RETURN_POINTER(s);
	if (s->alpha != other->alpha)
	{
		if (s->count > 0)
			ds_alpha_mismatch(s->alpha, other->alpha);
		s = ds_new_dense(other->alpha);
	}

	if (sign > 0)
	{
		if (s->count == 0)
		{
			s->min = other->min;
			s->max = other->max;
		}
		else
		{
			s->min = Min(s->min, other->min);
			s->max = Max(s->max, other->max);
		}
		s->count = kpi_add_count(s->count, other->count, DS_TYPE);
		s->zeros += other->zeros;	/* <= count */
		ds_set_sum(s, ds_sum(s) + ds_sum(other));
		if (b.n > 0)
			s = ds_cover(s, b.index[0], b.index[b.n - 1]);
		for (int k = 0; k < b.n; k++)
		{
			int64	   *slot = &DS_SLOTS(s)[b.index[k] - s->base];

			*slot = kpi_add_count(*slot, b.count[k], DS_TYPE);
		}
	}
	else
	{
		if (other->count >= s->count || other->min <= s->min || other->max >= s->max)
			PG_RETURN_NULL();
		s->count -= other->count;
		s->zeros = kpi_sub_count(s->zeros, other->zeros, DS_TYPE);
		ds_set_sum(s, ds_sum(s) - ds_sum(other));
		for (int k = 0; k < b.n; k++)
		{
			int32		i = b.index[k];

			if (i < s->base || i >= s->base + s->nbuckets)
				elog(ERROR, "duration_summary: removing a summary that was not added");
			DS_SLOTS(s)[i - s->base] = kpi_sub_count(DS_SLOTS(s)[i - s->base], b.count[k], DS_TYPE);
		}
	}
	PG_RETURN_POINTER(s);
}

PG_FUNCTION_INFO_V1(kpi_sketch_combine);
Datum
kpi_sketch_combine(PG_FUNCTION_ARGS)
{
	return ds_merge(fcinfo, 1);
}

PG_FUNCTION_INFO_V1(kpi_sketch_uncombine);
Datum
kpi_sketch_uncombine(PG_FUNCTION_ARGS)
{
	return ds_merge(fcinfo, -1);
}

/* final function: the canonical compact value, NULL without values */
PG_FUNCTION_INFO_V1(kpi_sketch_final);
Datum
kpi_sketch_final(PG_FUNCTION_ARGS)
{
	DurationSummary *s = (DurationSummary *) PG_DETOAST_DATUM(PG_GETARG_DATUM(0));
	DsBuckets	b;

	ds_check(s, &b, ERRCODE_DATA_CORRUPTED);
	if (s->count == 0)
		PG_RETURN_NULL();
	PG_RETURN_POINTER(ds_build_compact(s, b.n, b.index, b.count, ERRCODE_DATA_CORRUPTED));
}

/* --- operators ------------------------------------------------------------ */

/*
 * duration_summary + duration_summary: the summary of the durations of both,
 * the value rollup() gives over the two (NULL for no duration at all); a
 * NULL operand is a summary of no durations.  There is no -: the exact
 * minimum and maximum cannot be kept once values are removed (which value
 * is the new minimum is not known), see the README.
 */
PG_FUNCTION_INFO_V1(kpi_sketch_plus);
Datum
kpi_sketch_plus(PG_FUNCTION_ARGS)
{
	DurationSummary *s;
	DsBuckets	b;

	if (PG_ARGISNULL(0) && PG_ARGISNULL(1))
		PG_RETURN_NULL();
	if (PG_ARGISNULL(0) || PG_ARGISNULL(1))
		s = (DurationSummary *) PG_DETOAST_DATUM(PG_GETARG_DATUM(PG_ARGISNULL(0) ? 1 : 0));
	else
		s = (DurationSummary *) DatumGetPointer(ds_merge(fcinfo, 1));
	ds_check(s, &b, ERRCODE_DATA_CORRUPTED);
	if (s->count == 0)
		PG_RETURN_NULL();
	PG_RETURN_POINTER(ds_build_compact(s, b.n, b.index, b.count, ERRCODE_DATA_CORRUPTED));
}

/* --- I/O ------------------------------------------------------------------ */

static void
append_int128(StringInfo buf, int128 v)
{
	char		digits[48];
	int			n = 0;
	uint128		u;

	if (v < 0)
	{
		appendStringInfoChar(buf, '-');
		u = (uint128) 0 - (uint128) v;
	}
	else
		u = (uint128) v;
	do
	{
		digits[n++] = (char) ('0' + (int) (u % 10));
		u /= 10;
	} while (u > 0);
	while (n > 0)
		appendStringInfoChar(buf, digits[--n]);
}

static int128
parse_sum(KpiParser *ps)
{
	int128		v = 0;
	int			ndigits = 0;

	while (isspace((unsigned char) *ps->p))
		ps->p++;
	while (*ps->p >= '0' && *ps->p <= '9')
	{
		if (++ndigits > 38)
			kpi_parse_error(ps, "The sum is out of range.");
		v = v * 10 + (*ps->p - '0');
		ps->p++;
	}
	if (ndigits == 0)
		kpi_parse_error(ps, psprintf("Expected a sum in microseconds at \"%s\".",
									 kpi_excerpt(ps->p, strlen(ps->p))));
	return v;
}

/*
 * Text form: v1:a=<relative error>,n=<values>,z=<zeros>,sum=<us>,min=<us>,max=<us>;
 * followed by the non-empty buckets as <index>:<count> separated by commas.
 */
PG_FUNCTION_INFO_V1(kpi_duration_summary_in);
Datum
kpi_duration_summary_in(PG_FUNCTION_ARGS)
{
	char	   *str = PG_GETARG_CSTRING(0);
	DurationSummary hdr;
	KpiParser	ps;
	int			nb = 0;
	int			cap = 16;
	int32	   *index = palloc(sizeof(int32) * cap);
	int64	   *count = palloc(sizeof(int64) * cap);

	ds_init_header(&hdr, DS_HDRSZ, DS_COMPACT, 0);
	kpi_parse_begin(&ps, DS_TYPE, str);
	kpi_parse_expect(&ps, "a=");
	hdr.alpha = kpi_parse_double(&ps, "relative error");
	kpi_parse_expect(&ps, ",");
	kpi_parse_expect(&ps, "n=");
	hdr.count = kpi_parse_count(&ps, "values");
	kpi_parse_expect(&ps, ",");
	kpi_parse_expect(&ps, "z=");
	hdr.zeros = kpi_parse_count(&ps, "zero values");
	kpi_parse_expect(&ps, ",");
	kpi_parse_expect(&ps, "sum=");
	ds_set_sum(&hdr, parse_sum(&ps));
	kpi_parse_expect(&ps, ",");
	kpi_parse_expect(&ps, "min=");
	hdr.min = kpi_parse_count(&ps, "minimum");
	kpi_parse_expect(&ps, ",");
	kpi_parse_expect(&ps, "max=");
	hdr.max = kpi_parse_count(&ps, "maximum");
	kpi_parse_expect(&ps, ";");
	for (;;)
	{
		int64		i;

		(void) kpi_parse_accept(&ps, "");	/* skips white space */
		if (*ps.p == '\0')
			break;

		if (nb > 0)
			kpi_parse_expect(&ps, ",");
		i = kpi_parse_count(&ps, "bucket index");
		if (i > PG_INT32_MAX)
			kpi_parse_error(&ps, "A bucket index is out of range.");
		kpi_parse_expect(&ps, ":");
		if (nb == cap)
		{
			if ((Size) cap >= MaxAllocSize / (2 * sizeof(int64)))
				kpi_parse_error(&ps, "There are too many buckets.");
			cap *= 2;
			index = repalloc(index, sizeof(int32) * cap);
			count = repalloc(count, sizeof(int64) * cap);
		}
		index[nb] = (int32) i;
		count[nb] = kpi_parse_count(&ps, "bucket count");
		nb++;
	}
	kpi_parse_end(&ps);
	ds_check_alpha(hdr.alpha, ERRCODE_INVALID_TEXT_REPRESENTATION);
	PG_RETURN_POINTER(ds_check(ds_build_compact(&hdr, nb, index, count, ERRCODE_INVALID_TEXT_REPRESENTATION),
							   NULL, ERRCODE_INVALID_TEXT_REPRESENTATION));
}

PG_FUNCTION_INFO_V1(kpi_duration_summary_out);
Datum
kpi_duration_summary_out(PG_FUNCTION_ARGS)
{
	DsBuckets	b;
	DurationSummary *s = PG_GETARG_DURATION_SUMMARY(0, &b);
	StringInfoData buf;

	initStringInfo(&buf);
	appendStringInfo(&buf, "v%d:a=", KPI_FORMAT_VERSION);
	kpi_append_double(&buf, s->alpha);
	appendStringInfo(&buf, ",n=" INT64_FORMAT ",z=" INT64_FORMAT ",sum=", s->count, s->zeros);
	append_int128(&buf, ds_sum(s));
	appendStringInfo(&buf, ",min=" INT64_FORMAT ",max=" INT64_FORMAT ";", s->min, s->max);
	for (int k = 0; k < b.n; k++)
		appendStringInfo(&buf, k > 0 ? ",%d:" INT64_FORMAT : "%d:" INT64_FORMAT,
						 b.index[k], b.count[k]);
	PG_RETURN_CSTRING(buf.data);
}

/*
 * Binary form: version byte, relative error, count, zeros, minimum, maximum,
 * the sum's high and low halves, the number of buckets, then each bucket as
 * (int32 index, int64 count) in increasing index order.
 */
PG_FUNCTION_INFO_V1(kpi_duration_summary_recv);
Datum
kpi_duration_summary_recv(PG_FUNCTION_ARGS)
{
	StringInfo	buf = (StringInfo) PG_GETARG_POINTER(0);
	DurationSummary hdr;
	int32		nb;
	int32	   *index;
	int64	   *count;

	ds_init_header(&hdr, DS_HDRSZ, DS_COMPACT, 0);
	kpi_recv_version(buf, DS_TYPE);
	hdr.alpha = pq_getmsgfloat8(buf);
	hdr.count = pq_getmsgint64(buf);
	hdr.zeros = pq_getmsgint64(buf);
	hdr.min = pq_getmsgint64(buf);
	hdr.max = pq_getmsgint64(buf);
	hdr.sum_hi = pq_getmsgint64(buf);
	hdr.sum_lo = (uint64) pq_getmsgint64(buf);
	nb = pq_getmsgint(buf, 4);
	if (nb < 0 || nb > (buf->len - buf->cursor) / 12)
		kpi_invalid_summary(ERRCODE_INVALID_BINARY_REPRESENTATION, DS_TYPE, "The number of buckets does not match the size.");
	index = palloc(sizeof(int32) * (nb + 1));
	count = palloc(sizeof(int64) * (nb + 1));
	for (int k = 0; k < nb; k++)
	{
		index[k] = pq_getmsgint(buf, 4);
		count[k] = pq_getmsgint64(buf);
	}
	pq_getmsgend(buf);
	ds_check_alpha(hdr.alpha, ERRCODE_INVALID_BINARY_REPRESENTATION);
	PG_RETURN_POINTER(ds_check(ds_build_compact(&hdr, nb, index, count, ERRCODE_INVALID_BINARY_REPRESENTATION),
							   NULL, ERRCODE_INVALID_BINARY_REPRESENTATION));
}

PG_FUNCTION_INFO_V1(kpi_duration_summary_send);
Datum
kpi_duration_summary_send(PG_FUNCTION_ARGS)
{
	DsBuckets	b;
	DurationSummary *s = PG_GETARG_DURATION_SUMMARY(0, &b);
	StringInfoData buf;

	pq_begintypsend(&buf);
	pq_sendbyte(&buf, KPI_FORMAT_VERSION);
	pq_sendfloat8(&buf, s->alpha);
	pq_sendint64(&buf, s->count);
	pq_sendint64(&buf, s->zeros);
	pq_sendint64(&buf, s->min);
	pq_sendint64(&buf, s->max);
	pq_sendint64(&buf, s->sum_hi);
	pq_sendint64(&buf, (int64) s->sum_lo);
	pq_sendint32(&buf, b.n);
	for (int k = 0; k < b.n; k++)
	{
		pq_sendint32(&buf, b.index[k]);
		pq_sendint64(&buf, b.count[k]);
	}
	PG_RETURN_BYTEA_P(pq_endtypsend(&buf));
}

/* --- accessors ------------------------------------------------------------ */

/* the estimate of the value at rank max(1, ceil(q * n)), in microseconds; n > 0 */
static double
ds_quantile(const DurationSummary *s, const DsBuckets *b, double q)
{
	double		rank = ceil(q * (double) s->count);
	double		cum;
	const DsParams *p;

	if (rank <= 1)
		return (double) s->min;
	if (rank >= (double) s->count)
		return (double) s->max;
	if (rank <= (double) s->zeros)
		return 0;
	p = ds_params(s->alpha);
	cum = (double) s->zeros;
	for (int k = 0; k < b->n; k++)
	{
		cum += (double) b->count[k];
		if (cum >= rank)
		{
			double		e = (1.0 - s->alpha) * exp(b->index[k] * p->ln_gamma);

			return Max(Min(e, (double) s->max), (double) s->min);
		}
	}
	return (double) s->max;		/* not reached: the counts add up to n */
}

PG_FUNCTION_INFO_V1(kpi_sketch_percentile);
Datum
kpi_sketch_percentile(PG_FUNCTION_ARGS)
{
	DsBuckets	b;
	DurationSummary *s = PG_GETARG_DURATION_SUMMARY(0, &b);
	double		q = ds_fraction(PG_GETARG_FLOAT8(1));

	if (s->count == 0)
		PG_RETURN_NULL();
	PG_RETURN_INTERVAL_P(kpi_usecs_interval(ds_quantile(s, &b, q)));
}

PG_FUNCTION_INFO_V1(kpi_sketch_median);
Datum
kpi_sketch_median(PG_FUNCTION_ARGS)
{
	DsBuckets	b;
	DurationSummary *s = PG_GETARG_DURATION_SUMMARY(0, &b);

	if (s->count == 0)
		PG_RETURN_NULL();
	PG_RETURN_INTERVAL_P(kpi_usecs_interval(ds_quantile(s, &b, 0.5)));
}

/* an array of percentiles of the same shape as the fractions; NULL fractions give NULL */
PG_FUNCTION_INFO_V1(kpi_sketch_percentiles);
Datum
kpi_sketch_percentiles(PG_FUNCTION_ARGS)
{
	DsBuckets	b;
	DurationSummary *s = PG_GETARG_DURATION_SUMMARY(0, &b);
	ArrayType  *fractions = PG_GETARG_ARRAYTYPE_P(1);
	Datum	   *elems;
	bool	   *nulls;
	int			n;
	Datum	   *result;

	if (s->count == 0)
		PG_RETURN_NULL();
	deconstruct_array(fractions, FLOAT8OID, sizeof(float8), FLOAT8PASSBYVAL, TYPALIGN_DOUBLE,
					  &elems, &nulls, &n);
	for (int k = 0; k < n; k++)
		if (!nulls[k])
			ds_fraction(DatumGetFloat8(elems[k]));
	if (n == 0)
		PG_RETURN_ARRAYTYPE_P(construct_empty_array(INTERVALOID));
	result = palloc(sizeof(Datum) * n);
	for (int k = 0; k < n; k++)
	{
		/* each fraction scans up to every bucket: many fractions take seconds */
		CHECK_FOR_INTERRUPTS();
		result[k] = nulls[k] ? (Datum) 0 :
			IntervalPGetDatum(kpi_usecs_interval(ds_quantile(s, &b, DatumGetFloat8(elems[k]))));
	}
	PG_RETURN_ARRAYTYPE_P(construct_md_array(result, nulls, ARR_NDIM(fractions),
											 ARR_DIMS(fractions), ARR_LBOUND(fractions),
											 INTERVALOID, sizeof(Interval), false,
											 TYPALIGN_DOUBLE));
}

static Interval *
usecs_interval(int64 usecs)
{
	Interval   *result = (Interval *) palloc0(sizeof(Interval));

	result->time = usecs;
	return result;
}

/* the exact mean, rounded half up to a microsecond */
PG_FUNCTION_INFO_V1(kpi_sketch_mean);
Datum
kpi_sketch_mean(PG_FUNCTION_ARGS)
{
	DurationSummary *s = PG_GETARG_DURATION_SUMMARY(0, NULL);
	int128		sum = ds_sum(s);
	int128		q;

	if (s->count == 0)
		PG_RETURN_NULL();
	q = sum / s->count;
	if ((sum % s->count) * 2 >= s->count)
		q++;
	PG_RETURN_INTERVAL_P(usecs_interval((int64) q));	/* <= max */
}

PG_FUNCTION_INFO_V1(kpi_sketch_total);
Datum
kpi_sketch_total(PG_FUNCTION_ARGS)
{
	DurationSummary *s = PG_GETARG_DURATION_SUMMARY(0, NULL);
	int128		sum = ds_sum(s);

	if (s->count == 0)
		PG_RETURN_NULL();
	if (sum > PG_INT64_MAX)
		ereport(ERROR,
				(errcode(ERRCODE_DATETIME_VALUE_OUT_OF_RANGE),
				 errmsg("interval out of range"),
				 errdetail("The total of the durations exceeds the largest interval."),
				 errhint("Use mean() and num_values() instead.")));
	PG_RETURN_INTERVAL_P(usecs_interval((int64) sum));
}

PG_FUNCTION_INFO_V1(kpi_sketch_num_values);
Datum
kpi_sketch_num_values(PG_FUNCTION_ARGS)
{
	DurationSummary *s = PG_GETARG_DURATION_SUMMARY(0, NULL);

	PG_RETURN_INT64(s->count);
}

PG_FUNCTION_INFO_V1(kpi_sketch_min_value);
Datum
kpi_sketch_min_value(PG_FUNCTION_ARGS)
{
	DurationSummary *s = PG_GETARG_DURATION_SUMMARY(0, NULL);

	if (s->count == 0)
		PG_RETURN_NULL();
	PG_RETURN_INTERVAL_P(usecs_interval(s->min));
}

PG_FUNCTION_INFO_V1(kpi_sketch_max_value);
Datum
kpi_sketch_max_value(PG_FUNCTION_ARGS)
{
	DurationSummary *s = PG_GETARG_DURATION_SUMMARY(0, NULL);

	if (s->count == 0)
		PG_RETURN_NULL();
	PG_RETURN_INTERVAL_P(usecs_interval(s->max));
}

PG_FUNCTION_INFO_V1(kpi_sketch_relative_error);
Datum
kpi_sketch_relative_error(PG_FUNCTION_ARGS)
{
	DurationSummary *s = PG_GETARG_DURATION_SUMMARY(0, NULL);

	PG_RETURN_FLOAT8(s->alpha);
}
