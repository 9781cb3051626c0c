/*-------------------------------------------------------------------------
 *
 * calendar.c
 *	  Business hours: the business_calendar type, business_duration,
 *	  business_add and is_business_time.
 *
 * A calendar is a set of weekly working ranges in local wall-clock time
 * ("mon-fri 09:00-17:00"), a time zone and a list of whole local holiday
 * dates.  Working time is the set of instants whose local wall-clock time,
 * in the calendar's zone, falls inside a range of its weekday on a date that
 * is not a holiday; ranges include their start and exclude their end.
 * business_duration measures that set between two instants in elapsed time,
 * so a 24/7 calendar gives exactly finish - start in any zone, and a range
 * that contains a DST jump is an hour shorter (spring) or longer (autumn).
 *
 * The cost per call does not depend on the span.  Between two UTC offset
 * changes of the zone, local time is UTC plus a constant, and the working
 * time up to a local instant L is
 *
 *	  F(L) = weeks * (working time per week) + (working time of the week up to L)
 *			 - (working time of the holidays before L)
 *
 * with the holiday part a binary search over prefix sums.  Over a span that
 * holds offset changes, the pieces between them add up to
 *
 *	  F(finish + offset at finish) - F(start + offset at start)
 *		+ the sum over the changes inside of F(b + offset before) - F(b + offset after)
 *
 * and that sum is a difference of prefix sums over the zone's table of
 * changes from 1900 to 2200 (kpi_time.h), built once per query for each
 * calendar; outside those years the changes are looked up one at a time.
 * business_add inverts F piece by piece, walking over the offset changes and
 * holidays it passes.
 *
 * Because the rule is "the clock shows working time", a range boundary in
 * the hour skipped in spring counts from the end of the jump, and the hour
 * repeated in autumn counts twice; converting the boundaries with AT TIME
 * ZONE would differ there, and only there.
 *
 *-------------------------------------------------------------------------
 */
#include "postgres.h"

#include <ctype.h>

#include "common/int.h"
#include "libpq/pqformat.h"
#include "miscadmin.h"
#include "pgtime.h"
#include "utils/builtins.h"
#include "utils/datetime.h"
#include "utils/memutils.h"
#include "utils/timestamp.h"

#include "calendar.h"
#include "kpi_ext.h"
#include "kpi_time.h"

#define CALENDAR_TYPE "business_calendar"

#define SECS_PER_WEEK (7 * SECS_PER_DAY)

/* limits that keep every computation well inside 64 bits */
#define MAX_RANGES 10000
#define MAX_HOLIDAYS 100000
#define MIN_HOLIDAY_YEAR 1
#define MAX_HOLIDAY_YEAR 9999

/*
 * Stored form.  data holds 2 * nranges range bounds (seconds from Monday
 * 00:00 local, each range inside one day, sorted, not overlapping, ranges of
 * one day not touching), then nholidays dates (days since 2000-01-01,
 * strictly increasing), then the canonical zone name, NUL-terminated.
 */
typedef struct BusinessCalendar
{
	int32		vl_len_;		/* varlena header (do not touch directly!) */
	uint8		version;		/* KPI_FORMAT_VERSION */
	uint8		tzlen;			/* strlen of the zone name, 1..TZ_STRLEN_MAX */
	uint16		unused;			/* zero */
	int32		nranges;
	int32		nholidays;
	int32		data[FLEXIBLE_ARRAY_MEMBER];
} BusinessCalendar;

#define CAL_RANGES(c) ((c)->data)
#define CAL_HOLIDAYS(c) ((c)->data + 2 * (c)->nranges)
#define CAL_TZNAME(c) ((char *) ((c)->data + 2 * (c)->nranges + (c)->nholidays))

static Size
calendar_size(int nranges, int nholidays, int tzlen)
{
	return offsetof(BusinessCalendar, data) +
		sizeof(int32) * (2 * (Size) nranges + nholidays) + tzlen + 1;
}

static const char *const day_names[7] = {"mon", "tue", "wed", "thu", "fri", "sat", "sun"};
static const char *const day_long_names[7] = {
	"monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"
};

/*
 * A value that fails validation: stored values are reported as corrupt,
 * binary input as an invalid external value.
 */
static void
calendar_bad(bool external, const char *detail)
{
	if (external)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_BINARY_REPRESENTATION),
				 errmsg("invalid external %s value", CALENDAR_TYPE),
				 errdetail("%s", detail)));
	kpi_corrupt_summary(CALENDAR_TYPE, detail);
}

/* validate a stored value: every byte is checked before it is trusted */
static void
calendar_validate(const BusinessCalendar *c, Size size, bool external)
{
	const int32 *r;
	const int32 *h;
	const char *name;

	if (size < offsetof(BusinessCalendar, data))
		calendar_bad(external, "The value has an unexpected size.");
	if (c->version != KPI_FORMAT_VERSION)
		calendar_bad(external, "The value has an unknown format version.");
	if (c->unused != 0)
		calendar_bad(external, "Reserved bytes are not zero.");
	if (c->nranges < 0 || c->nranges > MAX_RANGES ||
		c->nholidays < 0 || c->nholidays > MAX_HOLIDAYS || c->tzlen == 0)
		calendar_bad(external, "A count is out of range.");
	if (size != calendar_size(c->nranges, c->nholidays, c->tzlen))
		calendar_bad(external, "The value has an unexpected size.");
	r = CAL_RANGES(c);
	for (int i = 0; i < c->nranges; i++)
	{
		int32		start = r[2 * i];
		int32		end = r[2 * i + 1];

		if (start < 0 || end > SECS_PER_WEEK || start >= end ||
			start / SECS_PER_DAY != (end - 1) / SECS_PER_DAY)
			calendar_bad(external, "A working range is invalid.");
		if (i > 0 && (r[2 * i - 1] > start ||
					  (r[2 * i - 1] == start && start % SECS_PER_DAY != 0)))
			calendar_bad(external, "Working ranges are not sorted and separate.");
	}
	h = CAL_HOLIDAYS(c);
	for (int i = 0; i < c->nholidays; i++)
	{
		if (h[i] < date2j(MIN_HOLIDAY_YEAR, 1, 1) - POSTGRES_EPOCH_JDATE ||
			h[i] > date2j(MAX_HOLIDAY_YEAR, 12, 31) - POSTGRES_EPOCH_JDATE)
			calendar_bad(external, "A holiday is out of range.");
		if (i > 0 && h[i - 1] >= h[i])
			calendar_bad(external, "Holidays are not sorted and distinct.");
	}
	name = CAL_TZNAME(c);
	if (strnlen(name, c->tzlen + 1) != c->tzlen)
		calendar_bad(external, "The time zone name has an unexpected length.");
	for (int i = 0; i < c->tzlen; i++)
		if (!isprint((unsigned char) name[i]) || name[i] == ';')
			calendar_bad(external, "The time zone name has an invalid character.");
}

/* --- text and binary I/O ---------------------------------------------------- */

typedef struct CalRange
{
	int32		start;			/* seconds from Monday 00:00 */
	int32		end;
} CalRange;

typedef struct CalParser
{
	const char *input;			/* the whole literal, for messages */
	const char *clause;			/* the clause being read, for messages */
	CalRange   *ranges;
	int			nranges;
	int			rcap;
	int32	   *holidays;
	int			nholidays;
	int			hcap;
	char	   *tzname;			/* NULL until tz= */
	bool		seen_holidays;
} CalParser;

static void
cal_syntax(CalParser *ps, const char *detail)
{
	ereport(ERROR,
			(errcode(ERRCODE_INVALID_TEXT_REPRESENTATION),
			 errmsg("invalid input syntax for type %s: \"%s\"", CALENDAR_TYPE, ps->input),
			 errdetail("%s", detail),
			 errhint("Write clauses separated by \";\", such as \"mon-fri 09:00-12:00,13:00-17:30; sat 10:00-14:00; tz=Europe/Berlin; holidays=2026-12-25\".")));
}

static const char *
skip_spaces(const char *p)
{
	while (isspace((unsigned char) *p))
		p++;
	return p;
}

/* the text of the token at p (up to a space, comma or end), for messages */
static char *
token_at(const char *p, const char *extra)
{
	const char *e = p;

	while (*e && !isspace((unsigned char) *e) && *e != ',' && *e != ';' &&
		   (extra == NULL || strchr(extra, *e) == NULL))
		e++;
	if (e == p)
		return pstrdup(*p ? "" : "(end of clause)");
	return kpi_excerpt(p, e - p);
}

static void
format_time(StringInfo buf, int32 secs)
{
	appendStringInfo(buf, "%02d:%02d", secs / SECS_PER_HOUR, secs / SECS_PER_MINUTE % 60);
	if (secs % 60 != 0)
		appendStringInfo(buf, ":%02d", secs % 60);
}

static char *
format_range(const CalRange *r)
{
	StringInfoData buf;

	initStringInfo(&buf);
	appendStringInfo(&buf, "%s ", day_names[r->start / SECS_PER_DAY]);
	format_time(&buf, r->start % SECS_PER_DAY);
	appendStringInfoChar(&buf, '-');
	format_time(&buf, r->end - r->start / SECS_PER_DAY * SECS_PER_DAY);
	return buf.data;
}

/* a time of day HH:MM or HH:MM:SS, 00:00 to 24:00; *p moves past it */
static int32
parse_time(CalParser *ps, const char **pp)
{
	const char *p = skip_spaces(*pp);
	const char *start = p;
	int			h = 0;
	int			m = 0;
	int			s = 0;
	int			n;

	for (n = 0; isdigit((unsigned char) *p) && n < 3; n++)
		h = h * 10 + (*p++ - '0');
	if (n < 1 || n > 2 || *p != ':')
		goto bad;
	p++;
	if (!isdigit((unsigned char) p[0]) || !isdigit((unsigned char) p[1]))
		goto bad;
	m = (p[0] - '0') * 10 + (p[1] - '0');
	p += 2;
	if (*p == ':')
	{
		p++;
		if (!isdigit((unsigned char) p[0]) || !isdigit((unsigned char) p[1]))
			goto bad;
		s = (p[0] - '0') * 10 + (p[1] - '0');
		p += 2;
	}
	if (isdigit((unsigned char) *p) || *p == ':' || isalpha((unsigned char) *p) ||
		h > 24 || m > 59 || s > 59 || (h == 24 && (m != 0 || s != 0)))
		goto bad;
	*pp = p;
	return h * SECS_PER_HOUR + m * SECS_PER_MINUTE + s;
bad:
	cal_syntax(ps, psprintf("Invalid time \"%s\" in \"%s\": times are HH:MM or HH:MM:SS from 00:00 to 24:00.",
							token_at(start, "-"), ps->clause));
	return 0;					/* keep the compiler quiet */
}

/* a weekday name (mon or monday, any case) at *pp, or -1 for no letters */
static int
parse_day(CalParser *ps, const char **pp)
{
	const char *p = skip_spaces(*pp);
	const char *start = p;
	char	   *word;

	while (isalpha((unsigned char) *p))
		p++;
	if (p == start)
		cal_syntax(ps, psprintf("Expected a weekday (mon, tue, wed, thu, fri, sat, sun) at \"%s\" in \"%s\".",
								token_at(start, NULL), ps->clause));
	word = pnstrdup(start, p - start);
	for (int d = 0; d < 7; d++)
		if (pg_strcasecmp(word, day_names[d]) == 0 || pg_strcasecmp(word, day_long_names[d]) == 0)
		{
			*pp = p;
			return d;
		}
	cal_syntax(ps, psprintf("Unknown day \"%s\" in \"%s\": days are mon, tue, wed, thu, fri, sat and sun.",
							kpi_excerpt(word, strlen(word)), ps->clause));
	return -1;
}

/* "mon-fri,sun 09:00-12:00,13:00-17:00" */
static void
parse_day_clause(CalParser *ps, const char *p)
{
	bool		days[7] = {false};

	for (;;)
	{
		int			d1 = parse_day(ps, &p);
		int			d2 = d1;

		p = skip_spaces(p);
		if (*p == '-' && isalpha((unsigned char) *skip_spaces(p + 1)))
		{
			p++;
			d2 = parse_day(ps, &p);
		}
		/* a range like fri-mon wraps over the weekend */
		for (int d = d1;; d = (d + 1) % 7)
		{
			days[d] = true;
			if (d == d2)
				break;
		}
		p = skip_spaces(p);
		if (*p == ',' && isalpha((unsigned char) *skip_spaces(p + 1)))
		{
			p++;
			continue;
		}
		break;
	}
	if (!isdigit((unsigned char) *p))
		cal_syntax(ps, psprintf("Expected a time range such as \"09:00-17:00\" at \"%s\" in \"%s\".",
								token_at(p, NULL), ps->clause));
	for (;;)
	{
		int32		start = parse_time(ps, &p);
		int32		end;

		p = skip_spaces(p);
		if (*p != '-')
			cal_syntax(ps, psprintf("Expected \"-\" and the end of the time range at \"%s\" in \"%s\".",
									token_at(p, NULL), ps->clause));
		p++;
		end = parse_time(ps, &p);
		if (end <= start)
		{
			StringInfoData buf;

			initStringInfo(&buf);
			format_time(&buf, start);
			appendStringInfoChar(&buf, '-');
			format_time(&buf, end);
			cal_syntax(ps, psprintf("The time range \"%s\" in \"%s\" does not end after it starts; a night shift is two ranges on consecutive days, such as \"mon 22:00-24:00; tue 00:00-06:00\".",
									buf.data, ps->clause));
		}
		for (int d = 0; d < 7; d++)
		{
			if (!days[d])
				continue;
			if (ps->nranges >= MAX_RANGES)
				cal_syntax(ps, psprintf("A calendar has at most %d working ranges.", MAX_RANGES));
			if (ps->nranges >= ps->rcap)
			{
				ps->rcap *= 2;
				ps->ranges = repalloc(ps->ranges, sizeof(CalRange) * ps->rcap);
			}
			ps->ranges[ps->nranges].start = d * SECS_PER_DAY + start;
			ps->ranges[ps->nranges].end = d * SECS_PER_DAY + end;
			ps->nranges++;
		}
		p = skip_spaces(p);
		if (*p == ',')
		{
			p++;
			continue;
		}
		if (*p != '\0')
			cal_syntax(ps, psprintf("Unexpected text \"%s\" in \"%s\".",
									kpi_excerpt(p, strlen(p)), ps->clause));
		break;
	}
}

/* "2026-12-25, 2026-12-26" */
static void
parse_holidays(CalParser *ps, const char *p)
{
	for (;;)
	{
		const char *start;
		int			y = 0;
		int			m = 0;
		int			d = 0;
		int			n;

		p = skip_spaces(p);
		start = p;
		for (n = 0; isdigit((unsigned char) *p) && n < 5; n++)
			y = y * 10 + (*p++ - '0');
		if (n != 4 || *p != '-' || !isdigit((unsigned char) p[1]) || !isdigit((unsigned char) p[2]) ||
			p[3] != '-' || !isdigit((unsigned char) p[4]) || !isdigit((unsigned char) p[5]) ||
			isdigit((unsigned char) p[6]))
			cal_syntax(ps, psprintf("Invalid date \"%s\" in \"%s\": holidays are dates YYYY-MM-DD.",
									token_at(start, NULL), ps->clause));
		m = (p[1] - '0') * 10 + (p[2] - '0');
		d = (p[4] - '0') * 10 + (p[5] - '0');
		p += 6;
		if (y < MIN_HOLIDAY_YEAR || y > MAX_HOLIDAY_YEAR || m < 1 || m > 12 ||
			d < 1 || d > day_tab[isleap(y)][m - 1])
			cal_syntax(ps, psprintf("Invalid date \"%s\" in \"%s\": no such day in years %d to %d.",
									pnstrdup(start, p - start), ps->clause,
									MIN_HOLIDAY_YEAR, MAX_HOLIDAY_YEAR));
		if (ps->nholidays >= MAX_HOLIDAYS)
			cal_syntax(ps, psprintf("A calendar has at most %d holidays.", MAX_HOLIDAYS));
		if (ps->nholidays >= ps->hcap)
		{
			ps->hcap *= 2;
			ps->holidays = repalloc(ps->holidays, sizeof(int32) * ps->hcap);
		}
		ps->holidays[ps->nholidays++] = date2j(y, m, d) - POSTGRES_EPOCH_JDATE;
		p = skip_spaces(p);
		if (*p == ',')
		{
			p++;
			continue;
		}
		if (*p != '\0')
			cal_syntax(ps, psprintf("Unexpected text \"%s\" in \"%s\".",
									kpi_excerpt(p, strlen(p)), ps->clause));
		break;
	}
}

static int
cal_range_cmp(const void *a, const void *b)
{
	const CalRange *x = a;
	const CalRange *y = b;

	if (x->start != y->start)
		return x->start < y->start ? -1 : 1;
	return x->end < y->end ? -1 : (x->end > y->end ? 1 : 0);
}

static int
int32_cmp(const void *a, const void *b)
{
	int32		x = *(const int32 *) a;
	int32		y = *(const int32 *) b;

	return x < y ? -1 : (x > y ? 1 : 0);
}

static BusinessCalendar *
calendar_make(const CalRange *ranges, int nranges, const int32 *holidays, int nholidays,
			  const char *tzname)
{
	int			tzlen = strlen(tzname);
	Size		size = calendar_size(nranges, nholidays, tzlen);
	BusinessCalendar *c = palloc0(size);

	SET_VARSIZE(c, size);
	c->version = KPI_FORMAT_VERSION;
	c->tzlen = tzlen;
	c->nranges = nranges;
	c->nholidays = nholidays;
	for (int i = 0; i < nranges; i++)
	{
		CAL_RANGES(c)[2 * i] = ranges[i].start;
		CAL_RANGES(c)[2 * i + 1] = ranges[i].end;
	}
	if (nholidays > 0)
		memcpy(CAL_HOLIDAYS(c), holidays, sizeof(int32) * nholidays);
	memcpy(CAL_TZNAME(c), tzname, tzlen + 1);
	return c;
}

PG_FUNCTION_INFO_V1(kpi_calendar_in);
Datum
kpi_calendar_in(PG_FUNCTION_ARGS)
{
	char	   *str = PG_GETARG_CSTRING(0);
	CalParser	ps;
	const char *p = str;
	const char *tzname;
	int			n;
	bool		any = false;

	memset(&ps, 0, sizeof(ps));
	ps.input = str;
	ps.rcap = 16;
	ps.ranges = palloc(sizeof(CalRange) * ps.rcap);
	ps.hcap = 16;
	ps.holidays = palloc(sizeof(int32) * ps.hcap);

	while (*p)
	{
		const char *semi = strchr(p, ';');
		char	   *clause = semi ? pnstrdup(p, semi - p) : pstrdup(p);
		char	   *c = (char *) skip_spaces(clause);
		char	   *e = c + strlen(c);
		const char *q;

		p = semi ? semi + 1 : p + strlen(p);
		while (e > c && isspace((unsigned char) e[-1]))
			*--e = '\0';
		if (*c == '\0')
			continue;			/* empty clause, e.g. after a trailing ";" */
		any = true;
		/* for messages only: a huge clause is not copied into every one */
		ps.clause = kpi_excerpt(c, strlen(c));
		/* "key = value" or a day clause */
		for (q = c; isalpha((unsigned char) *q); q++)
			;
		if (q > c && *skip_spaces(q) == '=')
		{
			char	   *key = pnstrdup(c, q - c);
			const char *value = skip_spaces(skip_spaces(q) + 1);

			if (pg_strcasecmp(key, "tz") == 0)
			{
				if (ps.tzname != NULL)
					cal_syntax(&ps, psprintf("The key \"tz\" appears more than once, in \"%s\".", ps.clause));
				if (*value == '\0')
					cal_syntax(&ps, "Expected a time zone name after \"tz=\".");
				ps.tzname = pstrdup(value);
			}
			else if (pg_strcasecmp(key, "holidays") == 0)
			{
				if (ps.seen_holidays)
					cal_syntax(&ps, psprintf("The key \"holidays\" appears more than once, in \"%s\".", ps.clause));
				ps.seen_holidays = true;
				parse_holidays(&ps, value);
			}
			else
				cal_syntax(&ps, psprintf("Unknown key \"%s\" in \"%s\": the keys are tz and holidays.",
										 kpi_excerpt(key, strlen(key)), ps.clause));
		}
		else
			parse_day_clause(&ps, c);
	}
	if (!any)
		cal_syntax(&ps, "A calendar needs at least one clause, such as \"mon-fri 09:00-17:00\".");

	/* ranges: sorted, overlaps are errors, touching ranges of one day merge */
	qsort(ps.ranges, ps.nranges, sizeof(CalRange), cal_range_cmp);
	n = 0;
	for (int i = 0; i < ps.nranges; i++)
	{
		if (n > 0 && ps.ranges[n - 1].end > ps.ranges[i].start)
			cal_syntax(&ps, psprintf("The working ranges \"%s\" and \"%s\" overlap.",
									 format_range(&ps.ranges[n - 1]), format_range(&ps.ranges[i])));
		if (n > 0 && ps.ranges[n - 1].end == ps.ranges[i].start &&
			ps.ranges[i].start % SECS_PER_DAY != 0)
			ps.ranges[n - 1].end = ps.ranges[i].end;
		else
			ps.ranges[n++] = ps.ranges[i];
	}
	ps.nranges = n;

	/* holidays: sorted and distinct */
	qsort(ps.holidays, ps.nholidays, sizeof(int32), int32_cmp);
	n = 0;
	for (int i = 0; i < ps.nholidays; i++)
		if (n == 0 || ps.holidays[n - 1] != ps.holidays[i])
			ps.holidays[n++] = ps.holidays[i];
	ps.nholidays = n;

	tzname = kpi_zone_lookup(ps.tzname ? ps.tzname : "UTC")->name;
	PG_RETURN_POINTER(calendar_make(ps.ranges, ps.nranges, ps.holidays, ps.nholidays, tzname));
}

static BusinessCalendar *
calendar_arg(FunctionCallInfo fcinfo, int argno)
{
	struct varlena *v = PG_DETOAST_DATUM(PG_GETARG_DATUM(argno));

	calendar_validate((BusinessCalendar *) v, VARSIZE(v), false);
	return (BusinessCalendar *) v;
}

/* the ranges of weekday d, as seconds from that day's midnight, equal to day e's? */
static bool
same_day_ranges(const BusinessCalendar *c, int d, int e)
{
	const int32 *r = CAL_RANGES(c);
	int			i = 0;
	int			j = 0;

	while (i < c->nranges && r[2 * i] / SECS_PER_DAY < d)
		i++;
	while (j < c->nranges && r[2 * j] / SECS_PER_DAY < e)
		j++;
	for (;;)
	{
		bool		in_d = i < c->nranges && r[2 * i] / SECS_PER_DAY == d;
		bool		in_e = j < c->nranges && r[2 * j] / SECS_PER_DAY == e;

		if (!in_d || !in_e)
			return in_d == in_e;
		if (r[2 * i] - d * SECS_PER_DAY != r[2 * j] - e * SECS_PER_DAY ||
			r[2 * i + 1] - d * SECS_PER_DAY != r[2 * j + 1] - e * SECS_PER_DAY)
			return false;
		i++;
		j++;
	}
}

/*
 * Canonical text: days with the same ranges are grouped, in weekday order
 * of their first day, as runs "mon-fri" and lists "mon,wed"; then tz= and
 * holidays=.  The form reads back to the same value.
 */
PG_FUNCTION_INFO_V1(kpi_calendar_out);
Datum
kpi_calendar_out(PG_FUNCTION_ARGS)
{
	BusinessCalendar *c = calendar_arg(fcinfo, 0);
	const int32 *r = CAL_RANGES(c);
	bool		has[7] = {false};
	bool		done[7] = {false};
	StringInfoData buf;

	initStringInfo(&buf);
	for (int i = 0; i < c->nranges; i++)
		has[r[2 * i] / SECS_PER_DAY] = true;
	for (int d = 0; d < 7; d++)
	{
		bool		group[7] = {false};
		bool		first = true;

		if (!has[d] || done[d])
			continue;
		for (int e = d; e < 7; e++)
			if (has[e] && !done[e] && same_day_ranges(c, d, e))
				group[e] = done[e] = true;
		for (int e = 0; e < 7; e++)
		{
			int			last = e;

			if (!group[e])
				continue;
			while (last + 1 < 7 && group[last + 1])
				last++;
			appendStringInfo(&buf, "%s%s", first ? "" : ",", day_names[e]);
			if (last > e)
				appendStringInfo(&buf, "-%s", day_names[last]);
			first = false;
			e = last;
		}
		first = true;
		for (int i = 0; i < c->nranges; i++)
		{
			if (r[2 * i] / SECS_PER_DAY != d)
				continue;
			appendStringInfoChar(&buf, first ? ' ' : ',');
			format_time(&buf, r[2 * i] - d * SECS_PER_DAY);
			appendStringInfoChar(&buf, '-');
			format_time(&buf, r[2 * i + 1] - d * SECS_PER_DAY);
			first = false;
		}
		appendStringInfoString(&buf, "; ");
	}
	appendStringInfo(&buf, "tz=%s", CAL_TZNAME(c));
	for (int i = 0; i < c->nholidays; i++)
	{
		int			y,
					m,
					d;

		j2date(CAL_HOLIDAYS(c)[i] + POSTGRES_EPOCH_JDATE, &y, &m, &d);
		appendStringInfo(&buf, "%s%04d-%02d-%02d", i == 0 ? "; holidays=" : ",", y, m, d);
	}
	PG_RETURN_CSTRING(buf.data);
}

/* binary: version byte, ranges, holidays, zone name; all validated on input */
PG_FUNCTION_INFO_V1(kpi_calendar_send);
Datum
kpi_calendar_send(PG_FUNCTION_ARGS)
{
	BusinessCalendar *c = calendar_arg(fcinfo, 0);
	StringInfoData buf;

	pq_begintypsend(&buf);
	pq_sendbyte(&buf, KPI_FORMAT_VERSION);
	pq_sendint32(&buf, c->nranges);
	for (int i = 0; i < 2 * c->nranges; i++)
		pq_sendint32(&buf, CAL_RANGES(c)[i]);
	pq_sendint32(&buf, c->nholidays);
	for (int i = 0; i < c->nholidays; i++)
		pq_sendint32(&buf, CAL_HOLIDAYS(c)[i]);
	pq_sendint32(&buf, c->tzlen);
	pq_sendbytes(&buf, CAL_TZNAME(c), c->tzlen);
	PG_RETURN_BYTEA_P(pq_endtypsend(&buf));
}

PG_FUNCTION_INFO_V1(kpi_calendar_recv);
Datum
kpi_calendar_recv(PG_FUNCTION_ARGS)
{
	StringInfo	buf = (StringInfo) PG_GETARG_POINTER(0);
	CalRange   *ranges;
	int32	   *holidays;
	int32		nranges;
	int32		nholidays;
	int32		tzlen;
	char	   *name;
	const KpiZone *zone;
	BusinessCalendar *c;

	kpi_recv_version(buf, CALENDAR_TYPE);
	nranges = pq_getmsgint(buf, 4);
	if (nranges < 0 || nranges > MAX_RANGES || (int64) nranges * 8 > buf->len - buf->cursor)
		calendar_bad(true, "The number of working ranges is out of range.");
	ranges = palloc(sizeof(CalRange) * (nranges + 1));
	for (int i = 0; i < nranges; i++)
	{
		ranges[i].start = pq_getmsgint(buf, 4);
		ranges[i].end = pq_getmsgint(buf, 4);
	}
	nholidays = pq_getmsgint(buf, 4);
	if (nholidays < 0 || nholidays > MAX_HOLIDAYS || (int64) nholidays * 4 > buf->len - buf->cursor)
		calendar_bad(true, "The number of holidays is out of range.");
	holidays = palloc(sizeof(int32) * (nholidays + 1));
	for (int i = 0; i < nholidays; i++)
		holidays[i] = pq_getmsgint(buf, 4);
	tzlen = pq_getmsgint(buf, 4);
	if (tzlen < 1 || tzlen > TZ_STRLEN_MAX || tzlen > buf->len - buf->cursor)
		calendar_bad(true, "The time zone name has an invalid length.");
	name = pnstrdup(pq_getmsgbytes(buf, tzlen), tzlen);
	pq_getmsgend(buf);
	if (strlen(name) != (size_t) tzlen)
		calendar_bad(true, "The time zone name contains a zero byte.");
	for (int i = 0; i < tzlen; i++)
		if (!isprint((unsigned char) name[i]) || name[i] == ';')
			calendar_bad(true, "The time zone name has an invalid character.");
	zone = kpi_zone_find(name);
	if (zone == NULL)
		calendar_bad(true, KPI_ZONE_UNKNOWN_DETAIL);
	if (strcmp(zone->name, name) != 0)
		calendar_bad(true, "The time zone name is not in its canonical spelling.");
	c = calendar_make(ranges, nranges, holidays, nholidays, name);
	calendar_validate(c, VARSIZE(c), true);
	PG_RETURN_POINTER(c);
}

/* equality is equality of the canonical form, which is the stored form */
static bool
calendar_equal(FunctionCallInfo fcinfo)
{
	BusinessCalendar *a = calendar_arg(fcinfo, 0);
	BusinessCalendar *b = calendar_arg(fcinfo, 1);

	return VARSIZE(a) == VARSIZE(b) && memcmp(a, b, VARSIZE(a)) == 0;
}

PG_FUNCTION_INFO_V1(kpi_calendar_eq);
Datum
kpi_calendar_eq(PG_FUNCTION_ARGS)
{
	PG_RETURN_BOOL(calendar_equal(fcinfo));
}

PG_FUNCTION_INFO_V1(kpi_calendar_ne);
Datum
kpi_calendar_ne(PG_FUNCTION_ARGS)
{
	PG_RETURN_BOOL(!calendar_equal(fcinfo));
}

/* --- derived form, cached per call site ----------------------------------- */

typedef struct CalendarCache
{
	Size		size;			/* the calendar this was built from */
	BusinessCalendar *raw;
	const KpiZone *zone;		/* its offset changes, see kpi_time.h */
	int			nranges;
	int64	   *rstart;			/* microseconds from Monday 00:00 local */
	int64	   *rend;
	int64	   *rcum;			/* working time of the week before range i */
	int64		week_usecs;		/* working time per week */
	int64		day_usecs[7];	/* working time per weekday */
	int			nholidays;
	int32	   *holidays;
	int64	   *holcum;			/* working time of holidays before holiday i */
	/* working time lost (-) or gained (+) at the zone's changes before change k */
	int64	   *correction;
	MemoryContext mcxt;			/* holds all of this entry */
} CalendarCache;

/*
 * Per call site, the last few calendars: one per row of a join with a
 * table of team calendars costs a build only on the first rows.
 */
#define CACHE_SLOTS 16

typedef struct CalendarCacheSet
{
	int			n;
	int			last;			/* the slot that matched last */
	int			evict;			/* the next slot to replace when full */
	CalendarCache *slots[CACHE_SLOTS];
} CalendarCacheSet;

static int64 work_upto_holidays(const CalendarCache *cc, int64 local);

/*
 * The derived form of a calendar value, from the cache in *cache (a
 * CalendarCacheSet kept in mcxt, made on first use): see calendar.h.
 */
KpiCalendar *
kpi_calendar_lookup(void **cache, MemoryContext cache_mcxt, Datum calendar)
{
	struct varlena *v = PG_DETOAST_DATUM(calendar);
	BusinessCalendar *c = (BusinessCalendar *) v;
	Size		size = VARSIZE(v);
	CalendarCacheSet *set = (CalendarCacheSet *) *cache;
	CalendarCache *cc;
	MemoryContext mcxt;
	const int32 *r;
	const int32 *h;
	int64		sum;
	int			slot;

	if (set == NULL)
	{
		set = MemoryContextAllocZero(cache_mcxt, sizeof(CalendarCacheSet));
		*cache = set;
	}
	/* the calendar of the previous row first: usually a constant */
	for (int i = 0; i < set->n; i++)
	{
		slot = (set->last + i) % set->n;
		cc = set->slots[slot];
		if (cc->size == size && memcmp(cc->raw, c, size) == 0)
		{
			set->last = slot;
			return cc;
		}
	}
	calendar_validate(c, size, false);
	if (set->n < CACHE_SLOTS)
		slot = set->n++;
	else
	{
		slot = set->evict;
		set->evict = (set->evict + 1) % CACHE_SLOTS;
		MemoryContextDelete(set->slots[slot]->mcxt);
	}
	mcxt = AllocSetContextCreate(cache_mcxt, "business_calendar cache",
								 ALLOCSET_SMALL_SIZES);
	cc = MemoryContextAllocZero(mcxt, sizeof(CalendarCache));
	cc->mcxt = mcxt;
	set->slots[slot] = cc;
	set->last = slot;
	cc->zone = kpi_zone_lookup(CAL_TZNAME(c));
	cc->nranges = c->nranges;
	cc->rstart = MemoryContextAlloc(mcxt, sizeof(int64) * 3 * (c->nranges + 1));
	cc->rend = cc->rstart + c->nranges + 1;
	cc->rcum = cc->rend + c->nranges + 1;
	r = CAL_RANGES(c);
	sum = 0;
	for (int i = 0; i < c->nranges; i++)
	{
		cc->rstart[i] = (int64) r[2 * i] * USECS_PER_SEC;
		cc->rend[i] = (int64) r[2 * i + 1] * USECS_PER_SEC;
		cc->rcum[i] = sum;
		sum += cc->rend[i] - cc->rstart[i];
		cc->day_usecs[r[2 * i] / SECS_PER_DAY] += cc->rend[i] - cc->rstart[i];
	}
	cc->rcum[c->nranges] = sum;
	cc->week_usecs = sum;
	cc->nholidays = c->nholidays;
	cc->holidays = MemoryContextAlloc(mcxt, sizeof(int32) * (c->nholidays + 1));
	cc->holcum = MemoryContextAlloc(mcxt, sizeof(int64) * (c->nholidays + 1));
	h = CAL_HOLIDAYS(c);
	sum = 0;
	for (int i = 0; i < c->nholidays; i++)
	{
		cc->holidays[i] = h[i];
		cc->holcum[i] = sum;
		sum += cc->day_usecs[kpi_weekday(h[i])];
	}
	cc->holcum[c->nholidays] = sum;

	/*
	 * At an offset change at UTC b, local time jumps from b + offset[k] to
	 * b + offset[k + 1]: the working time between the two local instants is
	 * skipped (spring) or counted again (autumn).
	 */
	cc->correction = MemoryContextAlloc(mcxt, sizeof(int64) * (cc->zone->nbounds + 1));
	cc->correction[0] = 0;
	for (int k = 0; k < cc->zone->nbounds; k++)
		cc->correction[k + 1] = cc->correction[k] +
			work_upto_holidays(cc, cc->zone->bound[k] + cc->zone->offset[k]) -
			work_upto_holidays(cc, cc->zone->bound[k] + cc->zone->offset[k + 1]);
	cc->raw = MemoryContextAlloc(mcxt, size);
	memcpy(cc->raw, c, size);
	cc->size = size;
	return cc;
}

/* --- working time as a function of local time ---------------------------- */

/* working time of the week up to rem microseconds after Monday 00:00 */
static int64
week_work(const CalendarCache *cc, int64 rem)
{
	int			lo = 0;
	int			hi = cc->nranges;

	/* the number of ranges starting at or before rem */
	while (lo < hi)
	{
		int			mid = (lo + hi) / 2;

		if (cc->rstart[mid] <= rem)
			lo = mid + 1;
		else
			hi = mid;
	}
	if (lo == 0)
		return 0;
	return cc->rcum[lo - 1] + Min(rem - cc->rstart[lo - 1], cc->rend[lo - 1] - cc->rstart[lo - 1]);
}

/* G(L): working time from the Monday of the epoch to local L, holidays ignored */
static int64
work_upto(const CalendarCache *cc, int64 local)
{
	int64		rem;
	int64		weeks = kpi_local_week(local, &rem);

	return weeks * cc->week_usecs + week_work(cc, rem);
}

/* the number of holidays before the local date */
static int
holidays_before(const CalendarCache *cc, int64 date)
{
	int			lo = 0;
	int			hi = cc->nholidays;

	while (lo < hi)
	{
		int			mid = (lo + hi) / 2;

		if (cc->holidays[mid] < date)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

/* F(L): G(L) less the working time of holidays before L */
static int64
work_upto_holidays(const CalendarCache *cc, int64 local)
{
	int64		g = work_upto(cc, local);
	int64		date;
	int			i;

	if (cc->nholidays == 0)
		return g;
	date = kpi_local_day(local);
	i = holidays_before(cc, date);
	/* inside a holiday, the time stands still at its start */
	if (i < cc->nholidays && cc->holidays[i] == date)
		g = work_upto(cc, date * USECS_PER_DAY);
	return g - cc->holcum[i];
}

static void
result_out_of_range(void)
{
	ereport(ERROR,
			(errcode(ERRCODE_DATETIME_VALUE_OUT_OF_RANGE),
			 errmsg("timestamp out of range"),
			 errdetail("The working time would end after the largest timestamp.")));
}

/* the smallest local L with G(L) = target (week_usecs > 0) */
static int64
work_inverse(const CalendarCache *cc, int64 target)
{
	int64		weeks = kpi_floor_div(target - 1, cc->week_usecs);
	int64		rw = target - weeks * cc->week_usecs;	/* 1..week_usecs */
	int			lo = 0;
	int			hi = cc->nranges - 1;
	int64		result;

	/* the first range whose end reaches rw */
	while (lo < hi)
	{
		int			mid = (lo + hi) / 2;

		if (cc->rcum[mid + 1] >= rw)
			hi = mid;
		else
			lo = mid + 1;
	}
	if (pg_mul_s64_overflow(weeks, KPI_USECS_PER_WEEK, &result) ||
		pg_add_s64_overflow(result, KPI_MONDAY_USECS + cc->rstart[lo] + (rw - cc->rcum[lo]), &result))
		result_out_of_range();
	return result;
}

/* the smallest local L >= cur with F(L) - F(cur) = r > 0, walking over holidays */
static int64
work_add(const CalendarCache *cc, int64 cur, int64 r)
{
	int			i = holidays_before(cc, kpi_local_day(cur));

	for (;;)
	{
		int64		target;
		int64		cand;
		int64		hstart;

		if (pg_add_s64_overflow(work_upto(cc, cur), r, &target))
			result_out_of_range();
		cand = work_inverse(cc, target);
		if (i >= cc->nholidays)
			return cand;
		hstart = (int64) cc->holidays[i] * USECS_PER_DAY;
		if (hstart >= cand)
			return cand;
		/* the holiday starts before the work is done: skip it */
		if (hstart > cur)
			r -= work_upto(cc, hstart) - work_upto(cc, cur);
		cur = Max(cur, hstart + USECS_PER_DAY);
		i++;
		CHECK_FOR_INTERRUPTS();
	}
}

static int64
finite_timestamp(TimestampTz t, const char *what)
{
	if (TIMESTAMP_NOT_FINITE(t))
		ereport(ERROR,
				(errcode(ERRCODE_DATETIME_VALUE_OUT_OF_RANGE),
				 errmsg("%s must be finite", what),
				 errhint("Map infinite timestamps to NULL.")));
	return t;
}

/* --- the engine (calendar.h) ------------------------------------------------ */

/*
 * Working time above what an interval holds: a near-24/7 calendar over most
 * of the timestamp range (4713 BC to 294276 AD) passes 2^63 microseconds.
 */
static void
duration_out_of_range(void)
{
	ereport(ERROR,
			(errcode(ERRCODE_DATETIME_VALUE_OUT_OF_RANGE),
			 errmsg("interval out of range"),
			 errdetail("The working time between the two instants exceeds the largest interval."),
			 errhint("Measure shorter spans, or map such rows to NULL.")));
}

/* F(to) - F(from) for from <= to, checked: the two can lie 2^63 apart */
static int64
work_between(const CalendarCache *cc, int64 from, int64 to)
{
	int64		result;

	if (pg_sub_s64_overflow(work_upto_holidays(cc, to), work_upto_holidays(cc, from), &result))
		duration_out_of_range();
	return result;
}

bool
kpi_business_clock(const KpiCalendar *cc, TimestampTz t, int64 *clock)
{
	int			k;

	if (cc->week_usecs == 0)
	{
		*clock = 0;
		return true;
	}
	if (t < KPI_ZONE_TABLE_FROM || t >= KPI_ZONE_TABLE_TO)
		return false;
	k = kpi_zone_piece(cc->zone, t);
	*clock = work_upto_holidays(cc, t + cc->zone->offset[k]) + cc->correction[k];
	return true;
}

int64
kpi_business_usecs(const KpiCalendar *cc, TimestampTz s, TimestampTz f)
{
	int64		total = 0;
	int64		u = s;
	int64		cs;
	int64		cf;

	Assert(s <= f);
	if (cc->week_usecs == 0)
		return 0;
	/* the common case: two lookups, whatever the span */
	if (kpi_business_clock(cc, s, &cs) && kpi_business_clock(cc, f, &cf))
		return cf - cs;
	while (u < f)
	{
		int64		end;
		int64		o = kpi_zone_offset(cc->zone, u, &end);

		end = Min(end, f);
		if (pg_add_s64_overflow(total, work_between(cc, u + o, end + o), &total))
			duration_out_of_range();
		u = end;
	}
	return total;
}

TimestampTz
kpi_business_add(const KpiCalendar *cc, TimestampTz s, int64 r)
{
	int64		u = s;

	Assert(r >= 0);
	if (r == 0)
		return s;
	if (cc->week_usecs == 0)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("business calendar has no working time"),
				 errdetail("Calendar \"%s\" has no working ranges, so no duration can elapse.",
						   DatumGetCString(DirectFunctionCall1(kpi_calendar_out, PointerGetDatum(cc->raw)))),
				 errhint("Add weekday ranges such as \"mon-fri 09:00-17:00\".")));
	for (;;)
	{
		int64		end;
		int64		o = kpi_zone_offset(cc->zone, u, &end);

		/*
		 * Working time in a piece is at most its length: only then can the
		 * work end in this piece, and usually it does (SLA durations are
		 * short), so try that first.
		 */
		if (end == PG_INT64_MAX || r <= end - u)
		{
			int64		local = work_add(cc, u + o, r);

			if (end == PG_INT64_MAX || local <= end + o)
			{
				if (!IS_VALID_TIMESTAMP(local - o))
					result_out_of_range();
				return local - o;
			}
		}
		r -= work_between(cc, u + o, end + o);
		u = end;
		if (u >= END_TIMESTAMP)
			result_out_of_range();
		CHECK_FOR_INTERRUPTS();
	}
}

bool
kpi_is_business_time(const KpiCalendar *cc, TimestampTz t)
{
	int64		end;
	int64		local = t + kpi_zone_offset(cc->zone, t, &end);
	int64		date = kpi_local_day(local);
	int64		rem;
	int			i;

	(void) kpi_local_week(local, &rem);
	i = holidays_before(cc, date);
	if (i < cc->nholidays && cc->holidays[i] == date)
		return false;
	/* working time grows right after the instant: it is inside a range */
	return week_work(cc, rem + 1) > week_work(cc, rem);
}

/* --- SQL functions ---------------------------------------------------------- */

/* the engine of argument argno, cached for the call site */
static KpiCalendar *
calendar_arg_engine(FunctionCallInfo fcinfo, int argno)
{
	return kpi_calendar_lookup(&fcinfo->flinfo->fn_extra, fcinfo->flinfo->fn_mcxt,
							   PG_GETARG_DATUM(argno));
}

PG_FUNCTION_INFO_V1(kpi_calendar_duration);
Datum
kpi_calendar_duration(PG_FUNCTION_ARGS)
{
	int64		s = finite_timestamp(PG_GETARG_TIMESTAMPTZ(0), "start");
	int64		f = finite_timestamp(PG_GETARG_TIMESTAMPTZ(1), "finish");
	KpiCalendar *cc = calendar_arg_engine(fcinfo, 2);
	Interval   *result = (Interval *) palloc0(sizeof(Interval));

	if (s > f)
		ereport(ERROR,
				(errcode(ERRCODE_NUMERIC_VALUE_OUT_OF_RANGE),
				 errmsg("business_duration start is after finish"),
				 errdetail("Start %s is after finish %s.",
						   pstrdup(timestamptz_to_str(s)), pstrdup(timestamptz_to_str(f))),
				 errhint("Swap the arguments, or map such rows to NULL with CASE.")));
	result->time = kpi_business_usecs(cc, s, f);
	PG_RETURN_INTERVAL_P(result);
}

PG_FUNCTION_INFO_V1(kpi_calendar_add);
Datum
kpi_calendar_add(PG_FUNCTION_ARGS)
{
	int64		s = finite_timestamp(PG_GETARG_TIMESTAMPTZ(0), "start");
	Interval   *span = PG_GETARG_INTERVAL_P(1);
	KpiCalendar *cc = calendar_arg_engine(fcinfo, 2);
	int64		r = kpi_interval_usecs(span, "business_add duration");

	if (r < 0)
		ereport(ERROR,
				(errcode(ERRCODE_NUMERIC_VALUE_OUT_OF_RANGE),
				 errmsg("business_add duration must not be negative"),
				 errdetail("A duration must be zero or more."),
				 errhint("Working time is only counted forward from the start.")));
	PG_RETURN_TIMESTAMPTZ(kpi_business_add(cc, s, r));
}

PG_FUNCTION_INFO_V1(kpi_calendar_is_business_time);
Datum
kpi_calendar_is_business_time(PG_FUNCTION_ARGS)
{
	int64		t = finite_timestamp(PG_GETARG_TIMESTAMPTZ(0), "timestamp");

	PG_RETURN_BOOL(kpi_is_business_time(calendar_arg_engine(fcinfo, 1), t));
}
