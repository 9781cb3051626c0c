/*-------------------------------------------------------------------------
 *
 * calendar.h
 *	  The business-hours engine of calendar.c, for every family that counts
 *	  working time (business_duration, business_add, the ticket histories).
 *
 * A KpiCalendar is the derived form of a business_calendar value: its
 * working ranges as prefix sums, its holidays and its zone's UTC offset
 * changes.  kpi_calendar_lookup builds it once and keeps the last few in a
 * cache that the caller owns (usually a field of flinfo->fn_extra), so a
 * query that passes the same calendar on every row builds it once.
 *
 *-------------------------------------------------------------------------
 */
#ifndef KPI_CALENDAR_H
#define KPI_CALENDAR_H

#include "datatype/timestamp.h"
#include "utils/palloc.h"

typedef struct CalendarCache KpiCalendar;

/*
 * The engine for the business_calendar datum, validated; *cache starts as
 * NULL and is kept in cache_mcxt (e.g. flinfo->fn_mcxt), which must live as
 * long as *cache.
 */
extern KpiCalendar *kpi_calendar_lookup(void **cache, MemoryContext cache_mcxt,
										Datum calendar);

/* working time in microseconds between two finite instants, start <= finish */
extern int64 kpi_business_usecs(const KpiCalendar *cal, TimestampTz start,
								TimestampTz finish);

/*
 * The working time from a fixed origin to t, when the engine has it in closed
 * form (t between 1900 and 2200, where the zone's offsets are tabulated; any
 * t when the calendar has no working time): then kpi_business_usecs(cal, a,
 * b) is exactly clock(b) - clock(a), so a caller measuring many spans between
 * the same instants looks each instant up once.  False elsewhere.
 */
extern bool kpi_business_clock(const KpiCalendar *cal, TimestampTz t, int64 *clock);

/*
 * The earliest instant at which usecs (>= 0) of working time have elapsed
 * since start (start itself for 0); errors when the calendar has no working
 * time or the instant is past the timestamp range.
 */
extern TimestampTz kpi_business_add(const KpiCalendar *cal, TimestampTz start,
									int64 usecs);

/* is the instant inside working time? */
extern bool kpi_is_business_time(const KpiCalendar *cal, TimestampTz t);

#endif							/* KPI_CALENDAR_H */
