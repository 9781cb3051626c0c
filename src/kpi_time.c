/*-------------------------------------------------------------------------
 *
 * kpi_time.c
 *	  Time zones for every family that works in local time: zone lookup, the
 *	  UTC offset at an instant, and the first instant of a local time range.
 *
 * PostgreSQL says what a zone's offset is at an instant (pg_localtime) and
 * when it next changes (pg_next_dst_boundary).  Asking pg_localtime on every
 * row would dominate the cost of a local bucket or of business hours, so a
 * zone's changes from 1900 to 2200 are read once per backend into a table
 * (kpi_zone_lookup); an offset inside those years is then a binary search,
 * and outside them the next change is asked for one at a time.  The local
 * time ranges of buckets and calendars are mapped back to instants piece by
 * piece of constant offset, so no limit on how far a clock jumps is assumed.
 *
 *-------------------------------------------------------------------------
 */
#include "postgres.h"

#include <limits.h>

#include "common/int.h"
#include "utils/memutils.h"

#include "kpi_ext.h"
#include "kpi_time.h"

/* seconds from the Unix epoch to the PostgreSQL epoch */
#define EPOCH_DIFF_SECS ((int64) (POSTGRES_EPOCH_JDATE - UNIX_EPOCH_JDATE) * SECS_PER_DAY)

/* the zones resolved by this backend; pg_tzset keeps its zones as long */
static KpiZone *zones = NULL;

/* the UTC offset at t in seconds, or LONG_MIN if the zone cannot say */
static long int
zone_gmtoff(pg_tz *tz, pg_time_t t)
{
	struct pg_tm *tm = pg_localtime(&t, tz);

	return tm ? tm->tm_gmtoff : LONG_MIN;
}

/*
 * The next second after t, at most t + limit, whose offset differs from
 * gmtoff, found with pg_localtime alone: probes every 6 hours (no zone keeps
 * an offset for less), then bisection.  t + limit when there is none.
 */
static pg_time_t
zone_probe_change(pg_tz *tz, pg_time_t t, long int gmtoff, pg_time_t limit)
{
	pg_time_t	lo = t;

	for (pg_time_t step = 6 * SECS_PER_HOUR; lo < t + limit; lo += step)
	{
		pg_time_t	hi = Min(lo + step, t + limit);

		if (zone_gmtoff(tz, hi) == gmtoff)
			continue;
		/* the offset is gmtoff at lo and differs at hi */
		while (hi - lo > 1)
		{
			pg_time_t	mid = lo + (hi - lo) / 2;

			if (zone_gmtoff(tz, mid) == gmtoff)
				lo = mid;
			else
				hi = mid;
		}
		return hi;
	}
	return t + limit;
}

/*
 * The offset at u (microseconds east of UTC) and in *next the end of the
 * piece of constant offset from u: the next change, or PG_INT64_MAX when the
 * offset never changes again.  A piece may also end where the offset stays
 * the same (zone_make merges such pieces); callers only rely on the offset
 * being constant within a piece.  False when PostgreSQL cannot tell the
 * offset at u.
 *
 * pg_next_dst_boundary is asked at the second of u, and its answer checked
 * against pg_localtime, which is authoritative: asked exactly at a change 400
 * years after one of the zone's tabulated changes it can wrongly say that no
 * change follows, asked at the zone's first change it returns that change
 * itself (then the next second is asked instead: changes are never a second
 * apart), and for a POSIX rule of daylight time all year (such as
 * XXX3YYY,0/0,J365/25) it reports a yearly change to standard time that
 * pg_localtime never shows (a piece end without a change).  If it still
 * cannot be believed, the next change is searched with pg_localtime.
 */
static bool
zone_lookup(pg_tz *tz, int64 u, int64 *offset, int64 *next)
{
	pg_time_t	t0 = kpi_floor_div(u, USECS_PER_SEC) + EPOCH_DIFF_SECS;
	long int	gmtoff = zone_gmtoff(tz, t0);
	pg_time_t	boundary = 0;
	bool		found_change = false;

	if (gmtoff == LONG_MIN)
		return false;
	*offset = (int64) gmtoff * USECS_PER_SEC;
	for (int attempt = 0; attempt < 3; attempt++)
	{
		pg_time_t	t = t0 + attempt;
		long int	before_gmtoff;
		long int	after_gmtoff;
		int			before_isdst;
		int			after_isdst;
		int			found;

		found = pg_next_dst_boundary(&t, &before_gmtoff, &before_isdst,
									 &boundary, &after_gmtoff, &after_isdst, tz);
		if (found < 0 || before_gmtoff != gmtoff || zone_gmtoff(tz, t) != gmtoff)
			continue;
		if (found == 0)
		{
			/* "no more changes": believe it if the next year agrees */
			bool		steady = true;

			for (int k = 1; k <= 27 && steady; k++)
				steady = zone_gmtoff(tz, t + k * 14 * SECS_PER_DAY) == gmtoff;
			if (steady)
			{
				*next = PG_INT64_MAX;
				return true;
			}
			continue;
		}
		/* the offset up to the boundary must be the one before it */
		if (boundary > t && zone_gmtoff(tz, boundary - 1) == gmtoff)
		{
			found_change = true;
			break;
		}
	}
	if (!found_change)
		boundary = zone_probe_change(tz, t0, gmtoff, 14 * SECS_PER_DAY);
	/* a change beyond the timestamp range is no change */
	if (pg_mul_s64_overflow(boundary - EPOCH_DIFF_SECS, USECS_PER_SEC, next))
		*next = PG_INT64_MAX;
	return true;
}

/*
 * A new zone with its table of offset changes, kept for the backend's life;
 * NULL (and *why) for a zone kpi_ext cannot follow: one whose offset
 * PostgreSQL cannot tell at some instant, or one that reaches
 * KPI_ZONE_MAX_OFFSET (a POSIX zone string stops at 167:59:59).
 */
static KpiZone *
zone_make(pg_tz *tz, const char **why)
{
	int64		u = KPI_ZONE_TABLE_FROM;
	int			cap = 16;
	int			n = 0;
	int64	   *bound = palloc(sizeof(int64) * cap);
	int64	   *offset = palloc(sizeof(int64) * (cap + 1));
	int64	   *kept;
	int64		o;
	int64		next;
	int64		widest = 0;
	long int	gmtoff;
	KpiZone    *zone;
	const int64 probes[] = {MIN_TIMESTAMP - KPI_ZONE_MAX_OFFSET, MIN_TIMESTAMP,
	END_TIMESTAMP - 1, END_TIMESTAMP + KPI_ZONE_MAX_OFFSET};

	*why = "PostgreSQL cannot tell its UTC offset at some instants.";
	if (!zone_lookup(tz, u, &o, &next))
		return NULL;
	offset[0] = o;
	widest = Max(o, -o);
	while (next < KPI_ZONE_TABLE_TO)
	{
		u = next;
		if (!zone_lookup(tz, u, &o, &next))
			return NULL;
		widest = Max(widest, Max(o, -o));
		if (o == offset[n])
			continue;			/* no change: the piece goes on */
		if (n + 1 >= cap)
		{
			cap *= 2;
			bound = repalloc(bound, sizeof(int64) * cap);
			offset = repalloc(offset, sizeof(int64) * (cap + 1));
		}
		bound[n++] = u;
		offset[n] = o;
	}
	/* the offsets before and after the table, as far as local times reach */
	for (size_t i = 0; i < lengthof(probes); i++)
	{
		if (!zone_lookup(tz, probes[i], &o, &next))
			return NULL;
		widest = Max(widest, Max(o, -o));
	}
	if (widest >= KPI_ZONE_MAX_OFFSET)
	{
		*why = "Its UTC offset reaches a week; offsets up to 167:59:59 are supported.";
		return NULL;
	}

	/* complete: keep it */
	zone = MemoryContextAllocZero(TopMemoryContext, sizeof(KpiZone));
	zone->tz = tz;
	zone->name = pg_get_timezone_name(tz);
	zone->fixed = pg_get_timezone_offset(tz, &gmtoff);
	zone->fixed_offset = zone->fixed ? (int64) gmtoff * USECS_PER_SEC : 0;
	zone->nbounds = n;
	kept = MemoryContextAlloc(TopMemoryContext, sizeof(int64) * (2 * n + 1));
	memcpy(kept, bound, sizeof(int64) * n);
	memcpy(kept + n, offset, sizeof(int64) * (n + 1));
	zone->bound = kept;
	zone->offset = kept + n;
	zone->next = zones;
	zones = zone;
	pfree(bound);
	pfree(offset);
	return zone;
}

/*
 * The zone of a name, or NULL and in *why the reason (NULL for a name
 * PostgreSQL does not know at all).
 */
static const KpiZone *
zone_resolve(const char *name, const char **why)
{
	pg_tz	   *tz;

	*why = NULL;
	if (*name == '\0' || strlen(name) > TZ_STRLEN_MAX)
		return NULL;
	tz = pg_tzset(name);
	if (tz == NULL)
		return NULL;
	for (KpiZone *zone = zones; zone != NULL; zone = zone->next)
		if (zone->tz == tz)
			return zone;
	/* a zone with leap seconds is one PostgreSQL itself refuses */
	if (!pg_tz_acceptable(tz))
	{
		*why = "PostgreSQL does not accept it as a time zone: it appears to use leap seconds.";
		return NULL;
	}
	return zone_make(tz, why);
}

const KpiZone *
kpi_zone_find(const char *name)
{
	const char *why;

	return zone_resolve(name, &why);
}

const KpiZone *
kpi_zone_lookup(const char *name)
{
	const char *why;
	const KpiZone *zone = zone_resolve(name, &why);

	if (zone == NULL && why == NULL)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("time zone \"%s\" not recognized", kpi_excerpt(name, strlen(name))),
				 errdetail("A time zone is a full zone name such as Europe/Berlin, or UTC."),
				 errhint("The names are listed in pg_timezone_names.")));
	if (zone == NULL)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("time zone \"%s\" is not supported", kpi_excerpt(name, strlen(name))),
				 errdetail("%s", why),
				 errhint("Use a zone of pg_timezone_names, such as Europe/Berlin, or UTC.")));
	return zone;
}

/* kpi_zone_offset outside the table's years: the next change is asked for */
int64
kpi_zone_offset_far(const KpiZone *zone, int64 t, int64 *piece_end)
{
	int64		o;
	int64		next;

	/* the zone was read at both ends of the time range when it was made */
	if (!zone_lookup(zone->tz, t, &o, &next))
		ereport(ERROR,
				(errcode(ERRCODE_DATETIME_VALUE_OUT_OF_RANGE),
				 errmsg("time zone \"%s\" has no UTC offset at this instant", zone->name),
				 errdetail("The instant lies " INT64_FORMAT " microseconds from 2000-01-01 00:00 UTC.", t)));
	*piece_end = (t < KPI_ZONE_TABLE_FROM) ? Min(next, KPI_ZONE_TABLE_FROM) : next;
	return o;
}

void
kpi_zone_day_fill(const KpiZone *zone, KpiZoneDay *e, int64 utc_day)
{
	int64		start = utc_day * USECS_PER_DAY;
	int64		end;

	e->utc_day = utc_day;
	e->valid = true;
	e->offset = kpi_zone_offset(zone, start, &end);
	e->uniform = end - start >= USECS_PER_DAY;
}

/*
 * The pieces of constant offset are walked in time order from the earliest
 * that can hold such a local time; in a piece [u, end) with offset o, local
 * time runs from u + o to end + o, so the first piece that reaches into the
 * range holds the first instant.
 */
bool
kpi_local_first_instant(const KpiZone *zone, int64 local_from, int64 local_to,
						TimestampTz *first)
{
	int64		u = local_from - KPI_ZONE_MAX_OFFSET;
	int64		limit;

	Assert(local_from < local_to);
	if (zone->fixed)
	{
		/* local times past the timestamp range: the instant saturates */
		if (pg_sub_s64_overflow(local_from, zone->fixed_offset, first))
			*first = zone->fixed_offset < 0 ? PG_INT64_MAX : PG_INT64_MIN;
		return true;
	}
	if (pg_add_s64_overflow(local_to, KPI_ZONE_MAX_OFFSET, &limit))
		limit = PG_INT64_MAX;
	while (u < limit)
	{
		int64		end;
		int64		o = kpi_zone_offset(zone, u, &end);
		int64		lo;
		int64		hi;

		/* [lo, hi): the instants of the piece with a local time in the range */
		if (pg_sub_s64_overflow(local_from, o, &lo))
			lo = PG_INT64_MAX;
		if (pg_sub_s64_overflow(local_to, o, &hi))
			hi = PG_INT64_MAX;
		lo = Max(lo, u);
		if (lo < Min(hi, end))
		{
			*first = lo;
			return true;
		}
		if (end == PG_INT64_MAX)
			break;
		u = end;
	}
	return false;
}
