/*-------------------------------------------------------------------------
 *
 * ratio.c
 *	  Ratios of sums: utilization, occupancy, schedule adherence, quality
 *	  score, average handle time, and the ratio_summary type.
 *
 * A ratio_summary holds the number of rows and two exact sums, of a
 * numerator and of a denominator, and every KPI of this family is
 *
 *	  ratio = sum(numerator) / sum(denominator)
 *
 * never the mean of per-row ratios: a short shift at 100% must not weigh as
 * much as a long one at 50%.  The KPIs differ only in what they sum:
 *
 *	  utilization        = 100 * sum(busy) / sum(available)
 *	  occupancy          = 100 * sum(handle) / sum(staffed)
 *	  schedule_adherence = 100 * sum(adherent) / sum(scheduled)
 *	  quality_score      = 100 * sum(points) / sum(max_points)
 *	  aht                = sum(talk + hold + wrap) / contacts
 *
 * Intervals are summed as seconds (a month counts as 30 days), numeric
 * points as double precision.
 *
 * The sums are exact (exactsum.h): a summary of the same rows is the same
 * value whatever their order, grouping or parallel plan; rows leaving a
 * moving window or subtracted by the - operator leave exactly the sum of the
 * others, so (a + b) - b = a byte for byte and a window's result equals its
 * frame recomputed, even after values of 1e300 passed through it.
 *
 * Three layouts share the type:
 *	  compact (version 2): the row count and the greedy expansion of each
 *		  sum, usually one or two doubles: what final functions, operators
 *		  and input return, and what tables store;
 *	  dense (version 2): the working state of the aggregates, a window of
 *		  exact-sum limbs per sum, updated in place;
 *	  version 1, stored by kpi_ext 0.6.0 and older: the row count and each
 *		  sum as a normalized compensated pair (sum, compensation), read as
 *		  the exact value sum + compensation.
 * Every function reads all three; text and binary output are the compact
 * form's, so a value has one text form, one binary form and one layout.
 *
 *-------------------------------------------------------------------------
 */
#include "postgres.h"

#include <float.h>

#include "common/int.h"
#include "libpq/pqformat.h"
#include "miscadmin.h"
#include "utils/builtins.h"
#include "utils/timestamp.h"

#include "exactsum.h"
#include "kpi_ext.h"

#define RATIO_SUMMARY_TYPE "ratio_summary"

/* the format version this release writes: 1 had compensated sums */
#define RATIO_VERSION 2

#define RATIO_COMPACT 0
#define RATIO_DENSE 1

typedef struct RatioSummary
{
	int32		vl_len_;		/* varlena header (do not touch directly!) */
	uint8		version;		/* RATIO_VERSION */
	uint8		form;			/* RATIO_COMPACT */
	uint8		nnum;			/* terms of the numerator's expansion */
	uint8		nden;			/* terms of the denominator's expansion */
	int64		n;				/* rows summed */
	double		terms[FLEXIBLE_ARRAY_MEMBER];	/* numerator's terms, then
												 * denominator's */
} RatioSummary;

#define RATIO_COMPACT_SIZE(k) (offsetof(RatioSummary, terms) + (Size) (k) * sizeof(double))

typedef struct RatioState
{
	int32		vl_len_;		/* varlena header (do not touch directly!) */
	uint8		version;		/* RATIO_VERSION */
	uint8		form;			/* RATIO_DENSE */
	uint8		unused[2];		/* zero */
	int64		n;				/* rows summed */
	int32		lo;				/* absolute index of the windows' first limb */
	int32		nlimbs;			/* limbs per window */
	int64		pending;		/* additions since the last carry */
	int64		limbs[FLEXIBLE_ARRAY_MEMBER];	/* numerator's window, then
												 * denominator's */
} RatioState;

#define RATIO_STATE_SIZE(nl) (offsetof(RatioState, limbs) + 2 * (Size) (nl) * sizeof(int64))
#define RATIO_NUM(s) ((s)->limbs)
#define RATIO_DEN(s) ((s)->limbs + (s)->nlimbs)

typedef struct RatioV1
{
	int32		vl_len_;		/* varlena header (do not touch directly!) */
	uint8		version;		/* 1 */
	uint8		unused[3];		/* zero */
	int64		n;				/* rows summed */
	double		num_sum;		/* sum of the numerators: sum + comp */
	double		num_comp;
	double		den_sum;		/* sum of the denominators: sum + comp */
	double		den_comp;
} RatioV1;

StaticAssertDecl(offsetof(RatioSummary, terms) == 16, "ratio_summary compact header");
StaticAssertDecl(offsetof(RatioState, limbs) == 32, "ratio_summary dense header");
StaticAssertDecl(sizeof(RatioV1) == 48, "ratio_summary version 1 layout");

/* --- validation ----------------------------------------------------------- */

/*
 * A version 1 sum: normalized, |comp| <= ulp(sum) / 2 <= |sum| * 2^-53; 0.6.0
 * accepted a little more, but not a compensation that would change the
 * sum's leading digits.
 */
#define RATIO_V1_COMP_LIMIT (1.0 / (double) (INT64CONST(1) << 50))

static bool
ratio_v1_sum_valid(double sum, double comp)
{
	return isfinite(sum) && isfinite(comp) && fabs(comp) <= fabs(sum) * RATIO_V1_COMP_LIMIT;
}

static void
ratio_check_v1(const RatioV1 *s, int sqlerrcode)
{
	if (VARSIZE(s) != sizeof(RatioV1))
		kpi_invalid_summary(sqlerrcode, RATIO_SUMMARY_TYPE, "The value has an unexpected size.");
	if (s->unused[0] != 0 || s->unused[1] != 0 || s->unused[2] != 0)
		kpi_invalid_summary(sqlerrcode, RATIO_SUMMARY_TYPE, "Reserved bytes are not zero.");
	if (s->n < 0)
		kpi_invalid_summary(sqlerrcode, RATIO_SUMMARY_TYPE, "The row count is negative.");
	if (!ratio_v1_sum_valid(s->num_sum, s->num_comp) || !ratio_v1_sum_valid(s->den_sum, s->den_comp))
		kpi_invalid_summary(sqlerrcode, RATIO_SUMMARY_TYPE, "A sum is not finite or not normalized.");
	if (s->n == 0 && (s->num_sum != 0 || s->den_sum != 0))
		kpi_invalid_summary(sqlerrcode, RATIO_SUMMARY_TYPE, "A summary of no rows has non-zero sums.");
}

static void
ratio_check_compact(const RatioSummary *s, int sqlerrcode)
{
	if (VARSIZE(s) != RATIO_COMPACT_SIZE(s->nnum + s->nden))
		kpi_invalid_summary(sqlerrcode, RATIO_SUMMARY_TYPE, "The value has an unexpected size.");
	if (s->n < 0)
		kpi_invalid_summary(sqlerrcode, RATIO_SUMMARY_TYPE, "The row count is negative.");
	if (!kpi_xsum_is_expansion(s->terms, s->nnum) ||
		!kpi_xsum_is_expansion(s->terms + s->nnum, s->nden))
		kpi_invalid_summary(sqlerrcode, RATIO_SUMMARY_TYPE,
							"A sum is not in its canonical form (finite non-zero terms, each the rest rounded to nearest).");
	if (s->n == 0 && s->nnum + s->nden > 0)
		kpi_invalid_summary(sqlerrcode, RATIO_SUMMARY_TYPE, "A summary of no rows has non-zero sums.");
}

/* the shape of a working state; its sums are checked when they are expanded */
static void
ratio_check_dense(const RatioState *s, int sqlerrcode)
{
	int64		bound;

	if (VARSIZE(s) < offsetof(RatioState, limbs) || s->nlimbs < 0 ||
		s->nlimbs > KPI_XSUM_LIMBS || VARSIZE(s) != RATIO_STATE_SIZE(s->nlimbs))
		kpi_invalid_summary(sqlerrcode, RATIO_SUMMARY_TYPE, "The value has an unexpected size.");
	if (s->unused[0] != 0 || s->unused[1] != 0)
		kpi_invalid_summary(sqlerrcode, RATIO_SUMMARY_TYPE, "Reserved bytes are not zero.");
	if (s->n < 0)
		kpi_invalid_summary(sqlerrcode, RATIO_SUMMARY_TYPE, "The row count is negative.");
	if (s->lo < 0 || s->lo > KPI_XSUM_LIMBS - s->nlimbs ||
		s->pending < 0 || s->pending >= KPI_XSUM_CARRY_EVERY)
		kpi_invalid_summary(sqlerrcode, RATIO_SUMMARY_TYPE, "The sums are out of range.");
	/* what carrying and adding can reach: below 2^32 per addition since the last carry */
	bound = (s->pending + 1) << 32;
	for (int i = 0; i < 2 * s->nlimbs; i++)
		if (s->limbs[i] >= bound || s->limbs[i] <= -bound)
			kpi_invalid_summary(sqlerrcode, RATIO_SUMMARY_TYPE, "The sums are out of range.");
}

/* --- working states --------------------------------------------------------- */

static RatioState *
ratio_new_state(int32 lo, int32 nlimbs)
{
	RatioState *s = palloc0(RATIO_STATE_SIZE(nlimbs));

	SET_VARSIZE(s, RATIO_STATE_SIZE(nlimbs));
	s->version = RATIO_VERSION;
	s->form = RATIO_DENSE;
	s->lo = lo;
	s->nlimbs = nlimbs;
	return s;
}

/*
 * Make the windows of s cover limbs lo .. hi (plus the headroom), returning s
 * or a larger copy.  The windows at least double on each growth, so a state
 * is copied O(log) times, and never exceed the limbs any sum can use.
 */
static RatioState *
ratio_cover(RatioState *s, int lo, int hi)
{
	int			new_lo;
	int			new_hi;
	int			want;
	RatioState *t;

	hi += KPI_XSUM_HEADROOM;
	if (s->nlimbs > 0 && lo >= s->lo && hi < s->lo + s->nlimbs)
		return s;
	new_lo = s->nlimbs > 0 ? Min(lo, s->lo) : lo;
	new_hi = s->nlimbs > 0 ? Max(hi, s->lo + s->nlimbs - 1) : hi;
	want = Max(new_hi - new_lo + 1, Min(2 * s->nlimbs, KPI_XSUM_LIMBS));
	want = Max(want, 8);
	/* the slack goes to the side that grew, within 0 .. KPI_XSUM_LIMBS - 1 */
	if (s->nlimbs > 0 && lo < s->lo)
		new_lo = new_hi - want + 1;
	else
		new_hi = new_lo + want - 1;
	if (new_hi > KPI_XSUM_LIMBS - 1)
	{
		new_lo -= new_hi - (KPI_XSUM_LIMBS - 1);
		new_hi = KPI_XSUM_LIMBS - 1;
	}
	if (new_lo < 0)
	{
		new_hi = Min(new_hi - new_lo, KPI_XSUM_LIMBS - 1);
		new_lo = 0;
	}
	t = ratio_new_state(new_lo, new_hi - new_lo + 1);
	t->n = s->n;
	t->pending = s->pending;
	if (s->nlimbs > 0)
	{
		memcpy(RATIO_NUM(t) + (s->lo - t->lo), RATIO_NUM(s), s->nlimbs * sizeof(int64));
		memcpy(RATIO_DEN(t) + (s->lo - t->lo), RATIO_DEN(s), s->nlimbs * sizeof(int64));
	}
	return t;
}

/* count one more addition into every limb; carry before the limbs could overflow */
static inline void
ratio_count_addition(RatioState *s)
{
	if (unlikely(++s->pending >= KPI_XSUM_CARRY_EVERY))
	{
		kpi_xsum_carry(RATIO_NUM(s), s->nlimbs);
		kpi_xsum_carry(RATIO_DEN(s), s->nlimbs);
		s->pending = 0;
	}
}

/* add (sign 1) or subtract (sign -1) num and den, finite doubles, to the sums */
static inline RatioState *
ratio_add(RatioState *s, double num, double den, int sign)
{
	int64		cn[KPI_XSUM_SPAN];
	int64		cd[KPI_XSUM_SPAN];
	int			in = kpi_xsum_split(sign > 0 ? num : -num, cn);
	int			id = kpi_xsum_split(sign > 0 ? den : -den, cd);

	if (in >= 0 || id >= 0)
	{
		int			lo = in < 0 ? id : (id < 0 ? in : Min(in, id));
		int			hi = Max(in, id) + KPI_XSUM_SPAN - 1;

		if (unlikely(s->nlimbs == 0 || lo < s->lo ||
					 hi + KPI_XSUM_HEADROOM >= s->lo + s->nlimbs))
			s = ratio_cover(s, lo, hi);
		if (in >= 0)
			for (int k = 0; k < KPI_XSUM_SPAN; k++)
				RATIO_NUM(s)[in - s->lo + k] += cn[k];
		if (id >= 0)
			for (int k = 0; k < KPI_XSUM_SPAN; k++)
				RATIO_DEN(s)[id - s->lo + k] += cd[k];
		ratio_count_addition(s);
	}
	return s;
}

static void
ratio_sum_out_of_range(void)
{
	ereport(ERROR,
			(errcode(ERRCODE_NUMERIC_VALUE_OUT_OF_RANGE),
			 errmsg("%s sum out of range", RATIO_SUMMARY_TYPE),
			 errdetail("A sum would exceed the range of double precision.")));
}

/* the expansions of a working state's sums; false when one exceeds double precision */
static bool
ratio_expand(const RatioState *s, double *num, int *nnum, double *den, int *nden)
{
	*nnum = kpi_xsum_expand(RATIO_NUM(s), s->lo, s->nlimbs, num);
	*nden = kpi_xsum_expand(RATIO_DEN(s), s->lo, s->nlimbs, den);
	return *nnum >= 0 && *nden >= 0;
}

static RatioSummary *
ratio_build(int64 n, const double *num, int nnum, const double *den, int nden)
{
	RatioSummary *r = palloc(RATIO_COMPACT_SIZE(nnum + nden));

	SET_VARSIZE(r, RATIO_COMPACT_SIZE(nnum + nden));
	r->version = RATIO_VERSION;
	r->form = RATIO_COMPACT;
	r->nnum = (uint8) nnum;
	r->nden = (uint8) nden;
	r->n = n;
	memcpy(r->terms, num, nnum * sizeof(double));
	memcpy(r->terms + nnum, den, nden * sizeof(double));
	return r;
}

/* the compact value of a working state: its sums expanded */
static RatioSummary *
ratio_compact(const RatioState *s)
{
	double		num[KPI_XSUM_MAX_TERMS];
	double		den[KPI_XSUM_MAX_TERMS];
	int			nnum;
	int			nden;

	if (!ratio_expand(s, num, &nnum, den, &nden))
		ratio_sum_out_of_range();
	if (s->n == 0 && nnum + nden > 0)
		ereport(ERROR,
				(errcode(ERRCODE_NUMERIC_VALUE_OUT_OF_RANGE),
				 errmsg("%s would hold sums without rows", RATIO_SUMMARY_TYPE),
				 errdetail("The summary subtracted holds rows that the one it is subtracted from does not hold."),
				 errhint("Subtract only a summary of rows that were added before, such as the old rows of an UPDATE or a DELETE.")));
	return ratio_build(s->n, num, nnum, den, nden);
}

/*
 * Any ratio_summary, validated, as its compact value: version 1 values are
 * converted, working states expanded.  sqlerrcode says where the value came
 * from (see kpi_invalid_summary).
 */
static RatioSummary *
ratio_read(Datum d, int sqlerrcode)
{
	struct varlena *v = PG_DETOAST_DATUM(d);
	RatioSummary *s = (RatioSummary *) v;

	if (VARSIZE(v) < offsetof(RatioSummary, terms))
		kpi_invalid_summary(sqlerrcode, RATIO_SUMMARY_TYPE, "The value has an unexpected size.");
	if (s->version == 1)
	{
		const RatioV1 *old = (const RatioV1 *) v;
		RatioState *t;

		ratio_check_v1(old, sqlerrcode);
		t = ratio_new_state(0, 0);
		t->n = old->n;
		t = ratio_add(t, old->num_sum, old->den_sum, 1);
		t = ratio_add(t, old->num_comp, old->den_comp, 1);
		return ratio_compact(t);
	}
	if (s->version != RATIO_VERSION)
		kpi_invalid_summary(sqlerrcode, RATIO_SUMMARY_TYPE, "The value has an unknown format version.");
	if (s->form == RATIO_DENSE)
	{
		ratio_check_dense((RatioState *) v, sqlerrcode);
		return ratio_compact((RatioState *) v);
	}
	if (s->form != RATIO_COMPACT)
		kpi_invalid_summary(sqlerrcode, RATIO_SUMMARY_TYPE, "The value has an unknown physical form.");
	ratio_check_compact(s, sqlerrcode);
	return s;
}

#define PG_GETARG_RATIO_SUMMARY(n) ratio_read(PG_GETARG_DATUM(n), ERRCODE_DATA_CORRUPTED)

/* add (sign 1) or subtract (sign -1) a compact value to a working state */
static RatioState *
ratio_add_summary(RatioState *s, const RatioSummary *c, int sign)
{
	int			k = Max(c->nnum, c->nden);

	s->n = sign > 0 ? kpi_add_count(s->n, c->n, RATIO_SUMMARY_TYPE)
		: kpi_sub_count(s->n, c->n, RATIO_SUMMARY_TYPE);
	for (int i = 0; i < k; i++)
		s = ratio_add(s, i < c->nnum ? c->terms[i] : 0,
					  i < c->nden ? c->terms[c->nnum + i] : 0, sign);
	return s;
}

/*
 * The writable working state of a transition function: inside an aggregate,
 * its own state, updated in place; a new one for a NULL state; anything else
 * (a plain call, a stored value) is read into a new one.
 */
static RatioState *
ratio_state(FunctionCallInfo fcinfo, int argno)
{
	Datum		d;

	if (PG_ARGISNULL(argno))
		return ratio_new_state(0, 0);
	d = PG_GETARG_DATUM(argno);
	if (AggCheckCallContext(fcinfo, NULL) && VARATT_IS_4B_U(DatumGetPointer(d)))
	{
		RatioState *s = (RatioState *) DatumGetPointer(d);

		if (s->version == RATIO_VERSION && s->form == RATIO_DENSE)
			return s;
	}
	return ratio_add_summary(ratio_new_state(0, 0), ratio_read(d, ERRCODE_DATA_CORRUPTED), 1);
}

/* a transition's result: the working state inside an aggregate, else the compact value */
static Datum
ratio_result(FunctionCallInfo fcinfo, RatioState *s)
{
	if (AggCheckCallContext(fcinfo, NULL))
		PG_RETURN_POINTER(s);
	PG_RETURN_POINTER(ratio_compact(s));
}

/*
 * Skipping a NULL input: the state unchanged, NULL before any input, and in a
 * window (where a moving-aggregate state must not be NULL) an empty state.
 */
static Datum
ratio_skip(FunctionCallInfo fcinfo)
{
	if (!PG_ARGISNULL(0))
		PG_RETURN_DATUM(PG_GETARG_DATUM(0));
	if (AggCheckCallContext(fcinfo, NULL) != AGG_CONTEXT_WINDOW)
		PG_RETURN_NULL();
	PG_RETURN_POINTER(ratio_new_state(0, 0));
}

/* the correctly rounded sums: the first term of each expansion */
static inline double
ratio_num(const RatioSummary *s)
{
	return s->nnum > 0 ? s->terms[0] : 0;
}

static inline double
ratio_den(const RatioSummary *s)
{
	return s->nden > 0 ? s->terms[s->nnum] : 0;
}

/* --- I/O ------------------------------------------------------------------ */

/*
 * A sum as the terms of its expansion, each after the first with its sign:
 * 12.5+1e-17.  Version 1 wrote a sum and its compensation the same way.
 * Text input reads any number of terms and stores the canonical expansion of
 * their exact sum.
 */
static RatioState *
ratio_parse_sum(KpiParser *ps, RatioState *s, bool numerator)
{
	const char *field = numerator ? "num" : "den";
	int			sign = 1;

	for (int k = 0;; k++)
	{
		double		x;

		/* any number of terms is accepted: a huge literal can be cancelled */
		if ((k & 0xffff) == 0xffff)
			CHECK_FOR_INTERRUPTS();
		x = kpi_parse_double(ps, k == 0 ? field : "term");

		s = ratio_add(s, numerator ? sign * x : 0, numerator ? 0 : sign * x, 1);
		if (kpi_parse_accept(ps, "+"))
			sign = 1;
		else if (kpi_parse_accept(ps, "-"))
			sign = -1;
		else
			return s;
	}
}

static void
ratio_append_sum(StringInfo buf, const double *terms, int k)
{
	if (k == 0)
		appendStringInfoChar(buf, '0');
	for (int i = 0; i < k; i++)
	{
		if (i > 0 && terms[i] > 0)
			appendStringInfoChar(buf, '+');
		kpi_append_double(buf, terms[i]);
	}
}

PG_FUNCTION_INFO_V1(kpi_ratio_summary_in);
Datum
kpi_ratio_summary_in(PG_FUNCTION_ARGS)
{
	char	   *str = PG_GETARG_CSTRING(0);
	RatioState *s = ratio_new_state(0, 0);
	KpiParser	ps;
	int			version;
	double		num[KPI_XSUM_MAX_TERMS];
	double		den[KPI_XSUM_MAX_TERMS];
	int			nnum;
	int			nden;

	version = kpi_parse_begin_versions(&ps, RATIO_SUMMARY_TYPE, str, RATIO_VERSION);
	kpi_parse_expect(&ps, "n=");
	s->n = kpi_parse_count(&ps, "rows");
	kpi_parse_expect(&ps, ",");
	kpi_parse_expect(&ps, "num=");
	if (version == 1)
	{
		/* what 0.6.0 accepted: a sum and an optional small compensation */
		double		sum = kpi_parse_double(&ps, "num");
		double		comp = 0;

		if (kpi_parse_accept(&ps, "+"))
			comp = kpi_parse_double(&ps, "compensation");
		else if (kpi_parse_accept(&ps, "-"))
			comp = -kpi_parse_double(&ps, "compensation");
		if (!ratio_v1_sum_valid(sum, comp))
			kpi_parse_error(&ps, "The compensation of num must be tiny relative to the sum.");
		s = ratio_add(s, sum, 0, 1);
		s = ratio_add(s, comp, 0, 1);
		kpi_parse_expect(&ps, ",");
		kpi_parse_expect(&ps, "den=");
		sum = kpi_parse_double(&ps, "den");
		comp = 0;
		if (kpi_parse_accept(&ps, "+"))
			comp = kpi_parse_double(&ps, "compensation");
		else if (kpi_parse_accept(&ps, "-"))
			comp = -kpi_parse_double(&ps, "compensation");
		if (!ratio_v1_sum_valid(sum, comp))
			kpi_parse_error(&ps, "The compensation of den must be tiny relative to the sum.");
		s = ratio_add(s, 0, sum, 1);
		s = ratio_add(s, 0, comp, 1);
	}
	else
	{
		s = ratio_parse_sum(&ps, s, true);
		kpi_parse_expect(&ps, ",");
		kpi_parse_expect(&ps, "den=");
		s = ratio_parse_sum(&ps, s, false);
	}
	kpi_parse_end(&ps);
	if (!ratio_expand(s, num, &nnum, den, &nden))
		kpi_parse_error(&ps, "A sum exceeds the range of double precision.");
	if (s->n == 0 && nnum + nden > 0)
		kpi_parse_error(&ps, "A summary of no rows (n=0) must have zero sums.");
	PG_RETURN_POINTER(ratio_build(s->n, num, nnum, den, nden));
}

PG_FUNCTION_INFO_V1(kpi_ratio_summary_out);
Datum
kpi_ratio_summary_out(PG_FUNCTION_ARGS)
{
	RatioSummary *s = PG_GETARG_RATIO_SUMMARY(0);
	StringInfoData buf;

	initStringInfo(&buf);
	appendStringInfo(&buf, "v%d:n=" INT64_FORMAT ",num=", RATIO_VERSION, s->n);
	ratio_append_sum(&buf, s->terms, s->nnum);
	appendStringInfoString(&buf, ",den=");
	ratio_append_sum(&buf, s->terms + s->nnum, s->nden);
	PG_RETURN_CSTRING(buf.data);
}

/*
 * Binary form, version 2: the version byte, the row count, then for each sum
 * the number of terms (a byte) and the terms.  Version 1 (0.6.0 and older):
 * the version byte, the row count, then each sum and its compensation.
 * Version 2 input must be canonical, as output writes it: a payload with a
 * zero or -0.0 term, or terms that are not the rest rounded, is refused, so
 * that binary input and output are inverses.
 */
PG_FUNCTION_INFO_V1(kpi_ratio_summary_recv);
Datum
kpi_ratio_summary_recv(PG_FUNCTION_ARGS)
{
	StringInfo	buf = (StringInfo) PG_GETARG_POINTER(0);
	int			version = kpi_recv_versions(buf, RATIO_SUMMARY_TYPE, RATIO_VERSION);
	RatioSummary *s;
	int64		n;
	int			nnum;
	int			nden;
	double		terms[2 * KPI_XSUM_MAX_TERMS];

	if (version == 1)
	{
		RatioV1    *old = palloc0(sizeof(RatioV1));

		SET_VARSIZE(old, sizeof(RatioV1));
		old->version = 1;
		old->n = pq_getmsgint64(buf);
		old->num_sum = pq_getmsgfloat8(buf);
		old->num_comp = pq_getmsgfloat8(buf);
		old->den_sum = pq_getmsgfloat8(buf);
		old->den_comp = pq_getmsgfloat8(buf);
		pq_getmsgend(buf);
		PG_RETURN_POINTER(ratio_read(PointerGetDatum(old), ERRCODE_INVALID_BINARY_REPRESENTATION));
	}
	n = pq_getmsgint64(buf);
	nnum = pq_getmsgbyte(buf);
	if (nnum > KPI_XSUM_MAX_TERMS)
		kpi_invalid_summary(ERRCODE_INVALID_BINARY_REPRESENTATION, RATIO_SUMMARY_TYPE,
							"A sum has too many terms.");
	for (int i = 0; i < nnum; i++)
		terms[i] = pq_getmsgfloat8(buf);
	nden = pq_getmsgbyte(buf);
	if (nden > KPI_XSUM_MAX_TERMS)
		kpi_invalid_summary(ERRCODE_INVALID_BINARY_REPRESENTATION, RATIO_SUMMARY_TYPE,
							"A sum has too many terms.");
	for (int i = 0; i < nden; i++)
		terms[nnum + i] = pq_getmsgfloat8(buf);
	pq_getmsgend(buf);
	s = palloc(RATIO_COMPACT_SIZE(nnum + nden));
	SET_VARSIZE(s, RATIO_COMPACT_SIZE(nnum + nden));
	s->version = RATIO_VERSION;
	s->form = RATIO_COMPACT;
	s->nnum = (uint8) nnum;
	s->nden = (uint8) nden;
	s->n = n;
	memcpy(s->terms, terms, (nnum + nden) * sizeof(double));
	PG_RETURN_POINTER(ratio_read(PointerGetDatum(s), ERRCODE_INVALID_BINARY_REPRESENTATION));
}

PG_FUNCTION_INFO_V1(kpi_ratio_summary_send);
Datum
kpi_ratio_summary_send(PG_FUNCTION_ARGS)
{
	RatioSummary *s = PG_GETARG_RATIO_SUMMARY(0);
	StringInfoData buf;

	pq_begintypsend(&buf);
	pq_sendbyte(&buf, RATIO_VERSION);
	pq_sendint64(&buf, s->n);
	pq_sendbyte(&buf, s->nnum);
	for (int i = 0; i < s->nnum; i++)
		pq_sendfloat8(&buf, s->terms[i]);
	pq_sendbyte(&buf, s->nden);
	for (int i = 0; i < s->nden; i++)
		pq_sendfloat8(&buf, s->terms[s->nnum + i]);
	PG_RETURN_BYTEA_P(pq_endtypsend(&buf));
}

/* --- transition functions ---------------------------------------------- */

/*
 * Add (sign = 1) or remove (sign = -1) one row: the common step of every
 * transition and inverse transition function of this family.  The sums are
 * exact, so removing a row leaves exactly the sums of the others.
 */
static Datum
ratio_step(FunctionCallInfo fcinfo, double num, double den, int sign)
{
	RatioState *s = ratio_state(fcinfo, 0);

	s->n = sign > 0 ? kpi_add_count(s->n, 1, RATIO_SUMMARY_TYPE)
		: kpi_sub_count(s->n, 1, RATIO_SUMMARY_TYPE);
	return ratio_result(fcinfo, ratio_add(s, num, den, sign));
}

static double
finite_arg(FunctionCallInfo fcinfo, int argno, const char *what)
{
	double		value = PG_GETARG_FLOAT8(argno);

	if (!isfinite(value))
		ereport(ERROR,
				(errcode(ERRCODE_NUMERIC_VALUE_OUT_OF_RANGE),
				 errmsg("%s must be a finite number", what),
				 errdetail("NaN and infinity cannot be summed."),
				 errhint("Filter such rows with WHERE, or map them to NULL.")));
	return value;
}

/* ratio_agg(num double precision, den double precision): rows with a NULL are skipped */
static Datum
ratio_float_step(FunctionCallInfo fcinfo, int sign)
{
	if (PG_ARGISNULL(1) || PG_ARGISNULL(2))
		return ratio_skip(fcinfo);
	return ratio_step(fcinfo,
					  finite_arg(fcinfo, 1, "ratio numerator"),
					  finite_arg(fcinfo, 2, "ratio denominator"),
					  sign);
}

PG_FUNCTION_INFO_V1(kpi_ratio_accum);
Datum
kpi_ratio_accum(PG_FUNCTION_ARGS)
{
	return ratio_float_step(fcinfo, 1);
}

PG_FUNCTION_INFO_V1(kpi_ratio_inv);
Datum
kpi_ratio_inv(PG_FUNCTION_ARGS)
{
	return ratio_float_step(fcinfo, -1);
}

static double
interval_seconds(const Interval *span, bool duration, const char *what)
{
	int64		usecs = duration ? kpi_duration_usecs(span, what) : kpi_interval_usecs(span, what);

	return (double) usecs / USECS_PER_SEC;
}

/*
 * (interval, interval) rows, summed as seconds.  ratio_agg accepts negative
 * intervals; the named KPIs sum durations, which must not be negative.
 */
static Datum
ratio_interval_step(FunctionCallInfo fcinfo, bool duration,
					const char *num_name, const char *den_name, int sign)
{
	if (PG_ARGISNULL(1) || PG_ARGISNULL(2))
		return ratio_skip(fcinfo);
	return ratio_step(fcinfo,
					  interval_seconds(PG_GETARG_INTERVAL_P(1), duration, num_name),
					  interval_seconds(PG_GETARG_INTERVAL_P(2), duration, den_name),
					  sign);
}

PG_FUNCTION_INFO_V1(kpi_ratio_interval_accum);
Datum
kpi_ratio_interval_accum(PG_FUNCTION_ARGS)
{
	return ratio_interval_step(fcinfo, false, "ratio numerator", "ratio denominator", 1);
}

/* inverse of every (interval, interval) accumulator: the values were checked on the way in */
PG_FUNCTION_INFO_V1(kpi_ratio_interval_inv);
Datum
kpi_ratio_interval_inv(PG_FUNCTION_ARGS)
{
	return ratio_interval_step(fcinfo, false, "ratio numerator", "ratio denominator", -1);
}

PG_FUNCTION_INFO_V1(kpi_utilization_accum);
Datum
kpi_utilization_accum(PG_FUNCTION_ARGS)
{
	return ratio_interval_step(fcinfo, true, "utilization busy time",
							   "utilization available time", 1);
}

PG_FUNCTION_INFO_V1(kpi_occupancy_accum);
Datum
kpi_occupancy_accum(PG_FUNCTION_ARGS)
{
	return ratio_interval_step(fcinfo, true, "occupancy handle time",
							   "occupancy staffed time", 1);
}

PG_FUNCTION_INFO_V1(kpi_schedule_adherence_accum);
Datum
kpi_schedule_adherence_accum(PG_FUNCTION_ARGS)
{
	return ratio_interval_step(fcinfo, true, "schedule adherence adherent time",
							   "schedule adherence scheduled time", 1);
}

static double
quality_arg(FunctionCallInfo fcinfo, int argno, const char *what)
{
	/* beyond the double range is infinite here, and refused below with the rest */
	double		value = DatumGetFloat8(DirectFunctionCall1(numeric_float8_no_overflow,
														  PG_GETARG_DATUM(argno)));

	if (!isfinite(value))
		ereport(ERROR,
				(errcode(ERRCODE_NUMERIC_VALUE_OUT_OF_RANGE),
				 errmsg("quality score %s out of range", what),
				 errdetail("Points and maximum points must be zero or more, and finite (below about 1e308)."),
				 errhint("Filter such rows with WHERE, or map them to NULL.")));
	if (value < 0)
		ereport(ERROR,
				(errcode(ERRCODE_NUMERIC_VALUE_OUT_OF_RANGE),
				 errmsg("quality score %s %g is out of range", what, value),
				 errdetail("Points and maximum points must be zero or more, and finite (below about 1e308)."),
				 errhint("Filter such rows with WHERE, or map them to NULL.")));

	/*
	 * Below the normal range of double precision a value would be summed as
	 * 0 (a quality score of NULL) or with few significant digits: refused.
	 */
	if (value < DBL_MIN &&
		(value != 0 || !DatumGetBool(DirectFunctionCall2(numeric_eq, PG_GETARG_DATUM(argno),
														  NumericGetDatum(int64_to_numeric(0))))))
		ereport(ERROR,
				(errcode(ERRCODE_NUMERIC_VALUE_OUT_OF_RANGE),
				 errmsg("quality score %s too small for double precision", what),
				 errdetail("Points are summed in double precision: a value other than zero must be at least about 2.2e-308."),
				 errhint("Scale the points, such as to points out of 100, or map such rows to NULL.")));
	return value;
}

/* quality_score(points numeric, max_points numeric) */
static Datum
quality_step(FunctionCallInfo fcinfo, int sign)
{
	if (PG_ARGISNULL(1) || PG_ARGISNULL(2))
		return ratio_skip(fcinfo);
	return ratio_step(fcinfo,
					  quality_arg(fcinfo, 1, "points"),
					  quality_arg(fcinfo, 2, "maximum points"),
					  sign);
}

PG_FUNCTION_INFO_V1(kpi_quality_accum);
Datum
kpi_quality_accum(PG_FUNCTION_ARGS)
{
	return quality_step(fcinfo, 1);
}

PG_FUNCTION_INFO_V1(kpi_quality_inv);
Datum
kpi_quality_inv(PG_FUNCTION_ARGS)
{
	return quality_step(fcinfo, -1);
}

/*
 * aht(talk, hold, wrap): one contact whose handle time is talk + hold + wrap,
 * a NULL part counting as zero; a row with no part at all is no contact.
 */
static Datum
aht_step(FunctionCallInfo fcinfo, int sign)
{
	static const char *const parts[] = {"AHT talk time", "AHT hold time", "AHT wrap time"};
	int64		handle = 0;
	bool		any = false;

	for (int i = 0; i < 3; i++)
	{
		if (PG_ARGISNULL(i + 1))
			continue;
		any = true;
		if (pg_add_s64_overflow(handle,
								kpi_duration_usecs(PG_GETARG_INTERVAL_P(i + 1), parts[i]),
								&handle))
			ereport(ERROR,
					(errcode(ERRCODE_DATETIME_VALUE_OUT_OF_RANGE),
					 errmsg("AHT handle time is out of range"),
					 errdetail("Intervals are counted in microseconds, a month as 30 days, and must fit in 64 bits.")));
	}
	if (!any)
		return ratio_skip(fcinfo);
	return ratio_step(fcinfo, (double) handle / USECS_PER_SEC, 1.0, sign);
}

PG_FUNCTION_INFO_V1(kpi_aht_accum);
Datum
kpi_aht_accum(PG_FUNCTION_ARGS)
{
	return aht_step(fcinfo, 1);
}

PG_FUNCTION_INFO_V1(kpi_aht_inv);
Datum
kpi_aht_inv(PG_FUNCTION_ARGS)
{
	return aht_step(fcinfo, -1);
}

/*
 * Merge (sign = 1) or unmerge (sign = -1) a summary: rollup, combine, moving
 * rollup, and the + and - operators.  Outside an aggregate a NULL summary
 * is one of no rows, and the result is the compact value (or NULL + NULL).
 */
static Datum
ratio_merge(FunctionCallInfo fcinfo, int sign)
{
	RatioState *s;

	if (PG_ARGISNULL(1))
	{
		if (AggCheckCallContext(fcinfo, NULL) || PG_ARGISNULL(0))
			return ratio_skip(fcinfo);
		PG_RETURN_POINTER(PG_GETARG_RATIO_SUMMARY(0));
	}
	s = ratio_state(fcinfo, 0);
	s = ratio_add_summary(s, PG_GETARG_RATIO_SUMMARY(1), sign);
	return ratio_result(fcinfo, s);
}

PG_FUNCTION_INFO_V1(kpi_ratio_combine);
Datum
kpi_ratio_combine(PG_FUNCTION_ARGS)
{
	return ratio_merge(fcinfo, 1);
}

PG_FUNCTION_INFO_V1(kpi_ratio_uncombine);
Datum
kpi_ratio_uncombine(PG_FUNCTION_ARGS)
{
	return ratio_merge(fcinfo, -1);
}

/*
 * Final function of ratio_agg, aht_agg and rollup: the compact value, never
 * the state itself (a window frame goes on using it).
 */
PG_FUNCTION_INFO_V1(kpi_ratio_final);
Datum
kpi_ratio_final(PG_FUNCTION_ARGS)
{
	PG_RETURN_POINTER(PG_GETARG_RATIO_SUMMARY(0));
}

/* --- accessors and final functions --------------------------------------- */

/*
 * scale * num / den, false when den is zero.  Computed on the significands
 * and the exponents apart, so that only a result beyond double precision
 * overflows (not 100 * num) and only a result below it underflows.  A
 * non-zero ratio that would round to zero is refused rather than returned
 * as 0.
 */
static bool
ratio_value(double num, double den, double scale, double *result)
{
	int			enum_;
	int			eden;
	double		mnum;
	double		mden;

	if (den == 0)
		return false;
	mnum = frexp(num, &enum_);
	mden = frexp(den, &eden);
	*result = ldexp(scale * mnum / mden, enum_ - eden);
	if (!isfinite(*result))
		ereport(ERROR,
				(errcode(ERRCODE_NUMERIC_VALUE_OUT_OF_RANGE),
				 errmsg("ratio out of range"),
				 errdetail("The ratio of the sums exceeds the range of double precision.")));
	if (*result == 0 && num != 0)
		ereport(ERROR,
				(errcode(ERRCODE_NUMERIC_VALUE_OUT_OF_RANGE),
				 errmsg("ratio out of range"),
				 errdetail("The ratio of the sums is below the range of double precision.")));
	return true;
}

PG_FUNCTION_INFO_V1(kpi_ratio_value);
Datum
kpi_ratio_value(PG_FUNCTION_ARGS)
{
	RatioSummary *s = PG_GETARG_RATIO_SUMMARY(0);
	double		result;

	if (!ratio_value(ratio_num(s), ratio_den(s), 1.0, &result))
		PG_RETURN_NULL();
	PG_RETURN_FLOAT8(result);
}

/* utilization, occupancy, schedule_adherence, quality_score: 100 * ratio */
PG_FUNCTION_INFO_V1(kpi_ratio_percent);
Datum
kpi_ratio_percent(PG_FUNCTION_ARGS)
{
	RatioSummary *s = PG_GETARG_RATIO_SUMMARY(0);
	double		result;

	if (!ratio_value(ratio_num(s), ratio_den(s), 100.0, &result))
		PG_RETURN_NULL();
	PG_RETURN_NUMERIC(kpi_numeric_from_double(result));
}

/* aht(ratio_summary): seconds of handle time per contact, as an interval */
PG_FUNCTION_INFO_V1(kpi_ratio_aht);
Datum
kpi_ratio_aht(PG_FUNCTION_ARGS)
{
	RatioSummary *s = PG_GETARG_RATIO_SUMMARY(0);
	double		result;

	if (!ratio_value(ratio_num(s), ratio_den(s), (double) USECS_PER_SEC, &result))
		PG_RETURN_NULL();
	PG_RETURN_INTERVAL_P(kpi_usecs_interval(result));
}

PG_FUNCTION_INFO_V1(kpi_ratio_numerator);
Datum
kpi_ratio_numerator(PG_FUNCTION_ARGS)
{
	RatioSummary *s = PG_GETARG_RATIO_SUMMARY(0);

	PG_RETURN_FLOAT8(ratio_num(s));
}

PG_FUNCTION_INFO_V1(kpi_ratio_denominator);
Datum
kpi_ratio_denominator(PG_FUNCTION_ARGS)
{
	RatioSummary *s = PG_GETARG_RATIO_SUMMARY(0);

	PG_RETURN_FLOAT8(ratio_den(s));
}

PG_FUNCTION_INFO_V1(kpi_ratio_rows);
Datum
kpi_ratio_rows(PG_FUNCTION_ARGS)
{
	RatioSummary *s = PG_GETARG_RATIO_SUMMARY(0);

	PG_RETURN_INT64(s->n);
}

/* --- operators ------------------------------------------------------------ */

/*
 * ratio_summary + ratio_summary: the summary of both sets of rows, the value
 * rollup() gives over the two; a NULL operand is a summary of no rows.
 */
PG_FUNCTION_INFO_V1(kpi_ratio_plus);
Datum
kpi_ratio_plus(PG_FUNCTION_ARGS)
{
	return ratio_merge(fcinfo, 1);
}

/*
 * ratio_summary - ratio_summary: the summary of a's rows without b's, exact,
 * so (a + b) - b = a; NULL when no row is left.  b holding rows a does not
 * (more rows, or sums left without rows) is an error.
 */
PG_FUNCTION_INFO_V1(kpi_ratio_minus);
Datum
kpi_ratio_minus(PG_FUNCTION_ARGS)
{
	Datum		result = ratio_merge(fcinfo, -1);

	if (fcinfo->isnull || ((RatioSummary *) DatumGetPointer(result))->n == 0)
		PG_RETURN_NULL();
	return result;
}
