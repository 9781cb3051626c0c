/*-------------------------------------------------------------------------
 *
 * flow.c
 *	  Ticket flow: per-bucket counts of opened and closed tickets, and the
 *	  backlog over time derived from them.
 *
 * A ticket_flow holds, for a run of consecutive time buckets, how many
 * tickets were opened and how many closed in each bucket.  The backlog at the
 * end of bucket b is then a running sum:
 *
 *	  backlog(b) = sum over buckets i <= b of (opened(i) - closed(i))
 *
 * so one pass over the tickets and memory proportional to the number of
 * buckets give the whole history, including tickets opened before the
 * reporting window.  A ticket never closes in an earlier bucket than it
 * opened, so every running sum is >= 0; stored values are checked for that.
 *
 * Buckets are numbered so that consecutive buckets have consecutive numbers:
 *	  hours	 N-hour slices of elapsed time counted from 2000-01-01 00:00 UTC
 *			 (N divides 24), every one exactly N hours long, DST or not;
 *	  days	 local calendar days in the flow's time zone, numbered from
 *			 2000-01-01 (a day is 23 or 25 hours long across a DST change);
 *	  weeks	 local weeks starting on Monday at local midnight, numbered from
 *			 Monday 2000-01-03.
 *
 * The local days and weeks, and the instants they start at, come from the
 * time module (kpi_time.h).
 *
 * The state is a varlena with the counts stored densely after a small
 * header and the time zone name.  Inside an aggregate it grows by doubling
 * its span and is updated in place; the final function trims empty buckets
 * at both ends, so stored values are compact.
 *
 *-------------------------------------------------------------------------
 */
#include "postgres.h"

#include <ctype.h>

#include "funcapi.h"
#include "libpq/pqformat.h"
#include "pgtime.h"
#include "utils/builtins.h"
#include "utils/lsyscache.h"
#include "utils/timestamp.h"

#include "kpi_ext.h"
#include "kpi_time.h"

#define FLOW_TYPE "ticket_flow"

/* bucket kinds, as stored */
#define FLOW_HOURS	1
#define FLOW_DAYS	2
#define FLOW_WEEKS	3

/*
 * The most buckets one value may span: 16 bytes each, so at most 16 MB.
 * Over 2700 years of days; with hour buckets, over 110 years.
 */
#define FLOW_MAX_BUCKETS	1000000

typedef struct FlowCount
{
	int64		opened;
	int64		closed;
} FlowCount;

typedef struct TicketFlow
{
	int32		vl_len_;		/* varlena header (do not touch directly!) */
	uint8		version;		/* KPI_FORMAT_VERSION */
	uint8		kind;			/* FLOW_HOURS, FLOW_DAYS or FLOW_WEEKS */
	uint8		hours;			/* bucket length in hours (FLOW_HOURS), else 0 */
	uint8		tzlen;			/* length of the time zone name, 1..255 */
	int32		nbuckets;		/* number of FlowCounts after the name */
	int64		first;			/* number of the first bucket */
	char		tzname[FLEXIBLE_ARRAY_MEMBER];	/* tzlen bytes, NUL, zero padding
												 * to a multiple of 8 */
	/* FlowCount counts[nbuckets] follow */
} TicketFlow;

#define FLOW_HEADER_SIZE	offsetof(TicketFlow, tzname)
#define FLOW_NAME_SPACE(tzlen)	TYPEALIGN(8, (tzlen) + 1)
#define FLOW_SIZE(tzlen, n) \
	(FLOW_HEADER_SIZE + FLOW_NAME_SPACE(tzlen) + (Size) (n) * sizeof(FlowCount))
#define FLOW_COUNTS(f) \
	((FlowCount *) ((char *) (f) + FLOW_HEADER_SIZE + FLOW_NAME_SPACE((f)->tzlen)))

/* a bucket definition resolved for computing: what a flow is bucketed by */
typedef struct FlowSpec
{
	int			kind;
	int			hours;
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

/* --- buckets and time zones --------------------------------------------- */

static void
flow_bad_bucket(const Interval *bucket)
{
	ereport(ERROR,
			(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
			 errmsg("ticket_flow bucket \"%s\" is not supported",
					DatumGetCString(DirectFunctionCall1(interval_out, IntervalPGetDatum(bucket)))),
			 errdetail("A bucket is 1 week, 1 day, or a whole number of hours that divides 24."),
			 errhint("Use interval '1 day' for daily buckets, '1 week' for weekly ones or '1 hour' for hourly ones.")));
}

static void
flow_parse_bucket(const Interval *bucket, int *kind, int *hours)
{
	if (bucket->month == 0 && bucket->time == 0 && bucket->day == 1)
	{
		*kind = FLOW_DAYS;
		*hours = 0;
	}
	else if (bucket->month == 0 && bucket->time == 0 && bucket->day == 7)
	{
		*kind = FLOW_WEEKS;
		*hours = 0;
	}
	else if (bucket->month == 0 && bucket->day == 0 && bucket->time > 0 &&
			 bucket->time % USECS_PER_HOUR == 0 &&
			 bucket->time <= 24 * USECS_PER_HOUR &&
			 24 % (bucket->time / USECS_PER_HOUR) == 0)
	{
		*kind = FLOW_HOURS;
		*hours = (int) (bucket->time / USECS_PER_HOUR);
	}
	else
		flow_bad_bucket(bucket);
}

static void
flow_spec_init(FlowSpec *spec, int kind, int hours, const KpiZone *zone)
{
	spec->kind = kind;
	spec->hours = hours;
	spec->zone = zone;
	spec->fixed = zone->fixed;
	spec->fixed_offset = zone->fixed_offset;
	spec->tzname = zone->name;
	spec->days = NULL;
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
	int64		days;

	if (spec->kind == FLOW_HOURS)
		return kpi_floor_div(t, spec->hours * USECS_PER_HOUR);
	days = kpi_local_day(t + kpi_zone_offset_cached(spec->zone, spec->days, t));
	if (spec->kind == FLOW_DAYS)
		return days;
	return kpi_week_of_day(days);
}

/* the number of the bucket holding the instant t */
static inline int64
flow_bucket_of(const FlowSpec *spec, TimestampTz t)
{
	/* local days of a zone with one offset (UTC), the usual case, inline */
	if (spec->kind == FLOW_DAYS && spec->fixed)
		return kpi_local_day(t + spec->fixed_offset);
	return flow_bucket_of_zone(spec, t);
}

/*
 * The instant bucket number b starts: its first instant, local midnight for
 * days and weeks.  Where midnight happens twice (clocks going back at
 * midnight, as in Cuba), that is the first one; where it does not happen
 * (clocks going forward at midnight), the first instant of the day.  Returns
 * false for a day a zone skipped altogether (Samoa, 2011-12-30): no instant
 * belongs to it.
 */
static bool
flow_bucket_start(const FlowSpec *spec, int64 b, TimestampTz *start)
{
	int64		days;

	if (spec->kind == FLOW_HOURS)
	{
		*start = b * spec->hours * USECS_PER_HOUR;
		return true;
	}
	days = spec->kind == FLOW_DAYS ? b : b * 7 + KPI_MONDAY_DAY;
	return kpi_local_first_instant(spec->zone, days * USECS_PER_DAY,
								   (days + (spec->kind == FLOW_DAYS ? 1 : 7)) * USECS_PER_DAY,
								   start);
}

/*
 * The bucket range of timestamps PostgreSQL accepts (4714 BC to 294276 AD),
 * widened by a day on each side for local dates: bucket numbers within it
 * cannot overflow the arithmetic above.
 */
static void
flow_bucket_range(const FlowSpec *spec, int64 *lo, int64 *hi)
{
	int64		min_days = DATETIME_MIN_JULIAN - POSTGRES_EPOCH_JDATE - 1;
	int64		max_days = TIMESTAMP_END_JULIAN - POSTGRES_EPOCH_JDATE + 1;

	if (spec->kind == FLOW_HOURS)
	{
		*lo = kpi_floor_div(MIN_TIMESTAMP, spec->hours * USECS_PER_HOUR);
		*hi = kpi_floor_div(END_TIMESTAMP - 1, spec->hours * USECS_PER_HOUR);
	}
	else if (spec->kind == FLOW_DAYS)
	{
		*lo = min_days;
		*hi = max_days - 1;
	}
	else
	{
		*lo = kpi_week_of_day(min_days);
		*hi = kpi_week_of_day(max_days - 1);
	}
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
	int			hours;
	const KpiZone *zone;

	if (PG_ARGISNULL(bucket_arg))
		ereport(ERROR,
				(errcode(ERRCODE_NULL_VALUE_NOT_ALLOWED),
				 errmsg("ticket_flow bucket must not be null"),
				 errhint("Pass interval '1 day', '1 week' or '1 hour'.")));
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

	flow_parse_bucket(bucket, &kind, &hours);
	if (tzt != NULL)
		zone = kpi_zone_lookup(text_to_cstring(tzt));
	else
		zone = kpi_zone_lookup("UTC");
	if (cache == NULL)
	{
		cache = MemoryContextAllocZero(fcinfo->flinfo->fn_mcxt, sizeof(FlowArgCache));
		fcinfo->flinfo->fn_extra = cache;
	}
	cache->bucket = *bucket;
	cache->last_state = NULL;
	cache->argtzlen = tzlen;
	memcpy(cache->argtz, tzstr, tzlen);
	cache->argtz[tzlen] = '\0';
	flow_spec_init(&cache->spec, kind, hours, zone);
	strlcpy(cache->tzname, cache->spec.tzname, sizeof(cache->tzname));
	cache->spec.tzname = cache->tzname;
	if (kind != FLOW_HOURS && !cache->spec.fixed)
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

static TicketFlow *
flow_alloc(MemoryContext cxt, int kind, int hours, const char *tzname, int64 first, int32 n)
{
	int			tzlen = strlen(tzname);
	Size		size = FLOW_SIZE(tzlen, n);
	TicketFlow *f = MemoryContextAllocZero(cxt, size);

	SET_VARSIZE(f, size);
	f->version = KPI_FORMAT_VERSION;
	f->kind = kind;
	f->hours = hours;
	f->tzlen = tzlen;
	f->nbuckets = n;
	f->first = first;
	memcpy(f->tzname, tzname, tzlen);
	return f;
}

/*
 * Validate a value before it is trusted; checks the running sums too.
 * sqlerrcode says where it came from (see kpi_invalid_summary).
 */
static TicketFlow *
flow_check(TicketFlow *f, int sqlerrcode)
{
	Size		size = VARSIZE(f);
	FlowCount  *c;
	int64		opened = 0;
	int64		closed = 0;
	FlowSpec	spec;
	int64		lo;
	int64		hi;
	const KpiZone *zone;

	if (size < FLOW_HEADER_SIZE + 8)
		kpi_invalid_summary(sqlerrcode, FLOW_TYPE, "The value is too short.");
	if (f->version != KPI_FORMAT_VERSION)
		kpi_invalid_summary(sqlerrcode, FLOW_TYPE, "The value has an unknown format version.");
	if (f->kind == FLOW_HOURS
		? (f->hours == 0 || f->hours > 24 || 24 % f->hours != 0)
		: ((f->kind != FLOW_DAYS && f->kind != FLOW_WEEKS) || f->hours != 0))
		kpi_invalid_summary(sqlerrcode, FLOW_TYPE, "The bucket kind is unknown.");
	if (f->tzlen == 0 || f->nbuckets < 0 || f->nbuckets > FLOW_MAX_BUCKETS ||
		size != FLOW_SIZE(f->tzlen, f->nbuckets))
		kpi_invalid_summary(sqlerrcode, FLOW_TYPE, "The value has an unexpected size.");
	for (Size i = 0; i < FLOW_NAME_SPACE(f->tzlen); i++)
	{
		char		ch = f->tzname[i];

		if (i < f->tzlen ? (ch == '\0' || ch == ';' || isspace((unsigned char) ch)) : ch != '\0')
			kpi_invalid_summary(sqlerrcode, FLOW_TYPE, "The time zone name is malformed.");
	}
	zone = kpi_zone_find(f->tzname);
	if (zone == NULL)
		kpi_invalid_summary(sqlerrcode, FLOW_TYPE, KPI_ZONE_UNKNOWN_DETAIL);
	flow_spec_init(&spec, f->kind, f->hours, zone);
	flow_bucket_range(&spec, &lo, &hi);
	if (f->first < lo || f->first > hi - f->nbuckets + 1)
		kpi_invalid_summary(sqlerrcode, FLOW_TYPE, "The buckets lie outside the timestamp range.");
	c = FLOW_COUNTS(f);
	for (int32 i = 0; i < f->nbuckets; i++)
	{
		if (c[i].opened < 0 || c[i].closed < 0)
			kpi_invalid_summary(sqlerrcode, FLOW_TYPE, "A count is negative.");
		opened = kpi_add_count(opened, c[i].opened, FLOW_TYPE);
		closed = kpi_add_count(closed, c[i].closed, FLOW_TYPE);
		if (closed > opened)
			kpi_invalid_summary(sqlerrcode, FLOW_TYPE, "More tickets are closed than were opened by a bucket.");
	}
	return f;
}

#define PG_GETARG_TICKET_FLOW(n) \
	flow_check((TicketFlow *) PG_DETOAST_DATUM(PG_GETARG_DATUM(n)), ERRCODE_DATA_CORRUPTED)

static bool
flow_same_spec(const TicketFlow *f, int kind, int hours, const char *tzname)
{
	return f->kind == kind && f->hours == hours &&
		f->tzlen == strlen(tzname) && memcmp(f->tzname, tzname, f->tzlen) == 0;
}

static const char *
flow_bucket_name(int kind, int hours)
{
	if (kind == FLOW_DAYS)
		return "1d";
	if (kind == FLOW_WEEKS)
		return "1w";
	return psprintf("%dh", hours);
}

static void
flow_mismatch(const TicketFlow *f, int kind, int hours, const char *tzname)
{
	ereport(ERROR,
			(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
			 errmsg("ticket_flow buckets do not match"),
			 errdetail("One value has %s buckets in %.*s, the other %s buckets in %s.",
					   flow_bucket_name(f->kind, f->hours), f->tzlen, f->tzname,
					   flow_bucket_name(kind, hours), tzname),
			 errhint("Use the same bucket and time zone for every ticket of one flow.")));
}

/* the first and last non-empty bucket; false when there is none */
static bool
flow_used_range(const TicketFlow *f, int32 *from, int32 *to)
{
	const FlowCount *c = FLOW_COUNTS(f);
	int32		lo = 0;
	int32		hi = f->nbuckets - 1;

	while (lo <= hi && c[lo].opened == 0 && c[lo].closed == 0)
		lo++;
	while (hi >= lo && c[hi].opened == 0 && c[hi].closed == 0)
		hi--;
	*from = lo;
	*to = hi;
	return lo <= hi;
}

/*
 * A copy of f whose buckets cover [first, first + n), in context cxt; the
 * range must cover f's non-empty buckets.
 */
static TicketFlow *
flow_resize(MemoryContext cxt, const TicketFlow *f, int64 first, int64 n)
{
	TicketFlow *r;
	int32		lo;
	int32		hi;

	if (n > FLOW_MAX_BUCKETS)
		ereport(ERROR,
				(errcode(ERRCODE_PROGRAM_LIMIT_EXCEEDED),
				 errmsg("ticket_flow would span more than %d buckets", FLOW_MAX_BUCKETS),
				 errdetail("The tickets range from bucket " INT64_FORMAT " to bucket " INT64_FORMAT ".",
						   first, first + n - 1),
				 errhint("Use a longer bucket, or filter out tickets with implausible timestamps.")));
	r = flow_alloc(cxt, f->kind, f->hours, f->tzname, first, (int32) n);
	if (flow_used_range(f, &lo, &hi))
	{
		Assert(f->first + lo >= first && f->first + hi < first + n);
		memcpy(FLOW_COUNTS(r) + (f->first + lo - first), FLOW_COUNTS(f) + lo,
			   (hi - lo + 1) * sizeof(FlowCount));
	}
	return r;
}

/*
 * The canonical copy of f: no empty bucket at either end, and an empty flow
 * starting at bucket 0.  What final functions, operators and input return.
 */
static TicketFlow *
flow_trimmed(const TicketFlow *f)
{
	int32		lo;
	int32		hi;

	if (!flow_used_range(f, &lo, &hi))
		return flow_alloc(CurrentMemoryContext, f->kind, f->hours, f->tzname, 0, 0);
	return flow_resize(CurrentMemoryContext, f, f->first + lo, hi - lo + 1);
}

/*
 * Make sure f covers buckets lo..hi, growing it when needed.  Inside an
 * aggregate the span at least doubles towards the side that grows, so that
 * adding tickets in time order costs amortized O(1).
 */
static TicketFlow *
flow_cover(TicketFlow *f, int64 lo, int64 hi, bool slack)
{
	int64		first = f->first;
	int64		last = f->first + f->nbuckets - 1;
	int64		n = f->nbuckets;

	if (f->nbuckets > 0 && lo >= first && hi <= last)
		return f;
	if (f->nbuckets == 0)
	{
		first = lo;
		last = hi;
	}
	else
	{
		if (lo < first)
			first = slack ? Min(lo, first - n) : lo;
		if (hi > last)
			last = slack ? Max(hi, last + n) : hi;
	}
	if (slack && last - first + 1 > FLOW_MAX_BUCKETS)
	{
		/* the slack alone must not exceed the limit */
		first = Max(first, Min(lo, f->nbuckets > 0 ? f->first : lo));
		last = Min(last, Max(hi, f->nbuckets > 0 ? f->first + f->nbuckets - 1 : hi));
	}
	return flow_resize(CurrentMemoryContext, f, first, last - first + 1);
}

/* the state argument, writable: a new one, itself inside an aggregate, or a copy */
static TicketFlow *
flow_state(FunctionCallInfo fcinfo, int argno, const FlowSpec *spec, bool *in_agg)
{
	TicketFlow *f;

	*in_agg = AggCheckCallContext(fcinfo, NULL) != 0;
	if (PG_ARGISNULL(argno))
		return flow_alloc(CurrentMemoryContext, spec->kind, spec->hours, spec->tzname, 0, 0);
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
	if (f->kind == 0 && f->nbuckets == 0)
		return flow_alloc(CurrentMemoryContext, spec->kind, spec->hours, spec->tzname, 0, 0);
	if (!flow_same_spec(f, spec->kind, spec->hours, spec->tzname))
		flow_mismatch(f, spec->kind, spec->hours, spec->tzname);
	return f;
}

/*
 * The result of skipping a NULL input: the state unchanged.  Before any input
 * it stays NULL, except in a window, where a moving-aggregate state must not
 * be NULL: there it starts empty, with no bucket kind yet when the bucket is
 * not known (rollup), which flow_state then fills in.
 */
static Datum
flow_skip(FunctionCallInfo fcinfo, const FlowSpec *spec)
{
	if (!PG_ARGISNULL(0))
		PG_RETURN_DATUM(PG_GETARG_DATUM(0));
	if (AggCheckCallContext(fcinfo, NULL) != AGG_CONTEXT_WINDOW)
		PG_RETURN_NULL();
	if (spec != NULL)
		PG_RETURN_POINTER(flow_alloc(CurrentMemoryContext, spec->kind, spec->hours, spec->tzname, 0, 0));
	PG_RETURN_POINTER(flow_alloc(CurrentMemoryContext, 0, 0, "UTC", 0, 0));
}

/* --- I/O ------------------------------------------------------------------ */

/*
 * Text form: v1:<bucket>;<time zone>;<first bucket number>;<counts>, where
 * bucket is 1d, 1w or <N>h, and counts lists each bucket as opened/closed,
 * with ~k standing for k empty buckets: v1:1d;Europe/Berlin;9497;3/0,~2,1/4
 */
PG_FUNCTION_INFO_V1(kpi_ticket_flow_in);
Datum
kpi_ticket_flow_in(PG_FUNCTION_ARGS)
{
	char	   *str = PG_GETARG_CSTRING(0);
	KpiParser	ps;
	int			kind;
	int			hours = 0;
	char		tzname[TZ_STRLEN_MAX + 1];
	int			tzlen = 0;
	bool		negative;
	int64		first;
	StringInfoData counts;
	int64		n = 0;
	TicketFlow *f;

	kpi_parse_begin(&ps, FLOW_TYPE, str);
	if (kpi_parse_accept(&ps, "1d"))
		kind = FLOW_DAYS;
	else if (kpi_parse_accept(&ps, "1w"))
		kind = FLOW_WEEKS;
	else
	{
		int64		h = kpi_parse_count(&ps, "bucket hours");

		kpi_parse_expect(&ps, "h");
		if (h < 1 || h > 24 || 24 % h != 0)
			kpi_parse_error(&ps, "The bucket is 1d, 1w, or a number of hours that divides 24, such as 1h.");
		kind = FLOW_HOURS;
		hours = (int) h;
	}
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

	/* the counts go to a buffer first: their number is not known yet */
	initStringInfo(&counts);
	while (isspace((unsigned char) *ps.p))
		ps.p++;
	while (*ps.p != '\0')
	{
		if (n > 0)
			kpi_parse_expect(&ps, ",");
		if (kpi_parse_accept(&ps, "~"))
		{
			int64		k = kpi_parse_count(&ps, "empty buckets");
			FlowCount	zero = {0, 0};

			if (k < 1 || k > FLOW_MAX_BUCKETS - n)
				kpi_parse_error(&ps, "A run of empty buckets is out of range.");
			for (int64 i = 0; i < k; i++)
				appendBinaryStringInfo(&counts, (char *) &zero, sizeof(zero));
			n += k;
		}
		else
		{
			FlowCount	c;

			c.opened = kpi_parse_count(&ps, "opened");
			kpi_parse_expect(&ps, "/");
			c.closed = kpi_parse_count(&ps, "closed");
			if (n >= FLOW_MAX_BUCKETS)
				kpi_parse_error(&ps, "There are too many buckets.");
			appendBinaryStringInfo(&counts, (char *) &c, sizeof(c));
			n++;
		}
		while (isspace((unsigned char) *ps.p))
			ps.p++;
	}
	kpi_parse_end(&ps);

	f = flow_alloc(CurrentMemoryContext, kind, hours, tzname, first, (int32) n);
	memcpy(FLOW_COUNTS(f), counts.data, n * sizeof(FlowCount));
	/* store the canonical zone name, so that spellings compare equal */
	flow_check(f, ERRCODE_INVALID_TEXT_REPRESENTATION);
	if (strcmp(kpi_zone_lookup(tzname)->name, tzname) != 0)
	{
		TicketFlow *g = flow_alloc(CurrentMemoryContext, kind, hours,
								   kpi_zone_lookup(tzname)->name, first, (int32) n);

		memcpy(FLOW_COUNTS(g), FLOW_COUNTS(f), n * sizeof(FlowCount));
		f = flow_check(g, ERRCODE_INVALID_TEXT_REPRESENTATION);
	}
	/* and without empty buckets at the ends, as the aggregates store it */
	PG_RETURN_POINTER(flow_trimmed(f));
}

PG_FUNCTION_INFO_V1(kpi_ticket_flow_out);
Datum
kpi_ticket_flow_out(PG_FUNCTION_ARGS)
{
	TicketFlow *f = PG_GETARG_TICKET_FLOW(0);
	FlowCount  *c = FLOW_COUNTS(f);
	StringInfoData buf;
	int32		lo;
	int32		hi;
	bool		any;

	initStringInfo(&buf);
	any = flow_used_range(f, &lo, &hi);
	appendStringInfo(&buf, "v%d:%s;%.*s;" INT64_FORMAT ";", KPI_FORMAT_VERSION,
					 flow_bucket_name(f->kind, f->hours), f->tzlen, f->tzname,
					 any ? f->first + lo : f->first);
	for (int32 i = lo; any && i <= hi; i++)
	{
		if (i > lo)
			appendStringInfoChar(&buf, ',');
		if (c[i].opened == 0 && c[i].closed == 0)
		{
			int32		k = 1;

			while (c[i + k].opened == 0 && c[i + k].closed == 0)
				k++;
			appendStringInfo(&buf, "~%d", k);
			i += k - 1;
		}
		else
			appendStringInfo(&buf, INT64_FORMAT "/" INT64_FORMAT, c[i].opened, c[i].closed);
	}
	PG_RETURN_CSTRING(buf.data);
}

PG_FUNCTION_INFO_V1(kpi_ticket_flow_recv);
Datum
kpi_ticket_flow_recv(PG_FUNCTION_ARGS)
{
	StringInfo	buf = (StringInfo) PG_GETARG_POINTER(0);
	int			kind;
	int			hours;
	const char *tzname;
	int64		first;
	int32		n;
	TicketFlow *f;
	FlowCount  *c;
	const KpiZone *zone;

	kpi_recv_version(buf, FLOW_TYPE);
	kind = pq_getmsgbyte(buf);
	hours = pq_getmsgbyte(buf);
	tzname = pq_getmsgstring(buf);
	first = pq_getmsgint64(buf);
	n = pq_getmsgint(buf, 4);
	if (n < 0 || n > FLOW_MAX_BUCKETS || (Size) n * 16 > (Size) (buf->len - buf->cursor) ||
		strlen(tzname) == 0 || strlen(tzname) > TZ_STRLEN_MAX)
		kpi_invalid_summary(ERRCODE_INVALID_BINARY_REPRESENTATION, FLOW_TYPE,
							"The number of buckets or the time zone name is out of range.");
	/* the canonical spelling of the zone, as the aggregates and text input store it */
	zone = kpi_zone_find(tzname);
	if (zone == NULL)
		kpi_invalid_summary(ERRCODE_INVALID_BINARY_REPRESENTATION, FLOW_TYPE,
							KPI_ZONE_UNKNOWN_DETAIL);
	f = flow_alloc(CurrentMemoryContext, kind, hours, zone->name, first, n);
	c = FLOW_COUNTS(f);
	for (int32 i = 0; i < n; i++)
	{
		c[i].opened = pq_getmsgint64(buf);
		c[i].closed = pq_getmsgint64(buf);
	}
	pq_getmsgend(buf);
	/* trimmed, as send writes it */
	PG_RETURN_POINTER(flow_trimmed(flow_check(f, ERRCODE_INVALID_BINARY_REPRESENTATION)));
}

PG_FUNCTION_INFO_V1(kpi_ticket_flow_send);
Datum
kpi_ticket_flow_send(PG_FUNCTION_ARGS)
{
	TicketFlow *f = PG_GETARG_TICKET_FLOW(0);
	FlowCount  *c = FLOW_COUNTS(f);
	StringInfoData buf;
	int32		lo;
	int32		hi;

	if (!flow_used_range(f, &lo, &hi))
	{
		lo = 0;
		hi = -1;
	}
	pq_begintypsend(&buf);
	pq_sendbyte(&buf, KPI_FORMAT_VERSION);
	pq_sendbyte(&buf, f->kind);
	pq_sendbyte(&buf, f->hours);
	pq_sendstring(&buf, pnstrdup(f->tzname, f->tzlen));
	pq_sendint64(&buf, hi >= lo ? f->first + lo : f->first);
	pq_sendint32(&buf, hi - lo + 1);
	for (int32 i = lo; i <= hi; i++)
	{
		pq_sendint64(&buf, c[i].opened);
		pq_sendint64(&buf, c[i].closed);
	}
	PG_RETURN_BYTEA_P(pq_endtypsend(&buf));
}

/* --- aggregate support ------------------------------------------------------ */

/*
 * Add (sign = 1) or remove (sign = -1) one ticket.  Tickets with a NULL
 * opened timestamp are skipped; a NULL closed timestamp means still open.
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
	FlowCount  *c;
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
					(errcode(ERRCODE_DATA_EXCEPTION),
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

	/* the state this call returned last, under the same arguments: ours, checked */
	if (!PG_ARGISNULL(0) && cache->last_state != NULL &&
		DatumGetPointer(PG_GETARG_DATUM(0)) == cache->last_state)
	{
		f = (TicketFlow *) cache->last_state;
		in_agg = true;
	}
	else
		f = flow_state(fcinfo, 0, spec, &in_agg);
	if (sign > 0)
		f = flow_cover(f, ob, is_closed ? cb : ob, in_agg);
	else if (f->nbuckets == 0 || ob < f->first || (is_closed ? cb : ob) >= f->first + f->nbuckets)
		elog(ERROR, "ticket_flow inverse transition for a ticket not in the state");
	c = FLOW_COUNTS(f);
	if (sign > 0)
	{
		c[ob - f->first].opened = kpi_add_count(c[ob - f->first].opened, 1, FLOW_TYPE);
		if (is_closed)
			c[cb - f->first].closed = kpi_add_count(c[cb - f->first].closed, 1, FLOW_TYPE);
	}
	else
	{
		c[ob - f->first].opened = kpi_sub_count(c[ob - f->first].opened, 1, FLOW_TYPE);
		if (is_closed)
			c[cb - f->first].closed = kpi_sub_count(c[cb - f->first].closed, 1, FLOW_TYPE);
	}
	cache->last_state = in_agg ? (Pointer) f : NULL;
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

/* merge (sign = 1) or unmerge (sign = -1) a flow: rollup, combine, moving rollup */
static Datum
flow_merge(FunctionCallInfo fcinfo, int sign)
{
	TicketFlow *f;
	TicketFlow *other;
	FlowSpec	spec;
	FlowCount  *c;
	FlowCount  *oc;
	int32		lo;
	int32		hi;
	bool		in_agg;

	if (PG_ARGISNULL(1))
		return flow_skip(fcinfo, NULL);
	other = PG_GETARG_TICKET_FLOW(1);
	spec.kind = other->kind;
	spec.hours = other->hours;
	spec.tzname = pnstrdup(other->tzname, other->tzlen);
	f = flow_state(fcinfo, 0, &spec, &in_agg);
	if (!flow_used_range(other, &lo, &hi))
		PG_RETURN_POINTER(f);
	if (sign > 0)
		f = flow_cover(f, other->first + lo, other->first + hi, in_agg);
	else if (f->nbuckets == 0 || other->first + lo < f->first ||
			 other->first + hi >= f->first + f->nbuckets)
		kpi_negative_count(FLOW_TYPE);	/* b has tickets in buckets that a has not */
	c = FLOW_COUNTS(f);
	oc = FLOW_COUNTS(other);
	for (int32 i = lo; i <= hi; i++)
	{
		FlowCount  *t = &c[other->first + i - f->first];

		if (sign > 0)
		{
			t->opened = kpi_add_count(t->opened, oc[i].opened, FLOW_TYPE);
			t->closed = kpi_add_count(t->closed, oc[i].closed, FLOW_TYPE);
		}
		else
		{
			t->opened = kpi_sub_count(t->opened, oc[i].opened, FLOW_TYPE);
			t->closed = kpi_sub_count(t->closed, oc[i].closed, FLOW_TYPE);
		}
	}
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
 * Final function: a trimmed copy (never the state itself, which a window
 * frame may still use), or NULL when the flow holds no ticket.
 */
PG_FUNCTION_INFO_V1(kpi_flow_final);
Datum
kpi_flow_final(PG_FUNCTION_ARGS)
{
	TicketFlow *f = (TicketFlow *) PG_DETOAST_DATUM(PG_GETARG_DATUM(0));
	int32		lo;
	int32		hi;

	if (!flow_used_range(f, &lo, &hi))
		PG_RETURN_NULL();
	PG_RETURN_POINTER(flow_trimmed(f));
}

/* --- operators ------------------------------------------------------------ */

/*
 * ticket_flow + ticket_flow: the tickets of both, the value rollup() gives
 * over the two (NULL for no ticket at all); a NULL operand is a flow of no
 * tickets.  Flows of different buckets or zones do not add up (an error).
 */
PG_FUNCTION_INFO_V1(kpi_flow_plus);
Datum
kpi_flow_plus(PG_FUNCTION_ARGS)
{
	TicketFlow *f;
	int32		lo;
	int32		hi;

	if (PG_ARGISNULL(0) && PG_ARGISNULL(1))
		PG_RETURN_NULL();
	if (PG_ARGISNULL(1))
		f = PG_GETARG_TICKET_FLOW(0);
	else
		f = (TicketFlow *) DatumGetPointer(flow_merge(fcinfo, 1));
	if (!flow_used_range(f, &lo, &hi))
		PG_RETURN_NULL();
	PG_RETURN_POINTER(flow_trimmed(f));
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
	FlowCount  *c;
	int64		backlog = 0;
	int32		lo;
	int32		hi;

	if (PG_ARGISNULL(0) && PG_ARGISNULL(1))
		PG_RETURN_NULL();
	if (PG_ARGISNULL(1))
		f = PG_GETARG_TICKET_FLOW(0);
	else
		f = (TicketFlow *) DatumGetPointer(flow_merge(fcinfo, -1));
	c = FLOW_COUNTS(f);
	for (int32 i = 0; i < f->nbuckets; i++)
	{
		backlog += c[i].opened - c[i].closed;	/* counts are checked: no overflow */
		if (backlog < 0)
			kpi_negative_count(FLOW_TYPE);
	}
	if (!flow_used_range(f, &lo, &hi))
		PG_RETURN_NULL();
	PG_RETURN_POINTER(flow_trimmed(f));
}

/* --- backlog_series ------------------------------------------------------- */

typedef struct BacklogState
{
	TicketFlow *flow;
	FlowSpec	spec;
	int64		bucket;			/* the next bucket to return */
	int64		last;			/* the last bucket to return */
	int64		backlog;		/* open at the end of the bucket before "bucket" */
} BacklogState;

PG_FUNCTION_INFO_V1(kpi_backlog_series);
Datum
kpi_backlog_series(PG_FUNCTION_ARGS)
{
	FuncCallContext *funcctx;
	BacklogState *st;

	if (SRF_IS_FIRSTCALL())
	{
		MemoryContext oldcxt;
		TimestampTz from = PG_GETARG_TIMESTAMPTZ(1);
		TimestampTz to = PG_GETARG_TIMESTAMPTZ(2);
		TupleDesc	tupdesc;
		FlowCount  *c;
		int64		lo;
		int64		hi;
		TimestampTz start;

		funcctx = SRF_FIRSTCALL_INIT();
		oldcxt = MemoryContextSwitchTo(funcctx->multi_call_memory_ctx);
		if (TIMESTAMP_NOT_FINITE(from) || TIMESTAMP_NOT_FINITE(to))
			ereport(ERROR,
					(errcode(ERRCODE_DATETIME_VALUE_OUT_OF_RANGE),
					 errmsg("backlog_series bounds must be finite"),
					 errdetail("The series has one row per bucket from \"from\" to \"to\"."),
					 errhint("Pass the first and last instant of the report, such as now() - interval '90 days' and now().")));
		if (get_call_result_type(fcinfo, NULL, &tupdesc) != TYPEFUNC_COMPOSITE)
			elog(ERROR, "return type must be a row type");
		funcctx->tuple_desc = BlessTupleDesc(tupdesc);

		st = palloc0(sizeof(BacklogState));
		st->flow = PG_GETARG_TICKET_FLOW(0);
		flow_spec_init(&st->spec, st->flow->kind, st->flow->hours,
					   kpi_zone_lookup(pnstrdup(st->flow->tzname, st->flow->tzlen)));
		flow_bucket_range(&st->spec, &lo, &hi);
		/* the bucket holding an instant starts at or before it */
		st->bucket = flow_bucket_of(&st->spec, from);
		if (!flow_bucket_start(&st->spec, st->bucket, &start) || start < from)
			st->bucket++;
		st->last = Min(flow_bucket_of(&st->spec, to), hi);

		/* the backlog carried into the first row: every bucket before it */
		c = FLOW_COUNTS(st->flow);
		for (int64 b = st->flow->first; b < st->bucket && b < st->flow->first + st->flow->nbuckets; b++)
			st->backlog += c[b - st->flow->first].opened - c[b - st->flow->first].closed;
		funcctx->user_fctx = st;
		MemoryContextSwitchTo(oldcxt);
	}

	funcctx = SRF_PERCALL_SETUP();
	st = (BacklogState *) funcctx->user_fctx;
	while (st->bucket <= st->last)
	{
		TicketFlow *f = st->flow;
		int64		opened = 0;
		int64		closed = 0;
		Datum		values[4];
		bool		nulls[4] = {false, false, false, false};
		HeapTuple	tuple;
		TimestampTz start;

		/* a day the zone skipped has no instant, no ticket and no row */
		if (!flow_bucket_start(&st->spec, st->bucket, &start))
		{
			st->bucket++;
			continue;
		}

		if (st->bucket >= f->first && st->bucket < f->first + f->nbuckets)
		{
			opened = FLOW_COUNTS(f)[st->bucket - f->first].opened;
			closed = FLOW_COUNTS(f)[st->bucket - f->first].closed;
		}
		st->backlog += opened - closed;
		values[0] = TimestampTzGetDatum(start);
		values[1] = Int64GetDatum(opened);
		values[2] = Int64GetDatum(closed);
		values[3] = Int64GetDatum(st->backlog);
		st->bucket++;
		tuple = heap_form_tuple(funcctx->tuple_desc, values, nulls);
		SRF_RETURN_NEXT(funcctx, HeapTupleGetDatum(tuple));
	}
	SRF_RETURN_DONE(funcctx);
}
