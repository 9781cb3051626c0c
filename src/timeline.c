/*-------------------------------------------------------------------------
 *
 * timeline.c
 *	  Ticket histories: the timeline type, timeline_agg, rollup and +, time in
 *	  status (duration_in), state_at, entries, transitions, the segments, and
 *	  SLA clocks that pause (sla_elapsed, sla_due), in calendar time or in
 *	  business hours.
 *
 * A timeline is the history of one entity (a ticket, a conversation, an
 * agent) as a set of events (at, state label [, seq]).  Reading it, the
 * events are ordered by
 *
 *	  (at, events without seq before events with seq, seq, label in byte order)
 *
 * and consecutive events with the same label form one segment: state s from
 * the instant of its first event to the instant of the next event with
 * another label, the last segment open.  Every accessor reads segments:
 *
 *	  duration_in(states, since, until) = sum over segments in states of
 *										  |[start, end) intersected with [since, until)|
 *
 * where the last segment's end is until (forms with until) or its own start
 * (the form without: from the first to the last event); with a calendar,
 * |...| is working time (kpi_business_usecs of calendar.h, the one
 * business-hours engine).  sla_elapsed is the same sum over the segments NOT
 * in the paused states, the time before the first event counting as running;
 * sla_due is its inverse, found segment by segment with kpi_business_add.
 *
 * Merging.  rollup and + take the union of the events; exact duplicates (same
 * instant, label and seq, or both without seq) are one event.  Consecutive
 * events with the same label are NOT collapsed when stored: a partial history
 * (one day, one parallel worker) cannot know whether another part holds an
 * event between them, so collapsing would make the result depend on how the
 * rows were split.  Kept as distinct events, the stored value is a function of
 * the set of events only, so rollup over any partition, in any order, and
 * a + b in either order give byte-identical values; segments are merged when
 * read.
 *
 * Stored form (canonical), a varlena:
 *	  header: version, form (0), nlabels, nevents, the first event's instant
 *	  labels: nlabels times (length byte 1..255, bytes), strictly increasing
 *			  in byte order, each used by some event
 *	  events: for each event after the first, varint(at - previous at); for
 *			  every event varint(label rank * 2 + has_seq), then, with a seq,
 *			  zigzag varint(seq - the previous event's seq that had one)
 * so an event costs 7 to 9 bytes for instants an hour apart (5-6 bytes of
 * delta, 1 of label, 1-2 of seq delta), each label once.
 *
 * Inside an aggregate the state is a second form of the same type, the
 * accumulating form: events as fixed-width records appended in arrival order
 * (so a row costs O(log labels), whatever the order of the rows), a label
 * table with a byte-order permutation for lookups, and spare capacity that
 * doubles.  Every reader accepts both forms (after validating every byte);
 * final functions, +, and text and binary output give the canonical form.
 *
 * Choices: events without seq sort before those with one at the same instant
 * (so histories with and without seq merge); a NULL seq is no seq.  Limits:
 * labels of 1..255 bytes, 65535 labels and 1,000,000 distinct events per
 * timeline (54000).  A label in `states` or `paused` that a timeline does not
 * hold is not an error (a ticket that was never pending); labels no timeline
 * can hold (NULL, empty, too long) are.  Accessors read through a one-entry
 * cache of the last decoded timeline (compared by content) that also keeps
 * the working time of whole segments, so the KPIs of one ticket decode it
 * once.
 *
 *-------------------------------------------------------------------------
 */
#include "postgres.h"

#include "catalog/pg_type.h"
#include "funcapi.h"
#include "libpq/pqformat.h"
#include "mb/pg_wchar.h"
#include "miscadmin.h"
#include "nodes/execnodes.h"
#include "nodes/primnodes.h"
#include "port/pg_bitutils.h"
#include "utils/array.h"
#include "utils/builtins.h"
#include "utils/datetime.h"
#include "utils/lsyscache.h"
#include "utils/timestamp.h"

#include "calendar.h"
#include "kpi_ext.h"

#define TL_TYPE "timeline"

/* limits: distinct labels, bytes per label, distinct events per timeline */
#define TL_MAX_LABELS		65535
#define TL_MAX_LABEL_LEN	255
#define TL_MAX_EVENTS		1000000
/* the accumulating form holds up to twice as many raw rows before compacting */
#define TL_MAX_RAW_EVENTS	(2 * TL_MAX_EVENTS)
/* the label area of the accumulating form: every label at its longest */
#define TL_MAX_HEAP			(TL_MAX_LABELS * (TL_MAX_LABEL_LEN + 1))

#define TL_FORM_CANONICAL	0
#define TL_FORM_ACC			1

typedef struct TlHeader
{
	int32		vl_len_;		/* varlena header (do not touch directly!) */
	uint8		version;		/* KPI_FORMAT_VERSION */
	uint8		form;			/* TL_FORM_CANONICAL or TL_FORM_ACC */
	uint16		unused;			/* zero */
	int32		nlabels;
	int32		nevents;
} TlHeader;

/* the canonical form: the header, the first instant, labels, events */
#define TL_CANON_HEADER (sizeof(TlHeader) + sizeof(int64))

/* one event; label is a label id (accumulating form) or a rank (views) */
typedef struct TlEvent
{
	int64		at;
	int64		seq;			/* 0 without a seq */
	uint32		label;
	uint32		has_seq;		/* 0 or 1 */
} TlEvent;

/*
 * The accumulating form: the header, then
 *	  TlEvent	events[cap_events]	(nevents used, in arrival order)
 *	  uint32	off[cap_labels]		(offset in heap of label id i)
 *	  uint32	perm[cap_labels]	(label ids in byte order of their labels)
 *	  char		heap[cap_heap]		(labels as length byte + bytes, in id order)
 * Unused capacity is zero bytes.
 */
typedef struct TlAcc
{
	TlHeader	h;
	int32		cap_events;
	int32		cap_labels;
	int32		heap_used;
	int32		cap_heap;
} TlAcc;

/*
 * The first capacities: a ticket's history (5 events, 5 short states) in 240
 * bytes, one 256-byte allocation; a larger history doubles its capacities.
 */
#define TL_INIT_EVENTS	5
#define TL_INIT_LABELS	6
#define TL_INIT_HEAP	40

#define ACC_EVENTS(a)	((TlEvent *) ((char *) (a) + sizeof(TlAcc)))
#define ACC_OFF(a)		((uint32 *) (ACC_EVENTS(a) + (a)->cap_events))
#define ACC_PERM(a)		(ACC_OFF(a) + (a)->cap_labels)
#define ACC_HEAP(a)		((char *) (ACC_PERM(a) + (a)->cap_labels))

static Size
acc_size(int64 cap_events, int64 cap_labels, int64 cap_heap)
{
	return sizeof(TlAcc) + cap_events * sizeof(TlEvent) +
		cap_labels * 2 * sizeof(uint32) + cap_heap;
}

/*
 * A timeline read for computing: labels by rank (byte order), events sorted
 * and without duplicates, their label a rank.
 */
typedef struct TlView
{
	int32		nlabels;
	const char **lab;
	int		   *len;
	uint64	   *key;			/* label_key() of each label */
	const char *label_area;		/* the labels as stored (canonical form), or NULL */
	int32		label_area_size;
	int32		n;
	TlEvent    *ev;
	/* filled on demand by the accessors, in the buffers of owner if set */
	struct TlViewCache *owner;
	struct TlSegment *seg;		/* the segments, or NULL */
	int32		nseg;
	int64	   *clock;			/* kpi_business_clock at each segment's start, */
	int64	   *work;			/* the working time of each whole segment (-1: unknown), */
	char	   *clock_cal;		/* ... under this business_calendar value (own views), */
	Size		clock_cal_size;	/* 0: none yet */
	uint64		clock_gen;		/* ... under the owner's clock_cal_gen (cached views) */
} TlView;

/* a segment: consecutive events with one label */
typedef struct TlSegment
{
	int32		label;			/* rank */
	TimestampTz start;
	TimestampTz end;			/* the next segment's start; unused when open */
	bool		open;			/* the last segment */
} TlSegment;

/* the memo of masks: slots, and the label sets it keeps (bytes, labels) */
#define TL_MEMO_SLOTS	4
#define TL_MEMO_AREA	128
#define TL_MEMO_LABELS	16

/*
 * Per call site: the business calendars seen, the states argument (a text[],
 * usually a constant) split into labels once, and room for its mask over a
 * timeline's labels.
 */
typedef struct TlCallCache
{
	void	   *calendars;		/* kpi_calendar_lookup's cache */
	int8		cal_const;		/* the calendar argument is a Const: 1, not: 0, -1 unknown */
	KpiCalendar *cal;			/* the constant calendar's engine, once looked up */
	int8		states_const;	/* likewise for the states argument */
	uint64		cal_gen;		/* the cache's clock_cal_gen the constant calendar equals */
	char	   *states_raw;		/* the states array as last seen, or NULL */
	Size		states_size;
	int			nstates;
	const char **states;		/* its labels (pointers into states_raw) */
	int		   *states_len;
	uint64	   *states_key;
	bool	   *mask;			/* room for mask_cap labels */
	int32		mask_cap;
	/* the masks of the last few label sets (most tickets have one of a few) */
	int16		memo_size[TL_MEMO_SLOTS];	/* bytes of the label area, -1 empty */
	int16		memo_next;
	char		memo_labels[TL_MEMO_SLOTS][TL_MEMO_AREA];
	bool		memo_mask[TL_MEMO_SLOTS][TL_MEMO_LABELS];
} TlCallCache;

/*
 * The last canonical timeline read by an accessor, validated and decoded, in
 * buffers kept for the next one (a query reads one timeline after another):
 * a query that reads several KPIs of one timeline (duration_in three times
 * and sla_elapsed on every row) decodes it once, and the next timeline
 * allocates nothing unless it is larger.  An entry is found by comparing the
 * whole value, never by address.
 */
#define TL_VIEW_CACHE_MAX	(256 * 1024)

typedef struct TlViewCache
{
	MemoryContext mcxt;
	Size		size;			/* 0: no valid entry */
	char	   *raw;			/* a copy of the value */
	Size		raw_cap;
	int32		cap_labels;		/* capacities of the arrays */
	int32		cap_events;
	char	   *arrays;			/* key, ev, lab, len, then seg_space, clock_space, work_space */
	struct TlSegment *seg_space;
	int64	   *clock_space;
	int64	   *work_space;
	char	   *clock_cal;		/* the calendar of the views' clocks, kept across views */
	Size		clock_cal_size;
	Size		clock_cal_cap;
	uint64		clock_cal_gen;	/* a number for its value, never reused; 0: none */
	TlView		view;			/* pointing into the buffers above */
} TlViewCache;

/* the last clock_cal_gen given */
static uint64 tl_clock_cal_gen;

static TlViewCache tl_view_cache;

/* --- small helpers ------------------------------------------------------- */

static inline int
label_cmp(const char *a, int la, const char *b, int lb)
{
	int			c;

	/* the first bytes usually decide */
	if (la > 0 && lb > 0 && a[0] != b[0])
		return (uint8) a[0] < (uint8) b[0] ? -1 : 1;
	c = memcmp(a, b, Min(la, lb));

	if (c != 0)
		return c;
	return la - lb;
}

/*
 * A label as one integer: its length and its first 7 bytes.  Two labels of at
 * most 7 bytes are equal exactly when their keys are; longer ones with equal
 * keys compare the rest.  Ticket states are short, so finding one of a
 * handful of labels is a few integer compares.
 */
static inline uint64
label_key(const char *s, int len)
{
	uint64		k = (uint64) len << 56;

	switch (Min(len, 7))
	{
		case 7:
			k |= (uint64) (uint8) s[6] << 48;
			/* FALLTHROUGH */
		case 6:
			k |= (uint64) (uint8) s[5] << 40;
			/* FALLTHROUGH */
		case 5:
			k |= (uint64) (uint8) s[4] << 32;
			/* FALLTHROUGH */
		case 4:
			k |= (uint64) (uint8) s[3] << 24;
			/* FALLTHROUGH */
		case 3:
			k |= (uint64) (uint8) s[2] << 16;
			/* FALLTHROUGH */
		case 2:
			k |= (uint64) (uint8) s[1] << 8;
			/* FALLTHROUGH */
		case 1:
			k |= (uint64) (uint8) s[0];
	}
	return k;
}

static inline bool
label_eq(const char *a, uint64 ka, const char *b, int len, uint64 kb)
{
	return ka == kb && (len <= 7 || memcmp(a + 7, b + 7, len - 7) == 0);
}

static int
event_cmp(const TlEvent *x, const TlEvent *y)
{
	if (x->at != y->at)
		return x->at < y->at ? -1 : 1;
	if (x->has_seq != y->has_seq)
		return x->has_seq < y->has_seq ? -1 : 1;
	if (x->seq != y->seq)
		return x->seq < y->seq ? -1 : 1;
	if (x->label != y->label)
		return x->label < y->label ? -1 : 1;
	return 0;
}

static int
event_qsort_cmp(const void *a, const void *b)
{
	return event_cmp((const TlEvent *) a, (const TlEvent *) b);
}

/* events whose label is an id, ordered through rank[id] */
static int
event_id_cmp(const void *a, const void *b, void *arg)
{
	const TlEvent *x = (const TlEvent *) a;
	const TlEvent *y = (const TlEvent *) b;
	const uint32 *rank = (const uint32 *) arg;
	TlEvent		xr = *x;
	TlEvent		yr = *y;

	xr.label = rank[x->label];
	yr.label = rank[y->label];
	return event_cmp(&xr, &yr);
}

static inline int
varint_len(uint64 v)
{
	/* 7 bits a byte: 1 + (position of the highest set bit) / 7 */
	return 1 + pg_leftmost_one_pos64(v | 1) / 7;
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

/* a minimal varint of at most 64 bits; false when malformed */
static inline bool
varint_get(const uint8 **pp, const uint8 *end, uint64 *v)
{
	const uint8 *p = *pp;
	uint64		r = 0;
	int			shift = 0;

	for (;;)
	{
		uint8		b;

		if (p >= end)
			return false;
		b = *p++;
		if (shift == 63 && b > 1)
			return false;
		r |= (uint64) (b & 0x7f) << shift;
		if ((b & 0x80) == 0)
		{
			if (b == 0 && shift > 0)
				return false;	/* overlong */
			break;
		}
		shift += 7;
	}
	*pp = p;
	*v = r;
	return true;
}

static inline uint64
zigzag(int64 d)
{
	return ((uint64) d << 1) ^ (uint64) (d >> 63);
}

static inline int64
unzigzag(uint64 z)
{
	return (int64) ((z >> 1) ^ (~(z & 1) + 1));
}

static char *
ts_str(TimestampTz t)
{
	/* timestamptz_to_str returns a static buffer */
	return pstrdup(timestamptz_to_str(t));
}

static void
check_finite(TimestampTz t, const char *what)
{
	if (TIMESTAMP_NOT_FINITE(t))
		ereport(ERROR,
				(errcode(ERRCODE_DATETIME_VALUE_OUT_OF_RANGE),
				 errmsg("%s must be finite", what),
				 errdetail("Timelines hold finite instants; infinity is not an instant of a history."),
				 errhint("Map unknown times to NULL (the row is skipped), or pass a real instant such as now().")));
}

static int64
add_usecs(int64 a, int64 b)
{
	int64		r;

	if (pg_add_s64_overflow(a, b, &r))
		ereport(ERROR,
				(errcode(ERRCODE_DATETIME_VALUE_OUT_OF_RANGE),
				 errmsg("interval out of range"),
				 errdetail("The total time exceeds the 64-bit range of microseconds.")));
	return r;
}

/* the length of [a, b), a <= b, in calendar time or in working time */
static int64
span_usecs(const KpiCalendar *cal, TimestampTz a, TimestampTz b)
{
	int64		d;

	if (cal != NULL)
		return kpi_business_usecs(cal, a, b);
	if (pg_sub_s64_overflow(b, a, &d))
		ereport(ERROR,
				(errcode(ERRCODE_DATETIME_VALUE_OUT_OF_RANGE),
				 errmsg("interval out of range"),
				 errdetail("The time between %s and %s exceeds the 64-bit range of microseconds.",
						   ts_str(a), ts_str(b))));
	return d;
}

static Interval *
usecs_interval(int64 usecs)
{
	Interval   *r = (Interval *) palloc(sizeof(Interval));

	r->time = usecs;
	r->day = 0;
	r->month = 0;
	return r;
}

/*
 * A label given as an input row (arg false) or as an argument naming a state
 * (arg true): not empty, not too long.
 */
static void
check_label(const char *s, int len, const char *what, bool arg)
{
	if (len == 0)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("%s must not be empty", what),
				 errdetail("A timeline state is a non-empty label such as 'open'."),
				 arg ? errhint("Name the states as they appear in the history, such as 'pending'.") :
				 errhint("Map empty states to NULL to skip the row, or give them a name such as 'unknown'.")));
	if (len > TL_MAX_LABEL_LEN)
		ereport(ERROR,
				(errcode(arg ? ERRCODE_INVALID_PARAMETER_VALUE : ERRCODE_PROGRAM_LIMIT_EXCEEDED),
				 errmsg("%s is too long", what),
				 errdetail("The state \"%s\" has %d bytes; a timeline state has at most %d.",
						   kpi_excerpt(s, len), len, TL_MAX_LABEL_LEN),
				 arg ? errhint("Name the states as they appear in the history, such as 'pending'.") :
				 errhint("Map long labels to short codes, such as a status id or an abbreviation.")));
}

static void
too_many_labels(void)
{
	ereport(ERROR,
			(errcode(ERRCODE_PROGRAM_LIMIT_EXCEEDED),
			 errmsg("timeline has too many distinct states"),
			 errdetail("A timeline holds at most %d distinct state labels.", TL_MAX_LABELS),
			 errhint("Group the rows by the entity whose history it is (GROUP BY ticket_id), or map free-text values to a few states.")));
}

static void
too_many_events(int64 n)
{
	ereport(ERROR,
			(errcode(ERRCODE_PROGRAM_LIMIT_EXCEEDED),
			 errmsg("timeline has too many events"),
			 errdetail("The history holds " INT64_FORMAT " distinct events; a timeline holds at most %d.",
					   n, TL_MAX_EVENTS),
			 errhint("Group the rows by the entity whose history it is (GROUP BY ticket_id), or split long histories by month.")));
}

/* --- the accumulating form ------------------------------------------------- */

static TlAcc *
acc_new(int32 cap_events, int32 cap_labels, int32 cap_heap)
{
	Size		size = acc_size(cap_events, cap_labels, cap_heap);
	TlAcc	   *a = (TlAcc *) palloc0(size);

	SET_VARSIZE(a, size);
	a->h.version = KPI_FORMAT_VERSION;
	a->h.form = TL_FORM_ACC;
	a->cap_events = cap_events;
	a->cap_labels = cap_labels;
	a->cap_heap = cap_heap;
	return a;
}

/* a copy of a with at least the given capacities, in CurrentMemoryContext */
static TlAcc *
acc_grow(const TlAcc *a, int64 cap_events, int64 cap_labels, int64 cap_heap)
{
	TlAcc	   *r;

	cap_events = Max(cap_events, a->cap_events);
	cap_labels = Max(cap_labels, a->cap_labels);
	cap_heap = Max(cap_heap, a->cap_heap);
	r = acc_new((int32) cap_events, (int32) cap_labels, (int32) cap_heap);
	r->h.nlabels = a->h.nlabels;
	r->h.nevents = a->h.nevents;
	r->heap_used = a->heap_used;
	memcpy(ACC_EVENTS(r), ACC_EVENTS(a), a->h.nevents * sizeof(TlEvent));
	memcpy(ACC_OFF(r), ACC_OFF(a), a->h.nlabels * sizeof(uint32));
	memcpy(ACC_PERM(r), ACC_PERM(a), a->h.nlabels * sizeof(uint32));
	memcpy(ACC_HEAP(r), ACC_HEAP(a), a->heap_used);
	return r;
}

static inline const char *
acc_label(const TlAcc *a, uint32 id, int *len)
{
	const char *p = ACC_HEAP(a) + ACC_OFF(a)[id];

	*len = (uint8) p[0];
	return p + 1;
}

/*
 * The id of label s in the accumulating form *ap, added when new (the form
 * may be replaced by a larger copy).
 */
static uint32
acc_label_id(TlAcc **ap, const char *s, int len)
{
	TlAcc	   *a = *ap;
	uint32	   *perm = ACC_PERM(a);
	int			lo = 0;
	int			hi = a->h.nlabels;
	uint32		id;

	/*
	 * A ticket has a handful of states: one pass in byte order finds the
	 * label or where it goes (label_cmp looks at the first bytes first).
	 */
	if (a->h.nlabels <= 8)
	{
		for (; lo < hi; lo++)
		{
			int			l;
			const char *m = acc_label(a, perm[lo], &l);
			int			c = label_cmp(m, l, s, len);

			if (c == 0)
				return perm[lo];
			if (c > 0)
				break;
		}
		hi = lo;
	}
	while (lo < hi)
	{
		int			mid = (lo + hi) / 2;
		int			l;
		const char *m = acc_label(a, perm[mid], &l);
		int			c = label_cmp(m, l, s, len);

		if (c == 0)
			return perm[mid];
		if (c < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	if (a->h.nlabels >= TL_MAX_LABELS)
		too_many_labels();
	if (a->h.nlabels >= a->cap_labels || a->heap_used + 1 + len > a->cap_heap)
	{
		int64		cl = a->cap_labels;
		int64		ch = a->cap_heap;

		while (a->h.nlabels >= cl)
			cl *= 2;
		while (a->heap_used + 1 + len > ch)
			ch *= 2;
		a = acc_grow(a, a->cap_events, Min(cl, TL_MAX_LABELS),
					 Min(ch, TL_MAX_HEAP));
		*ap = a;
		perm = ACC_PERM(a);
	}
	id = a->h.nlabels;
	ACC_OFF(a)[id] = a->heap_used;
	ACC_HEAP(a)[a->heap_used] = (char) len;
	memcpy(ACC_HEAP(a) + a->heap_used + 1, s, len);
	a->heap_used += 1 + len;
	for (int32 r = a->h.nlabels; r > lo; r--)
		perm[r] = perm[r - 1];
	perm[lo] = id;
	a->h.nlabels++;
	return id;
}

/* rank[id] = position of label id in byte order */
static uint32 *
acc_ranks(const TlAcc *a)
{
	uint32	   *rank = palloc(Max(a->h.nlabels, 1) * sizeof(uint32));

	for (int r = 0; r < a->h.nlabels; r++)
		rank[ACC_PERM(a)[r]] = r;
	return rank;
}

/*
 * Sort the events and drop duplicates in place (the value is unchanged);
 * returns the number of distinct events.
 */
static int32
acc_compact(TlAcc *a)
{
	TlEvent    *ev = ACC_EVENTS(a);
	uint32	   *rank = acc_ranks(a);
	int32		n = a->h.nevents;
	int32		k = 0;

	qsort_arg(ev, n, sizeof(TlEvent), event_id_cmp, rank);
	for (int32 i = 0; i < n; i++)
		if (k == 0 || event_id_cmp(&ev[k - 1], &ev[i], rank) != 0)
			ev[k++] = ev[i];
	memset(ev + k, 0, (n - k) * sizeof(TlEvent));
	a->h.nevents = k;
	pfree(rank);
	return k;
}

/* room for one more event in *ap */
static inline void
acc_reserve(TlAcc **ap, int32 more)
{
	TlAcc	   *a = *ap;
	int64		need = (int64) a->h.nevents + more;
	int64		cap;

	if (need <= a->cap_events)
		return;
	if (need > TL_MAX_RAW_EVENTS)
	{
		int32		k = acc_compact(a);

		if (k > TL_MAX_EVENTS)
			too_many_events(k);
		need = (int64) k + more;
		if (need <= a->cap_events)
			return;
		if (need > TL_MAX_RAW_EVENTS)
			too_many_events(need);
	}
	cap = Max(a->cap_events, 4);
	while (cap < need)
		cap *= 2;
	*ap = acc_grow(a, Min(cap, TL_MAX_RAW_EVENTS), a->cap_labels, a->cap_heap);
}

static inline void
acc_push(TlAcc *a, TimestampTz at, bool has_seq, int64 seq, uint32 id)
{
	TlEvent    *e = &ACC_EVENTS(a)[a->h.nevents++];

	e->at = at;
	e->seq = has_seq ? seq : 0;
	e->label = id;
	e->has_seq = has_seq ? 1 : 0;
}

/* append every event of a view */
static void
acc_add_view(TlAcc **ap, const TlView *v)
{
	uint32	   *ids;

	if (v->n == 0)
		return;
	ids = palloc(v->nlabels * sizeof(uint32));
	for (int r = 0; r < v->nlabels; r++)
		ids[r] = acc_label_id(ap, v->lab[r], v->len[r]);
	acc_reserve(ap, v->n);
	for (int32 i = 0; i < v->n; i++)
		acc_push(*ap, v->ev[i].at, v->ev[i].has_seq, v->ev[i].seq, ids[v->ev[i].label]);
	pfree(ids);
}

/* the view of an accumulating form: sorted, duplicates dropped, ranks */
static void
acc_view(const TlAcc *a, TlView *v)
{
	const TlEvent *src = ACC_EVENTS(a);
	int32		n = a->h.nevents;
	int32		nl = Max(a->h.nlabels, 1);
	bool		sorted = true;
	int32		k = 0;
	char	   *mem;
	uint32	   *rank;

	/* one allocation for the events, the labels and the ranks */
	mem = palloc(Max(n, 1) * sizeof(TlEvent) +
				 nl * (sizeof(uint64) + sizeof(char *) + sizeof(int) + sizeof(uint32)));
	memset(v, 0, sizeof(TlView));
	v->ev = (TlEvent *) mem;
	v->key = (uint64 *) (mem + Max(n, 1) * sizeof(TlEvent));
	v->lab = (const char **) (v->key + nl);
	v->len = (int *) (v->lab + nl);
	rank = (uint32 *) (v->len + nl);
	v->nlabels = a->h.nlabels;
	for (int r = 0; r < v->nlabels; r++)
	{
		rank[ACC_PERM(a)[r]] = r;
		v->lab[r] = acc_label(a, ACC_PERM(a)[r], &v->len[r]);
		v->key[r] = label_key(v->lab[r], v->len[r]);
	}
	for (int32 i = 0; i < n; i++)
	{
		v->ev[i] = src[i];
		v->ev[i].label = rank[src[i].label];
		if (i > 0 && sorted && event_cmp(&v->ev[i - 1], &v->ev[i]) > 0)
			sorted = false;
	}
	if (!sorted)
		qsort(v->ev, n, sizeof(TlEvent), event_qsort_cmp);
	for (int32 i = 0; i < n; i++)
		if (k == 0 || event_cmp(&v->ev[k - 1], &v->ev[i]) != 0)
			v->ev[k++] = v->ev[i];
	v->n = k;
}

/* --- validation and reading ------------------------------------------------ */

static void
bad(int sqlerrcode, const char *detail)
{
	kpi_invalid_summary(sqlerrcode, TL_TYPE, detail);
}

/*
 * 1..255 bytes valid in the database encoding.  Bytes 1..127 are valid in
 * every server encoding (all are ASCII supersets), so ASCII labels skip the
 * encoding's verifier.
 */
static inline bool
label_bytes_ok(const char *s, int len)
{
	if (len < 1 || len > TL_MAX_LABEL_LEN)
		return false;
	for (int i = 0; i < len; i++)
		if ((uint8) ((uint8) s[i] - 1) >= 0x7f)
			return pg_verify_mbstr(GetDatabaseEncoding(), s, len, true);
	return true;
}

/* validate an accumulating form byte by byte */
static void
acc_check(const TlAcc *a, Size size, int sqlerrcode)
{
	const TlEvent *ev;
	const uint32 *off;
	const uint32 *perm;
	const char *heap;
	uint32		pos = 0;
	bool	   *seen;

	if (size < sizeof(TlAcc))
		bad(sqlerrcode, "The value is too short.");
	if (a->h.unused != 0)
		bad(sqlerrcode, "Reserved bytes are not zero.");
	if (a->cap_events < 0 || a->cap_events > TL_MAX_RAW_EVENTS ||
		a->cap_labels < 0 || a->cap_labels > TL_MAX_LABELS ||
		a->cap_heap < 0 || a->cap_heap > TL_MAX_HEAP ||
		a->h.nevents < 0 || a->h.nevents > a->cap_events ||
		a->h.nlabels < 0 || a->h.nlabels > a->cap_labels ||
		a->heap_used < 0 || a->heap_used > a->cap_heap)
		bad(sqlerrcode, "A count or capacity is out of range.");
	if (size != acc_size(a->cap_events, a->cap_labels, a->cap_heap))
		bad(sqlerrcode, "The value has an unexpected size.");
	ev = ACC_EVENTS(a);
	off = ACC_OFF(a);
	perm = ACC_PERM(a);
	heap = ACC_HEAP(a);
	/* labels back to back in id order, then zeros */
	for (int32 i = 0; i < a->h.nlabels; i++)
	{
		int			len;

		if (off[i] != pos || pos >= (uint32) a->heap_used)
			bad(sqlerrcode, "A label offset is out of place.");
		len = (uint8) heap[pos];
		if (pos + 1 + len > (uint32) a->heap_used || !label_bytes_ok(heap + pos + 1, len))
			bad(sqlerrcode, "A state label is empty, too long or not valid in the database encoding.");
		pos += 1 + len;
	}
	if (pos != (uint32) a->heap_used)
		bad(sqlerrcode, "The label area has an unexpected size.");
	for (int32 i = a->heap_used; i < a->cap_heap; i++)
		if (heap[i] != 0)
			bad(sqlerrcode, "Spare bytes are not zero.");
	for (int32 i = a->h.nlabels; i < a->cap_labels; i++)
		if (off[i] != 0 || perm[i] != 0)
			bad(sqlerrcode, "Spare bytes are not zero.");
	/* perm: a permutation in strictly increasing byte order */
	seen = palloc0(Max(a->h.nlabels, 1));
	for (int32 r = 0; r < a->h.nlabels; r++)
	{
		if (perm[r] >= (uint32) a->h.nlabels || seen[perm[r]])
			bad(sqlerrcode, "The label order is not a permutation.");
		seen[perm[r]] = true;
		if (r > 0)
		{
			int			l1;
			int			l2;
			const char *s1 = acc_label(a, perm[r - 1], &l1);
			const char *s2 = acc_label(a, perm[r], &l2);

			if (label_cmp(s1, l1, s2, l2) >= 0)
				bad(sqlerrcode, "The labels are not distinct and in order.");
		}
	}
	pfree(seen);
	for (int32 i = 0; i < a->h.nevents; i++)
	{
		if (!IS_VALID_TIMESTAMP(ev[i].at) || ev[i].label >= (uint32) a->h.nlabels ||
			ev[i].has_seq > 1 || (ev[i].has_seq == 0 && ev[i].seq != 0))
			bad(sqlerrcode, "An event is invalid.");
	}
	for (int32 i = a->h.nevents; i < a->cap_events; i++)
	{
		static const TlEvent zero;

		if (memcmp(&ev[i], &zero, sizeof(TlEvent)) != 0)
			bad(sqlerrcode, "Spare bytes are not zero.");
	}
}

/*
 * The arrays of a view of nlabels labels and n events: one palloc, or the
 * buffers of the view cache c (with room for the segments and their working
 * time), grown when too small.
 */
/*
 * The bytes of a view's per-label arrays (key, lab, len), rounded up so that
 * what follows the last of them, the int array len, is aligned again: the
 * cache's segments come right after it.
 */
#define TL_LABEL_BYTES(nl) MAXALIGN((Size) (nl) * (sizeof(uint64) + sizeof(char *) + sizeof(int)))

static void
view_arrays(TlView *v, int32 nlabels, int32 n, TlViewCache *c)
{
	int32		nl = Max(nlabels, 1);
	int32		ne = Max(n, 1);
	Size		lsize = TL_LABEL_BYTES(nl);
	Size		esize = ne * sizeof(TlEvent);
	char	   *mem;

	if (c == NULL)
		mem = palloc(lsize + esize);
	else
	{
		if (c->cap_labels < nl || c->cap_events < ne)
		{
			if (c->arrays != NULL)
				pfree(c->arrays);
			c->cap_labels = Max(nl, 2 * c->cap_labels);
			c->cap_events = Max(ne, 2 * c->cap_events);
			c->arrays = MemoryContextAlloc(c->mcxt,
										   TL_LABEL_BYTES(c->cap_labels) +
										   c->cap_events * (sizeof(TlEvent) + sizeof(TlSegment) + 2 * sizeof(int64)));
		}
		nl = c->cap_labels;
		ne = c->cap_events;
		mem = c->arrays;
		c->seg_space = (TlSegment *) (mem + TL_LABEL_BYTES(nl) + ne * sizeof(TlEvent));
		c->clock_space = (int64 *) (c->seg_space + ne);
		c->work_space = c->clock_space + ne;
	}
	/* 8-byte members first: the arrays stay aligned */
	v->key = (uint64 *) mem;
	v->ev = (TlEvent *) (v->key + nl);
	v->lab = (const char **) (v->ev + ne);
	v->len = (int *) (v->lab + nl);
}

/*
 * Read (and validate) a canonical form into a view, into the arrays of the
 * view cache c, or palloc'd ones when c is NULL.
 */
static void
canon_view(const TlHeader *h, Size size, TlView *v, int sqlerrcode, TlViewCache *c)
{
	const uint8 *p = (const uint8 *) h + TL_CANON_HEADER;
	const uint8 *end = (const uint8 *) h + size;
	int64		first_at;
	int64		prev_seq = 0;
	uint64		used_small = 0;
	bool	   *used = NULL;
	int32		nused = 0;

	if (size < TL_CANON_HEADER)
		bad(sqlerrcode, "The value is too short.");
	if (h->unused != 0)
		bad(sqlerrcode, "Reserved bytes are not zero.");
	if (h->nlabels < 0 || h->nlabels > TL_MAX_LABELS || h->nevents < 0 ||
		h->nevents > TL_MAX_EVENTS || h->nlabels > h->nevents ||
		(h->nevents > 0 && h->nlabels == 0))
		bad(sqlerrcode, "A count is out of range.");
	memcpy(&first_at, (const char *) h + sizeof(TlHeader), sizeof(int64));
	if (h->nevents == 0 ? first_at != 0 : !IS_VALID_TIMESTAMP(first_at))
		bad(sqlerrcode, "The first instant is invalid.");
	memset(v, 0, sizeof(TlView));
	view_arrays(v, h->nlabels, h->nevents, c);
	v->nlabels = h->nlabels;
	v->label_area = (const char *) p;
	for (int32 r = 0; r < h->nlabels; r++)
	{
		int			len;

		if (p >= end)
			bad(sqlerrcode, "The value is truncated.");
		len = *p++;
		if (end - p < len || !label_bytes_ok((const char *) p, len))
			bad(sqlerrcode, "A state label is empty, too long or not valid in the database encoding.");
		v->lab[r] = (const char *) p;
		v->len[r] = len;
		v->key[r] = label_key(v->lab[r], len);
		if (r > 0 && label_cmp(v->lab[r - 1], v->len[r - 1], v->lab[r], v->len[r]) >= 0)
			bad(sqlerrcode, "The labels are not distinct and in order.");
		p += len;
	}
	v->label_area_size = (const char *) p - v->label_area;
	v->n = h->nevents;
	if (h->nlabels > 64)
		used = palloc0(h->nlabels);
	for (int32 i = 0; i < h->nevents; i++)
	{
		TlEvent    *e = &v->ev[i];
		uint64		u;

		if (i == 0)
			e->at = first_at;
		else
		{
			if (!varint_get(&p, end, &u))
				bad(sqlerrcode, "An event is malformed.");
			/* unsigned differences of ordered int64 values are exact */
			if (u > (uint64) (END_TIMESTAMP - 1) - (uint64) v->ev[i - 1].at)
				bad(sqlerrcode, "An instant is out of range.");
			e->at = (int64) ((uint64) v->ev[i - 1].at + u);
		}
		if (!varint_get(&p, end, &u) || (u >> 1) >= (uint64) h->nlabels)
			bad(sqlerrcode, "An event has an invalid label.");
		e->label = (uint32) (u >> 1);
		e->has_seq = (uint32) (u & 1);
		if (used == NULL)
		{
			nused += (used_small >> e->label & 1) == 0;
			used_small |= (uint64) 1 << e->label;
		}
		else
		{
			nused += !used[e->label];
			used[e->label] = true;
		}
		e->seq = 0;
		if (e->has_seq)
		{
			if (!varint_get(&p, end, &u))
				bad(sqlerrcode, "An event is malformed.");
			e->seq = (int64) ((uint64) prev_seq + (uint64) unzigzag(u));
			prev_seq = e->seq;
		}
		if (i > 0 && event_cmp(&v->ev[i - 1], e) >= 0)
			bad(sqlerrcode, "The events are not distinct and in order.");
	}
	if (p != end)
		bad(sqlerrcode, "The value has trailing bytes.");
	if (nused != h->nlabels)
		bad(sqlerrcode, "A state label is not used by any event.");
	if (used != NULL)
		pfree(used);
}

/* the header of a timeline datum, detoasted, with size and version checked */
static TlHeader *
tl_header(Datum d, int sqlerrcode)
{
	TlHeader   *h = (TlHeader *) PG_DETOAST_DATUM(d);

	if (VARSIZE(h) < sizeof(TlHeader))
		bad(sqlerrcode, "The value is too short.");
	if (h->version != KPI_FORMAT_VERSION)
		bad(sqlerrcode, "The value has an unknown format version.");
	if (h->form != TL_FORM_CANONICAL && h->form != TL_FORM_ACC)
		bad(sqlerrcode, "The value has an unknown form.");
	return h;
}

/* a validated view of a timeline datum in either form */
static void
tl_view(Datum d, TlView *v, int sqlerrcode)
{
	TlHeader   *h = tl_header(d, sqlerrcode);

	if (h->form == TL_FORM_CANONICAL)
		canon_view(h, VARSIZE(h), v, sqlerrcode, NULL);
	else
	{
		acc_check((TlAcc *) h, VARSIZE(h), sqlerrcode);
		acc_view((TlAcc *) h, v);
		if (v->n > TL_MAX_EVENTS)
			too_many_events(v->n);
	}
}

/* a stored argument */
static void
tl_arg_view(FunctionCallInfo fcinfo, int argno, TlView *v)
{
	tl_view(PG_GETARG_DATUM(argno), v, ERRCODE_DATA_CORRUPTED);
}

static void view_fill_segments(TlView *v, TlSegment *s);

/* room for a value of size bytes in c->raw, the entry invalid until view_cache_end */
static void
view_cache_room(TlViewCache *c, Size size)
{
	if (c->mcxt == NULL)
		c->mcxt = AllocSetContextCreate(TopMemoryContext, "timeline view cache",
										ALLOCSET_SMALL_SIZES);
	c->size = 0;
	if (c->raw_cap < size)
	{
		if (c->raw != NULL)
			pfree(c->raw);
		c->raw_cap = Max(size, 2 * c->raw_cap);
		c->raw = MemoryContextAlloc(c->mcxt, c->raw_cap);
	}
}

/* c->view read from c->raw: its segments, and the entry is valid */
static void
view_cache_end(TlViewCache *c, Size size)
{
	c->view.owner = c;
	view_fill_segments(&c->view, c->seg_space);
	c->view.clock = c->clock_space;
	c->view.work = c->work_space;
	c->size = size;
}

/*
 * A stored argument for an accessor, through tl_view_cache: the view is only
 * valid until the next call of this function, so callers read one timeline;
 * they may fill its on-demand fields, nothing else.
 */
static TlView *
tl_arg_view_cached(FunctionCallInfo fcinfo, int argno)
{
	TlHeader   *h = tl_header(PG_GETARG_DATUM(argno), ERRCODE_DATA_CORRUPTED);
	Size		size = VARSIZE(h);
	TlViewCache *c = &tl_view_cache;
	TlView	   *v;

	if (c->size == size && memcmp(c->raw, h, size) == 0)
		return &c->view;
	/*
	 * Not cached: the accumulating form, large values, and counts the value
	 * cannot hold (it is corrupt; the buffers are not grown for it).
	 */
	if (h->form != TL_FORM_CANONICAL || size > TL_VIEW_CACHE_MAX ||
		h->nevents < 0 || (Size) h->nevents > size || h->nlabels < 0 || (Size) h->nlabels > size)
	{
		v = palloc0(sizeof(TlView));
		tl_view(PointerGetDatum(h), v, ERRCODE_DATA_CORRUPTED);
		return v;
	}
	view_cache_room(c, size);
	memcpy(c->raw, h, size);
	canon_view((TlHeader *) c->raw, size, &c->view, ERRCODE_DATA_CORRUPTED, c);
	view_cache_end(c, size);
	return &c->view;
}

/*
 * The canonical form of a view: labels without events are dropped, so equal
 * sets of events give identical bytes.
 */
static TlHeader *
tl_encode(const TlView *v)
{
	int32	   *newrank = palloc(Max(v->nlabels, 1) * sizeof(int32));
	int32		nlabels = 0;
	Size		size = TL_CANON_HEADER;
	int64		prev_seq = 0;
	TlHeader   *h;
	uint8	   *p;
	int64		first_at = v->n > 0 ? v->ev[0].at : 0;

	if (v->n > TL_MAX_EVENTS)
		too_many_events(v->n);
	for (int32 r = 0; r < v->nlabels; r++)
		newrank[r] = -1;
	for (int32 i = 0; i < v->n; i++)
		newrank[v->ev[i].label] = 0;
	for (int32 r = 0; r < v->nlabels; r++)
		if (newrank[r] == 0)
		{
			newrank[r] = nlabels++;
			size += 1 + v->len[r];
		}
	for (int32 i = 0; i < v->n; i++)
	{
		const TlEvent *e = &v->ev[i];

		if (i > 0)
			size += varint_len((uint64) e->at - (uint64) v->ev[i - 1].at);
		size += varint_len((uint64) newrank[e->label] * 2 + e->has_seq);
		if (e->has_seq)
		{
			size += varint_len(zigzag((int64) ((uint64) e->seq - (uint64) prev_seq)));
			prev_seq = e->seq;
		}
	}
	h = (TlHeader *) palloc0(size);
	SET_VARSIZE(h, size);
	h->version = KPI_FORMAT_VERSION;
	h->form = TL_FORM_CANONICAL;
	h->nlabels = nlabels;
	h->nevents = v->n;
	memcpy((char *) h + sizeof(TlHeader), &first_at, sizeof(int64));
	p = (uint8 *) h + TL_CANON_HEADER;
	for (int32 r = 0; r < v->nlabels; r++)
		if (newrank[r] >= 0)
		{
			*p++ = (uint8) v->len[r];
			memcpy(p, v->lab[r], v->len[r]);
			p += v->len[r];
		}
	prev_seq = 0;
	for (int32 i = 0; i < v->n; i++)
	{
		const TlEvent *e = &v->ev[i];

		if (i > 0)
			p = varint_put(p, (uint64) e->at - (uint64) v->ev[i - 1].at);
		p = varint_put(p, (uint64) newrank[e->label] * 2 + e->has_seq);
		if (e->has_seq)
		{
			p = varint_put(p, zigzag((int64) ((uint64) e->seq - (uint64) prev_seq)));
			prev_seq = e->seq;
		}
	}
	Assert((Size) ((char *) p - (char *) h) == size);
	pfree(newrank);
	return h;
}

/*
 * The canonical form of an accumulating form.  Rows usually arrive in order
 * (an index on the entity, a history table in insertion order): then the
 * events are encoded as they are, in one pass that checks them to be strictly
 * increasing and to use every label; otherwise through a sorted copy without
 * duplicates (acc_view).  Both give the same bytes.
 *
 * With cache (the final function), the one pass encodes into the view
 * cache's buffer and reads the view there as canon_view would, so the
 * accessors that follow a timeline_agg in the same query (GROUP BY the
 * ticket, the KPIs of the one timeline_agg(...) in the select list, or a
 * join that streams the grouped rows) find it read.
 */
static TlHeader *
acc_encode(const TlAcc *a, bool cache)
{
	const TlEvent *ev = ACC_EVENTS(a);
	const uint32 *perm = ACC_PERM(a);
	int32		n = a->h.nevents;
	int32		nl = a->h.nlabels;
	/* at most: the labels, and per event two 10-byte varints and a 1-byte one */
	Size		max = TL_CANON_HEADER + a->heap_used + (Size) n * 21;
	TlViewCache *c = &tl_view_cache;
	TlView	   *v = NULL;
	uint32		rank[64];
	uint64		used = 0;
	int64		prev_seq = 0;
	uint8	   *buf = NULL;
	uint8	   *p;
	TlHeader   *h;
	Size		size;
	TlView		sorted;

	if (n == 0 || nl > 64)
		goto sorted_copy;
	for (int32 r = 0; r < nl; r++)
		rank[perm[r]] = r;
	if (cache && max <= TL_VIEW_CACHE_MAX)
	{
		view_cache_room(c, max);
		buf = (uint8 *) c->raw;
		v = &c->view;
		memset(v, 0, sizeof(TlView));
		view_arrays(v, nl, n, c);
		v->nlabels = nl;
		v->n = n;
	}
	else
		buf = palloc(max);
	p = buf + TL_CANON_HEADER;
	for (int32 r = 0; r < nl; r++)
	{
		const char *l = ACC_HEAP(a) + ACC_OFF(a)[perm[r]];
		int			len = (uint8) l[0];

		memcpy(p, l, 1 + len);
		if (v != NULL)
		{
			v->len[r] = len;
			v->lab[r] = (const char *) p + 1;
			v->key[r] = label_key(v->lab[r], len);
		}
		p += 1 + len;
	}
	if (v != NULL)
	{
		v->label_area = (const char *) buf + TL_CANON_HEADER;
		v->label_area_size = (const char *) p - v->label_area;
	}
	for (int32 i = 0; i < n; i++)
	{
		const TlEvent *e = &ev[i];

		if (i > 0)
		{
			const TlEvent *d = &ev[i - 1];

			/* event_cmp(d, e) < 0 with the labels as ranks */
			if (d->at != e->at ? d->at > e->at :
				d->has_seq != e->has_seq ? d->has_seq > e->has_seq :
				d->seq != e->seq ? d->seq > e->seq :
				rank[d->label] >= rank[e->label])
				goto sorted_copy;
			p = varint_put(p, (uint64) e->at - (uint64) d->at);
		}
		used |= (uint64) 1 << e->label;
		p = varint_put(p, (uint64) rank[e->label] * 2 + e->has_seq);
		if (e->has_seq)
		{
			p = varint_put(p, zigzag((int64) ((uint64) e->seq - (uint64) prev_seq)));
			prev_seq = e->seq;
		}
		if (v != NULL)
		{
			v->ev[i] = *e;
			v->ev[i].label = rank[e->label];
		}
	}
	if (used != (nl == 64 ? ~(uint64) 0 : ((uint64) 1 << nl) - 1))
		goto sorted_copy;
	if (n > TL_MAX_EVENTS)
		too_many_events(n);
	size = p - buf;
	h = (TlHeader *) buf;
	SET_VARSIZE(h, size);
	h->version = KPI_FORMAT_VERSION;
	h->form = TL_FORM_CANONICAL;
	h->unused = 0;
	h->nlabels = nl;
	h->nevents = n;
	memcpy((char *) h + sizeof(TlHeader), &ev[0].at, sizeof(int64));
	h = (TlHeader *) palloc(size);
	memcpy(h, buf, size);
	if (v != NULL)
		view_cache_end(c, size);
	else
		pfree(buf);
	return h;

sorted_copy:
	if (buf != NULL && v == NULL)
		pfree(buf);
	acc_view(a, &sorted);
	return tl_encode(&sorted);
}

/* the rank of a label (key: label_key of it) in a view, or -1 */
static int32
view_find(const TlView *v, const char *s, int len, uint64 key)
{
	int32		lo = 0;
	int32		hi = v->nlabels;

	/* a ticket has a handful of states */
	if (v->nlabels <= 16)
	{
		for (int32 r = 0; r < v->nlabels; r++)
			if (label_eq(v->lab[r], v->key[r], s, len, key))
				return r;
		return -1;
	}
	while (lo < hi)
	{
		int32		mid = (lo + hi) / 2;
		int			c = label_cmp(v->lab[mid], v->len[mid], s, len);

		if (c == 0)
			return mid;
		if (c < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return -1;
}

/* the segments of a view into s (room for v->n) */
static void
view_fill_segments(TlView *v, TlSegment *s)
{
	int32		k = 0;

	for (int32 i = 0; i < v->n; i++)
	{
		if (k > 0 && s[k - 1].label == (int32) v->ev[i].label)
			continue;
		if (k > 0)
			s[k - 1].end = v->ev[i].at;
		s[k].label = v->ev[i].label;
		s[k].start = v->ev[i].at;
		s[k].end = 0;
		s[k].open = false;
		k++;
	}
	if (k > 0)
		s[k - 1].open = true;
	v->seg = s;
	v->nseg = k;
}

/* the segments of a view, made once per view */
static TlSegment *
view_segments(TlView *v, int32 *nseg)
{
	if (v->seg == NULL)
		view_fill_segments(v, palloc(Max(v->n, 1) * sizeof(TlSegment)));
	*nseg = v->nseg;
	return v->seg;
}

static TlCallCache *tl_call_cache(FunctionCallInfo fcinfo);

/* view.clock: not looked up yet, or not available (kpi_business_clock false) */
#define TL_CLOCK_UNKNOWN	PG_INT64_MIN
#define TL_CLOCK_NONE		(PG_INT64_MIN + 1)

/*
 * The business clock at each segment's start is kept with the view for the
 * calendar last used: the KPIs of one ticket (requester wait, agent work,
 * on-hold, an SLA clock) measure spans between the same instants, and a
 * segment's working time is the difference of the clocks at its ends.
 */
static void
view_use_calendar(FunctionCallInfo fcinfo, TlView *v, int cal_arg)
{
	TlCallCache *cache = tl_call_cache(fcinfo);
	TlViewCache *c = v->owner;
	struct varlena *raw;
	Size		size;
	int32		nseg;

	view_segments(v, &nseg);
	if (c != NULL)
	{
		/*
		 * The cache keeps the calendar of its clocks across views; a call
		 * site whose calendar is a Const compares it once.
		 */
		if (!cache->cal_const || c->clock_cal_gen == 0 || cache->cal_gen != c->clock_cal_gen)
		{
			raw = PG_DETOAST_DATUM(PG_GETARG_DATUM(cal_arg));
			size = VARSIZE(raw);
			if (c->clock_cal_gen == 0 || c->clock_cal_size != size || memcmp(c->clock_cal, raw, size) != 0)
			{
				if (c->clock_cal_cap < size)
				{
					if (c->clock_cal != NULL)
						pfree(c->clock_cal);
					c->clock_cal_cap = Max(size, 2 * c->clock_cal_cap);
					c->clock_cal = MemoryContextAlloc(c->mcxt, c->clock_cal_cap);
				}
				memcpy(c->clock_cal, raw, size);
				c->clock_cal_size = size;
				c->clock_cal_gen = ++tl_clock_cal_gen;
			}
			cache->cal_gen = c->clock_cal_gen;
		}
		if (v->clock_gen == c->clock_cal_gen)
			return;
		v->clock_gen = c->clock_cal_gen;
	}
	else
	{
		raw = PG_DETOAST_DATUM(PG_GETARG_DATUM(cal_arg));
		size = VARSIZE(raw);
		if (v->clock_cal_size == size && memcmp(v->clock_cal, raw, size) == 0)
			return;
		if (v->clock == NULL)
		{
			v->clock = palloc(2 * Max(nseg, 1) * sizeof(int64));
			v->work = v->clock + Max(nseg, 1);
		}
		v->clock_cal = palloc(size);
		memcpy(v->clock_cal, raw, size);
		v->clock_cal_size = size;
	}
	for (int32 k = 0; k < nseg; k++)
	{
		v->clock[k] = TL_CLOCK_UNKNOWN;
		v->work[k] = -1;
	}
}

/* the business clock at t, kept when t is the start of segment k */
static inline bool
view_clock(TlView *v, int32 k, const KpiCalendar *cal, TimestampTz t, int64 *clock)
{
	if (k >= 0 && k < v->nseg && v->seg[k].start == t)
	{
		if (v->clock[k] == TL_CLOCK_UNKNOWN)
			v->clock[k] = kpi_business_clock(cal, t, clock) ? *clock : TL_CLOCK_NONE;
		*clock = v->clock[k];
		return *clock != TL_CLOCK_NONE;
	}
	return kpi_business_clock(cal, t, clock);
}

/*
 * The length of [a, b) in calendar or working time, where a may be the start
 * of segment ka and b that of segment kb (view_use_calendar called first).
 */
static int64
view_span(TlView *v, const KpiCalendar *cal, TimestampTz a, int32 ka, TimestampTz b, int32 kb)
{
	int64		ca;
	int64		cb;

	if (cal != NULL && view_clock(v, ka, cal, a, &ca) && view_clock(v, kb, cal, b, &cb))
		return cb - ca;
	return span_usecs(cal, a, b);
}

/* the length of [a, b) within segment k; that of a whole segment is kept */
static inline int64
piece_usecs(TlView *v, int32 k, const KpiCalendar *cal, TimestampTz a, TimestampTz b)
{
	const TlSegment *s = &v->seg[k];

	if (cal == NULL || s->open || a != s->start || b != s->end)
		return view_span(v, cal, a, k, b, k + 1);
	if (v->work[k] < 0)
		v->work[k] = view_span(v, cal, a, k, b, k + 1);
	return v->work[k];
}

/* --- arguments ------------------------------------------------------------- */


static TlCallCache *
tl_call_cache(FunctionCallInfo fcinfo)
{
	TlCallCache *cache = (TlCallCache *) fcinfo->flinfo->fn_extra;

	if (cache == NULL)
	{
		cache = MemoryContextAllocZero(fcinfo->flinfo->fn_mcxt, sizeof(TlCallCache));
		cache->cal_const = -1;
		cache->states_const = -1;
		fcinfo->flinfo->fn_extra = cache;
	}
	return cache;
}

/* is argument argno of the call a Const (the same datum on every row)? */
static bool
arg_is_const(FunctionCallInfo fcinfo, int argno)
{
	Node	   *expr = fcinfo->flinfo->fn_expr;
	List	   *args;

	if (expr == NULL || !IsA(expr, FuncExpr))
		return false;
	args = ((FuncExpr *) expr)->args;
	return argno < list_length(args) && IsA(list_nth(args, argno), Const);
}

static KpiCalendar *
tl_calendar(FunctionCallInfo fcinfo, int argno)
{
	TlCallCache *cache = tl_call_cache(fcinfo);

	if (cache->cal != NULL)
		return cache->cal;
	if (cache->cal_const < 0)
		cache->cal_const = arg_is_const(fcinfo, argno);
	if (!cache->cal_const)
		return kpi_calendar_lookup(&cache->calendars, fcinfo->flinfo->fn_mcxt,
								   PG_GETARG_DATUM(argno));
	cache->cal = kpi_calendar_lookup(&cache->calendars, fcinfo->flinfo->fn_mcxt,
									 PG_GETARG_DATUM(argno));
	return cache->cal;
}

/* the labels of a text[] argument of states, checked, kept for the call site */
static TlCallCache *
states_arg(FunctionCallInfo fcinfo, int argno, const char *what)
{
	TlCallCache *cache = tl_call_cache(fcinfo);
	ArrayType  *arr;
	Size		size;
	Datum	   *elems;
	bool	   *nulls;
	int			n;

	/* a constant array is read on the first call */
	if (cache->states_const < 0)
		cache->states_const = arg_is_const(fcinfo, argno);
	if (cache->states_const && cache->states_raw != NULL)
		return cache;
	arr = PG_GETARG_ARRAYTYPE_P(argno);
	size = VARSIZE(arr);
	if (cache->states_raw == NULL || cache->states_size != size ||
		memcmp(cache->states_raw, arr, size) != 0)
	{
		if (ARR_NDIM(arr) > 1)
			ereport(ERROR,
					(errcode(ERRCODE_ARRAY_SUBSCRIPT_ERROR),
					 errmsg("%s must be a one-dimensional array", what),
					 errhint("Pass a list of states such as ARRAY['new', 'open'].")));
		deconstruct_array(arr, TEXTOID, -1, false, TYPALIGN_INT, &elems, &nulls, &n);
		for (int i = 0; i < n; i++)
		{
			text	   *t;

			if (nulls[i])
				ereport(ERROR,
						(errcode(ERRCODE_NULL_VALUE_NOT_ALLOWED),
						 errmsg("%s must not contain NULL", what),
						 errdetail("Element %d of the array is NULL; no event has a NULL state.", i + 1),
						 errhint("Remove the NULL, for example with array_remove(states, NULL).")));
			t = DatumGetTextPP(elems[i]);
			check_label(VARDATA_ANY(t), VARSIZE_ANY_EXHDR(t), psprintf("element %d of %s", i + 1, what), true);
		}
		/* checked: keep a copy, the labels pointing into it; no mask is known */
		for (int i = 0; i < TL_MEMO_SLOTS; i++)
			cache->memo_size[i] = -1;
		if (cache->states_raw != NULL)
		{
			pfree(cache->states_raw);
			pfree(cache->states);
			pfree(cache->states_len);
			pfree(cache->states_key);
		}
		cache->states_raw = MemoryContextAlloc(fcinfo->flinfo->fn_mcxt, size);
		memcpy(cache->states_raw, arr, size);
		cache->states_size = size;
		deconstruct_array((ArrayType *) cache->states_raw, TEXTOID, -1, false, TYPALIGN_INT,
						  &elems, &nulls, &n);
		cache->nstates = n;
		cache->states = MemoryContextAlloc(fcinfo->flinfo->fn_mcxt, Max(n, 1) * sizeof(char *));
		cache->states_len = MemoryContextAlloc(fcinfo->flinfo->fn_mcxt, Max(n, 1) * sizeof(int));
		cache->states_key = MemoryContextAlloc(fcinfo->flinfo->fn_mcxt, Max(n, 1) * sizeof(uint64));
		for (int i = 0; i < n; i++)
		{
			/* elements of an array are never compressed or external */
			text	   *t = (text *) DatumGetPointer(elems[i]);

			cache->states[i] = VARDATA_ANY(t);
			cache->states_len[i] = VARSIZE_ANY_EXHDR(t);
			cache->states_key[i] = label_key(cache->states[i], cache->states_len[i]);
		}
	}
	return cache;
}

/*
 * A text[] of states as a mask over the view's ranks.  Labels that do not
 * occur in this timeline simply match nothing (a ticket that was never
 * pending has no 'pending'); what no timeline can hold is an error.
 */
static const bool *
states_mask(FunctionCallInfo fcinfo, int argno, const TlView *v, const char *what)
{
	TlCallCache *cache = states_arg(fcinfo, argno, what);
	bool	   *mask;
	int			slot = -1;

	/* a label set seen lately: its mask; else computed into the memo */
	if (v->label_area != NULL && v->label_area_size <= TL_MEMO_AREA && v->nlabels <= TL_MEMO_LABELS)
	{
		for (int i = 0; i < TL_MEMO_SLOTS; i++)
			if (cache->memo_size[i] == v->label_area_size &&
				memcmp(cache->memo_labels[i], v->label_area, v->label_area_size) == 0)
				return cache->memo_mask[i];
		slot = cache->memo_next;
		cache->memo_next = (slot + 1) % TL_MEMO_SLOTS;
		cache->memo_size[slot] = -1;
		mask = cache->memo_mask[slot];
	}
	else
	{
		/* room kept with the call site: the mask lives until the next call */
		if (cache->mask_cap < Max(v->nlabels, 1))
		{
			if (cache->mask != NULL)
				pfree(cache->mask);
			cache->mask_cap = Max(Max(v->nlabels, 8), 2 * cache->mask_cap);
			cache->mask = MemoryContextAlloc(fcinfo->flinfo->fn_mcxt, cache->mask_cap);
		}
		mask = cache->mask;
	}
	memset(mask, 0, Max(v->nlabels, 1));
	for (int i = 0; i < cache->nstates; i++)
	{
		int32		r = view_find(v, cache->states[i], cache->states_len[i], cache->states_key[i]);

		if (r >= 0)
			mask[r] = true;
	}
	if (slot >= 0)
	{
		memcpy(cache->memo_labels[slot], v->label_area, v->label_area_size);
		cache->memo_size[slot] = v->label_area_size;
	}
	return mask;
}

static int32
arg_label(FunctionCallInfo fcinfo, int argno, const TlView *v, const char *what)
{
	text	   *t = PG_GETARG_TEXT_PP(argno);
	const char *s = VARDATA_ANY(t);
	int			len = VARSIZE_ANY_EXHDR(t);

	check_label(s, len, what, true);
	return view_find(v, s, len, label_key(s, len));
}

static void
check_order(TimestampTz since, TimestampTz until, const char *since_name, const char *until_name)
{
	if (until < since)
		ereport(ERROR,
				(errcode(ERRCODE_NUMERIC_VALUE_OUT_OF_RANGE),
				 errmsg("%s is before %s", until_name, since_name),
				 errdetail("%s is %s, %s is %s.", since_name, ts_str(since), until_name, ts_str(until)),
				 errhint("Swap the arguments, or map such rows to NULL with CASE.")));
}

/* --- I/O ------------------------------------------------------------------ */

/* an instant as YYYY-MM-DD HH:MM:SS[.ffffff]+00[ BC], whatever the session's settings */
static void
append_ts(StringInfo buf, TimestampTz t)
{
	struct pg_tm tm;
	fsec_t		fsec;
	int			year;

	/* cannot happen: every instant is checked with IS_VALID_TIMESTAMP on its way in */
	if (timestamp2tm(t, NULL, &tm, &fsec, NULL, NULL) != 0)
		elog(ERROR, "timeline instant out of range");
	year = tm.tm_year > 0 ? tm.tm_year : 1 - tm.tm_year;
	appendStringInfo(buf, "%04d-%02d-%02d %02d:%02d:%02d", year, tm.tm_mon, tm.tm_mday,
					 tm.tm_hour, tm.tm_min, tm.tm_sec);
	if (fsec != 0)
	{
		char		frac[8];
		int			len;

		snprintf(frac, sizeof(frac), "%06d", (int) fsec);
		len = 6;
		while (frac[len - 1] == '0')
			len--;
		appendStringInfo(buf, ".%.*s", len, frac);
	}
	appendStringInfoString(buf, "+00");
	if (tm.tm_year <= 0)
		appendStringInfoString(buf, " BC");
}

static int
parse_digits(KpiParser *ps, int min, int max, const char *field)
{
	int			v = 0;
	int			n = 0;

	while (n < max && isdigit((unsigned char) *ps->p))
	{
		v = v * 10 + (*ps->p++ - '0');
		n++;
	}
	if (n < min || isdigit((unsigned char) *ps->p))
		kpi_parse_error(ps, psprintf("Expected the %s of an instant written as YYYY-MM-DD HH:MM:SS+00 at \"%s\".",
									 field, kpi_excerpt(ps->p, strlen(ps->p))));
	return v;
}

static void
parse_char(KpiParser *ps, char c)
{
	if (*ps->p != c)
		kpi_parse_error(ps, psprintf("Expected an instant written as YYYY-MM-DD HH:MM:SS+00 at \"%s\".",
									 kpi_excerpt(ps->p, strlen(ps->p))));
	ps->p++;
}

static TimestampTz
parse_ts(KpiParser *ps)
{
	struct pg_tm tm;
	fsec_t		fsec = 0;
	int			year;
	Timestamp	result;
	const char *start;

	while (isspace((unsigned char) *ps->p))
		ps->p++;
	start = ps->p;
	memset(&tm, 0, sizeof(tm));
	year = parse_digits(ps, 4, 6, "year");
	parse_char(ps, '-');
	tm.tm_mon = parse_digits(ps, 2, 2, "month");
	parse_char(ps, '-');
	tm.tm_mday = parse_digits(ps, 2, 2, "day");
	parse_char(ps, ' ');
	tm.tm_hour = parse_digits(ps, 2, 2, "hour");
	parse_char(ps, ':');
	tm.tm_min = parse_digits(ps, 2, 2, "minute");
	parse_char(ps, ':');
	tm.tm_sec = parse_digits(ps, 2, 2, "second");
	if (*ps->p == '.')
	{
		int			n = 0;

		ps->p++;
		while (isdigit((unsigned char) *ps->p) && n < 6)
		{
			fsec = fsec * 10 + (*ps->p++ - '0');
			n++;
		}
		if (n == 0 || isdigit((unsigned char) *ps->p))
			kpi_parse_error(ps, "The fraction of a second has 1 to 6 digits.");
		while (n++ < 6)
			fsec *= 10;
	}
	if (strncmp(ps->p, "+00", 3) != 0 || isdigit((unsigned char) ps->p[3]) || ps->p[3] == ':')
		kpi_parse_error(ps, psprintf("Instants are written in UTC, ending in +00, at \"%s\".",
									 kpi_excerpt(ps->p, strlen(ps->p))));
	ps->p += 3;
	if (strncmp(ps->p, " BC", 3) == 0)
	{
		ps->p += 3;
		tm.tm_year = 1 - year;
	}
	else
		tm.tm_year = year;
	if (year == 0 || tm.tm_mon < 1 || tm.tm_mon > 12 || tm.tm_mday < 1 ||
		tm.tm_mday > day_tab[isleap(tm.tm_year)][tm.tm_mon - 1] ||
		tm.tm_hour > 23 || tm.tm_min > 59 || tm.tm_sec > 59 ||
		!IS_VALID_JULIAN(tm.tm_year, tm.tm_mon, tm.tm_mday) ||
		tm2timestamp(&tm, fsec, NULL, &result) != 0 || !IS_VALID_TIMESTAMP(result))
		kpi_parse_error(ps, psprintf("The instant \"%s\" does not exist or is out of range.",
									 kpi_excerpt(start, ps->p - start)));
	return (TimestampTz) result;
}

static int64
parse_seq(KpiParser *ps)
{
	char	   *end;
	long long	v;

	if (!(isdigit((unsigned char) *ps->p) || (*ps->p == '-' && isdigit((unsigned char) ps->p[1]))))
		kpi_parse_error(ps, psprintf("Expected a sequence number after \"#\" at \"%s\".",
									 kpi_excerpt(ps->p, strlen(ps->p))));
	errno = 0;
	v = strtoll(ps->p, &end, 10);
	if (errno == ERANGE)
		kpi_parse_error(ps, "A sequence number is out of the bigint range.");
	ps->p = end;
	return (int64) v;
}

/* a double-quoted label: \" and \\ stand for " and \ */
static void
parse_label(KpiParser *ps, StringInfo lab)
{
	const char *start;

	if (!kpi_parse_accept(ps, "\""))
		kpi_parse_error(ps, psprintf("Expected a state label in double quotes at \"%s\".",
									 kpi_excerpt(ps->p, strlen(ps->p))));
	start = ps->p;
	resetStringInfo(lab);
	while (*ps->p != '"')
	{
		if (*ps->p == '\0')
			kpi_parse_error(ps, "A state label is not closed by a double quote.");
		if (*ps->p == '\\' && ps->p[1] != '\0')
			ps->p++;
		appendStringInfoChar(lab, *ps->p++);
	}
	ps->p++;
	if (lab->len == 0 || lab->len > TL_MAX_LABEL_LEN)
		kpi_parse_error(ps, psprintf("The state label \"%s\" is empty or longer than %d bytes.",
									 kpi_excerpt(start, ps->p - 1 - start), TL_MAX_LABEL_LEN));
	if (!pg_verify_mbstr(GetDatabaseEncoding(), lab->data, lab->len, true))
		kpi_parse_error(ps, "A state label is not valid in the database encoding.");
}

/*
 * Text form: v1: then the events separated by commas, each
 *	  YYYY-MM-DD HH:MM:SS[.ffffff]+00 [#seq ]"label"
 * in UTC, such as v1:2026-03-02 09:00:00+00 "new", 2026-03-02 09:30:00+00 #7 "open".
 * Input may list the events in any order and repeat them; the value read is
 * the normalized set.
 */
PG_FUNCTION_INFO_V1(kpi_timeline_in);
Datum
kpi_timeline_in(PG_FUNCTION_ARGS)
{
	char	   *str = PG_GETARG_CSTRING(0);
	KpiParser	ps;
	TlAcc	   *a = acc_new(TL_INIT_EVENTS, TL_INIT_LABELS, TL_INIT_HEAP);
	StringInfoData lab;
	bool		first = true;

	initStringInfo(&lab);
	kpi_parse_begin(&ps, TL_TYPE, str);
	for (;;)
	{
		TimestampTz at;
		bool		has_seq;
		int64		seq = 0;
		uint32		id;

		while (isspace((unsigned char) *ps.p))
			ps.p++;
		if (*ps.p == '\0')
			break;
		if (!first)
			kpi_parse_expect(&ps, ",");
		first = false;
		at = parse_ts(&ps);
		has_seq = kpi_parse_accept(&ps, "#");
		if (has_seq)
			seq = parse_seq(&ps);
		parse_label(&ps, &lab);
		id = acc_label_id(&a, lab.data, lab.len);
		acc_reserve(&a, 1);
		acc_push(a, at, has_seq, seq, id);
	}
	kpi_parse_end(&ps);
	PG_RETURN_POINTER(acc_encode(a, false));
}

PG_FUNCTION_INFO_V1(kpi_timeline_out);
Datum
kpi_timeline_out(PG_FUNCTION_ARGS)
{
	TlView		v;
	StringInfoData buf;

	tl_arg_view(fcinfo, 0, &v);
	initStringInfo(&buf);
	appendStringInfo(&buf, "v%d:", KPI_FORMAT_VERSION);
	for (int32 i = 0; i < v.n; i++)
	{
		const TlEvent *e = &v.ev[i];
		const char *s = v.lab[e->label];

		if (i > 0)
			appendStringInfoString(&buf, ", ");
		append_ts(&buf, e->at);
		if (e->has_seq)
			appendStringInfo(&buf, " #" INT64_FORMAT, e->seq);
		appendStringInfoString(&buf, " \"");
		for (int k = 0; k < v.len[e->label]; k++)
		{
			if (s[k] == '"' || s[k] == '\\')
				appendStringInfoChar(&buf, '\\');
			appendStringInfoChar(&buf, s[k]);
		}
		appendStringInfoChar(&buf, '"');
	}
	PG_RETURN_CSTRING(buf.data);
}

/*
 * Binary form: version byte; int32 nlabels, each label as int32 length and
 * its bytes (in the client encoding); int32 nevents, each as int64 instant,
 * a byte 0/1 for the seq, the int64 seq when 1, int32 label index.
 */
PG_FUNCTION_INFO_V1(kpi_timeline_recv);
Datum
kpi_timeline_recv(PG_FUNCTION_ARGS)
{
	StringInfo	buf = (StringInfo) PG_GETARG_POINTER(0);
	int32		nlabels;
	int32		nevents;
	uint32	   *ids;
	TlAcc	   *a;

	kpi_recv_version(buf, TL_TYPE);
	nlabels = pq_getmsgint(buf, 4);
	if (nlabels < 0 || nlabels > TL_MAX_LABELS || nlabels > buf->len - buf->cursor)
		bad(ERRCODE_INVALID_BINARY_REPRESENTATION, "The number of labels is out of range.");
	a = acc_new(8, Max(nlabels, 4), 64);
	ids = palloc(Max(nlabels, 1) * sizeof(uint32));
	for (int32 i = 0; i < nlabels; i++)
	{
		int32		len = pq_getmsgint(buf, 4);
		char	   *s;
		int			nbytes;

		if (len < 1 || len > buf->len - buf->cursor)
			bad(ERRCODE_INVALID_BINARY_REPRESENTATION, "A label length is out of range.");
		s = pq_getmsgtext(buf, len, &nbytes);
		if (!label_bytes_ok(s, nbytes))
			bad(ERRCODE_INVALID_BINARY_REPRESENTATION, "A state label is empty, too long or not valid in the database encoding.");
		ids[i] = acc_label_id(&a, s, nbytes);
	}
	nevents = pq_getmsgint(buf, 4);
	if (nevents < 0 || nevents > TL_MAX_EVENTS || nevents > (buf->len - buf->cursor) / 13)
		bad(ERRCODE_INVALID_BINARY_REPRESENTATION, "The number of events is out of range.");
	acc_reserve(&a, nevents);
	for (int32 i = 0; i < nevents; i++)
	{
		int64		at = pq_getmsgint64(buf);
		int			has_seq = pq_getmsgbyte(buf);
		int64		seq = 0;
		int32		label;

		if (has_seq != 0 && has_seq != 1)
			bad(ERRCODE_INVALID_BINARY_REPRESENTATION, "An event's seq flag is neither 0 nor 1.");
		if (has_seq)
			seq = pq_getmsgint64(buf);
		label = pq_getmsgint(buf, 4);
		if (!IS_VALID_TIMESTAMP(at))
			bad(ERRCODE_INVALID_BINARY_REPRESENTATION, "An instant is infinite or out of range.");
		if (label < 0 || label >= nlabels)
			bad(ERRCODE_INVALID_BINARY_REPRESENTATION, "An event's label index is out of range.");
		acc_push(a, at, has_seq, seq, ids[label]);
	}
	pq_getmsgend(buf);
	PG_RETURN_POINTER(acc_encode(a, false));
}

PG_FUNCTION_INFO_V1(kpi_timeline_send);
Datum
kpi_timeline_send(PG_FUNCTION_ARGS)
{
	TlView		v;
	StringInfoData buf;

	tl_arg_view(fcinfo, 0, &v);
	pq_begintypsend(&buf);
	pq_sendbyte(&buf, KPI_FORMAT_VERSION);
	pq_sendint32(&buf, v.nlabels);
	for (int32 r = 0; r < v.nlabels; r++)
	{
		char	   *s = pg_server_to_client(v.lab[r], v.len[r]);
		int			len = s == v.lab[r] ? v.len[r] : (int) strlen(s);

		pq_sendint32(&buf, len);
		pq_sendbytes(&buf, s, len);
	}
	pq_sendint32(&buf, v.n);
	for (int32 i = 0; i < v.n; i++)
	{
		pq_sendint64(&buf, v.ev[i].at);
		pq_sendbyte(&buf, v.ev[i].has_seq);
		if (v.ev[i].has_seq)
			pq_sendint64(&buf, v.ev[i].seq);
		pq_sendint32(&buf, v.ev[i].label);
	}
	PG_RETURN_BYTEA_P(pq_endtypsend(&buf));
}

/* --- aggregate support ------------------------------------------------------ */

/*
 * The datum as our own accumulating form, when its header and size agree (a
 * plain varlena: states are never toasted); else NULL.  Only the aggregate's
 * own states are trusted this way, as every family does.
 */
static inline TlAcc *
acc_of(Datum d)
{
	TlAcc	   *a = (TlAcc *) DatumGetPointer(d);

	if (!VARATT_IS_4B_U(a) || VARSIZE(a) < sizeof(TlAcc) ||
		a->h.version != KPI_FORMAT_VERSION || a->h.form != TL_FORM_ACC ||
		VARSIZE(a) != acc_size(a->cap_events, a->cap_labels, a->cap_heap))
		return NULL;
	return a;
}

/*
 * The state argument as an accumulating form we may write: itself inside an
 * aggregate (our own state, trusted after a header check, as every family
 * does), else a new one filled from the value.
 */
static TlAcc *
tl_state(FunctionCallInfo fcinfo, bool *in_agg)
{
	TlHeader   *h;
	TlAcc	   *a;
	TlView		v;

	*in_agg = AggCheckCallContext(fcinfo, NULL) != 0;
	if (PG_ARGISNULL(0))
		return acc_new(TL_INIT_EVENTS, TL_INIT_LABELS, TL_INIT_HEAP);
	h = tl_header(PG_GETARG_DATUM(0), ERRCODE_DATA_CORRUPTED);
	if (*in_agg && acc_of(PointerGetDatum(h)) != NULL)
		return (TlAcc *) h;
	tl_view(PointerGetDatum(h), &v, ERRCODE_DATA_CORRUPTED);
	a = acc_new(Max(v.n, TL_INIT_EVENTS), Max(v.nlabels, TL_INIT_LABELS), TL_INIT_HEAP);
	acc_add_view(&a, &v);
	return a;
}

/*
 * The transition functions' fast path: inside an aggregate or a window, the
 * state argument is our own accumulating form, trusted after a header check
 * (as in tl_state); NULL otherwise (no state yet, or called directly).
 */
static inline TlAcc *
tl_own_state(FunctionCallInfo fcinfo)
{
	if (PG_ARGISNULL(0) || fcinfo->context == NULL ||
		!(IsA(fcinfo->context, AggState) || IsA(fcinfo->context, WindowAggState)))
		return NULL;
	return acc_of(PG_GETARG_DATUM(0));
}

/*
 * In the combine step of a parallel plan (Finalize Aggregate), the second
 * argument is the state of one of our own partial aggregates, its
 * accumulating form trusted after the same header check; NULL otherwise
 * (rollup's rows and + are values to validate).
 */
static inline TlAcc *
tl_partial_state(FunctionCallInfo fcinfo)
{
	if (fcinfo->context == NULL || !IsA(fcinfo->context, AggState) ||
		!DO_AGGSPLIT_COMBINE(((AggState *) fcinfo->context)->aggsplit))
		return NULL;
	return acc_of(PG_GETARG_DATUM(1));
}

/* the state to return: outside an aggregate, always the canonical form */
static Datum
tl_return_state(TlAcc *a, bool in_agg)
{
	if (in_agg)
		return PointerGetDatum(a);
	return PointerGetDatum(acc_encode(a, false));
}

/*
 * Skipping a row: the state unchanged; before any row it stays NULL, except
 * in a window, where it must not be NULL: there it starts empty.
 */
static Datum
tl_skip(FunctionCallInfo fcinfo)
{
	TlView		empty = {0};

	if (!PG_ARGISNULL(0))
		PG_RETURN_DATUM(PG_GETARG_DATUM(0));
	if (AggCheckCallContext(fcinfo, NULL) != AGG_CONTEXT_WINDOW)
		PG_RETURN_NULL();
	PG_RETURN_POINTER(tl_encode(&empty));
}

static Datum
tl_accum(FunctionCallInfo fcinfo, bool with_seq)
{
	TimestampTz at;
	text	   *state;
	bool		has_seq;
	int64		seq = 0;
	TlAcc	   *a;
	bool		in_agg;
	uint32		id;

	if (PG_ARGISNULL(1) || PG_ARGISNULL(2))
		return tl_skip(fcinfo);
	at = PG_GETARG_TIMESTAMPTZ(1);
	check_finite(at, "timeline event time");
	state = PG_GETARG_TEXT_PP(2);
	if (VARSIZE_ANY_EXHDR(state) == 0 || VARSIZE_ANY_EXHDR(state) > TL_MAX_LABEL_LEN)
		check_label(VARDATA_ANY(state), VARSIZE_ANY_EXHDR(state), "timeline state", false);
	has_seq = with_seq && !PG_ARGISNULL(3);
	if (has_seq)
		seq = PG_GETARG_INT64(3);
	a = tl_own_state(fcinfo);
	in_agg = a != NULL;
	if (a == NULL)
		a = tl_state(fcinfo, &in_agg);
	id = acc_label_id(&a, VARDATA_ANY(state), VARSIZE_ANY_EXHDR(state));
	acc_reserve(&a, 1);
	acc_push(a, at, has_seq, seq, id);
	return tl_return_state(a, in_agg);
}

PG_FUNCTION_INFO_V1(kpi_timeline_accum);
Datum
kpi_timeline_accum(PG_FUNCTION_ARGS)
{
	return tl_accum(fcinfo, false);
}

PG_FUNCTION_INFO_V1(kpi_timeline_accum_seq);
Datum
kpi_timeline_accum_seq(PG_FUNCTION_ARGS)
{
	return tl_accum(fcinfo, true);
}

/* rollup and the parallel combine: the union of the events */
PG_FUNCTION_INFO_V1(kpi_timeline_combine);
Datum
kpi_timeline_combine(PG_FUNCTION_ARGS)
{
	TlView		other;
	TlAcc	   *a;
	TlAcc	   *b;
	bool		in_agg;

	if (PG_ARGISNULL(1))
		return tl_skip(fcinfo);
	b = tl_partial_state(fcinfo);
	if (b != NULL && PG_ARGISNULL(0))
	{
		/* the first part of the group: the executor copies it as the state */
		PG_RETURN_POINTER(b);
	}
	if (b != NULL)
		acc_view(b, &other);
	else
		tl_arg_view(fcinfo, 1, &other);
	a = tl_state(fcinfo, &in_agg);
	acc_add_view(&a, &other);
	return tl_return_state(a, in_agg);
}

/*
 * Final function of timeline_agg and rollup: the canonical form (a new value;
 * the state is not touched, a window frame may use it again), or NULL when
 * there is no event.
 */
PG_FUNCTION_INFO_V1(kpi_timeline_final);
Datum
kpi_timeline_final(PG_FUNCTION_ARGS)
{
	TlView		v;
	TlHeader   *h = tl_header(PG_GETARG_DATUM(0), ERRCODE_DATA_CORRUPTED);

	/* the aggregate's own state is trusted, as in the transition functions */
	if (AggCheckCallContext(fcinfo, NULL) && acc_of(PointerGetDatum(h)) != NULL)
	{
		if (h->nevents == 0)
			PG_RETURN_NULL();
		PG_RETURN_POINTER(acc_encode((TlAcc *) h, true));
	}
	tl_view(PointerGetDatum(h), &v, ERRCODE_DATA_CORRUPTED);
	if (v.n == 0)
		PG_RETURN_NULL();
	PG_RETURN_POINTER(tl_encode(&v));
}

/* a + b: the same as rollup over both */
PG_FUNCTION_INFO_V1(kpi_timeline_plus);
Datum
kpi_timeline_plus(PG_FUNCTION_ARGS)
{
	TlView		va;
	TlView		vb;
	TlAcc	   *a;

	tl_arg_view(fcinfo, 0, &va);
	tl_arg_view(fcinfo, 1, &vb);
	a = acc_new(Max(va.n + vb.n, TL_INIT_EVENTS),
				Min(Max(va.nlabels + vb.nlabels, TL_INIT_LABELS), TL_MAX_LABELS), TL_INIT_HEAP);
	acc_add_view(&a, &va);
	acc_add_view(&a, &vb);
	PG_RETURN_POINTER(acc_encode(a, false));
}

/* --- time in states --------------------------------------------------------- */

/*
 * The time in [since, until) spent in segments whose label is in mask (by
 * rank), the last segment running until `until`; with paused, the time in
 * segments NOT in mask, and before the first event (an SLA clock).
 */
static int64
clipped_time(TlView *v, const bool *mask, bool paused,
			 TimestampTz since, TimestampTz until, const KpiCalendar *cal)
{
	int32		nseg;
	TlSegment  *seg = view_segments(v, &nseg);
	int64		total = 0;

	if (since >= until)
		return 0;
	if (paused)
	{
		TimestampTz b = nseg > 0 ? Min(seg[0].start, until) : until;

		if (since < b)
			total = view_span(v, cal, since, -1, b, 0);
	}
	for (int32 k = 0; k < nseg && seg[k].start < until; k++)
	{
		TimestampTz a;
		TimestampTz b;

		if (mask[seg[k].label] == paused)
			continue;
		a = Max(seg[k].start, since);
		b = seg[k].open ? until : Min(seg[k].end, until);
		if (a < b)
			total = add_usecs(total, piece_usecs(v, k, cal, a, b));
		CHECK_FOR_INTERRUPTS();
	}
	return total;
}

/*
 * duration_in(tl, states [, since], [until] [, calendar]): since_arg and
 * until_arg are argument numbers or -1, cal_arg likewise.
 */
static Datum
duration_in(FunctionCallInfo fcinfo, int since_arg, int until_arg, int cal_arg)
{
	TlView	   *v;
	const bool *mask;
	TimestampTz since;
	TimestampTz until;
	KpiCalendar *cal = cal_arg >= 0 ? tl_calendar(fcinfo, cal_arg) : NULL;

	v = tl_arg_view_cached(fcinfo, 0);
	if (cal != NULL)
		view_use_calendar(fcinfo, v, cal_arg);
	mask = states_mask(fcinfo, 1, v, "duration_in states");
	if (until_arg >= 0)
	{
		until = PG_GETARG_TIMESTAMPTZ(until_arg);
		check_finite(until, "duration_in until");
	}
	else
		until = v->n > 0 ? v->ev[v->n - 1].at : 0;
	if (since_arg >= 0)
	{
		since = PG_GETARG_TIMESTAMPTZ(since_arg);
		check_finite(since, "duration_in since");
		check_order(since, until, "since", "until");
	}
	else
		since = v->n > 0 ? Min(v->ev[0].at, until) : until;
	if (v->n == 0)
		PG_RETURN_INTERVAL_P(usecs_interval(0));
	PG_RETURN_INTERVAL_P(usecs_interval(clipped_time(v, mask, false, since, until, cal)));
}

PG_FUNCTION_INFO_V1(kpi_timeline_duration_in);
Datum
kpi_timeline_duration_in(PG_FUNCTION_ARGS)
{
	return duration_in(fcinfo, -1, -1, -1);
}

PG_FUNCTION_INFO_V1(kpi_timeline_duration_in_cal);
Datum
kpi_timeline_duration_in_cal(PG_FUNCTION_ARGS)
{
	return duration_in(fcinfo, -1, -1, 2);
}

PG_FUNCTION_INFO_V1(kpi_timeline_duration_in_until);
Datum
kpi_timeline_duration_in_until(PG_FUNCTION_ARGS)
{
	return duration_in(fcinfo, -1, 2, -1);
}

PG_FUNCTION_INFO_V1(kpi_timeline_duration_in_until_cal);
Datum
kpi_timeline_duration_in_until_cal(PG_FUNCTION_ARGS)
{
	return duration_in(fcinfo, -1, 2, 3);
}

PG_FUNCTION_INFO_V1(kpi_timeline_duration_in_range);
Datum
kpi_timeline_duration_in_range(PG_FUNCTION_ARGS)
{
	return duration_in(fcinfo, 2, 3, -1);
}

PG_FUNCTION_INFO_V1(kpi_timeline_duration_in_range_cal);
Datum
kpi_timeline_duration_in_range_cal(PG_FUNCTION_ARGS)
{
	return duration_in(fcinfo, 2, 3, 4);
}

/* --- SLA clocks ------------------------------------------------------------- */

static Datum
sla_elapsed(FunctionCallInfo fcinfo, int cal_arg)
{
	TlView	   *v;
	TimestampTz start = PG_GETARG_TIMESTAMPTZ(1);
	TimestampTz until = PG_GETARG_TIMESTAMPTZ(2);
	const bool *paused;
	KpiCalendar *cal = cal_arg >= 0 ? tl_calendar(fcinfo, cal_arg) : NULL;

	v = tl_arg_view_cached(fcinfo, 0);
	if (cal != NULL)
		view_use_calendar(fcinfo, v, cal_arg);
	check_finite(start, "sla_elapsed start");
	check_finite(until, "sla_elapsed until");
	check_order(start, until, "start", "until");
	paused = states_mask(fcinfo, 3, v, "sla_elapsed paused states");
	PG_RETURN_INTERVAL_P(usecs_interval(clipped_time(v, paused, true, start, until, cal)));
}

PG_FUNCTION_INFO_V1(kpi_timeline_sla_elapsed);
Datum
kpi_timeline_sla_elapsed(PG_FUNCTION_ARGS)
{
	return sla_elapsed(fcinfo, -1);
}

PG_FUNCTION_INFO_V1(kpi_timeline_sla_elapsed_cal);
Datum
kpi_timeline_sla_elapsed_cal(PG_FUNCTION_ARGS)
{
	return sla_elapsed(fcinfo, 4);
}

/* the instant `usecs` of (working) time after a */
static TimestampTz
advance(const KpiCalendar *cal, TimestampTz a, int64 usecs)
{
	TimestampTz r;

	if (cal != NULL)
		return kpi_business_add(cal, a, usecs);
	if (pg_add_s64_overflow(a, usecs, &r) || !IS_VALID_TIMESTAMP(r))
		ereport(ERROR,
				(errcode(ERRCODE_DATETIME_VALUE_OUT_OF_RANGE),
				 errmsg("timestamp out of range"),
				 errdetail("The SLA due time would lie after the largest timestamp.")));
	return r;
}

/*
 * sla_due: the earliest instant t >= start at which sla_elapsed(start, t)
 * reaches target, walking over the running pieces; NULL when the clock stops
 * for good (the last state is paused) before that.
 */
static Datum
sla_due(FunctionCallInfo fcinfo, int cal_arg)
{
	TlView	   *v;
	TimestampTz start = PG_GETARG_TIMESTAMPTZ(1);
	int64		remaining = kpi_interval_usecs(PG_GETARG_INTERVAL_P(2), "sla_due target");
	const bool *paused;
	KpiCalendar *cal = cal_arg >= 0 ? tl_calendar(fcinfo, cal_arg) : NULL;
	TlSegment  *seg;
	int32		nseg;

	if (remaining < 0)
		ereport(ERROR,
				(errcode(ERRCODE_NUMERIC_VALUE_OUT_OF_RANGE),
				 errmsg("sla_due target must not be negative"),
				 errdetail("The target is the SLA time the clock may run, such as interval '4 hours'."),
				 errhint("Pass the SLA target as a positive interval; a NULL target gives NULL.")));
	v = tl_arg_view_cached(fcinfo, 0);
	if (cal != NULL)
		view_use_calendar(fcinfo, v, cal_arg);
	check_finite(start, "sla_due start");
	paused = states_mask(fcinfo, 3, v, "sla_due paused states");
	if (remaining == 0)
		PG_RETURN_TIMESTAMPTZ(start);
	seg = view_segments(v, &nseg);
	/* before the first event the clock runs */
	if (nseg == 0)
		PG_RETURN_TIMESTAMPTZ(advance(cal, start, remaining));
	if (start < seg[0].start)
	{
		int64		avail = view_span(v, cal, start, -1, seg[0].start, 0);

		if (remaining <= avail)
			PG_RETURN_TIMESTAMPTZ(advance(cal, start, remaining));
		remaining -= avail;
	}
	for (int32 k = 0; k < nseg; k++)
	{
		TimestampTz a;
		int64		avail;

		if (!seg[k].open && seg[k].end <= start)
			continue;
		if (paused[seg[k].label])
		{
			if (seg[k].open)
				PG_RETURN_NULL();
			continue;
		}
		a = Max(seg[k].start, start);
		if (seg[k].open)
			PG_RETURN_TIMESTAMPTZ(advance(cal, a, remaining));
		avail = piece_usecs(v, k, cal, a, seg[k].end);
		if (remaining <= avail)
			PG_RETURN_TIMESTAMPTZ(advance(cal, a, remaining));
		remaining -= avail;
		CHECK_FOR_INTERRUPTS();
	}
	/* cannot happen: the last segment of a timeline with events is always open */
	elog(ERROR, "timeline without an open last segment");
	PG_RETURN_NULL();
}

PG_FUNCTION_INFO_V1(kpi_timeline_sla_due);
Datum
kpi_timeline_sla_due(PG_FUNCTION_ARGS)
{
	return sla_due(fcinfo, -1);
}

PG_FUNCTION_INFO_V1(kpi_timeline_sla_due_cal);
Datum
kpi_timeline_sla_due_cal(PG_FUNCTION_ARGS)
{
	return sla_due(fcinfo, 4);
}

/* --- states and segments ---------------------------------------------------- */

PG_FUNCTION_INFO_V1(kpi_timeline_state_at);
Datum
kpi_timeline_state_at(PG_FUNCTION_ARGS)
{
	TlView	   *v;
	TimestampTz t = PG_GETARG_TIMESTAMPTZ(1);
	int32		lo = 0;
	int32		hi;

	v = tl_arg_view_cached(fcinfo, 0);
	/* the last event at or before t: the state after every event at t */
	hi = v->n;
	while (lo < hi)
	{
		int32		mid = (lo + hi) / 2;

		if (v->ev[mid].at <= t)
			lo = mid + 1;
		else
			hi = mid;
	}
	if (lo == 0)
		PG_RETURN_NULL();
	PG_RETURN_TEXT_P(cstring_to_text_with_len(v->lab[v->ev[lo - 1].label], v->len[v->ev[lo - 1].label]));
}

static Datum
entered(FunctionCallInfo fcinfo, bool last)
{
	TlView	   *v;
	int32		r;
	int32		nseg;
	TlSegment  *seg;
	bool		found = false;
	TimestampTz result = 0;

	v = tl_arg_view_cached(fcinfo, 0);
	r = arg_label(fcinfo, 1, v, "state");
	if (r < 0)
		PG_RETURN_NULL();
	seg = view_segments(v, &nseg);
	for (int32 k = 0; k < nseg; k++)
		if (seg[k].label == r)
		{
			result = seg[k].start;
			found = true;
			if (!last)
				break;
		}
	if (!found)
		PG_RETURN_NULL();
	PG_RETURN_TIMESTAMPTZ(result);
}

PG_FUNCTION_INFO_V1(kpi_timeline_first_entered);
Datum
kpi_timeline_first_entered(PG_FUNCTION_ARGS)
{
	return entered(fcinfo, false);
}

PG_FUNCTION_INFO_V1(kpi_timeline_last_entered);
Datum
kpi_timeline_last_entered(PG_FUNCTION_ARGS)
{
	return entered(fcinfo, true);
}

PG_FUNCTION_INFO_V1(kpi_timeline_entries);
Datum
kpi_timeline_entries(PG_FUNCTION_ARGS)
{
	TlView	   *v;
	int32		r;
	int32		nseg;
	TlSegment  *seg;
	int32		n = 0;

	v = tl_arg_view_cached(fcinfo, 0);
	r = arg_label(fcinfo, 1, v, "state");
	if (r < 0)
		PG_RETURN_INT32(0);
	seg = view_segments(v, &nseg);
	for (int32 k = 0; k < nseg; k++)
		n += seg[k].label == r;
	PG_RETURN_INT32(n);
}

PG_FUNCTION_INFO_V1(kpi_timeline_transitions);
Datum
kpi_timeline_transitions(PG_FUNCTION_ARGS)
{
	TlView	   *v;
	int32		from;
	int32		to;
	int32		nseg;
	TlSegment  *seg;
	int32		n = 0;

	v = tl_arg_view_cached(fcinfo, 0);
	from = arg_label(fcinfo, 1, v, "from_state");
	to = arg_label(fcinfo, 2, v, "to_state");
	if (from < 0 || to < 0)
		PG_RETURN_INT32(0);
	seg = view_segments(v, &nseg);
	for (int32 k = 1; k < nseg; k++)
		n += seg[k - 1].label == from && seg[k].label == to;
	PG_RETURN_INT32(n);
}

PG_FUNCTION_INFO_V1(kpi_timeline_state_timeline);
Datum
kpi_timeline_state_timeline(PG_FUNCTION_ARGS)
{
	ReturnSetInfo *rsinfo = (ReturnSetInfo *) fcinfo->resultinfo;
	TlView	   *v;
	int32		nseg;
	TlSegment  *seg;

	InitMaterializedSRF(fcinfo, 0);
	v = tl_arg_view_cached(fcinfo, 0);
	seg = view_segments(v, &nseg);
	for (int32 k = 0; k < nseg; k++)
	{
		Datum		values[3];
		bool		nulls[3] = {false, false, false};

		values[0] = PointerGetDatum(cstring_to_text_with_len(v->lab[seg[k].label], v->len[seg[k].label]));
		values[1] = TimestampTzGetDatum(seg[k].start);
		values[2] = TimestampTzGetDatum(seg[k].end);
		nulls[2] = seg[k].open;
		tuplestore_putvalues(rsinfo->setResult, rsinfo->setDesc, values, nulls);
	}
	return (Datum) 0;
}

static Datum
segment_durations(FunctionCallInfo fcinfo, int cal_arg)
{
	TlView	   *v;
	int32		r;
	int32		nseg;
	TlSegment  *seg;
	KpiCalendar *cal = cal_arg >= 0 ? tl_calendar(fcinfo, cal_arg) : NULL;
	Datum	   *elems;
	bool	   *nulls;
	int			n = 0;
	int			dims[1];
	int			lbs[1] = {1};

	v = tl_arg_view_cached(fcinfo, 0);
	if (cal != NULL)
		view_use_calendar(fcinfo, v, cal_arg);
	r = arg_label(fcinfo, 1, v, "state");
	seg = view_segments(v, &nseg);
	elems = palloc(Max(nseg, 1) * sizeof(Datum));
	nulls = palloc(Max(nseg, 1) * sizeof(bool));
	for (int32 k = 0; r >= 0 && k < nseg; k++)
	{
		if (seg[k].label != r)
			continue;
		nulls[n] = seg[k].open;
		elems[n] = seg[k].open ? (Datum) 0 :
			IntervalPGetDatum(usecs_interval(piece_usecs(v, k, cal, seg[k].start, seg[k].end)));
		n++;
	}
	dims[0] = n;
	PG_RETURN_ARRAYTYPE_P(construct_md_array(elems, nulls, n > 0 ? 1 : 0, dims, lbs,
											 INTERVALOID, sizeof(Interval), false, TYPALIGN_DOUBLE));
}

PG_FUNCTION_INFO_V1(kpi_timeline_segment_durations);
Datum
kpi_timeline_segment_durations(PG_FUNCTION_ARGS)
{
	return segment_durations(fcinfo, -1);
}

PG_FUNCTION_INFO_V1(kpi_timeline_segment_durations_cal);
Datum
kpi_timeline_segment_durations_cal(PG_FUNCTION_ARGS)
{
	return segment_durations(fcinfo, 2);
}
