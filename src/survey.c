/*-------------------------------------------------------------------------
 *
 * survey.c
 *	  Survey scores: NPS, CSAT and CES, and the score_summary type.
 *
 * A score_summary holds exact counts of the integer scores 0..10, so every
 * survey KPI is exact and summaries merge by adding counts.  The formulas:
 *
 *	  NPS  = 100 * (promoters 9-10 - detractors 0-6) / responses
 *	  CSAT = 100 * responses at or above positive_min (default 4) / responses
 *	  CES  = mean score
 *
 * The one-step aggregates share the transition functions of score_agg and
 * differ only in the range they accept.  csat(score, scale) counts each score
 * at its distance from the top of its own scale (bucket = 10 - scale + score),
 * so "the top two scores" are always buckets 9 and 10, whatever the scale.
 *
 *-------------------------------------------------------------------------
 */
#include "postgres.h"

#include "catalog/pg_type.h"
#include "common/int.h"
#include "libpq/pqformat.h"
#include "utils/array.h"
#include "utils/builtins.h"
#include "utils/lsyscache.h"

#include "kpi_ext.h"

typedef struct ScoreSummary
{
	int32		vl_len_;		/* varlena header (do not touch directly!) */
	uint8		version;		/* KPI_FORMAT_VERSION */
	uint8		unused[3];		/* zero */
	int64		counts[KPI_SCORE_BUCKETS];	/* responses per score 0..10 */
} ScoreSummary;

#define SCORE_SUMMARY_TYPE "score_summary"

/*
 * Validate a value before it is trusted: size, version, padding, counts.
 * sqlerrcode says where it came from (see kpi_invalid_summary).
 */
static ScoreSummary *
score_check(ScoreSummary *s, int sqlerrcode)
{
	int64		total = 0;

	if (VARSIZE(s) != sizeof(ScoreSummary))
		kpi_invalid_summary(sqlerrcode, SCORE_SUMMARY_TYPE, "The value has an unexpected size.");
	if (s->version != KPI_FORMAT_VERSION)
		kpi_invalid_summary(sqlerrcode, SCORE_SUMMARY_TYPE, "The value has an unknown format version.");
	if (s->unused[0] != 0 || s->unused[1] != 0 || s->unused[2] != 0)
		kpi_invalid_summary(sqlerrcode, SCORE_SUMMARY_TYPE, "Reserved bytes are not zero.");
	for (int i = 0; i < KPI_SCORE_BUCKETS; i++)
	{
		if (s->counts[i] < 0)
			kpi_invalid_summary(sqlerrcode, SCORE_SUMMARY_TYPE, "A count is negative.");
		total = kpi_add_count(total, s->counts[i], SCORE_SUMMARY_TYPE);
	}
	return s;
}

#define PG_GETARG_SCORE_SUMMARY(n) \
	score_check((ScoreSummary *) PG_DETOAST_DATUM(PG_GETARG_DATUM(n)), ERRCODE_DATA_CORRUPTED)

static ScoreSummary *
score_state(FunctionCallInfo fcinfo, int argno)
{
	ScoreSummary *s = (ScoreSummary *) kpi_state_for_update(fcinfo, argno, sizeof(ScoreSummary));

	s->version = KPI_FORMAT_VERSION;
	return s;
}

static int64
score_total(const ScoreSummary *s, int from, int to)
{
	int64		n = 0;

	for (int i = from; i <= to; i++)
		n += s->counts[i];
	return n;
}

/* --- I/O ------------------------------------------------------------------ */

PG_FUNCTION_INFO_V1(kpi_score_summary_in);
Datum
kpi_score_summary_in(PG_FUNCTION_ARGS)
{
	char	   *str = PG_GETARG_CSTRING(0);
	ScoreSummary *s = palloc0(sizeof(ScoreSummary));
	KpiParser	ps;

	SET_VARSIZE(s, sizeof(ScoreSummary));
	s->version = KPI_FORMAT_VERSION;
	kpi_parse_begin(&ps, SCORE_SUMMARY_TYPE, str);
	for (int i = 0; i < KPI_SCORE_BUCKETS; i++)
	{
		if (i > 0)
			kpi_parse_expect(&ps, ",");
		s->counts[i] = kpi_parse_count(&ps, "responses per score");
	}
	kpi_parse_end(&ps);
	PG_RETURN_POINTER(score_check(s, ERRCODE_INVALID_TEXT_REPRESENTATION));
}

PG_FUNCTION_INFO_V1(kpi_score_summary_out);
Datum
kpi_score_summary_out(PG_FUNCTION_ARGS)
{
	ScoreSummary *s = PG_GETARG_SCORE_SUMMARY(0);
	StringInfoData buf;

	initStringInfo(&buf);
	appendStringInfo(&buf, "v%d:", KPI_FORMAT_VERSION);
	for (int i = 0; i < KPI_SCORE_BUCKETS; i++)
		appendStringInfo(&buf, i > 0 ? "," INT64_FORMAT : INT64_FORMAT, s->counts[i]);
	PG_RETURN_CSTRING(buf.data);
}

PG_FUNCTION_INFO_V1(kpi_score_summary_recv);
Datum
kpi_score_summary_recv(PG_FUNCTION_ARGS)
{
	StringInfo	buf = (StringInfo) PG_GETARG_POINTER(0);
	ScoreSummary *s = palloc0(sizeof(ScoreSummary));

	SET_VARSIZE(s, sizeof(ScoreSummary));
	kpi_recv_version(buf, SCORE_SUMMARY_TYPE);
	s->version = KPI_FORMAT_VERSION;
	for (int i = 0; i < KPI_SCORE_BUCKETS; i++)
		s->counts[i] = pq_getmsgint64(buf);
	pq_getmsgend(buf);
	PG_RETURN_POINTER(score_check(s, ERRCODE_INVALID_BINARY_REPRESENTATION));
}

PG_FUNCTION_INFO_V1(kpi_score_summary_send);
Datum
kpi_score_summary_send(PG_FUNCTION_ARGS)
{
	ScoreSummary *s = PG_GETARG_SCORE_SUMMARY(0);
	StringInfoData buf;

	pq_begintypsend(&buf);
	pq_sendbyte(&buf, KPI_FORMAT_VERSION);
	for (int i = 0; i < KPI_SCORE_BUCKETS; i++)
		pq_sendint64(&buf, s->counts[i]);
	PG_RETURN_BYTEA_P(pq_endtypsend(&buf));
}

/* --- transition functions ---------------------------------------------- */

static void
score_out_of_range(const char *kpi, const char *score, int32 lo, int32 hi)
{
	ereport(ERROR,
			(errcode(ERRCODE_NUMERIC_VALUE_OUT_OF_RANGE),
			 errmsg("%s score %s is out of range", kpi, score),
			 errdetail("Scores must be integers from %d to %d.", lo, hi),
			 errhint("Filter out-of-range scores with WHERE, or map them to NULL.")));
}

/*
 * The score of argument argno, checked to lie in lo..hi.  Scores come as
 * integer, or as smallint, bigint or numeric columns (pandas writes bigint,
 * spreadsheets numeric): every form shares the transition functions, which
 * read the argument by the type the calling function declares for it, looked
 * up in the catalog once per call site and kept in fn_extra.  A numeric
 * score must be a whole number.
 */
static int32
score_value(FunctionCallInfo fcinfo, int argno, const char *kpi, int32 lo, int32 hi)
{
	Oid			type = INT4OID;
	int64		score;

	if (fcinfo->flinfo != NULL && OidIsValid(fcinfo->flinfo->fn_oid))
	{
		if (unlikely(fcinfo->flinfo->fn_extra == NULL))
		{
			Oid		   *cached = MemoryContextAlloc(fcinfo->flinfo->fn_mcxt, sizeof(Oid));
			Oid		   *argtypes;
			int			nargs;

			get_func_signature(fcinfo->flinfo->fn_oid, &argtypes, &nargs);
			*cached = argno < nargs ? argtypes[argno] : INT4OID;
			fcinfo->flinfo->fn_extra = cached;
		}
		type = *(Oid *) fcinfo->flinfo->fn_extra;
	}
	if (likely(type == INT4OID))
		score = PG_GETARG_INT32(argno);
	else if (type == INT8OID)
		score = PG_GETARG_INT64(argno);
	else if (type == INT2OID)
		score = PG_GETARG_INT16(argno);
	else
	{
		/* numeric: rounded to an integer, which must be equal to it */
		Numeric		value = PG_GETARG_NUMERIC(argno);
		bool		error = false;

		score = numeric_int4_opt_error(value, &error);
		if (error || !DatumGetBool(DirectFunctionCall2(numeric_eq, NumericGetDatum(value),
													   NumericGetDatum(int64_to_numeric(score)))))
		{
			char	   *text = DatumGetCString(DirectFunctionCall1(numeric_out, NumericGetDatum(value)));

			if (error && !numeric_is_nan(value))
				score_out_of_range(kpi, text, lo, hi);
			ereport(ERROR,
					(errcode(ERRCODE_NUMERIC_VALUE_OUT_OF_RANGE),
					 errmsg("%s score %s is not a whole number", kpi, text),
					 errdetail("Scores must be integers from %d to %d.", lo, hi),
					 errhint("Round the scores with round(), or map values that are not scores to NULL.")));
		}
	}
	if (score < lo || score > hi)
	{
		char		text[32];

		snprintf(text, sizeof(text), INT64_FORMAT, score);
		score_out_of_range(kpi, text, lo, hi);
	}
	return (int32) score;
}

static int32
scale_arg(FunctionCallInfo fcinfo, int argno, const char *kpi)
{
	int32		scale;

	if (PG_ARGISNULL(argno))
		ereport(ERROR,
				(errcode(ERRCODE_NULL_VALUE_NOT_ALLOWED),
				 errmsg("%s scale must not be null", kpi),
				 errhint("Pass the highest score of the survey, such as 5 or 7.")));
	scale = PG_GETARG_INT32(argno);
	if (scale < 2 || scale > 10)
		ereport(ERROR,
				(errcode(ERRCODE_NUMERIC_VALUE_OUT_OF_RANGE),
				 errmsg("%s scale %d is out of range", kpi, scale),
				 errdetail("A scale runs from 1 to its highest score, which must be from 2 to 10."),
				 errhint("Pass the highest score of the survey, such as 5 or 7.")));
	return scale;
}

/*
 * Add (sign = 1) or remove (sign = -1) one score: the common step of every
 * transition and inverse transition function of this family.  NULL scores
 * are skipped; lo..hi is the accepted range; shift moves the score to its
 * bucket.
 */
static Datum
score_step(FunctionCallInfo fcinfo, const char *kpi, int32 lo, int32 hi,
		   int32 shift, int sign)
{
	ScoreSummary *s;
	int32		score;

	if (PG_ARGISNULL(1))
		return kpi_state_skip(fcinfo, 0, sizeof(ScoreSummary));
	score = score_value(fcinfo, 1, kpi, lo, hi);
	s = score_state(fcinfo, 0);
	if (sign > 0)
		s->counts[score + shift] = kpi_add_count(s->counts[score + shift], 1, SCORE_SUMMARY_TYPE);
	else
		s->counts[score + shift] = kpi_sub_count(s->counts[score + shift], 1, SCORE_SUMMARY_TYPE);
	PG_RETURN_POINTER(s);
}

PG_FUNCTION_INFO_V1(kpi_score_accum);
Datum
kpi_score_accum(PG_FUNCTION_ARGS)
{
	return score_step(fcinfo, "survey", 0, 10, 0, 1);
}

PG_FUNCTION_INFO_V1(kpi_nps_accum);
Datum
kpi_nps_accum(PG_FUNCTION_ARGS)
{
	return score_step(fcinfo, "NPS", 0, 10, 0, 1);
}

PG_FUNCTION_INFO_V1(kpi_csat_accum);
Datum
kpi_csat_accum(PG_FUNCTION_ARGS)
{
	return score_step(fcinfo, "CSAT", 1, 5, 0, 1);
}

PG_FUNCTION_INFO_V1(kpi_ces_accum);
Datum
kpi_ces_accum(PG_FUNCTION_ARGS)
{
	return score_step(fcinfo, "CES", 1, 7, 0, 1);
}

PG_FUNCTION_INFO_V1(kpi_ces_scale_accum);
Datum
kpi_ces_scale_accum(PG_FUNCTION_ARGS)
{
	int32		scale;

	if (PG_ARGISNULL(1))
		return score_step(fcinfo, "CES", 1, 10, 0, 1);
	scale = scale_arg(fcinfo, 2, "CES");
	return score_step(fcinfo, "CES", 1, scale, 0, 1);
}

PG_FUNCTION_INFO_V1(kpi_csat_scale_accum);
Datum
kpi_csat_scale_accum(PG_FUNCTION_ARGS)
{
	int32		scale;

	if (PG_ARGISNULL(1))
		return score_step(fcinfo, "CSAT", 1, 10, 0, 1);
	scale = scale_arg(fcinfo, 2, "CSAT");
	return score_step(fcinfo, "CSAT", 1, scale, 10 - scale, 1);
}

/* inverse of every accumulator above but csat(score, scale); the scores were checked on the way in */
PG_FUNCTION_INFO_V1(kpi_score_inv);
Datum
kpi_score_inv(PG_FUNCTION_ARGS)
{
	return score_step(fcinfo, "survey", 0, 10, 0, -1);
}

PG_FUNCTION_INFO_V1(kpi_csat_scale_inv);
Datum
kpi_csat_scale_inv(PG_FUNCTION_ARGS)
{
	int32		scale;

	if (PG_ARGISNULL(1))
		return score_step(fcinfo, "CSAT", 1, 10, 0, -1);
	scale = scale_arg(fcinfo, 2, "CSAT");
	return score_step(fcinfo, "CSAT", 1, scale, 10 - scale, -1);
}

/* merge (sign = 1) or unmerge (sign = -1) a summary: rollup, combine, moving rollup */
static Datum
score_merge(FunctionCallInfo fcinfo, int sign)
{
	ScoreSummary *s;
	ScoreSummary *other;

	if (PG_ARGISNULL(1))
		return kpi_state_skip(fcinfo, 0, sizeof(ScoreSummary));
	other = PG_GETARG_SCORE_SUMMARY(1);
	s = score_state(fcinfo, 0);
	for (int i = 0; i < KPI_SCORE_BUCKETS; i++)
		s->counts[i] = sign > 0
			? kpi_add_count(s->counts[i], other->counts[i], SCORE_SUMMARY_TYPE)
			: kpi_sub_count(s->counts[i], other->counts[i], SCORE_SUMMARY_TYPE);
	PG_RETURN_POINTER(s);
}

PG_FUNCTION_INFO_V1(kpi_score_combine);
Datum
kpi_score_combine(PG_FUNCTION_ARGS)
{
	return score_merge(fcinfo, 1);
}

PG_FUNCTION_INFO_V1(kpi_score_uncombine);
Datum
kpi_score_uncombine(PG_FUNCTION_ARGS)
{
	return score_merge(fcinfo, -1);
}

/* --- accessors and final functions --------------------------------------- */

/* a minimum score argument, checked: see kpi_ext.h */
int32
kpi_check_min_score(int32 min_score)
{
	if (min_score < 0 || min_score > 10)
		ereport(ERROR,
				(errcode(ERRCODE_NUMERIC_VALUE_OUT_OF_RANGE),
				 errmsg("minimum score %d is out of range", min_score),
				 errdetail("The minimum score must be from 0 to 10."),
				 errhint("For CSAT on a 1 to 5 scale, responses of 4 and 5 are positive: pass 4.")));
	return min_score;
}

/* the share of responses at or above min_score, NULL without responses */
static Numeric
score_top_box(ScoreSummary *s, int32 min_score)
{
	int64		n = score_total(s, 0, 10);

	if (n == 0)
		return NULL;
	return kpi_percent(score_total(s, min_score, 10), n);
}

/*
 * top_box_summary: the responses at or above min_score as the hits of a
 * rate_summary, so that the rate family's interval, change test and control
 * chart serve CSAT and every other top-box share.
 */
PG_FUNCTION_INFO_V1(kpi_score_top_box_summary);
Datum
kpi_score_top_box_summary(PG_FUNCTION_ARGS)
{
	ScoreSummary *s = PG_GETARG_SCORE_SUMMARY(0);
	int32		min_score = kpi_check_min_score(PG_GETARG_INT32(1));

	return kpi_rate_make(score_total(s, min_score, 10), score_total(s, 0, 10));
}

PG_FUNCTION_INFO_V1(kpi_score_nps);
Datum
kpi_score_nps(PG_FUNCTION_ARGS)
{
	ScoreSummary *s = PG_GETARG_SCORE_SUMMARY(0);
	int64		n = score_total(s, 0, 10);

	if (n == 0)
		PG_RETURN_NULL();
	PG_RETURN_NUMERIC(kpi_percent(score_total(s, 9, 10) - score_total(s, 0, 6), n));
}

PG_FUNCTION_INFO_V1(kpi_score_top_box);
Datum
kpi_score_top_box(PG_FUNCTION_ARGS)
{
	ScoreSummary *s = PG_GETARG_SCORE_SUMMARY(0);
	int32		min_score = PG_NARGS() > 1 ? kpi_check_min_score(PG_GETARG_INT32(1)) : 4;
	Numeric		result = score_top_box(s, min_score);

	if (result == NULL)
		PG_RETURN_NULL();
	PG_RETURN_NUMERIC(result);
}

/* final function of csat(score, scale): the top two buckets, see the file header */
PG_FUNCTION_INFO_V1(kpi_csat_scale_final);
Datum
kpi_csat_scale_final(PG_FUNCTION_ARGS)
{
	ScoreSummary *s = PG_GETARG_SCORE_SUMMARY(0);
	Numeric		result = score_top_box(s, 9);

	if (result == NULL)
		PG_RETURN_NULL();
	PG_RETURN_NUMERIC(result);
}

PG_FUNCTION_INFO_V1(kpi_score_mean);
Datum
kpi_score_mean(PG_FUNCTION_ARGS)
{
	ScoreSummary *s = PG_GETARG_SCORE_SUMMARY(0);
	int64		n = score_total(s, 0, 10);
	int64		sum = 0;
	bool		overflow = false;
	Numeric		nsum;

	if (n == 0)
		PG_RETURN_NULL();
	for (int i = 1; i < KPI_SCORE_BUCKETS && !overflow; i++)
	{
		int64		term;

		overflow = pg_mul_s64_overflow(i, s->counts[i], &term) ||
			pg_add_s64_overflow(sum, term, &sum);
	}
	if (!overflow)
		PG_RETURN_NUMERIC(kpi_numeric_div(sum, n));

	/*
	 * The total fits in 64 bits but the weighted sum can reach 10 times it:
	 * with counts near the limit, sum in numeric instead of wrapping around.
	 */
	nsum = int64_to_numeric(0);
	for (int i = 1; i < KPI_SCORE_BUCKETS; i++)
		nsum = numeric_add_opt_error(nsum,
									 numeric_mul_opt_error(int64_to_numeric(i),
														   int64_to_numeric(s->counts[i]),
														   NULL),
									 NULL);
	PG_RETURN_NUMERIC(numeric_div_opt_error(nsum, int64_to_numeric(n), NULL));
}

static Datum
score_count(FunctionCallInfo fcinfo, int from, int to)
{
	ScoreSummary *s = PG_GETARG_SCORE_SUMMARY(0);

	PG_RETURN_INT64(score_total(s, from, to));
}

PG_FUNCTION_INFO_V1(kpi_score_responses);
Datum
kpi_score_responses(PG_FUNCTION_ARGS)
{
	return score_count(fcinfo, 0, 10);
}

PG_FUNCTION_INFO_V1(kpi_score_promoters);
Datum
kpi_score_promoters(PG_FUNCTION_ARGS)
{
	return score_count(fcinfo, 9, 10);
}

PG_FUNCTION_INFO_V1(kpi_score_passives);
Datum
kpi_score_passives(PG_FUNCTION_ARGS)
{
	return score_count(fcinfo, 7, 8);
}

PG_FUNCTION_INFO_V1(kpi_score_detractors);
Datum
kpi_score_detractors(PG_FUNCTION_ARGS)
{
	return score_count(fcinfo, 0, 6);
}

PG_FUNCTION_INFO_V1(kpi_score_histogram);
Datum
kpi_score_histogram(PG_FUNCTION_ARGS)
{
	ScoreSummary *s = PG_GETARG_SCORE_SUMMARY(0);
	Datum		elems[KPI_SCORE_BUCKETS];

	for (int i = 0; i < KPI_SCORE_BUCKETS; i++)
		elems[i] = Int64GetDatum(s->counts[i]);
	PG_RETURN_ARRAYTYPE_P(construct_array(elems, KPI_SCORE_BUCKETS, INT8OID, 8, FLOAT8PASSBYVAL, TYPALIGN_DOUBLE));
}

/*
 * For other families (confidence intervals, change tests): the validated
 * counts of a score_summary datum, responses per score 0..10.
 */
void
kpi_score_counts(Datum summary, int64 counts[KPI_SCORE_BUCKETS])
{
	ScoreSummary *s = score_check((ScoreSummary *) PG_DETOAST_DATUM(summary), ERRCODE_DATA_CORRUPTED);

	memcpy(counts, s->counts, sizeof(s->counts));
}

/* --- operators ------------------------------------------------------------ */

/*
 * score_summary + score_summary: the counts of both, the value rollup() gives
 * over the two; a NULL operand is a summary of no responses.
 */
PG_FUNCTION_INFO_V1(kpi_score_plus);
Datum
kpi_score_plus(PG_FUNCTION_ARGS)
{
	return score_merge(fcinfo, 1);
}

/*
 * score_summary - score_summary: the responses of a without those of b, so
 * (a + b) - b = a; NULL when no response is left.  b holding responses a
 * does not is an error.
 */
PG_FUNCTION_INFO_V1(kpi_score_minus);
Datum
kpi_score_minus(PG_FUNCTION_ARGS)
{
	ScoreSummary *s;

	if (PG_ARGISNULL(0) && PG_ARGISNULL(1))
		PG_RETURN_NULL();
	if (PG_ARGISNULL(1))
		s = PG_GETARG_SCORE_SUMMARY(0);
	else
		s = (ScoreSummary *) DatumGetPointer(score_merge(fcinfo, -1));
	if (score_total(s, 0, 10) == 0)
		PG_RETURN_NULL();
	PG_RETURN_POINTER(s);
}

