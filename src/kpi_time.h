/*-------------------------------------------------------------------------
 *
 * kpi_time.h
 *	  Time zones and local calendar arithmetic, for every family that works
 *	  in local time (business hours, ticket flow buckets, ticket histories).
 *
 * Instants are TimestampTz microseconds.  A local time is an instant plus
 * the UTC offset in force then, in microseconds since 2000-01-01 00:00 local
 * time; a local day is floor(local / 1 day), numbered like PostgreSQL's date
 * (days since 2000-01-01), so a date argument is a local day as it is and
 * date2j() - POSTGRES_EPOCH_JDATE gives the first day of any month.
 *
 * A KpiZone is a time zone resolved once per backend: its canonical name,
 * whether it has one offset for all time, and its offset changes from 1900 to
 * 2200 as a table; outside those years the changes are looked up one at a
 * time.  Nothing here assumes that an offset changes by less than a day or
 * that a local day is 23 to 25 hours long: local days can be skipped (Samoa,
 * 2011-12-30), last 48 hours (America/Juneau, 1867-10-19) or start twice.
 *
 *-------------------------------------------------------------------------
 */
#ifndef KPI_TIME_H
#define KPI_TIME_H

#include "datatype/timestamp.h"
#include "pgtime.h"

/* division rounding down, also for negative numerators */
static inline int64
kpi_floor_div(int64 a, int64 b)
{
	int64		q = a / b;

	if ((a % b != 0) && ((a < 0) != (b < 0)))
		q--;
	return q;
}

/* --- local days and weeks ------------------------------------------------- */

/* 2000-01-03, the first Monday after 2000-01-01 (a Saturday): weeks start there */
#define KPI_MONDAY_DAY		2
#define KPI_MONDAY_USECS	(KPI_MONDAY_DAY * USECS_PER_DAY)
#define KPI_USECS_PER_WEEK	(7 * USECS_PER_DAY)

/* the local day of a local time */
static inline int64
kpi_local_day(int64 local)
{
	return kpi_floor_div(local, USECS_PER_DAY);
}

/* the weekday of a day, Monday = 0 .. Sunday = 6 */
static inline int
kpi_weekday(int64 day)
{
	return (int) (day + 5 - kpi_floor_div(day + 5, 7) * 7);
}

/* the week of a day: weeks since Monday 2000-01-03; it starts on day week * 7 + KPI_MONDAY_DAY */
static inline int64
kpi_week_of_day(int64 day)
{
	return kpi_floor_div(day - KPI_MONDAY_DAY, 7);
}

/* the week of a local time, and in *since_monday the time since its Monday 00:00 */
static inline int64
kpi_local_week(int64 local, int64 *since_monday)
{
	int64		m = local - KPI_MONDAY_USECS;
	int64		weeks = kpi_floor_div(m, KPI_USECS_PER_WEEK);

	*since_monday = m - weeks * KPI_USECS_PER_WEEK;
	return weeks;
}

/* --- zones ------------------------------------------------------------------ */

/* the offset changes are tabulated for 1900-01-01 .. 2200-01-01 UTC */
#define KPI_ZONE_TABLE_FROM INT64CONST(-3155673600000000)
#define KPI_ZONE_TABLE_TO	INT64CONST(6311433600000000)

typedef struct KpiZone
{
	pg_tz	   *tz;
	const char *name;			/* canonical spelling: store this one */
	bool		fixed;			/* one UTC offset for all time */
	int64		fixed_offset;	/* that offset, microseconds east of UTC */
	/* the changes in the table's years: offset[k] applies before bound[k] */
	int			nbounds;
	const int64 *bound;			/* increasing instants */
	const int64 *offset;		/* nbounds + 1 offsets, microseconds east of UTC */
	struct KpiZone *next;		/* (the per-backend list of zones) */
} KpiZone;

/*
 * The zone of a name (a zone of pg_timezone_names, or what else
 * PostgreSQL's pg_tzset accepts).  kpi_zone_lookup reports an unknown name
 * with the one error every family gives (invalid_parameter_value, 22023);
 * kpi_zone_find returns NULL instead, for validating stored values, which
 * report it with KPI_ZONE_UNKNOWN_DETAIL.  A zone lives as long as the
 * backend: pointers to it may be kept in any cache.
 */
extern const KpiZone *kpi_zone_lookup(const char *name);
extern const KpiZone *kpi_zone_find(const char *name);

#define KPI_ZONE_UNKNOWN_DETAIL "The time zone is not known to this server."

/*
 * For t in [KPI_ZONE_TABLE_FROM, KPI_ZONE_TABLE_TO): the number k of
 * tabulated changes at or before t, so that zone->offset[k] is the offset at
 * t.  Costs a binary search; callers that sum over changes index their own
 * per-change tables with it.
 */
static inline int
kpi_zone_piece(const KpiZone *zone, int64 t)
{
	int			lo = 0;
	int			hi = zone->nbounds;

	while (lo < hi)
	{
		int			mid = (lo + hi) / 2;

		if (zone->bound[mid] <= t)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

extern int64 kpi_zone_offset_far(const KpiZone *zone, int64 t, int64 *piece_end);

/*
 * The UTC offset (microseconds east) at instant t, and in *piece_end the
 * end of the piece of constant offset that holds t: the next change, a
 * table boundary, or PG_INT64_MAX when the offset never changes again.
 * Inline: business hours and local buckets ask on every row.
 */
static inline int64
kpi_zone_offset(const KpiZone *zone, int64 t, int64 *piece_end)
{
	if (zone->fixed)
	{
		*piece_end = PG_INT64_MAX;
		return zone->fixed_offset;
	}
	if (t >= KPI_ZONE_TABLE_FROM && t < KPI_ZONE_TABLE_TO)
	{
		int			k = kpi_zone_piece(zone, t);

		*piece_end = k < zone->nbounds ? zone->bound[k] : KPI_ZONE_TABLE_TO;
		return zone->offset[k];
	}
	return kpi_zone_offset_far(zone, t, piece_end);
}

/*
 * The first instant whose local time lies in [local_from, local_to)
 * (local_from < local_to): the start of a local day, week or month bucket,
 * the first local midnight of a date.  False when no instant has such a
 * local time (a day the zone skipped).
 */
extern bool kpi_local_first_instant(const KpiZone *zone, int64 local_from, int64 local_to,
									TimestampTz *first);

/*
 * Offsets row by row: a caller-owned, direct-mapped cache of UTC days,
 * zeroed before first use and reset when the zone changes, remembers whether
 * a day has one offset all day and which.  For the aggregates that look up
 * every row's zone offset (ticket_flow_agg).
 */
#define KPI_ZONE_CACHE_DAYS 1024

typedef struct KpiZoneDay
{
	int64		utc_day;		/* days since 2000-01-01 UTC */
	int64		offset;			/* the offset all day, when uniform */
	bool		valid;
	bool		uniform;		/* no offset change within the day */
} KpiZoneDay;

extern void kpi_zone_day_fill(const KpiZone *zone, KpiZoneDay *e, int64 utc_day);

/* the offset at t, as kpi_zone_offset; days[KPI_ZONE_CACHE_DAYS] or NULL */
static inline int64
kpi_zone_offset_cached(const KpiZone *zone, KpiZoneDay *days, int64 t)
{
	int64		utc_day;
	int64		end;
	KpiZoneDay *e;

	if (zone->fixed)
		return zone->fixed_offset;
	if (days == NULL)
		return kpi_zone_offset(zone, t, &end);
	utc_day = kpi_floor_div(t, USECS_PER_DAY);
	e = &days[(uint64) utc_day % KPI_ZONE_CACHE_DAYS];
	if (unlikely(!e->valid || e->utc_day != utc_day))
		kpi_zone_day_fill(zone, e, utc_day);
	return e->uniform ? e->offset : kpi_zone_offset(zone, t, &end);
}

#endif							/* KPI_TIME_H */
