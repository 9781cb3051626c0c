/*-------------------------------------------------------------------------
 *
 * flow.c
 *	  Ticket flow: per-bucket counts of opened and closed tickets, and the
 *	  backlog over time derived from them.
 *
 * A ticket_flow holds, for time buckets, how many tickets were opened and
 * how many closed in each bucket.  The backlog at the end of bucket b is then
 * a running sum:
 *
 *	  backlog(b) = sum over buckets i <= b of (opened(i) - closed(i))
 *
 * so one pass over the tickets gives the whole history, including tickets
 * opened before the reporting window.  A ticket counts as closed in the
 * bucket of its closed timestamp, or in the bucket it opened in when that is
 * a later one (a clock that went back, as in America/Juneau in 1867, gives
 * some later instants an earlier local date), so every running sum is >= 0;
 * stored values are checked for that.
 *
 * Buckets are numbered so that consecutive buckets have consecutive numbers:
 *	  minutes	15- or 30-minute slices of elapsed time counted from
 *				2000-01-01 00:00 UTC;
 *	  hours		N-hour slices likewise (N divides 24), every one exactly N
 *				hours long, DST or not;
 *	  days		local calendar days in the flow's time zone, numbered from
 *				2000-01-01 (a day is 23 or 25 hours long across a DST change);
 *	  weeks		local weeks starting on Monday at local midnight, numbered
 *				from Monday 2000-01-03;
 *	  months	local calendar months, numbered from January 2000.
 * The local days, weeks and months, and the instants they start at, come
 * from the time module (kpi_time.h).
 *
 * Memory follows the tickets, not the span of their timestamps.  A stored
 * value is in one of two encodings, whichever is smaller (dense on a tie):
 * dense, a pair of counts for every bucket from the first non-empty one to
 * the last, or sparse, the non-empty buckets with their counts.  One ticket
 * open for a century of hour buckets is two entries, not 876,000 buckets.
 * Inside an aggregate the state is updated in place: dense while it is at
 * most FLOW_DENSE_SLACK times the size of the sparse form (growing by
 * doubling its span), else a log: sorted entries, then appended ones that
 * are sorted and merged into them when the log is full.  The final function,
 * the input functions and every support function called outside an aggregate
 * return the canonical form, so that a value has one byte representation.
 *
 *-------------------------------------------------------------------------
 */
#include "postgres.h"

#include <ctype.h>

#include "common/int.h"
#include "funcapi.h"
#include "libpq/pqformat.h"
#include "miscadmin.h"
#include "utils/builtins.h"
#include "utils/date.h"
#include "utils/datetime.h"
#include "utils/timestamp.h"

#include "kpi_ext.h"
#include "kpi_time.h"

#define FLOW_TYPE "ticket_flow"

/* format versions: 1 (0.5.0 to 0.6.0: dense only), 2 (dense or sparse) */
#define FLOW_FORMAT_VERSION 2

/* bucket kinds, as stored */
#define FLOW_HOURS		1
#define FLOW_DAYS		2
#define FLOW_WEEKS		3
#define FLOW_MINUTES	4
#define FLOW_MONTHS		5

/* encodings, as stored */
#define FLOW_DENSE		0		/* counts of buckets first .. first + n - 1 */
#define FLOW_SPARSE		1		/* n entries, buckets increasing, none empty */
#define FLOW_LOG		2		/* inside an aggregate only (see TicketFlow) */

/*
 * The most a value may hold: 64M dense buckets or 40M sparse entries, each
 * below 1 GB.  With the sparse form these limit the number of tickets (20M
 * tickets in distinct buckets), not the span of their timestamps.
 */
#define FLOW_MAX_BUCKETS	(64 * 1000 * 1000)
#define FLOW_MAX_ENTRIES	(40 * 1000 * 1000)

/* a dense state inside an aggregate may be this many times the sparse size */
#define FLOW_DENSE_SLACK	4

typedef struct FlowCount
{
	int64		opened;
	int64		closed;
} FlowCount;

typedef struct FlowEntry
{
	int64		bucket;
	int64		opened;
	int64		closed;
} FlowEntry;

/*
 * The value.  After the header and the zone name (NUL, zero padding to a
 * multiple of 8) come the counts: n FlowCounts (dense) or FlowEntries
 * (sparse).  A log has room for more entries than the n in use (the rest are
 * zero bytes); its first nsorted entries are sorted by bucket and distinct,
 * the others were appended since and may repeat buckets.  In a log and in a
 * dense state inside an aggregate, buckets may be empty.
 */
typedef struct TicketFlow
{
	int32		vl_len_;		/* varlena header (do not touch directly!) */
	uint8		version;		/* FLOW_FORMAT_VERSION */
	uint8		kind;			/* FLOW_MINUTES, FLOW_HOURS, ..., FLOW_MONTHS */
	uint8		length;			/* minutes or hours of an elapsed bucket, else 0 */
	uint8		tzlen;			/* length of the time zone name, 1..255 */
	uint8		form;			/* FLOW_DENSE, FLOW_SPARSE or FLOW_LOG */
	uint8		spare[3];		/* zero */
	int32		n;				/* dense: buckets; sparse, log: entries in use */
	int32		nsorted;		/* sparse: n; log: see above; dense: 0 */
	int32		spare2;			/* zero */
	int64		first;			/* dense: the number of the first bucket; else 0 */
	char		tzname[FLEXIBLE_ARRAY_MEMBER];
} TicketFlow;

#define FLOW_HEADER_SIZE	offsetof(TicketFlow, tzname)
#define FLOW_NAME_SPACE(tzlen)	TYPEALIGN(8, (tzlen) + 1)
#define FLOW_DATA_OFFSET(tzlen) (FLOW_HEADER_SIZE + FLOW_NAME_SPACE(tzlen))
#define FLOW_COUNTS(f)	((FlowCount *) ((char *) (f) + FLOW_DATA_OFFSET((f)->tzlen)))
#define FLOW_ENTRIES(f) ((FlowEntry *) ((char *) (f) + FLOW_DATA_OFFSET((f)->tzlen)))
#define FLOW_CAPACITY(f) \
	((int32) ((VARSIZE(f) - FLOW_DATA_OFFSET((f)->tzlen)) / sizeof(FlowEntry)))

StaticAssertDecl(offsetof(TicketFlow, tzname) == 32, "TicketFlow header is 32 bytes");

/*
 * Format version 1 (0.5.0 to 0.6.0), still read: always dense, with room for
 * empty buckets at both ends, at most 1,000,000 buckets.
 */
typedef struct TicketFlowV1
{
	int32		vl_len_;
	uint8		version;		/* 1 */
	uint8		kind;			/* FLOW_HOURS, FLOW_DAYS or FLOW_WEEKS */
	uint8		hours;
	uint8		tzlen;
	int32		nbuckets;
	int64		first;
	char		tzname[FLEXIBLE_ARRAY_MEMBER];
} TicketFlowV1;

#define FLOW_V1_MAX_BUCKETS 1000000
#define FLOW_V1_HEADER_SIZE offsetof(TicketFlowV1, tzname)

/* a bucket definition resolved for computing: what a flow is bucketed by */
typedef struct FlowSpec
{
	int			kind;
	int			length;
	int64		width;			/* elapsed buckets: their length in microseconds */
	const KpiZone *zone;
	bool		fixed;			/* the zone has one UTC offset for all time */
	int64		fixed_offset;	/* that offset, microseconds east of UTC */
	const char *tzname;			/* canonical name, as stored */
	KpiZoneDay *days;			/* offset cache for local buckets, or NULL */
} FlowSpec;

/*
 * Per-call cache of the last bucket and time zone arguments seen, and of the
 * aggregate state last returned under them: a transition call that gets that
 * very state back skips checking it again.
 */
typedef struct FlowArgCache
{
	Interval	bucket;
	char		argtz[TZ_STRLEN_MAX + 1];
	int			argtzlen;
	FlowSpec	spec;
	char		tzname[TZ_STRLEN_MAX + 1];
	KpiZoneDay *days;			/* offset cache, kept across argument changes */
	Pointer		last_state;		/* aggregate state returned last, or NULL */
} FlowArgCache;

/*
 * A value read in bucket order: the counts of a dense one, or the sorted
 * entries of a sparse one (a log is read through a compacted copy).  Empty
 * buckets may appear; readers skip them.
 */
typedef struct FlowView
{
	bool		dense;
	int32		n;
	int64		first;			/* dense */
	const FlowCount *counts;	/* dense */
	const FlowEntry *entries;	/* sparse */
} FlowView;

/* --- errors ------------------------------------------------------------------ */

static void
flow_too_many(int64 needed, int limit)
{
	ereport(ERROR,
			(errcode(ERRCODE_PROGRAM_LIMIT_EXCEEDED),
			 errmsg("ticket_flow would hold more than %d buckets", limit),
			 errdetail("It would need " INT64_FORMAT " buckets with tickets.", needed),
			 errhint("Use a longer bucket, or split the tickets into several flows.")));
}

/* --- buckets and time zones --------------------------------------------- */

static void
flow_bad_bucket(const Interval *bucket)
{
	ereport(ERROR,
			(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
			 errmsg("ticket_flow bucket \"%s\" is not supported",
					DatumGetCString(DirectFunctionCall1(interval_out, IntervalPGetDatum(bucket)))),
			 errdetail("A bucket is 15 or 30 minutes, a whole number of hours that divides 24, 1 day, 1 week or 1 month."),
			 errhint("Use interval '1 day' for daily buckets, '1 week', '1 month', '1 hour' or '15 minutes' for others.")));
}

static bool
flow_valid_bucket(int kind, int length)
{
	switch (kind)
	{
		case FLOW_MINUTES:
			return length == 15 || length == 30;
		case FLOW_HOURS:
			return length >= 1 && length <= 24 && 24 % length == 0;
		case FLOW_DAYS:
		case FLOW_WEEKS:
		case FLOW_MONTHS:
			return length == 0;
	}
	return false;
}

static void
flow_parse_bucket(const Interval *bucket, int *kind, int *length)
{
	*length = 0;
	if (bucket->month == 0 && bucket->time == 0 && bucket->day == 1)
		*kind = FLOW_DAYS;
	else if (bucket->month == 0 && bucket->time == 0 && bucket->day == 7)
		*kind = FLOW_WEEKS;
	else if (bucket->month == 1 && bucket->time == 0 && bucket->day == 0)
		*kind = FLOW_MONTHS;
	else if (bucket->month == 0 && bucket->day == 0 && bucket->time > 0 &&
			 bucket->time % USECS_PER_HOUR == 0 && bucket->time <= 24 * USECS_PER_HOUR &&
			 flow_valid_bucket(FLOW_HOURS, (int) (bucket->time / USECS_PER_HOUR)))
	{
		*kind = FLOW_HOURS;
		*length = (int) (bucket->time / USECS_PER_HOUR);
	}
	else if (bucket->month == 0 && bucket->day == 0 &&
			 (bucket->time == 15 * USECS_PER_MINUTE || bucket->time == 30 * USECS_PER_MINUTE))
	{
		*kind = FLOW_MINUTES;
		*length = (int) (bucket->time / USECS_PER_MINUTE);
	}
	else
		flow_bad_bucket(bucket);
}

static const char *
flow_bucket_name(int kind, int length)
{
	switch (kind)
	{
		case FLOW_DAYS:
			return "1d";
		case FLOW_WEEKS:
			return "1w";
		case FLOW_MONTHS:
			return "1mon";
		case FLOW_MINUTES:
			return psprintf("%dm", length);
	}
	return psprintf("%dh", length);
}

static void
flow_spec_init(FlowSpec *spec, int kind, int length, const KpiZone *zone)
{
	spec->kind = kind;
	spec->length = length;
	spec->width = kind == FLOW_MINUTES ? length * USECS_PER_MINUTE :
		kind == FLOW_HOURS ? length * USECS_PER_HOUR : 0;
	spec->zone = zone;
	spec->fixed = zone->fixed;
	spec->fixed_offset = zone->fixed_offset;
	spec->tzname = zone->name;
	spec->days = NULL;
}

/* local days as local times, saturating (days past the timestamp range) */
static int64
flow_day_usecs(int64 day)
{
	int64		usecs;

	if (pg_mul_s64_overflow(day, USECS_PER_DAY, &usecs))
		return day < 0 ? PG_INT64_MIN : PG_INT64_MAX;
	return usecs;
}

/* the bucket of a local day (days, weeks, months) */
static inline int64
flow_bucket_of_day(int kind, int64 day)
{
	if (kind == FLOW_DAYS)
		return day;
	if (kind == FLOW_WEEKS)
		return kpi_week_of_day(day);
	return kpi_month_of_day(day);
}

/* the local days [*from, *to) of bucket b (days, weeks, months) */
static void
flow_bucket_days(int kind, int64 b, int64 *from, int64 *to)
{
	if (kind == FLOW_DAYS)
	{
		*from = b;
		*to = b + 1;
	}
	else if (kind == FLOW_WEEKS)
	{
		*from = b * 7 + KPI_MONDAY_DAY;
		*to = *from + 7;
	}
	else
	{
		*from = kpi_month_first_day(b);
		*to = kpi_month_first_day(b + 1);
	}
}

/* the local days that can hold an instant of the timestamp range */
#define FLOW_FIRST_DAY	kpi_local_day(MIN_TIMESTAMP - KPI_ZONE_MAX_OFFSET)
#define FLOW_LAST_DAY	kpi_local_day(END_TIMESTAMP - 1 + KPI_ZONE_MAX_OFFSET)

/*
 * The buckets that can hold an instant of the timestamp range (4714 BC to
 * 294276 AD) in any zone: bucket numbers within it cannot overflow the
 * arithmetic here, and stored values are checked against it.
 */
static void
flow_bucket_range(int kind, int length, int64 *lo, int64 *hi)
{
	int64		width = kind == FLOW_MINUTES ? length * USECS_PER_MINUTE : length * USECS_PER_HOUR;

	if (kind == FLOW_MINUTES || kind == FLOW_HOURS)
	{
		*lo = kpi_floor_div(MIN_TIMESTAMP, width);
		*hi = kpi_floor_div(END_TIMESTAMP - 1, width);
	}
	else
	{
		*lo = flow_bucket_of_day(kind, FLOW_FIRST_DAY);
		*hi = flow_bucket_of_day(kind, FLOW_LAST_DAY);
	}
}

static void
flow_check_finite(TimestampTz t, const char *what)
{
	if (TIMESTAMP_NOT_FINITE(t))
		ereport(ERROR,
				(errcode(ERRCODE_DATETIME_VALUE_OUT_OF_RANGE),
				 errmsg("%s timestamp must be finite", what),
				 errdetail("Tickets are counted in the bucket of their timestamps; infinity has none."),
				 errhint("Map open-ended values to NULL: a NULL closed timestamp means the ticket is still open.")));
}

/* the number of the bucket holding the instant t: the general case */
static int64
flow_bucket_of_zone(const FlowSpec *spec, TimestampTz t)
{
	if (spec->width > 0)
		return kpi_floor_div(t, spec->width);
	return flow_bucket_of_day(spec->kind,
							  kpi_local_day(t + kpi_zone_offset_cached(spec->zone, spec->days, t)));
}

/* the number of the bucket holding the instant t (finite) */
static inline int64
flow_bucket_of(const FlowSpec *spec, TimestampTz t)
{
	/* local days of a zone with one offset (UTC), the usual case, inline */
	if (spec->kind == FLOW_DAYS && spec->fixed)
		return kpi_local_day(t + spec->fixed_offset);
	return flow_bucket_of_zone(spec, t);
}

/*
 * The instant bucket number b (in flow_bucket_range) starts: its first
 * instant, local midnight for days, weeks and months.  Where midnight happens
 * twice (clocks going back at midnight, as in Cuba), that is the first one;
 * where it does not happen (clocks going forward at midnight), the first
 * instant of the day.  Returns false for a day a zone skipped altogether
 * (Samoa, 2011-12-30): no instant belongs to it.  The instant may lie outside
 * the timestamp range, for the buckets at its ends.
 */
static bool
flow_bucket_start(const FlowSpec *spec, int64 b, TimestampTz *start)
{
	int64		from;
	int64		to;

	if (spec->width > 0)
	{
		*start = b * spec->width;
		return true;
	}
	flow_bucket_days(spec->kind, b, &from, &to);
	return kpi_local_first_instant(spec->zone, flow_day_usecs(from), flow_day_usecs(to), start);
}

/*
 * The local label of bucket b starting at start: the local midnight of its
 * first day (days, weeks, months), or the local time of its start.
 */
static int64
flow_bucket_label(const FlowSpec *spec, int64 b, TimestampTz start)
{
	int64		from;
	int64		to;
	int64		end;

	if (spec->width > 0)
		return start + kpi_zone_offset(spec->zone, start, &end);
	flow_bucket_days(spec->kind, b, &from, &to);
	return flow_day_usecs(from);
}

/* the bucket and time zone arguments of a transition call, cached per call site */
static const FlowSpec *
flow_args(FunctionCallInfo fcinfo, int bucket_arg, int tz_arg)
{
	FlowArgCache *cache = (FlowArgCache *) fcinfo->flinfo->fn_extra;
	Interval   *bucket;
	text	   *tzt = NULL;
	int			tzlen = 3;
	const char *tzstr = "UTC";
	int			kind;
	int			length;
	const KpiZone *zone;

	if (PG_ARGISNULL(bucket_arg))
		ereport(ERROR,
				(errcode(ERRCODE_NULL_VALUE_NOT_ALLOWED),
				 errmsg("ticket_flow bucket must not be null"),
				 errhint("Pass interval '1 day', '1 week', '1 month' or '1 hour'.")));
	bucket = PG_GETARG_INTERVAL_P(bucket_arg);
	if (tz_arg >= 0)
	{
		if (PG_ARGISNULL(tz_arg))
			ereport(ERROR,
					(errcode(ERRCODE_NULL_VALUE_NOT_ALLOWED),
					 errmsg("ticket_flow time zone must not be null"),
					 errhint("Pass a zone name such as 'Europe/Berlin', or leave the argument out for UTC.")));
		tzt = PG_GETARG_TEXT_PP(tz_arg);
		tzlen = VARSIZE_ANY_EXHDR(tzt);
		tzstr = VARDATA_ANY(tzt);
	}
	if (cache != NULL &&
		cache->bucket.time == bucket->time && cache->bucket.day == bucket->day &&
		cache->bucket.month == bucket->month &&
		(tz_arg < 0 ||			/* then always UTC at this call site */
		 (cache->argtzlen == tzlen && memcmp(cache->argtz, tzstr, tzlen) == 0)))
		return &cache->spec;

	flow_parse_bucket(bucket, &kind, &length);
	zone = kpi_zone_lookup(tzt != NULL ? text_to_cstring(tzt) : "UTC");
	if (cache == NULL)
	{
		cache = MemoryContextAllocZero(fcinfo->flinfo->fn_mcxt, sizeof(FlowArgCache));
		fcinfo->flinfo->fn_extra = cache;
	}
	cache->bucket = *bucket;
	cache->last_state = NULL;
	/* a longer name is no zone, and was refused above */
	cache->argtzlen = Min(tzlen, TZ_STRLEN_MAX);
	memcpy(cache->argtz, tzstr, cache->argtzlen);
	cache->argtz[cache->argtzlen] = '\0';
	flow_spec_init(&cache->spec, kind, length, zone);
	strlcpy(cache->tzname, cache->spec.tzname, sizeof(cache->tzname));
	cache->spec.tzname = cache->tzname;
	if (cache->spec.width == 0 && !cache->spec.fixed)
	{
		if (cache->days == NULL)
			cache->days = MemoryContextAlloc(fcinfo->flinfo->fn_mcxt,
											 KPI_ZONE_CACHE_DAYS * sizeof(KpiZoneDay));
		memset(cache->days, 0, KPI_ZONE_CACHE_DAYS * sizeof(KpiZoneDay));
		cache->spec.days = cache->days;
	}
	return &cache->spec;
}

/* --- the value ------------------------------------------------------------- */

/*
 * A new value with room for cap counts (dense) or entries (sparse, log),
 * zeroed: n is cap for dense and sparse, 0 for a log.
 */
static TicketFlow *
flow_alloc(int kind, int length, const char *tzname, int form, int64 cap)
{
	int			tzlen = strlen(tzname);
	Size		size;
	TicketFlow *f;

	Assert(cap >= 0 && cap <= (form == FLOW_DENSE ? FLOW_MAX_BUCKETS : FLOW_MAX_ENTRIES));
	size = FLOW_DATA_OFFSET(tzlen) +
		(Size) cap * (form == FLOW_DENSE ? sizeof(FlowCount) : sizeof(FlowEntry));
	f = palloc0(size);
	SET_VARSIZE(f, size);
	f->version = FLOW_FORMAT_VERSION;
	f->kind = kind;
	f->length = length;
	f->tzlen = tzlen;
	f->form = form;
	f->n = form == FLOW_LOG ? 0 : (int32) cap;
	f->nsorted = form == FLOW_SPARSE ? (int32) cap : 0;
	memcpy(f->tzname, tzname, tzlen);
	return f;
}

static int
flow_entry_cmp(const void *a, const void *b)
{
	int64		x = ((const FlowEntry *) a)->bucket;
	int64		y = ((const FlowEntry *) b)->bucket;

	return (x > y) - (x < y);
}

/*
 * Sort e[0 .. n) by bucket, merge the entries of one bucket and drop the
 * empty ones; e[0 .. nsorted) are sorted and distinct already, so only the
 * rest is sorted and then merged with them.  Returns the number of entries
 * left, or -1 when a merged count would overflow.
 */
static int32
flow_compact_entries(FlowEntry *e, int32 n, int32 nsorted)
{
	FlowEntry  *merged;
	int32		i = 0;
	int32		j = nsorted;
	int32		k = 0;

	if (nsorted == n)
	{
		for (i = 0; i < n; i++)
			if (e[i].opened != 0 || e[i].closed != 0)
				e[k++] = e[i];
		return k;
	}
	qsort(e + nsorted, n - nsorted, sizeof(FlowEntry), flow_entry_cmp);
	merged = palloc(sizeof(FlowEntry) * n);
	while (i < nsorted || j < n)
	{
		const FlowEntry *next;

		if (j >= n || (i < nsorted && e[i].bucket <= e[j].bucket))
			next = &e[i++];
		else
			next = &e[j++];
		if (k > 0 && merged[k - 1].bucket == next->bucket)
		{
			if (pg_add_s64_overflow(merged[k - 1].opened, next->opened, &merged[k - 1].opened) ||
				pg_add_s64_overflow(merged[k - 1].closed, next->closed, &merged[k - 1].closed))
			{
				pfree(merged);
				return -1;
			}
		}
		else
			merged[k++] = *next;
	}
	j = 0;
	for (i = 0; i < k; i++)
		if (merged[i].opened != 0 || merged[i].closed != 0)
			e[j++] = merged[i];
	pfree(merged);
	return j;
}

/* a log compacted in place: every entry sorted, distinct and non-empty */
static void
flow_compact(TicketFlow *f)
{
	FlowEntry  *e = FLOW_ENTRIES(f);
	int32		n;

	Assert(f->form == FLOW_LOG);
	n = flow_compact_entries(e, f->n, f->nsorted);
	if (n < 0)
		kpi_count_overflow(FLOW_TYPE);
	memset(e + n, 0, sizeof(FlowEntry) * (f->n - n));
	f->n = f->nsorted = n;
}

/* the value in bucket order (a log through a compacted copy) */
static void
flow_view(const TicketFlow *f, FlowView *v)
{
	v->dense = f->form == FLOW_DENSE;
	v->n = f->n;
	v->first = f->first;
	v->counts = NULL;
	v->entries = NULL;
	if (v->dense)
		v->counts = FLOW_COUNTS(f);
	else if (f->nsorted == f->n)
		v->entries = FLOW_ENTRIES(f);
	else
	{
		FlowEntry  *copy = palloc(sizeof(FlowEntry) * f->n);

		memcpy(copy, FLOW_ENTRIES(f), sizeof(FlowEntry) * f->n);
		v->n = flow_compact_entries(copy, f->n, f->nsorted);
		if (v->n < 0)
			kpi_count_overflow(FLOW_TYPE);
		v->entries = copy;
	}
}

/* the i-th bucket of a view, false when it is empty */
static inline bool
flow_view_get(const FlowView *v, int32 i, FlowEntry *e)
{
	if (v->dense)
	{
		e->bucket = v->first + i;
		e->opened = v->counts[i].opened;
		e->closed = v->counts[i].closed;
	}
	else
		*e = v->entries[i];
	return e->opened != 0 || e->closed != 0;
}

/* whether a flow holds a ticket (every ticket counts as opened somewhere) */
static bool
flow_has_tickets(const TicketFlow *f)
{
	if (f->form == FLOW_DENSE)
	{
		const FlowCount *c = FLOW_COUNTS(f);

		for (int32 i = 0; i < f->n; i++)
			if (c[i].opened != 0)
				return true;
	}
	else
	{
		const FlowEntry *e = FLOW_ENTRIES(f);

		for (int32 i = 0; i < f->n; i++)
			if (e[i].opened != 0)
				return true;
	}
	return false;
}

/*
 * The running totals of a flow read in bucket order: false when a total
 * would overflow (*overflow) or more tickets would be closed than opened by
 * some bucket.
 */
static inline bool
flow_sums_add(int64 *opened, int64 *closed, const FlowEntry *e, bool *overflow)
{
	*overflow = pg_add_s64_overflow(*opened, e->opened, opened) ||
		pg_add_s64_overflow(*closed, e->closed, closed);
	return !*overflow && *closed <= *opened;
}

/*
 * The canonical value of a view: its non-empty buckets, dense when that is
 * not larger than sparse (span * 16 <= entries * 24), else sparse; an empty
 * flow is dense with no bucket and starts at bucket 0.  The totals are
 * checked on the way (an overflow is an error, 22003, as for any merge).
 */
static TicketFlow *
flow_build(int kind, int length, const char *tzname, const FlowView *v)
{
	int64		k = 0;
	int64		lo = 0;
	int64		hi = -1;
	int64		opened = 0;
	int64		closed = 0;
	bool		overflow;
	FlowEntry	e;
	TicketFlow *r;

	for (int32 i = 0; i < v->n; i++)
	{
		if (!flow_view_get(v, i, &e))
			continue;
		if (!flow_sums_add(&opened, &closed, &e, &overflow))
		{
			if (overflow)
				kpi_count_overflow(FLOW_TYPE);
			kpi_negative_count(FLOW_TYPE);
		}
		if (k++ == 0)
			lo = e.bucket;
		hi = e.bucket;
	}
	if (k == 0)
		return flow_alloc(kind, length, tzname, FLOW_DENSE, 0);
	/* (a flow of more entries than the sparse form holds is dense if it can be) */
	if ((hi - lo + 1) * (int64) sizeof(FlowCount) <= k * (int64) sizeof(FlowEntry) ||
		(k > FLOW_MAX_ENTRIES && hi - lo + 1 <= FLOW_MAX_BUCKETS))
	{
		FlowCount  *c;

		r = flow_alloc(kind, length, tzname, FLOW_DENSE, hi - lo + 1);
		r->first = lo;
		c = FLOW_COUNTS(r);
		for (int32 i = 0; i < v->n; i++)
			if (flow_view_get(v, i, &e))
			{
				c[e.bucket - lo].opened = e.opened;
				c[e.bucket - lo].closed = e.closed;
			}
	}
	else
	{
		FlowEntry  *out;

		if (k > FLOW_MAX_ENTRIES)
			flow_too_many(k, FLOW_MAX_ENTRIES);
		r = flow_alloc(kind, length, tzname, FLOW_SPARSE, k);
		out = FLOW_ENTRIES(r);
		for (int32 i = 0; i < v->n; i++)
			if (flow_view_get(v, i, &e))
				*out++ = e;
	}
	return r;
}

/* the canonical copy of a flow (what final functions and operators return) */
static TicketFlow *
flow_canonical(const TicketFlow *f)
{
	FlowView	v;

	flow_view(f, &v);
	return flow_build(f->kind, f->length, f->tzname, &v);
}

/* --- validation ------------------------------------------------------------ */

/* a stored zone name: no NUL, ';' or space in it, zero bytes after it */
static const KpiZone *
flow_check_zone(const char *name, int tzlen, int sqlerrcode)
{
	const KpiZone *zone;

	for (Size i = 0; i < FLOW_NAME_SPACE(tzlen); i++)
	{
		char		ch = name[i];

		if (i < (Size) tzlen ? (ch == '\0' || ch == ';' || isspace((unsigned char) ch)) : ch != '\0')
			kpi_invalid_summary(sqlerrcode, FLOW_TYPE, "The time zone name is malformed.");
	}
	zone = kpi_zone_find(name);
	if (zone == NULL)
		kpi_invalid_summary(sqlerrcode, FLOW_TYPE, KPI_ZONE_UNKNOWN_DETAIL);
	return zone;
}

/* the counts of a view read in bucket order: none negative, every running sum >= 0 */
static void
flow_check_counts(const FlowView *v, int sqlerrcode)
{
	int64		opened = 0;
	int64		closed = 0;
	bool		overflow;
	FlowEntry	e;

	for (int32 i = 0; i < v->n; i++)
	{
		(void) flow_view_get(v, i, &e);
		if (e.opened < 0 || e.closed < 0)
			kpi_invalid_summary(sqlerrcode, FLOW_TYPE, "A count is negative.");
		if (!flow_sums_add(&opened, &closed, &e, &overflow))
			kpi_invalid_summary(sqlerrcode, FLOW_TYPE,
								overflow ? "The counts add up to more than 2^63 - 1." :
								"More tickets are closed than were opened by a bucket.");
	}
}

/* a value of format version 1 (0.5.0 to 0.6.0): validated, and returned in the canonical form */
static TicketFlow *
flow_from_v1(const TicketFlowV1 *f, int sqlerrcode)
{
	Size		size = VARSIZE(f);
	const KpiZone *zone;
	int64		lo;
	int64		hi;
	FlowView	v;

	if (size < FLOW_V1_HEADER_SIZE + 8)
		kpi_invalid_summary(sqlerrcode, FLOW_TYPE, "The value is too short.");
	if ((f->kind != FLOW_HOURS && f->kind != FLOW_DAYS && f->kind != FLOW_WEEKS) ||
		!flow_valid_bucket(f->kind, f->hours))
		kpi_invalid_summary(sqlerrcode, FLOW_TYPE, "The bucket kind is unknown.");
	if (f->tzlen == 0 || f->nbuckets < 0 || f->nbuckets > FLOW_V1_MAX_BUCKETS ||
		size != FLOW_V1_HEADER_SIZE + FLOW_NAME_SPACE(f->tzlen) + (Size) f->nbuckets * sizeof(FlowCount))
		kpi_invalid_summary(sqlerrcode, FLOW_TYPE, "The value has an unexpected size.");
	zone = flow_check_zone(f->tzname, f->tzlen, sqlerrcode);
	flow_bucket_range(f->kind, f->hours, &lo, &hi);
	if (f->first < lo || f->first > hi - f->nbuckets + 1)
		kpi_invalid_summary(sqlerrcode, FLOW_TYPE, "The buckets lie outside the timestamp range.");
	v.dense = true;
	v.n = f->nbuckets;
	v.first = f->first;
	v.counts = (const FlowCount *) ((const char *) f + FLOW_V1_HEADER_SIZE + FLOW_NAME_SPACE(f->tzlen));
	v.entries = NULL;
	flow_check_counts(&v, sqlerrcode);
	return flow_build(f->kind, f->hours, zone->name, &v);
}

/*
 * Validate a value before it is trusted, byte by byte; checks the running
 * sums too.  sqlerrcode says where it came from (see kpi_invalid_summary).
 * A value of format version 1 comes back converted.
 */
static TicketFlow *
flow_check(TicketFlow *f, int sqlerrcode)
{
	Size		size = VARSIZE(f);
	Size		data;
	int64		lo;
	int64		hi;
	FlowView	v;

	if (size < VARHDRSZ + 1)
		kpi_invalid_summary(sqlerrcode, FLOW_TYPE, "The value is too short.");
	if (f->version == 1)
		return flow_from_v1((const TicketFlowV1 *) f, sqlerrcode);
	if (f->version != FLOW_FORMAT_VERSION)
		kpi_invalid_summary(sqlerrcode, FLOW_TYPE, "The value has an unknown format version.");
	if (size < FLOW_HEADER_SIZE + 8)
		kpi_invalid_summary(sqlerrcode, FLOW_TYPE, "The value is too short.");
	if (!flow_valid_bucket(f->kind, f->length))
		kpi_invalid_summary(sqlerrcode, FLOW_TYPE, "The bucket kind is unknown.");
	if (f->form > FLOW_LOG || f->spare[0] != 0 || f->spare[1] != 0 || f->spare[2] != 0 ||
		f->spare2 != 0)
		kpi_invalid_summary(sqlerrcode, FLOW_TYPE, "The value has an unknown encoding.");
	if (f->tzlen == 0 || size < FLOW_DATA_OFFSET(f->tzlen) || f->n < 0)
		kpi_invalid_summary(sqlerrcode, FLOW_TYPE, "The value has an unexpected size.");
	data = size - FLOW_DATA_OFFSET(f->tzlen);
	(void) flow_check_zone(f->tzname, f->tzlen, sqlerrcode);
	flow_bucket_range(f->kind, f->length, &lo, &hi);

	if (f->form == FLOW_DENSE)
	{
		if (f->nsorted != 0 || f->n > FLOW_MAX_BUCKETS || data != (Size) f->n * sizeof(FlowCount))
			kpi_invalid_summary(sqlerrcode, FLOW_TYPE, "The value has an unexpected size.");
		if (f->n == 0 ? f->first != 0 : (f->first < lo || f->first > hi - f->n + 1))
			kpi_invalid_summary(sqlerrcode, FLOW_TYPE, "The buckets lie outside the timestamp range.");
	}
	else
	{
		const FlowEntry *e = FLOW_ENTRIES(f);
		int32		cap = (int32) Min(data / sizeof(FlowEntry), (Size) FLOW_MAX_ENTRIES + 1);

		if (f->first != 0 || data % sizeof(FlowEntry) != 0 || cap > FLOW_MAX_ENTRIES ||
			f->n > cap || f->nsorted > f->n || f->nsorted < 0 ||
			(f->form == FLOW_SPARSE && (f->nsorted != f->n || cap != f->n)))
			kpi_invalid_summary(sqlerrcode, FLOW_TYPE, "The value has an unexpected size.");
		for (int32 i = 0; i < cap; i++)
		{
			if (i >= f->n)
			{
				if (e[i].bucket != 0 || e[i].opened != 0 || e[i].closed != 0)
					kpi_invalid_summary(sqlerrcode, FLOW_TYPE, "The value has bytes after its entries.");
				continue;
			}
			if (e[i].bucket < lo || e[i].bucket > hi)
				kpi_invalid_summary(sqlerrcode, FLOW_TYPE, "The buckets lie outside the timestamp range.");
			if (e[i].opened < 0 || e[i].closed < 0)
				kpi_invalid_summary(sqlerrcode, FLOW_TYPE, "A count is negative.");
			if (i > 0 && i < f->nsorted && e[i].bucket <= e[i - 1].bucket)
				kpi_invalid_summary(sqlerrcode, FLOW_TYPE, "The buckets are not in increasing order.");
			if (f->form == FLOW_SPARSE && e[i].opened == 0 && e[i].closed == 0)
				kpi_invalid_summary(sqlerrcode, FLOW_TYPE, "A bucket without tickets is stored.");
		}
		if (f->nsorted < f->n)
		{
			FlowEntry  *copy = palloc(sizeof(FlowEntry) * f->n);

			memcpy(copy, e, sizeof(FlowEntry) * f->n);
			v.dense = false;
			v.n = flow_compact_entries(copy, f->n, f->nsorted);
			if (v.n < 0)
				kpi_invalid_summary(sqlerrcode, FLOW_TYPE, "The counts add up to more than 2^63 - 1.");
			v.entries = copy;
			flow_check_counts(&v, sqlerrcode);
			pfree(copy);
			return f;
		}
	}
	flow_view(f, &v);
	flow_check_counts(&v, sqlerrcode);
	return f;
}

#define PG_GETARG_TICKET_FLOW(n) \
	flow_check((TicketFlow *) PG_DETOAST_DATUM(PG_GETARG_DATUM(n)), ERRCODE_DATA_CORRUPTED)

/* --- the state ------------------------------------------------------------- */

static bool
flow_same_spec(const TicketFlow *f, int kind, int length, const char *tzname, int tzlen)
{
	return f->kind == kind && f->length == length &&
		f->tzlen == tzlen && memcmp(f->tzname, tzname, tzlen) == 0;
}

static void
flow_mismatch(const TicketFlow *f, int kind, int length, const char *tzname, int tzlen)
{
	ereport(ERROR,
			(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
			 errmsg("ticket_flow buckets do not match"),
			 errdetail("One value has %s buckets in %.*s, the other %s buckets in %.*s.",
					   flow_bucket_name(f->kind, f->length), f->tzlen, f->tzname,
					   flow_bucket_name(kind, length), tzlen, tzname),
			 errhint("Use the same bucket and time zone for every ticket of one flow.")));
}

/* the number of non-empty buckets of a dense value */
static int64
flow_dense_used(const TicketFlow *f, int64 *used_lo, int64 *used_hi)
{
	const FlowCount *c = FLOW_COUNTS(f);
	int64		k = 0;

	*used_lo = 0;
	*used_hi = -1;
	for (int32 i = 0; i < f->n; i++)
		if (c[i].opened != 0 || c[i].closed != 0)
		{
			if (k++ == 0)
				*used_lo = f->first + i;
			*used_hi = f->first + i;
		}
	return k;
}

/* a dense copy of f covering buckets [first, first + n), which hold all of f's tickets */
static TicketFlow *
flow_to_dense(const TicketFlow *f, int64 first, int64 n)
{
	TicketFlow *r = flow_alloc(f->kind, f->length, f->tzname, FLOW_DENSE, n);
	FlowCount  *c = FLOW_COUNTS(r);
	FlowView	v;
	FlowEntry	e;

	r->first = first;
	flow_view(f, &v);
	for (int32 i = 0; i < v.n; i++)
		if (flow_view_get(&v, i, &e))
		{
			Assert(e.bucket >= first && e.bucket < first + n);
			c[e.bucket - first].opened = e.opened;
			c[e.bucket - first].closed = e.closed;
		}
	return r;
}

/* a log copy of f with room for cap entries, its non-empty buckets sorted */
static TicketFlow *
flow_to_log(const TicketFlow *f, int64 cap)
{
	TicketFlow *r;
	FlowEntry  *out;
	FlowView	v;
	FlowEntry	e;

	if (cap > FLOW_MAX_ENTRIES)
		flow_too_many(cap, FLOW_MAX_ENTRIES);
	r = flow_alloc(f->kind, f->length, f->tzname, FLOW_LOG, cap);
	out = FLOW_ENTRIES(r);
	flow_view(f, &v);
	for (int32 i = 0; i < v.n; i++)
		if (flow_view_get(&v, i, &e))
		{
			Assert(r->n < cap);
			out[r->n++] = e;
		}
	r->nsorted = r->n;
	return r;
}

/* the room of a new log for needed entries: twice that with slack */
static int64
flow_log_cap(int64 needed, bool slack)
{
	if (needed > FLOW_MAX_ENTRIES)
		flow_too_many(needed, FLOW_MAX_ENTRIES);
	return slack ? Min(Max(4, 2 * needed), FLOW_MAX_ENTRIES) : needed;
}

/*
 * A state that can take k more entries in buckets lo .. hi (lo <= hi, in the
 * bucket range): f itself when it can, else a copy in the encoding its
 * density calls for.  With slack (inside an aggregate) a dense state grows by
 * at least doubling its span towards the side that grows and a log by
 * doubling its room, so that adding tickets costs amortized O(1) (dense) or
 * O(log n) (log); without, the copy is exact.
 */
static TicketFlow *
flow_make_room(TicketFlow *f, int64 lo, int64 hi, int64 k, bool slack)
{
	int64		rlo;
	int64		rhi;
	int64		used;
	int64		used_lo;
	int64		used_hi;

	flow_bucket_range(f->kind, f->length, &rlo, &rhi);
	Assert(lo <= hi && lo >= rlo && hi <= rhi);
	if (f->form == FLOW_DENSE)
	{
		int64		first;
		int64		last;

		if (f->n > 0 && lo >= f->first && hi < f->first + f->n)
			return f;
		used = flow_dense_used(f, &used_lo, &used_hi);
		first = used > 0 ? Min(lo, used_lo) : lo;
		last = used > 0 ? Max(hi, used_hi) : hi;
		if (slack && used > 0)
		{
			if (lo < f->first)
				first = Max(rlo, Min(first, f->first - f->n));
			if (hi >= f->first + f->n)
				last = Min(rhi, Max(last, f->first + 2 * f->n - 1));
		}
		/* dense while at most FLOW_DENSE_SLACK times the sparse size */
		if (last - first + 1 <= FLOW_MAX_BUCKETS &&
			(last - first + 1) * (int64) sizeof(FlowCount) <=
			FLOW_DENSE_SLACK * (used + k) * (int64) sizeof(FlowEntry))
			return flow_to_dense(f, first, last - first + 1);
		/* the exact span may still be dense enough */
		first = used > 0 ? Min(lo, used_lo) : lo;
		last = used > 0 ? Max(hi, used_hi) : hi;
		if (last - first + 1 <= FLOW_MAX_BUCKETS &&
			(last - first + 1) * (int64) sizeof(FlowCount) <=
			FLOW_DENSE_SLACK * (used + k) * (int64) sizeof(FlowEntry))
			return flow_to_dense(f, first, last - first + 1);
		return flow_to_log(f, flow_log_cap(used + k, slack));
	}

	/* a sparse value becomes a log: the same entries, all sorted */
	f->form = FLOW_LOG;
	if (f->n + k <= FLOW_CAPACITY(f))
		return f;
	flow_compact(f);
	used = f->n;
	if (used > 0)
	{
		const FlowEntry *e = FLOW_ENTRIES(f);
		int64		first = Min(lo, e[0].bucket);
		int64		last = Max(hi, e[used - 1].bucket);

		/* back to dense when that is no larger than the sparse form */
		if (last - first + 1 <= FLOW_MAX_BUCKETS &&
			(last - first + 1) * (int64) sizeof(FlowCount) <= (used + k) * (int64) sizeof(FlowEntry))
			return flow_to_dense(f, first, last - first + 1);
	}
	/* with slack, room for at least as many entries again before the next compaction */
	if (!slack || used + k > FLOW_CAPACITY(f) / 2 || FLOW_CAPACITY(f) > 8 * Max(4, used + k))
		return flow_to_log(f, flow_log_cap(used + k, slack));
	return f;
}

/*
 * The state argument, writable, to add to or remove from a flow of the given
 * buckets and zone: a new empty one for NULL, the state itself inside an
 * aggregate, else a validated copy.  A state of other buckets that holds no
 * ticket (such as an emptied window frame) is replaced by an empty one of
 * these; one that holds tickets is an error.  tzname NULL: any buckets (the
 * flow added is empty), or 1d UTC for a new state.
 */
static TicketFlow *
flow_state(FunctionCallInfo fcinfo, int argno, int kind, int length, const char *tzname,
		   int tzlen, bool *in_agg)
{
	TicketFlow *f;

	*in_agg = AggCheckCallContext(fcinfo, NULL) != 0;
	if (tzname == NULL && PG_ARGISNULL(argno))
		return flow_alloc(FLOW_DAYS, 0, "UTC", FLOW_DENSE, 0);
	if (PG_ARGISNULL(argno))
		return flow_alloc(kind, length, pnstrdup(tzname, tzlen), FLOW_DENSE, 0);
	f = (TicketFlow *) PG_DETOAST_DATUM(PG_GETARG_DATUM(argno));
	if (!*in_agg)
	{
		f = flow_check(f, ERRCODE_DATA_CORRUPTED);
		if ((Pointer) f == DatumGetPointer(PG_GETARG_DATUM(argno)))
		{
			TicketFlow *copy = palloc(VARSIZE(f));

			memcpy(copy, f, VARSIZE(f));
			f = copy;
		}
	}
	if (tzname != NULL && !flow_same_spec(f, kind, length, tzname, tzlen))
	{
		if (flow_has_tickets(f))
			flow_mismatch(f, kind, length, tzname, tzlen);
		return flow_alloc(kind, length, pnstrdup(tzname, tzlen), FLOW_DENSE, 0);
	}
	return f;
}

/*
 * The result of skipping a NULL input: the state unchanged.  Before any input
 * it stays NULL, except in a window, where a moving-aggregate state must not
 * be NULL: there it starts empty, with the buckets of spec, or 1d UTC when
 * they are not known yet (rollup): an empty state takes on the buckets of
 * the first flow or ticket added.
 */
static Datum
flow_skip(FunctionCallInfo fcinfo, const FlowSpec *spec)
{
	if (!PG_ARGISNULL(0))
		PG_RETURN_DATUM(PG_GETARG_DATUM(0));
	if (AggCheckCallContext(fcinfo, NULL) != AGG_CONTEXT_WINDOW)
		PG_RETURN_NULL();
	if (spec != NULL)
		PG_RETURN_POINTER(flow_alloc(spec->kind, spec->length, spec->tzname, FLOW_DENSE, 0));
	PG_RETURN_POINTER(flow_alloc(FLOW_DAYS, 0, "UTC", FLOW_DENSE, 0));
}

/* the position of bucket b among the sorted entries e[0 .. n), or -1 */
static int32
flow_find(const FlowEntry *e, int32 n, int64 b)
{
	int32		lo = 0;
	int32		hi = n;

	while (lo < hi)
	{
		int32		mid = lo + (hi - lo) / 2;

		if (e[mid].bucket < b)
			lo = mid + 1;
		else
			hi = mid;
	}
	return (lo < n && e[lo].bucket == b) ? lo : -1;
}

/*
 * The counts of bucket b in a dense or log state, or NULL when it has none;
 * a log is searched in its sorted entries only.
 */
static FlowCount *
flow_bucket_counts(TicketFlow *f, int64 b)
{
	int32		i;

	if (f->form == FLOW_DENSE)
		return (b >= f->first && b < f->first + f->n) ? &FLOW_COUNTS(f)[b - f->first] : NULL;
	i = flow_find(FLOW_ENTRIES(f), f->nsorted, b);
	/* an entry is bucket, opened, closed: its counts are laid out as a FlowCount */
	return i >= 0 ? (FlowCount *) &FLOW_ENTRIES(f)[i].opened : NULL;
}

/* subtract (opened, closed) from bucket b; false when it does not hold that many */
static bool
flow_sub_bucket(TicketFlow *f, int64 b, int64 opened, int64 closed)
{
	FlowCount  *c = flow_bucket_counts(f, b);

	if (c == NULL || c->opened < opened || c->closed < closed)
		return false;
	c->opened -= opened;
	c->closed -= closed;
	return true;
}

/* add one ticket opened in bucket ob and, if is_closed, closed in bucket cb >= ob */
static TicketFlow *
flow_add_ticket(TicketFlow *f, int64 ob, int64 cb, bool is_closed, bool slack)
{
	int64		hi = is_closed ? cb : ob;

	if (!(f->form == FLOW_DENSE && ob >= f->first && hi < f->first + f->n))
		f = flow_make_room(f, ob, hi, (is_closed && cb != ob) ? 2 : 1, slack);
	if (f->form == FLOW_DENSE)
	{
		FlowCount  *c = FLOW_COUNTS(f);

		c[ob - f->first].opened = kpi_add_count(c[ob - f->first].opened, 1, FLOW_TYPE);
		if (is_closed)
			c[cb - f->first].closed = kpi_add_count(c[cb - f->first].closed, 1, FLOW_TYPE);
	}
	else
	{
		FlowEntry  *e = FLOW_ENTRIES(f) + f->n;

		/* counts of 1: an overflow shows when the log is compacted */
		e[0].bucket = ob;
		e[0].opened = 1;
		e[0].closed = (is_closed && cb == ob) ? 1 : 0;
		f->n++;
		if (is_closed && cb != ob)
		{
			e[1].bucket = cb;
			e[1].opened = 0;
			e[1].closed = 1;
			f->n++;
		}
	}
	return f;
}

/* remove one ticket (a moving-aggregate inverse, or its plain call) */
static void
flow_remove_ticket(TicketFlow *f, int64 ob, int64 cb, bool is_closed)
{
	if (f->form == FLOW_SPARSE)
		f->form = FLOW_LOG;
	for (int attempt = 0; attempt < 2; attempt++)
	{
		FlowCount  *co = flow_bucket_counts(f, ob);
		FlowCount  *cc = is_closed ? flow_bucket_counts(f, cb) : NULL;

		if (co != NULL && co->opened >= 1 &&
			(!is_closed || (cc != NULL && cc->closed >= 1)))
		{
			co->opened--;
			if (is_closed)
				cc->closed--;
			return;
		}
		/* the ticket may have been appended to the log since it was compacted */
		if (f->form == FLOW_DENSE || f->nsorted == f->n)
			break;
		flow_compact(f);
	}
	kpi_negative_count(FLOW_TYPE);
}

/*
 * Add (sign = 1) or subtract (sign = -1) the tickets of another flow with the
 * same buckets; a flow without tickets changes nothing.
 */
static TicketFlow *
flow_merge_into(TicketFlow *f, const TicketFlow *other, int sign, bool slack)
{
	FlowView	v;
	FlowEntry	e;
	int64		k = 0;
	int64		lo = 0;
	int64		hi = -1;

	flow_view(other, &v);
	for (int32 i = 0; i < v.n; i++)
		if (flow_view_get(&v, i, &e))
		{
			if (k++ == 0)
				lo = e.bucket;
			hi = e.bucket;
		}
	if (k == 0)
		return f;
	if (sign > 0)
	{
		f = flow_make_room(f, lo, hi, k, slack);
		for (int32 i = 0; i < v.n; i++)
		{
			if (!flow_view_get(&v, i, &e))
				continue;
			if (f->form == FLOW_DENSE)
			{
				FlowCount  *c = &FLOW_COUNTS(f)[e.bucket - f->first];

				c->opened = kpi_add_count(c->opened, e.opened, FLOW_TYPE);
				c->closed = kpi_add_count(c->closed, e.closed, FLOW_TYPE);
			}
			else
				FLOW_ENTRIES(f)[f->n++] = e;
		}
		return f;
	}

	/* subtract: every bucket must hold what is subtracted (a log compacted first) */
	if (f->form == FLOW_SPARSE)
		f->form = FLOW_LOG;
	if (f->form == FLOW_LOG && f->nsorted < f->n)
		flow_compact(f);
	for (int32 i = 0; i < v.n; i++)
		if (flow_view_get(&v, i, &e) && !flow_sub_bucket(f, e.bucket, e.opened, e.closed))
			kpi_negative_count(FLOW_TYPE);
	return f;
}

/* --- I/O ------------------------------------------------------------------ */

/* the entries read by the input functions, growing */
typedef struct FlowEntryList
{
	FlowEntry  *e;
	int32		n;
	int32		cap;
} FlowEntryList;

static void
flow_list_add(FlowEntryList *list, const FlowEntry *e)
{
	if (list->n >= list->cap)
	{
		list->cap = list->cap == 0 ? 64 : Min(2 * (int64) list->cap, FLOW_MAX_ENTRIES);
		list->e = list->e == NULL ? palloc(sizeof(FlowEntry) * list->cap) :
			repalloc(list->e, sizeof(FlowEntry) * list->cap);
	}
	list->e[list->n++] = *e;
}

/* the value of the entries an input function read (increasing buckets), checked */
static TicketFlow *
flow_from_list(int kind, int length, const char *tzname, const FlowEntryList *list, int sqlerrcode)
{
	FlowView	v;

	v.dense = false;
	v.n = list->n;
	v.first = 0;
	v.counts = NULL;
	v.entries = list->e;
	flow_check_counts(&v, sqlerrcode);
	return flow_build(kind, length, tzname, &v);
}

/*
 * Text form: v2:<bucket>;<time zone>;<first bucket number>;<counts>, where
 * bucket is 15m, 30m, <N>h, 1d, 1w or 1mon, and counts lists each bucket
 * from the first as opened/closed, with ~k standing for k empty buckets:
 * v2:1d;Europe/Berlin;9497;3/0,~2,1/4.  Format version 1 reads the same.
 */
PG_FUNCTION_INFO_V1(kpi_ticket_flow_in);
Datum
kpi_ticket_flow_in(PG_FUNCTION_ARGS)
{
	char	   *str = PG_GETARG_CSTRING(0);
	KpiParser	ps;
	int			kind;
	int			length = 0;
	int64		number;
	char		tzname[TZ_STRLEN_MAX + 1];
	int			tzlen = 0;
	bool		negative;
	int64		first;
	int64		lo;
	int64		hi;
	int64		pos = 0;
	const KpiZone *zone;
	FlowEntryList list = {NULL, 0, 0};

	kpi_parse_begin_versions(&ps, FLOW_TYPE, str, FLOW_FORMAT_VERSION);
	number = kpi_parse_count(&ps, "bucket length");
	if (kpi_parse_accept(&ps, "mon"))
		kind = FLOW_MONTHS;
	else if (kpi_parse_accept(&ps, "m"))
		kind = FLOW_MINUTES;
	else if (kpi_parse_accept(&ps, "h"))
		kind = FLOW_HOURS;
	else if (kpi_parse_accept(&ps, "d"))
		kind = FLOW_DAYS;
	else if (kpi_parse_accept(&ps, "w"))
		kind = FLOW_WEEKS;
	else
		kind = 0;
	if (kind == FLOW_MINUTES || kind == FLOW_HOURS)
		length = (int) Min(number, 100);
	else if (number != 1)
		kind = 0;
	if (!flow_valid_bucket(kind, length))
		kpi_parse_error(&ps, "The bucket is 15m, 30m, a number of hours that divides 24 (such as 1h), 1d, 1w or 1mon.");
	kpi_parse_expect(&ps, ";");
	while (isspace((unsigned char) *ps.p))
		ps.p++;
	while (*ps.p != '\0' && *ps.p != ';' && !isspace((unsigned char) *ps.p))
	{
		if (tzlen >= TZ_STRLEN_MAX)
			kpi_parse_error(&ps, "The time zone name is too long.");
		tzname[tzlen++] = *ps.p++;
	}
	tzname[tzlen] = '\0';
	if (tzlen == 0)
		kpi_parse_error(&ps, "Expected a time zone name after the bucket.");
	kpi_parse_expect(&ps, ";");
	negative = kpi_parse_accept(&ps, "-");
	first = kpi_parse_count(&ps, "first bucket number");
	if (negative)
		first = -first;
	kpi_parse_expect(&ps, ";");
	flow_bucket_range(kind, length, &lo, &hi);
	if (first < lo || first > hi)
		kpi_parse_error(&ps, "The first bucket lies outside the timestamp range.");

	while (isspace((unsigned char) *ps.p))
		ps.p++;
	while (*ps.p != '\0')
	{
		if (pos > 0)
			kpi_parse_expect(&ps, ",");
		if (kpi_parse_accept(&ps, "~"))
		{
			int64		k = kpi_parse_count(&ps, "empty buckets");

			if (k < 1 || k > hi - first - pos + 1)
				kpi_parse_error(&ps, "A run of empty buckets is out of range.");
			pos += k;
		}
		else
		{
			FlowEntry	e;

			e.opened = kpi_parse_count(&ps, "opened");
			kpi_parse_expect(&ps, "/");
			e.closed = kpi_parse_count(&ps, "closed");
			if (pos > hi - first)
				kpi_parse_error(&ps, "The buckets lie outside the timestamp range.");
			e.bucket = first + pos++;
			if (e.opened != 0 || e.closed != 0)
			{
				if (list.n >= FLOW_MAX_ENTRIES)
					kpi_parse_error(&ps, "There are too many buckets.");
				flow_list_add(&list, &e);
			}
			if ((pos & 0xffff) == 0)
				CHECK_FOR_INTERRUPTS();
		}
		while (isspace((unsigned char) *ps.p))
			ps.p++;
	}
	kpi_parse_end(&ps);

	/* the canonical spelling of the zone, so that spellings compare equal */
	zone = kpi_zone_find(tzname);
	if (zone == NULL)
		kpi_invalid_summary(ERRCODE_INVALID_TEXT_REPRESENTATION, FLOW_TYPE, KPI_ZONE_UNKNOWN_DETAIL);
	PG_RETURN_POINTER(flow_from_list(kind, length, zone->name, &list, ERRCODE_INVALID_TEXT_REPRESENTATION));
}

PG_FUNCTION_INFO_V1(kpi_ticket_flow_out);
Datum
kpi_ticket_flow_out(PG_FUNCTION_ARGS)
{
	TicketFlow *f = PG_GETARG_TICKET_FLOW(0);
	StringInfoData buf;
	FlowView	v;
	FlowEntry	e;
	bool		any = false;
	int64		prev = 0;

	flow_view(f, &v);
	initStringInfo(&buf);
	appendStringInfo(&buf, "v%d:%s;%.*s;", FLOW_FORMAT_VERSION,
					 flow_bucket_name(f->kind, f->length), f->tzlen, f->tzname);
	for (int32 i = 0; i < v.n; i++)
	{
		if (!flow_view_get(&v, i, &e))
			continue;
		if (!any)
			appendStringInfo(&buf, INT64_FORMAT ";", e.bucket);
		else if (e.bucket > prev + 1)
			appendStringInfo(&buf, ",~" INT64_FORMAT ",", e.bucket - prev - 1);
		else
			appendStringInfoChar(&buf, ',');
		appendStringInfo(&buf, INT64_FORMAT "/" INT64_FORMAT, e.opened, e.closed);
		any = true;
		prev = e.bucket;
	}
	if (!any)
		appendStringInfoString(&buf, "0;");
	PG_RETURN_CSTRING(buf.data);
}

/*
 * Binary form: the version byte, the bucket kind and length bytes, the zone
 * name, then the number of non-empty buckets and each as its number and the
 * opened and closed counts (int64), in increasing order.  Format version 1
 * (kind, hours, zone, first bucket, bucket count, then the counts of every
 * bucket) is read too.
 */
PG_FUNCTION_INFO_V1(kpi_ticket_flow_recv);
Datum
kpi_ticket_flow_recv(PG_FUNCTION_ARGS)
{
	StringInfo	buf = (StringInfo) PG_GETARG_POINTER(0);
	int			version;
	int			kind;
	int			length;
	const char *tzname;
	int64		first = 0;
	int64		n;
	int64		lo;
	int64		hi;
	const KpiZone *zone;
	FlowEntryList list = {NULL, 0, 0};

	version = kpi_recv_versions(buf, FLOW_TYPE, FLOW_FORMAT_VERSION);
	kind = pq_getmsgbyte(buf);
	length = pq_getmsgbyte(buf);
	tzname = pq_getmsgstring(buf);
	if (version == 1)
	{
		first = pq_getmsgint64(buf);
		n = (int32) pq_getmsgint(buf, 4);
	}
	else
		n = (int32) pq_getmsgint(buf, 4);
	if (!flow_valid_bucket(kind, length) ||
		(version == 1 && kind != FLOW_HOURS && kind != FLOW_DAYS && kind != FLOW_WEEKS))
		kpi_invalid_summary(ERRCODE_INVALID_BINARY_REPRESENTATION, FLOW_TYPE, "The bucket kind is unknown.");
	if (n < 0 || n > (version == 1 ? FLOW_V1_MAX_BUCKETS : FLOW_MAX_ENTRIES) ||
		n * (version == 1 ? 16 : 24) > buf->len - buf->cursor ||
		strlen(tzname) == 0 || strlen(tzname) > TZ_STRLEN_MAX)
		kpi_invalid_summary(ERRCODE_INVALID_BINARY_REPRESENTATION, FLOW_TYPE,
							"The number of buckets or the time zone name is out of range.");
	/* the canonical spelling of the zone, as the aggregates and text input store it */
	zone = kpi_zone_find(tzname);
	if (zone == NULL)
		kpi_invalid_summary(ERRCODE_INVALID_BINARY_REPRESENTATION, FLOW_TYPE,
							KPI_ZONE_UNKNOWN_DETAIL);
	flow_bucket_range(kind, length, &lo, &hi);
	if (version == 1 && n > 0 && (first < lo || first > hi - n + 1))
		kpi_invalid_summary(ERRCODE_INVALID_BINARY_REPRESENTATION, FLOW_TYPE,
							"The buckets lie outside the timestamp range.");
	for (int64 i = 0; i < n; i++)
	{
		FlowEntry	e;

		e.bucket = version == 1 ? first + i : pq_getmsgint64(buf);
		e.opened = pq_getmsgint64(buf);
		e.closed = pq_getmsgint64(buf);
		if (e.bucket < lo || e.bucket > hi)
			kpi_invalid_summary(ERRCODE_INVALID_BINARY_REPRESENTATION, FLOW_TYPE,
								"The buckets lie outside the timestamp range.");
		if (list.n > 0 && e.bucket <= list.e[list.n - 1].bucket)
			kpi_invalid_summary(ERRCODE_INVALID_BINARY_REPRESENTATION, FLOW_TYPE,
								"The buckets are not in increasing order.");
		/* empty buckets are dropped: the value read is canonical */
		if (e.opened != 0 || e.closed != 0)
			flow_list_add(&list, &e);
	}
	pq_getmsgend(buf);
	PG_RETURN_POINTER(flow_from_list(kind, length, zone->name, &list, ERRCODE_INVALID_BINARY_REPRESENTATION));
}

PG_FUNCTION_INFO_V1(kpi_ticket_flow_send);
Datum
kpi_ticket_flow_send(PG_FUNCTION_ARGS)
{
	TicketFlow *f = PG_GETARG_TICKET_FLOW(0);
	StringInfoData buf;
	FlowView	v;
	FlowEntry	e;
	int32		k = 0;

	flow_view(f, &v);
	for (int32 i = 0; i < v.n; i++)
		k += flow_view_get(&v, i, &e);
	pq_begintypsend(&buf);
	pq_sendbyte(&buf, FLOW_FORMAT_VERSION);
	pq_sendbyte(&buf, f->kind);
	pq_sendbyte(&buf, f->length);
	pq_sendstring(&buf, pnstrdup(f->tzname, f->tzlen));
	pq_sendint32(&buf, k);
	for (int32 i = 0; i < v.n; i++)
		if (flow_view_get(&v, i, &e))
		{
			pq_sendint64(&buf, e.bucket);
			pq_sendint64(&buf, e.opened);
			pq_sendint64(&buf, e.closed);
		}
	PG_RETURN_BYTEA_P(pq_endtypsend(&buf));
}

/* --- aggregate support ------------------------------------------------------ */

/*
 * Add (sign = 1) or remove (sign = -1) one ticket.  Tickets with a NULL
 * opened timestamp are skipped; a NULL closed timestamp means still open.
 * Outside an aggregate the result is the canonical value (removing a ticket
 * the flow does not hold is an error there).
 */
static Datum
flow_step(FunctionCallInfo fcinfo, int tz_arg, int sign)
{
	const FlowSpec *spec = flow_args(fcinfo, 3, tz_arg);
	FlowArgCache *cache = (FlowArgCache *) fcinfo->flinfo->fn_extra;
	TimestampTz opened;
	TimestampTz closed = 0;
	bool		is_closed = !PG_ARGISNULL(2);
	int64		ob;
	int64		cb = 0;
	TicketFlow *f;
	bool		in_agg;

	if (PG_ARGISNULL(1))
		return flow_skip(fcinfo, spec);
	opened = PG_GETARG_TIMESTAMPTZ(1);
	flow_check_finite(opened, "opened");
	if (is_closed)
	{
		closed = PG_GETARG_TIMESTAMPTZ(2);
		flow_check_finite(closed, "closed");
		if (closed < opened)
		{
			/* timestamptz_to_str returns a static buffer */
			char	   *opened_str = pstrdup(timestamptz_to_str(opened));
			char	   *closed_str = pstrdup(timestamptz_to_str(closed));

			ereport(ERROR,
					(errcode(ERRCODE_NUMERIC_VALUE_OUT_OF_RANGE),
					 errmsg("ticket closed before it was opened"),
					 errdetail("Opened at %s, closed at %s.",
							   opened_str, closed_str),
					 errhint("Fix the timestamps, or filter such rows out with WHERE closed >= opened.")));
		}
	}
	ob = flow_bucket_of(spec, opened);
	if (is_closed)
	{
		cb = flow_bucket_of(spec, closed);
		/* a zone that moved its clocks back across midnight: stay monotonic */
		if (cb < ob)
			cb = ob;
	}

	/* the state this call returned last, under the same arguments: ours, trusted */
	if (!PG_ARGISNULL(0) && cache->last_state != NULL &&
		DatumGetPointer(PG_GETARG_DATUM(0)) == cache->last_state)
	{
		f = (TicketFlow *) cache->last_state;
		/* the common case, inline: a dense state that covers the buckets */
		if (likely(sign > 0 && f->form == FLOW_DENSE && ob >= f->first &&
				   (is_closed ? cb : ob) < f->first + f->n))
		{
			FlowCount  *c = FLOW_COUNTS(f);

			c[ob - f->first].opened = kpi_add_count(c[ob - f->first].opened, 1, FLOW_TYPE);
			if (is_closed)
				c[cb - f->first].closed = kpi_add_count(c[cb - f->first].closed, 1, FLOW_TYPE);
			PG_RETURN_POINTER(f);
		}
		in_agg = true;
	}
	else
		f = flow_state(fcinfo, 0, spec->kind, spec->length, spec->tzname,
					   strlen(spec->tzname), &in_agg);
	if (sign > 0)
		f = flow_add_ticket(f, ob, cb, is_closed, in_agg);
	else
		flow_remove_ticket(f, ob, cb, is_closed);
	if (!in_agg)
		PG_RETURN_POINTER(flow_canonical(f));
	cache->last_state = (Pointer) f;
	PG_RETURN_POINTER(f);
}

PG_FUNCTION_INFO_V1(kpi_flow_accum);
Datum
kpi_flow_accum(PG_FUNCTION_ARGS)
{
	return flow_step(fcinfo, -1, 1);
}

PG_FUNCTION_INFO_V1(kpi_flow_tz_accum);
Datum
kpi_flow_tz_accum(PG_FUNCTION_ARGS)
{
	return flow_step(fcinfo, 4, 1);
}

PG_FUNCTION_INFO_V1(kpi_flow_inv);
Datum
kpi_flow_inv(PG_FUNCTION_ARGS)
{
	return flow_step(fcinfo, -1, -1);
}

PG_FUNCTION_INFO_V1(kpi_flow_tz_inv);
Datum
kpi_flow_tz_inv(PG_FUNCTION_ARGS)
{
	return flow_step(fcinfo, 4, -1);
}

/*
 * Merge (sign = 1) or unmerge (sign = -1) a flow: rollup, combine, moving
 * rollup.  A flow without tickets merges with any other; outside an
 * aggregate the result is the canonical value.
 */
static Datum
flow_merge(FunctionCallInfo fcinfo, int sign)
{
	TicketFlow *f;
	TicketFlow *other;
	bool		in_agg;

	if (PG_ARGISNULL(1))
		return flow_skip(fcinfo, NULL);
	other = PG_GETARG_TICKET_FLOW(1);
	/* an empty flow merges with any state, and starts one of its own buckets */
	if (flow_has_tickets(other) || PG_ARGISNULL(0))
		f = flow_state(fcinfo, 0, other->kind, other->length, other->tzname, other->tzlen, &in_agg);
	else
		f = flow_state(fcinfo, 0, 0, 0, NULL, 0, &in_agg);
	f = flow_merge_into(f, other, sign, in_agg);
	if (!in_agg)
		PG_RETURN_POINTER(flow_canonical(f));
	PG_RETURN_POINTER(f);
}

PG_FUNCTION_INFO_V1(kpi_flow_combine);
Datum
kpi_flow_combine(PG_FUNCTION_ARGS)
{
	return flow_merge(fcinfo, 1);
}

PG_FUNCTION_INFO_V1(kpi_flow_uncombine);
Datum
kpi_flow_uncombine(PG_FUNCTION_ARGS)
{
	return flow_merge(fcinfo, -1);
}

/*
 * Final function: the canonical copy (never the state itself, which a window
 * frame may still use), or NULL when the flow holds no ticket.  It trusts
 * its own state inside an aggregate, and checks a value given to it outside.
 */
PG_FUNCTION_INFO_V1(kpi_flow_final);
Datum
kpi_flow_final(PG_FUNCTION_ARGS)
{
	TicketFlow *f;

	if (AggCheckCallContext(fcinfo, NULL))
		f = (TicketFlow *) PG_DETOAST_DATUM(PG_GETARG_DATUM(0));
	else
		f = PG_GETARG_TICKET_FLOW(0);
	if (!flow_has_tickets(f))
		PG_RETURN_NULL();
	PG_RETURN_POINTER(flow_canonical(f));
}

/* --- operators ------------------------------------------------------------ */

/*
 * ticket_flow + ticket_flow: the tickets of both, the value rollup() gives
 * over the two (NULL for no ticket at all); a NULL operand is a flow of no
 * tickets.  Flows of different buckets or zones do not add up (an error),
 * unless one holds no ticket.
 */
PG_FUNCTION_INFO_V1(kpi_flow_plus);
Datum
kpi_flow_plus(PG_FUNCTION_ARGS)
{
	TicketFlow *f;

	if (PG_ARGISNULL(0) && PG_ARGISNULL(1))
		PG_RETURN_NULL();
	if (PG_ARGISNULL(1))
		f = PG_GETARG_TICKET_FLOW(0);
	else
		f = (TicketFlow *) DatumGetPointer(flow_merge(fcinfo, 1));
	if (!flow_has_tickets(f))
		PG_RETURN_NULL();
	PG_RETURN_POINTER(flow_canonical(f));
}

/*
 * ticket_flow - ticket_flow: the tickets of a without those of b, so
 * (a + b) - b = a; NULL when no ticket is left.  b holding tickets a does
 * not, bucket by bucket, or leaving a backlog below zero (more closed than
 * opened by some bucket), is an error.
 */
PG_FUNCTION_INFO_V1(kpi_flow_minus);
Datum
kpi_flow_minus(PG_FUNCTION_ARGS)
{
	TicketFlow *f;

	if (PG_ARGISNULL(0) && PG_ARGISNULL(1))
		PG_RETURN_NULL();
	if (PG_ARGISNULL(1))
		f = PG_GETARG_TICKET_FLOW(0);
	else
		f = (TicketFlow *) DatumGetPointer(flow_merge(fcinfo, -1));
	if (!flow_has_tickets(f))
		PG_RETURN_NULL();
	/* the canonical form checks the running backlog on the way */
	PG_RETURN_POINTER(flow_canonical(f));
}

/* --- backlog_series ------------------------------------------------------- */

typedef struct BacklogState
{
	FlowView	view;
	FlowSpec	spec;
	bool		labels;			/* the date forms: a local label per bucket */
	int64		bucket;			/* the next bucket to return */
	int64		last;			/* the last bucket to return */
	int32		pos;			/* sparse: the first entry not counted yet */
	int64		backlog;		/* open at the end of the bucket before "bucket" */
} BacklogState;

/* how the bounds are given */
#define BOUNDS_INSTANTS 0
#define BOUNDS_DATES	1
#define BOUNDS_TEXT		2

static void
backlog_bounds_not_finite(void)
{
	ereport(ERROR,
			(errcode(ERRCODE_DATETIME_VALUE_OUT_OF_RANGE),
			 errmsg("backlog_series bounds must be finite"),
			 errdetail("The series has one row per bucket from \"from\" to \"to\"."),
			 errhint("Pass the first and last day of the report, such as current_date - 90 and current_date.")));
}

/*
 * A bound written as text: a date, read by date's input rules (DateStyle
 * decides the order of day and month in ambiguous forms).  A time of day
 * other than midnight, or a zone, is an error: text bounds are local dates,
 * and an instant is written as timestamptz.
 */
static DateADT
backlog_text_date(text *bound)
{
	char	   *s = text_to_cstring(bound);
	DateADT		date = DatumGetDateADT(DirectFunctionCall1(date_in, CStringGetDatum(s)));
	char		workbuf[MAXDATELEN + MAXDATEFIELDS];
	char	   *field[MAXDATEFIELDS];
	int			ftype[MAXDATEFIELDS];
	int			nf;
	int			dtype;
	struct pg_tm tt;
	fsec_t		fsec;
	bool		plain;

	/* date_in read it; decoding again without a zone fails when it has one */
	plain = ParseDateTime(s, workbuf, sizeof(workbuf), field, ftype, MAXDATEFIELDS, &nf) == 0 &&
		kpi_decode_datetime(field, ftype, nf, &dtype, &tt, &fsec, NULL) == 0 &&
		(dtype != DTK_DATE ||
		 (tt.tm_hour == 0 && tt.tm_min == 0 && tt.tm_sec == 0 && fsec == 0));
	if (!plain)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_DATETIME_FORMAT),
				 errmsg("backlog_series bound \"%s\" is not a date", kpi_excerpt(s, strlen(s))),
				 errdetail("Bounds written as text are local dates in the flow's time zone; this one has a time of day or a time zone."),
				 errhint("Write the date alone, such as '2026-03-01', or timestamptz '2026-03-01 10:00+01' for an instant.")));
	return date;
}

/*
 * The buckets holding the local days from .. to: days, weeks and months by
 * their days; elapsed buckets from the one holding the first instant of from
 * to the one holding the last instant before the day after to.  False when
 * there is none.
 */
static bool
backlog_day_buckets(const FlowSpec *spec, int64 from, int64 to, int64 *first, int64 *last)
{
	TimestampTz s;
	TimestampTz e;

	from = Max(from, FLOW_FIRST_DAY);
	to = Min(to, FLOW_LAST_DAY);
	if (from > to)
		return false;
	if (spec->width == 0)
	{
		*first = flow_bucket_of_day(spec->kind, from);
		*last = flow_bucket_of_day(spec->kind, to);
		return true;
	}
	if (!kpi_local_first_instant(spec->zone, flow_day_usecs(from), PG_INT64_MAX, &s))
		return false;
	if (!kpi_local_first_instant(spec->zone, flow_day_usecs(to + 1), PG_INT64_MAX, &e))
		e = END_TIMESTAMP;
	s = Max(s, MIN_TIMESTAMP);
	e = Min(e, END_TIMESTAMP);
	if (s >= e)
		return false;
	*first = kpi_floor_div(s, spec->width);
	*last = kpi_floor_div(e - 1, spec->width);
	return true;
}

static Datum
backlog_series(FunctionCallInfo fcinfo, int bounds)
{
	FuncCallContext *funcctx;
	BacklogState *st;

	if (SRF_IS_FIRSTCALL())
	{
		MemoryContext oldcxt;
		TupleDesc	tupdesc;
		TicketFlow *f;
		int64		lo;
		int64		hi;
		bool		any;
		FlowEntry	e;

		funcctx = SRF_FIRSTCALL_INIT();
		oldcxt = MemoryContextSwitchTo(funcctx->multi_call_memory_ctx);
		if (get_call_result_type(fcinfo, NULL, &tupdesc) != TYPEFUNC_COMPOSITE)
			ereport(ERROR,
					(errcode(ERRCODE_FEATURE_NOT_SUPPORTED),
					 errmsg("backlog_series must be called in a context that accepts a set of rows")));
		funcctx->tuple_desc = BlessTupleDesc(tupdesc);

		st = palloc0(sizeof(BacklogState));
		f = PG_GETARG_TICKET_FLOW(0);
		flow_spec_init(&st->spec, f->kind, f->length,
					   kpi_zone_lookup(pnstrdup(f->tzname, f->tzlen)));
		st->labels = bounds != BOUNDS_INSTANTS;
		flow_bucket_range(f->kind, f->length, &lo, &hi);
		if (bounds == BOUNDS_INSTANTS)
		{
			TimestampTz from = PG_GETARG_TIMESTAMPTZ(1);
			TimestampTz to = PG_GETARG_TIMESTAMPTZ(2);
			TimestampTz start;

			if (TIMESTAMP_NOT_FINITE(from) || TIMESTAMP_NOT_FINITE(to))
				backlog_bounds_not_finite();
			/* the buckets starting in [from, to] */
			st->bucket = flow_bucket_of(&st->spec, from);
			if (!flow_bucket_start(&st->spec, st->bucket, &start) || start < from)
				st->bucket++;
			st->last = flow_bucket_of(&st->spec, to);
			any = true;
		}
		else
		{
			DateADT		from;
			DateADT		to;

			if (bounds == BOUNDS_DATES)
			{
				from = PG_GETARG_DATEADT(1);
				to = PG_GETARG_DATEADT(2);
			}
			else
			{
				from = backlog_text_date(PG_GETARG_TEXT_PP(1));
				to = backlog_text_date(PG_GETARG_TEXT_PP(2));
			}
			if (DATE_NOT_FINITE(from) || DATE_NOT_FINITE(to))
				backlog_bounds_not_finite();
			any = backlog_day_buckets(&st->spec, from, to, &st->bucket, &st->last);
		}
		st->bucket = Max(st->bucket, lo);
		st->last = any ? Min(st->last, hi) : st->bucket - 1;

		/* the backlog carried into the first row: every bucket before it */
		flow_view(f, &st->view);
		for (st->pos = 0; st->pos < st->view.n; st->pos++)
		{
			(void) flow_view_get(&st->view, st->pos, &e);
			if (e.bucket >= st->bucket)
				break;
			st->backlog += e.opened - e.closed;
		}
		funcctx->user_fctx = st;
		MemoryContextSwitchTo(oldcxt);
	}

	funcctx = SRF_PERCALL_SETUP();
	st = (BacklogState *) funcctx->user_fctx;
	while (st->bucket <= st->last)
	{
		int64		b = st->bucket++;
		FlowEntry	e = {b, 0, 0};
		Datum		values[5];
		bool		nulls[5] = {false, false, false, false, false};
		int			col = 0;
		HeapTuple	tuple;
		TimestampTz start;

		/* the counts of bucket b, if any */
		while (st->pos < st->view.n)
		{
			FlowEntry	next;

			(void) flow_view_get(&st->view, st->pos, &next);
			if (next.bucket > b)
				break;
			if (next.bucket == b)
				e = next;
			st->pos++;
		}
		st->backlog += e.opened - e.closed;
		/* a day the zone skipped has no instant and no row */
		if (!flow_bucket_start(&st->spec, b, &start) || start >= END_TIMESTAMP)
			continue;
		/* the first bucket of the timestamp range starts with it */
		start = Max(start, MIN_TIMESTAMP);
		if (st->labels)
		{
			int64		label = flow_bucket_label(&st->spec, b, start);

			/* a local time past the timestamp range has no label */
			values[col] = TimestampGetDatum(label);
			nulls[col++] = !IS_VALID_TIMESTAMP(label);
		}
		values[col++] = TimestampTzGetDatum(start);
		values[col++] = Int64GetDatum(e.opened);
		values[col++] = Int64GetDatum(e.closed);
		values[col++] = Int64GetDatum(st->backlog);
		tuple = heap_form_tuple(funcctx->tuple_desc, values, nulls);
		SRF_RETURN_NEXT(funcctx, HeapTupleGetDatum(tuple));
	}
	SRF_RETURN_DONE(funcctx);
}

PG_FUNCTION_INFO_V1(kpi_backlog_series);
Datum
kpi_backlog_series(PG_FUNCTION_ARGS)
{
	return backlog_series(fcinfo, BOUNDS_INSTANTS);
}

PG_FUNCTION_INFO_V1(kpi_backlog_series_dates);
Datum
kpi_backlog_series_dates(PG_FUNCTION_ARGS)
{
	return backlog_series(fcinfo, BOUNDS_DATES);
}

PG_FUNCTION_INFO_V1(kpi_backlog_series_text);
Datum
kpi_backlog_series_text(PG_FUNCTION_ARGS)
{
	return backlog_series(fcinfo, BOUNDS_TEXT);
}
