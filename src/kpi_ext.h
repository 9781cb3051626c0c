/*-------------------------------------------------------------------------
 *
 * kpi_ext.h
 *	  Declarations shared by every KPI family of kpi_ext.
 *
 * Each family (survey.c, rate.c, ratio.c, ...) owns its summary type: a
 * varlena whose first byte after the header is a format version, so that
 * later releases can still read values stored by older ones.  This header
 * holds what the families have in common: aggregate state handling, the
 * interval conversions, numeric results and the text I/O of summaries.
 *
 *-------------------------------------------------------------------------
 */
#ifndef KPI_EXT_H
#define KPI_EXT_H

#include <math.h>

#include "kpi_compat.h"

#include "common/int.h"
#include "fmgr.h"
#include "lib/stringinfo.h"
#include "utils/numeric.h"
#include "utils/timestamp.h"

/* format version written into every summary stored by this release */
#define KPI_FORMAT_VERSION	1

/* an interval's month counts as 30 days, as in PostgreSQL's interval ordering */
#define KPI_USECS_PER_MONTH ((int64) DAYS_PER_MONTH * USECS_PER_DAY)

/*
 * Aggregate state handling.  A transition function may update its state in
 * place only when called as an aggregate; otherwise it works on a copy.
 * kpi_state_for_update returns a writable state of the given size: a zeroed
 * new one when the argument is NULL (allocated in the per-call context, the
 * executor copies it into the aggregate context), the argument itself inside
 * an aggregate, or a copy outside one.
 */
extern struct varlena *kpi_state_for_update(FunctionCallInfo fcinfo, int argno,
											Size size);

/* intervals as microseconds; errors on overflow, infinity or (for durations) < 0 */
extern int64 kpi_interval_usecs(const Interval *span, const char *what);
extern int64 kpi_duration_usecs(const Interval *span, const char *what);
extern Interval *kpi_usecs_interval(double usecs);

/* numeric results: 100 * part / whole exactly, a / b exactly, or from a double */
extern Numeric kpi_percent(int64 part, int64 whole);
extern Numeric kpi_numeric_div(int64 a, int64 b);
extern Numeric kpi_numeric_from_double(double value);

/* numeric arguments: a finite one (else an error naming what), and their order */
extern Numeric kpi_numeric_arg(FunctionCallInfo fcinfo, int argno, const char *what);
extern int	kpi_numeric_cmp(Numeric a, Numeric b);

/*
 * Overflow-checked counter arithmetic for merging summaries; inline, since
 * transition functions add to counters on every row.
 */
pg_noreturn extern void kpi_count_overflow(const char *type_name);

/*
 * Subtracting counts (moving-aggregate inverses, the - operators): a count
 * that would become negative means the summary subtracted holds rows the
 * other one does not, an error (numeric_value_out_of_range) with a hint.
 */
pg_noreturn extern void kpi_negative_count(const char *type_name);

static inline int64
kpi_sub_count(int64 a, int64 b, const char *type_name)
{
	if (unlikely(b > a))
		kpi_negative_count(type_name);
	return a - b;
}

static inline int64
kpi_add_count(int64 a, int64 b, const char *type_name)
{
	int64		result;

	if (unlikely(pg_add_s64_overflow(a, b, &result)))
		kpi_count_overflow(type_name);
	return result;
}

/*
 * Text form of summaries: "v1:" followed by the fields.  The parser reports
 * every problem as invalid_text_representation naming the type and quoting the
 * input, with a detail saying what was expected.
 */
typedef struct KpiParser
{
	const char *type_name;		/* e.g. "score_summary" */
	const char *input;			/* the whole literal, for messages */
	const char *p;				/* the current position */
} KpiParser;

extern void kpi_parse_begin(KpiParser *ps, const char *type_name, const char *input);
/* the same for a type that reads format versions 1 .. newest: returns the version */
extern int	kpi_parse_begin_versions(KpiParser *ps, const char *type_name, const char *input,
									 int newest);
extern int64 kpi_parse_count(KpiParser *ps, const char *field);
extern double kpi_parse_double(KpiParser *ps, const char *field);
extern void kpi_parse_expect(KpiParser *ps, const char *token);
extern bool kpi_parse_accept(KpiParser *ps, const char *token);
extern void kpi_parse_end(KpiParser *ps);
pg_noreturn extern void kpi_parse_error(KpiParser *ps, const char *detail);

extern void kpi_append_double(StringInfo buf, double value);

/* binary form: the version byte leads, the caller then reads its fields */
extern void kpi_recv_version(StringInfo buf, const char *type_name);
/* the same for a type that reads format versions 1 .. newest: returns the version */
extern int	kpi_recv_versions(StringInfo buf, const char *type_name, int newest);

/*
 * Rejecting a summary that fails validation.  The SQLSTATE says where it came
 * from: ERRCODE_INVALID_TEXT_REPRESENTATION or ERRCODE_INVALID_BINARY_REPRESENTATION
 * for input, ERRCODE_DATA_CORRUPTED (kpi_corrupt_summary) for a stored value.
 */
pg_noreturn extern void kpi_invalid_summary(int sqlerrcode, const char *type_name, const char *detail);
pg_noreturn extern void kpi_corrupt_summary(const char *type_name, const char *detail);

/*
 * The result of a transition function that skips its input (a NULL value):
 * the state unchanged.  Before any input the state stays NULL, so that an
 * aggregate over no non-NULL input gives NULL; in a window it starts empty
 * instead, because a moving-aggregate state must never be NULL.
 */
extern Datum kpi_state_skip(FunctionCallInfo fcinfo, int argno, Size size);

/* survey.c: the counts of a score_summary, responses per score 0..10 */
#define KPI_SCORE_BUCKETS 11
extern void kpi_score_counts(Datum summary, int64 counts[KPI_SCORE_BUCKETS]);
/* a minimum score (0..10) as top_box and wilson_low/high take it: returned, or an error */
extern int32 kpi_check_min_score(int32 min_score);
/* top_box_summary(score_summary, min_score) -> rate_summary, for the change test */
extern Datum kpi_score_top_box_summary(PG_FUNCTION_ARGS);

/* rate.c: the counts of a rate_summary, and a new one from counts */
extern void kpi_rate_counts(Datum summary, int64 *hits, int64 *trials);
extern Datum kpi_rate_make(int64 hits, int64 trials);

/*
 * stats.c: the ranks (from 1) of the order statistics that bound the
 * fraction-quantile of a population with the given confidence, from a sample
 * of n; 0 for no lower bound, n + 1 for no upper one (see stats.c).
 */
extern void kpi_check_confidence(double confidence);
extern void kpi_quantile_ci_ranks(int64 n, double fraction, double confidence,
								  int64 *lower, int64 *upper);

/*
 * An excerpt of len bytes of s for an error detail: at most KPI_EXCERPT_LEN
 * bytes (whole characters) and "..." when longer, so that a huge malformed
 * literal is not copied again into the detail (the message quotes it once).
 */
#define KPI_EXCERPT_LEN 64
extern char *kpi_excerpt(const char *s, size_t len);

#endif							/* KPI_EXT_H */
