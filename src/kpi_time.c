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

/*
 * No UTC offset reaches a week: a POSIX zone string allows at most 167:59:59,
 * the zones of the tz database stay within about 16 hours.
 */
#define KPI_ZONE_MAX_OFFSET (7 * USECS_PER_DAY)

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
 * The offset at u (microseconds east of UTC) and the next change after u
 * (returns 1), or 0 when the offset never changes again.
 *
 * pg_next_dst_boundary is asked at the second of u.  Its answer is checked
 * against pg_localtime, because asked exactly at a change 400 years after
 * one of the zone's tabulated changes it can wrongly say that no change
 * follows, and asked at the zone's first change it returns that change
 * itself.  Then the next second is asked instead: changes are never a
 * second apart.
 */
static int
zone_lookup(pg_tz *tz, int64 u, int64 *offset, int64 *next)
{
	pg_time_t	t = kpi_floor_div(u, USECS_PER_SEC) + EPOCH_DIFF_SECS;

	for (int attempt = 0; attempt < 3; attempt++, t++)
	{
		long int	before_gmtoff;
		long int	after_gmtoff;
		int			before_isdst;
		int			after_isdst;
		pg_time_t	boundary;
		int			found;

		found = pg_next_dst_boundary(&t, &before_gmtoff, &before_isdst,
									 &boundary, &after_gmtoff, &after_isdst, tz);
		if (found < 0 || zone_gmtoff(tz, t) != before_gmtoff)
			continue;
		*offset = (int64) before_gmtoff * USECS_PER_SEC;
		if (found == 0)
		{
			/* "no more changes": believe it if the next year agrees */
			bool		steady = true;

			for (int k = 1; k <= 27 && steady; k++)
				steady = zone_gmtoff(tz, t + k * 14 * SECS_PER_DAY) == before_gmtoff;
			if (steady)
				return 0;
			continue;
		}
		if (boundary <= t || zone_gmtoff(tz, boundary - 1) != before_gmtoff ||
			zone_gmtoff(tz, boundary) != after_gmtoff)
			continue;
		/* a change beyond the timestamp range is no change */
		if (pg_mul_s64_overflow(boundary - EPOCH_DIFF_SECS, USECS_PER_SEC, next))
			return 0;
		return 1;
	}
	elog(ERROR, "could not read the transitions of time zone \"%s\"", pg_get_timezone_name(tz));
	return 0;					/* keep the compiler quiet */
}

/* a new zone with its table of offset changes, kept for the backend's life */
static KpiZone *
zone_make(pg_tz *tz)
{
	int64		u = KPI_ZONE_TABLE_FROM;
	int			cap = 16;
	int			n = 0;
	int64	   *bound = palloc(sizeof(int64) * cap);
	int64	   *offset = palloc(sizeof(int64) * (cap + 1));
	int64	   *kept;
	long int	gmtoff;
	KpiZone    *zone;

	for (;;)
	{
		int64		o;
		int64		next;
		int			found = zone_lookup(tz, u, &o, &next);

		offset[n] = o;
		if (!found || next >= KPI_ZONE_TABLE_TO)
			break;
		if (n + 1 >= cap)
		{
			cap *= 2;
			bound = repalloc(bound, sizeof(int64) * cap);
			offset = repalloc(offset, sizeof(int64) * (cap + 1));
		}
		bound[n++] = next;
		u = next;
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

const KpiZone *
kpi_zone_find(const char *name)
{
	pg_tz	   *tz;

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
		return NULL;
	return zone_make(tz);
}

const KpiZone *
kpi_zone_lookup(const char *name)
{
	const KpiZone *zone = kpi_zone_find(name);

	if (zone == NULL)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("time zone \"%s\" not recognized", kpi_excerpt(name, strlen(name))),
				 errdetail("A time zone is a full zone name such as Europe/Berlin, or UTC."),
				 errhint("The names are listed in pg_timezone_names.")));
	return zone;
}

/* kpi_zone_offset outside the table's years: the next change is asked for */
int64
kpi_zone_offset_far(const KpiZone *zone, int64 t, int64 *piece_end)
{
	int64		o;
	int64		next;

	if (zone_lookup(zone->tz, t, &o, &next))
		*piece_end = (t < KPI_ZONE_TABLE_FROM) ? Min(next, KPI_ZONE_TABLE_FROM) : next;
	else
		*piece_end = (t < KPI_ZONE_TABLE_FROM) ? KPI_ZONE_TABLE_FROM : PG_INT64_MAX;
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
		*first = local_from - zone->fixed_offset;
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
