/*-------------------------------------------------------------------------
 *
 * stats.c
 *	  Confidence intervals, change tests and anomaly scores for KPIs.
 *
 * Everything here is a scalar function over summaries or plain numbers, so
 * that BI tools can use it as an ordinary column:
 *
 *	  nps_margin		  z * 100 * sqrt((p + d - (p - d)^2) / n), the half-width of
 *						  the NPS confidence interval (p, d: promoter and
 *						  detractor shares; the variance of a +1/0/-1 score)
 *	  wilson_low/high	  Wilson score interval of a share x / n, in percent
 *	  nps_change_pvalue	  two-sided z-test on the NPS difference,
 *						  SE = sqrt(SE1^2 + SE2^2)
 *	  rate_change_pvalue  two-sided two-proportion z-test, pooled variance
 *	  top_box_change_pvalue  the same test on the top-box shares of two
 *						  score summaries
 *	  mean_ci_low/high	  Student t interval of a mean score from its exact
 *						  counts: mean +- t(n - 1) * s / sqrt(n)
 *	  percentile ranks	  the order statistics that bound a percentile
 *						  (kpi_quantile_ci_ranks, for percentile.c)
 *	  robust_zscore		  (x - median) / (1.482602218505602 * MAD), 1 / Phi^-1(3/4)
 *	  ewma_zscore		  (x - EWMA mean) / EWMA standard deviation
 *	  pchart_zscore		  (p - pbar) / sqrt(pbar (1 - pbar) / n)
 *
 * The normal CDF is computed from erfc() of the C library, accurate to a few
 * units in the last place over the whole range.  The normal quantile starts
 * from Acklam's rational approximation (relative error below 1.2e-9) and
 * polishes it with Halley steps on the CDF, which gives full double
 * precision; there are no look-up tables.
 *
 * Every interval takes its critical value from the tail probability
 * (1 - confidence) / 2, which is exact in binary for a confidence of 0.5 or
 * more: a confidence a hair below 1 gives a large but finite critical value
 * (8.3 at the largest double below 1), never the infinity that
 * Phi^-1(0.5 + confidence / 2) rounds to.
 *
 *-------------------------------------------------------------------------
 */
#include "postgres.h"

#include <float.h>
#include <limits.h>
#include <math.h>

#include "catalog/pg_type.h"
#include "miscadmin.h"
#include "utils/array.h"
#include "utils/builtins.h"
#include "utils/float.h"

#include "kpi_ext.h"

/* 1 / Phi^-1(3/4): scales the median absolute deviation to a standard deviation */
#define MAD_TO_SIGMA 1.482602218505602

/* --- the normal distribution ----------------------------------------------- */

static double
kpi_normal_cdf(double x)
{
	return 0.5 * erfc(-x / M_SQRT2);
}

/* Acklam's approximation of the quantile for 0 < p <= 0.5 */
static double
acklam_lower(double p)
{
	static const double a[] = {
		-3.969683028665376e+01, 2.209460984245205e+02, -2.759285104469687e+02,
		1.383577518672690e+02, -3.066479806614716e+01, 2.506628277459239e+00
	};
	static const double b[] = {
		-5.447609879822406e+01, 1.615858368580409e+02, -1.556989798598866e+02,
		6.680131188771972e+01, -1.328068155288572e+01
	};
	static const double c[] = {
		-7.784894002430293e-03, -3.223964580411365e-01, -2.400758277161838e+00,
		-2.549732539343734e+00, 4.374664141464968e+00, 2.938163982698783e+00
	};
	static const double d[] = {
		7.784695709041462e-03, 3.224671290700398e-01, 2.445134137142996e+00,
		3.754408661907416e+00
	};
	double		q;
	double		r;

	if (p < 0.02425)
	{
		q = sqrt(-2.0 * log(p));
		return (((((c[0] * q + c[1]) * q + c[2]) * q + c[3]) * q + c[4]) * q + c[5]) /
			((((d[0] * q + d[1]) * q + d[2]) * q + d[3]) * q + 1.0);
	}
	q = p - 0.5;
	r = q * q;
	return (((((a[0] * r + a[1]) * r + a[2]) * r + a[3]) * r + a[4]) * r + a[5]) * q /
		(((((b[0] * r + b[1]) * r + b[2]) * r + b[3]) * r + b[4]) * r + 1.0);
}

/*
 * The standard normal quantile Phi^-1(p) for 0 <= p <= 1 (infinite at the
 * ends).  Only the lower half is computed: for p > 0.5, 1 - p is exact, and
 * the lower tail keeps full relative precision down to the smallest double.
 */
static double
kpi_normal_quantile(double p)
{
	double		x;
	double		lower = p <= 0.5 ? p : 1.0 - p;

	if (lower <= 0.0)
		x = -get_float8_infinity();
	else
	{
		x = acklam_lower(lower);
		/* Halley steps on Phi(x) - lower: each one roughly triples the correct digits */
		for (int i = 0; i < 2; i++)
		{
			double		e = kpi_normal_cdf(x) - lower;
			double		density = exp(-x * x / 2.0) / sqrt(2.0 * M_PI);
			double		u;

			/* deep in the subnormal tail the density underflows: keep the start */
			if (e == 0.0 || density == 0.0)
				break;
			u = e / density;
			if (!isfinite(u))
				break;
			x = x - u / (1.0 + x * u / 2.0);
		}
	}
	return p <= 0.5 ? x : -x;
}

/* a confidence level: a fraction strictly between 0 and 1 (see kpi_ext.h) */
void
kpi_check_confidence(double confidence)
{
	if (!(confidence > 0.0 && confidence < 1.0))
		ereport(ERROR,
				(errcode(ERRCODE_NUMERIC_VALUE_OUT_OF_RANGE),
				 errmsg("confidence level %g is out of range", confidence),
				 errdetail("The confidence level is a fraction between 0 and 1, both excluded."),
				 errhint("Pass 0.95 for a 95%% confidence interval.")));
}

/* the two-sided critical value z for a confidence level, 1.96 for 0.95 */
static double
z_for_confidence(double confidence)
{
	kpi_check_confidence(confidence);
	return -kpi_normal_quantile((1.0 - confidence) / 2.0);
}

/* the two-sided p-value of a z statistic; 0/0 (no difference, no spread) is 1 */
static double
two_sided_pvalue(double diff, double se)
{
	if (se == 0.0)
		return diff == 0.0 ? 1.0 : 0.0;
	return erfc(fabs(diff / se) / M_SQRT2);
}

PG_FUNCTION_INFO_V1(kpi_normal_cdf_sql);
Datum
kpi_normal_cdf_sql(PG_FUNCTION_ARGS)
{
	PG_RETURN_FLOAT8(kpi_normal_cdf(PG_GETARG_FLOAT8(0)));
}

PG_FUNCTION_INFO_V1(kpi_normal_quantile_sql);
Datum
kpi_normal_quantile_sql(PG_FUNCTION_ARGS)
{
	double		p = PG_GETARG_FLOAT8(0);

	if (!(p >= 0.0 && p <= 1.0))
		ereport(ERROR,
				(errcode(ERRCODE_NUMERIC_VALUE_OUT_OF_RANGE),
				 errmsg("probability %g is out of range", p),
				 errdetail("A probability is from 0 to 1."),
				 errhint("For a two-sided 95%% critical value pass 0.975.")));
	PG_RETURN_FLOAT8(kpi_normal_quantile(p));
}

/* --- NPS ------------------------------------------------------------------ */

typedef struct NpsShares
{
	int64		n;
	double		nps;			/* p - d, -1..1 */
	double		variance;		/* of one response: p + d - (p - d)^2 */
} NpsShares;

static bool
nps_shares(Datum summary, NpsShares *s)
{
	int64		counts[KPI_SCORE_BUCKETS];
	int64		promoters = 0;
	int64		detractors = 0;
	double		p;
	double		d;

	kpi_score_counts(summary, counts);
	s->n = 0;
	for (int i = 0; i < KPI_SCORE_BUCKETS; i++)
	{
		s->n += counts[i];
		if (i <= 6)
			detractors += counts[i];
		else if (i >= 9)
			promoters += counts[i];
	}
	if (s->n == 0)
		return false;
	p = (double) promoters / s->n;
	d = (double) detractors / s->n;
	s->nps = p - d;
	/* never below 0, whatever the rounding */
	s->variance = Max(0.0, p + d - s->nps * s->nps);
	return true;
}

PG_FUNCTION_INFO_V1(kpi_nps_margin);
Datum
kpi_nps_margin(PG_FUNCTION_ARGS)
{
	double		z = z_for_confidence(PG_GETARG_FLOAT8(1));
	NpsShares	s;

	if (!nps_shares(PG_GETARG_DATUM(0), &s))
		PG_RETURN_NULL();
	PG_RETURN_NUMERIC(kpi_numeric_from_double(z * 100.0 * sqrt(s.variance / s.n)));
}

PG_FUNCTION_INFO_V1(kpi_nps_change_pvalue);
Datum
kpi_nps_change_pvalue(PG_FUNCTION_ARGS)
{
	NpsShares	before;
	NpsShares	after;

	if (!nps_shares(PG_GETARG_DATUM(0), &before) || !nps_shares(PG_GETARG_DATUM(1), &after))
		PG_RETURN_NULL();
	PG_RETURN_FLOAT8(two_sided_pvalue(after.nps - before.nps,
									  sqrt(before.variance / before.n + after.variance / after.n)));
}

/* --- Wilson score interval ------------------------------------------------- */

/* the bound (upper or lower) of the Wilson interval of x out of n, in percent */
static Numeric
wilson_bound(int64 x, int64 n, double confidence, bool upper)
{
	double		z = z_for_confidence(confidence);
	double		z2 = z * z;
	double		spread = z * sqrt((double) x * (double) (n - x) / n + z2 / 4.0);
	double		bound;

	if (!upper && x == 0)
		bound = 0.0;
	else if (upper && x == n)
		bound = 1.0;
	else
		bound = (x + z2 / 2.0 + (upper ? spread : -spread)) / (n + z2);
	bound = Min(1.0, Max(0.0, bound));
	return kpi_numeric_from_double(100.0 * bound);
}

static Datum
score_wilson(FunctionCallInfo fcinfo, bool upper)
{
	int64		counts[KPI_SCORE_BUCKETS];
	int32		min_score = kpi_check_min_score(PG_GETARG_INT32(1));
	double		confidence = PG_GETARG_FLOAT8(2);
	int64		n = 0;
	int64		x = 0;

	kpi_check_confidence(confidence);
	kpi_score_counts(PG_GETARG_DATUM(0), counts);
	for (int i = 0; i < KPI_SCORE_BUCKETS; i++)
	{
		n += counts[i];
		if (i >= min_score)
			x += counts[i];
	}
	if (n == 0)
		PG_RETURN_NULL();
	PG_RETURN_NUMERIC(wilson_bound(x, n, confidence, upper));
}

PG_FUNCTION_INFO_V1(kpi_score_wilson_low);
Datum
kpi_score_wilson_low(PG_FUNCTION_ARGS)
{
	return score_wilson(fcinfo, false);
}

PG_FUNCTION_INFO_V1(kpi_score_wilson_high);
Datum
kpi_score_wilson_high(PG_FUNCTION_ARGS)
{
	return score_wilson(fcinfo, true);
}

/* the Wilson bound of a rate_summary's hits / trials; NULL without trials */
static Datum
rate_wilson(FunctionCallInfo fcinfo, bool upper)
{
	double		confidence = PG_GETARG_FLOAT8(1);
	int64		hits;
	int64		trials;

	kpi_check_confidence(confidence);
	kpi_rate_counts(PG_GETARG_DATUM(0), &hits, &trials);
	if (trials == 0)
		PG_RETURN_NULL();
	PG_RETURN_NUMERIC(wilson_bound(hits, trials, confidence, upper));
}

PG_FUNCTION_INFO_V1(kpi_rate_wilson_low);
Datum
kpi_rate_wilson_low(PG_FUNCTION_ARGS)
{
	return rate_wilson(fcinfo, false);
}

PG_FUNCTION_INFO_V1(kpi_rate_wilson_high);
Datum
kpi_rate_wilson_high(PG_FUNCTION_ARGS)
{
	return rate_wilson(fcinfo, true);
}

/* --- change between two periods ------------------------------------------- */

/*
 * Two-proportion z-test with pooled variance: under "no change" both periods
 * share one rate, estimated from both, p = (x1 + x2) / (n1 + n2), and
 * z = (x2/n2 - x1/n1) / sqrt(p (1 - p) (1/n1 + 1/n2)).
 */
static double
two_proportion_pvalue(int64 x1, int64 n1, int64 x2, int64 n2)
{
	double		pooled = ((double) x1 + (double) x2) / ((double) n1 + (double) n2);

	return two_sided_pvalue((double) x2 / n2 - (double) x1 / n1,
							sqrt(pooled * (1.0 - pooled) * (1.0 / n1 + 1.0 / n2)));
}

PG_FUNCTION_INFO_V1(kpi_rate_change_pvalue);
Datum
kpi_rate_change_pvalue(PG_FUNCTION_ARGS)
{
	int64		x1;
	int64		n1;
	int64		x2;
	int64		n2;

	kpi_rate_counts(PG_GETARG_DATUM(0), &x1, &n1);
	kpi_rate_counts(PG_GETARG_DATUM(1), &x2, &n2);
	if (n1 == 0 || n2 == 0)
		PG_RETURN_NULL();
	PG_RETURN_FLOAT8(two_proportion_pvalue(x1, n1, x2, n2));
}

/* the test of rate_change_pvalue on the top-box shares, as top_box_summary counts them */
PG_FUNCTION_INFO_V1(kpi_top_box_change_pvalue);
Datum
kpi_top_box_change_pvalue(PG_FUNCTION_ARGS)
{
	int64		x1;
	int64		n1;
	int64		x2;
	int64		n2;

	kpi_rate_counts(DirectFunctionCall2(kpi_score_top_box_summary, PG_GETARG_DATUM(0), PG_GETARG_DATUM(2)),
					&x1, &n1);
	kpi_rate_counts(DirectFunctionCall2(kpi_score_top_box_summary, PG_GETARG_DATUM(1), PG_GETARG_DATUM(2)),
					&x2, &n2);
	if (n1 == 0 || n2 == 0)
		PG_RETURN_NULL();
	PG_RETURN_FLOAT8(two_proportion_pvalue(x1, n1, x2, n2));
}

/* --- Student's t distribution: intervals of a mean ------------------------- */

/*
 * The regularized incomplete beta function I_x(a, b), with y = 1 - x given
 * exactly by the caller, from its continued fraction (DLMF 8.17.22) by the
 * modified Lentz method; where the fraction converges slowly, from
 * I_x(a, b) = 1 - I_y(b, a).  The prefactor x^a y^b / (a B(a, b)) is computed
 * in logarithms, with lgamma.
 */
/*
 * log B(a, b) = lgamma(a) + lgamma(b) - lgamma(a + b).  When the larger
 * argument is 100 or more, lgamma(big) - lgamma(big + small) is taken from the
 * difference of Stirling's series instead, which keeps its digits where the
 * two lgamma values would cancel (a t distribution with many degrees of
 * freedom: B(nu / 2, 1 / 2)).
 */
static double
log_beta(double a, double b)
{
	double		big = Max(a, b);
	double		small = Min(a, b);
	double		s = big + small;

	if (big < 100.0)
		return lgamma(a) + lgamma(b) - lgamma(a + b);
	/* lgamma(x) = (x - 1/2) log x - x + log(2 pi) / 2 + 1/(12x) - 1/(360x^3) + 1/(1260x^5) - 1/(1680x^7) */
	return lgamma(small) - (big - 0.5) * log1p(small / big) - small * log(s) + small
		+ (1.0 / (12.0 * big) - 1.0 / (360.0 * big * big * big) + 1.0 / (1260.0 * pow(big, 5)) - 1.0 / (1680.0 * pow(big, 7)))
		- (1.0 / (12.0 * s) - 1.0 / (360.0 * s * s * s) + 1.0 / (1260.0 * pow(s, 5)) - 1.0 / (1680.0 * pow(s, 7)));
}

/* log_x = log(x), log_y = log(y), given by the caller where it knows them better */
static double
incomplete_beta_cf(double a, double b, double x, double log_x, double log_y)
{
	const double tiny = 1e-300;
	double		front = exp(a * log_x + b * log_y - log_beta(a, b)) / a;
	double		c = 1.0;
	double		d = 1.0 - (a + b) * x / (a + 1.0);
	double		h;

	if (fabs(d) < tiny)
		d = tiny;
	d = 1.0 / d;
	h = d;
	for (int m = 1; m <= 100000; m++)
	{
		double		num = m * (b - m) * x / ((a + 2 * m - 1) * (a + 2 * m));
		double		step;

		d = 1.0 + num * d;
		d = fabs(d) < tiny ? 1.0 / tiny : 1.0 / d;
		c = 1.0 + num / c;
		if (fabs(c) < tiny)
			c = tiny;
		h *= d * c;
		num = -(a + m) * (a + b + m) * x / ((a + 2 * m) * (a + 2 * m + 1));
		d = 1.0 + num * d;
		d = fabs(d) < tiny ? 1.0 / tiny : 1.0 / d;
		c = 1.0 + num / c;
		if (fabs(c) < tiny)
			c = tiny;
		step = d * c;
		h *= step;
		if (fabs(step - 1.0) < 1e-16)
			break;
	}
	return front * h;
}

static double
incomplete_beta(double a, double b, double x, double y, double log_x, double log_y)
{
	if (x <= 0.0)
		return 0.0;
	if (y <= 0.0)
		return 1.0;
	if (x < (a + 1.0) / (a + b + 2.0))
		return incomplete_beta_cf(a, b, x, log_x, log_y);
	return 1.0 - incomplete_beta_cf(b, a, y, log_y, log_x);
}

/*
 * P(T > t) for t >= 0, T of Student's t distribution with nu degrees of
 * freedom: I_x(nu / 2, 1 / 2) / 2 with x = nu / (nu + t^2), whose logarithm
 * -log1p(t^2 / nu) is exact to the last place even where x rounds to 1.
 */
static double
t_upper_tail(double t, double nu)
{
	double		t2 = t * t;

	return 0.5 * incomplete_beta(nu / 2.0, 0.5, nu / (nu + t2), t2 / (nu + t2),
								 -log1p(t2 / nu), 2.0 * log(t) - log(nu + t2));
}

/*
 * The t value with upper tail q (0 < q < 0.5) for nu >= 1 degrees of
 * freedom: closed forms for 1 and 2; the Cornish-Fisher expansion in the
 * normal quantile z (Abramowitz and Stegun 26.7.5) to its fourth term where
 * that term is below 1e-15 (from about 6300 degrees of freedom at 95%, later
 * for more extreme levels), so that the omitted ones are below the last
 * place; otherwise Newton steps on log P(T > t), kept inside a bracket by
 * bisection, with the tail from the incomplete beta function (relative error
 * about 1e-15 up to 1000 degrees of freedom, 1e-13 near the switch).
 */
static double
t_quantile_upper(double q, double nu)
{
	double		z = -kpi_normal_quantile(q);
	double		z2 = z * z;
	double		g4;
	double		t;
	double		lo = 0.0;
	double		hi;
	double		log_norm;

	if (nu == 1.0)
		return 1.0 / tan(M_PI * q);
	if (nu == 2.0)
		return (1.0 - 2.0 * q) / sqrt(2.0 * q * (1.0 - q));
	g4 = z * ((((79.0 * z2 + 776.0) * z2 + 1482.0) * z2 - 1920.0) * z2 - 945.0) / 92160.0 / (nu * nu * nu * nu);
	t = z + z * (z2 + 1.0) / 4.0 / nu
		+ z * ((5.0 * z2 + 16.0) * z2 + 3.0) / 96.0 / (nu * nu)
		+ z * (((3.0 * z2 + 19.0) * z2 + 17.0) * z2 - 15.0) / 384.0 / (nu * nu * nu)
		+ g4;
	/* the terms fall by about z^2 / nu each: past 1e-15 the omitted ones are below the last place */
	if (nu >= 1000.0 && fabs(g4) <= 1e-15)
		return t;

	/* a bracket [lo, hi] of the root, then safeguarded Newton steps */
	hi = Max(t, 1.0);
	while (t_upper_tail(hi, nu) > q)
	{
		lo = hi;
		hi *= 2.0;
	}
	t = (lo + hi) / 2.0;
	log_norm = -0.5 * log(nu) - log_beta(nu / 2.0, 0.5);
	for (int i = 0; i < 200; i++)
	{
		double		tail = t_upper_tail(t, nu);
		double		density = exp(log_norm - (nu + 1.0) / 2.0 * log1p(t * t / nu));
		double		next;

		if (tail > q)
			lo = t;
		else
			hi = t;
		next = t + (log(tail) - log(q)) * tail / density;
		if (!(next > lo && next < hi))
			next = (lo + hi) / 2.0;
		if (fabs(next - t) <= 4.0 * DBL_EPSILON * t || hi - lo <= 4.0 * DBL_EPSILON * hi)
			return next;
		t = next;
	}
	return t;
}

typedef struct MeanInterval
{
	double		mean;
	double		margin;			/* t(n - 1) s / sqrt(n) */
} MeanInterval;

/* false with fewer than two responses, where the spread is unknown */
static bool
score_mean_interval(Datum summary, double confidence, MeanInterval *r)
{
	int64		counts[KPI_SCORE_BUCKETS];
	double		n = 0.0;
	double		sum = 0.0;
	double		squares = 0.0;

	kpi_check_confidence(confidence);
	kpi_score_counts(summary, counts);
	for (int i = 0; i < KPI_SCORE_BUCKETS; i++)
	{
		n += (double) counts[i];
		sum += (double) i * (double) counts[i];
	}
	if (n < 2.0)
		return false;
	r->mean = sum / n;
	for (int i = 0; i < KPI_SCORE_BUCKETS; i++)
		squares += (double) counts[i] * (i - r->mean) * (i - r->mean);
	r->margin = t_quantile_upper((1.0 - confidence) / 2.0, n - 1.0) * sqrt(squares / (n - 1.0) / n);
	return true;
}

static Datum
mean_interval_result(FunctionCallInfo fcinfo, int side)
{
	MeanInterval r;

	if (!score_mean_interval(PG_GETARG_DATUM(0), PG_GETARG_FLOAT8(1), &r))
		PG_RETURN_NULL();
	PG_RETURN_NUMERIC(kpi_numeric_from_double(side == 0 ? r.margin : r.mean + side * r.margin));
}

PG_FUNCTION_INFO_V1(kpi_mean_ci_low);
Datum
kpi_mean_ci_low(PG_FUNCTION_ARGS)
{
	return mean_interval_result(fcinfo, -1);
}

PG_FUNCTION_INFO_V1(kpi_mean_ci_high);
Datum
kpi_mean_ci_high(PG_FUNCTION_ARGS)
{
	return mean_interval_result(fcinfo, 1);
}

PG_FUNCTION_INFO_V1(kpi_mean_margin);
Datum
kpi_mean_margin(PG_FUNCTION_ARGS)
{
	return mean_interval_result(fcinfo, 0);
}

/* the t quantile for tests and for users: P(T <= t) = p with nu degrees of freedom */
PG_FUNCTION_INFO_V1(kpi_t_quantile);
Datum
kpi_t_quantile(PG_FUNCTION_ARGS)
{
	double		p = PG_GETARG_FLOAT8(0);
	double		nu = PG_GETARG_FLOAT8(1);
	double		t;

	if (!(p > 0.0 && p < 1.0))
		ereport(ERROR,
				(errcode(ERRCODE_NUMERIC_VALUE_OUT_OF_RANGE),
				 errmsg("probability %g is out of range", p),
				 errdetail("The probability of a t quantile is between 0 and 1, both excluded."),
				 errhint("For a two-sided 95%% critical value pass 0.975.")));
	if (!(nu >= 1.0 && nu == floor(nu) && !isinf(nu)))
		ereport(ERROR,
				(errcode(ERRCODE_NUMERIC_VALUE_OUT_OF_RANGE),
				 errmsg("degrees of freedom %g are out of range", nu),
				 errdetail("The degrees of freedom are a whole number of 1 or more."),
				 errhint("For the mean of n responses pass n - 1.")));
	if (p == 0.5)
		PG_RETURN_FLOAT8(0.0);
	t = p > 0.5 ? t_quantile_upper(1.0 - p, nu) : -t_quantile_upper(p, nu);
	/* one degree of freedom (Cauchy) has quantiles beyond the doubles for p below 1e-308 */
	if (isinf(t))
		ereport(ERROR,
				(errcode(ERRCODE_NUMERIC_VALUE_OUT_OF_RANGE),
				 errmsg("t quantile of probability %g is out of range", p),
				 errdetail("With %g degrees of freedom it lies beyond the largest double precision number.", nu),
				 errhint("Pass a probability farther from 0 and 1, or more degrees of freedom.")));
	PG_RETURN_FLOAT8(t);
}

/* --- distribution-free intervals of percentiles ------------------------------ */

/*
 * With n values of a continuous population, the fraction-quantile xi lies
 * below the l-th smallest value exactly when fewer than l values fall below
 * xi, so P(X(l) <= xi <= X(u)) = P(l <= B <= u - 1) for B ~ Binomial(n, p),
 * whatever the distribution (ties only make the interval wider).  The ranks
 * are the equal-tailed, conservative ones:
 *
 *	  l = the largest rank with P(B <= l - 1) <= (1 - confidence) / 2
 *	  u = the smallest rank with P(B >= u) <= (1 - confidence) / 2
 *
 * so the coverage is at least the confidence (up to 1e-12 of the tail, so that
 * ties in decimal are decided as exact arithmetic decides them); l = 0 or
 * u = n + 1 when the
 * sample is too small for that bound (5 values cannot bound a median at
 * 95%).  The binomial probabilities come from the weights relative to the
 * mode, by the ratio of consecutive terms, w(j - 1) = w(j) j q / ((n - j + 1) p),
 * out to where they fall below 2^-70 of their sum: no factorials, no
 * lgamma, and O(sqrt(n p q)) terms.
 */
void
kpi_quantile_ci_ranks(int64 n, double fraction, double confidence, int64 *lower, int64 *upper)
{
	/*
	 * The tail, widened by 1e-12 of itself: a binomial probability that
	 * equals it exactly in decimal (P(B >= 1) = 0.1 for n = 1, p = 0.1 at 80%)
	 * must count as not above it, whatever the binary rounding of both.
	 */
	double		tail = (1.0 - confidence) / 2.0 * (1.0 + 1e-12);
	double		p = fraction;
	double		q = 1.0 - fraction;
	int64		mode = (int64) floor(((double) n + 1.0) * p);
	int64		base;
	int64		first;
	int64		last;
	int64		width;
	double	   *w;
	double		total = 1.0;
	double		below;

	mode = Max(0, Min(n, mode));
	/* how far the weights can matter: 40 standard deviations and 64 more, or the ends */
	width = (int64) ceil(40.0 * sqrt((double) n * p * q)) + 64;
	base = Max(0, mode - width);
	first = base;
	last = Min(n, mode + width);
	w = (double *) palloc((last - base + 1) * sizeof(double));
	w[mode - base] = 1.0;
	for (int64 j = mode; j > base; j--)
	{
		w[j - 1 - base] = w[j - base] * ((double) j * q) / ((double) (n - j + 1) * p);
		total += w[j - 1 - base];
		first = j - 1;
		if (w[j - 1 - base] < ldexp(total, -70))
			break;
	}
	for (int64 j = mode; j < last; j++)
	{
		w[j + 1 - base] = w[j - base] * ((double) (n - j) * p) / ((double) (j + 1) * q);
		total += w[j + 1 - base];
		if (w[j + 1 - base] < ldexp(total, -70))
		{
			last = j + 1;
			break;
		}
	}

	/* P(B <= j - 1) grows with j: the first j where P(B <= j) passes the tail is l */
	below = 0.0;
	*lower = last;
	for (int64 j = first; j <= last; j++)
	{
		if ((below + w[j - base]) / total > tail)
		{
			*lower = j;
			break;
		}
		below += w[j - base];
	}
	/* P(B >= j) grows as j falls: the first j from the top where it passes the tail is u - 1 */
	below = 0.0;
	*upper = first + 1;
	for (int64 j = last; j >= first; j--)
	{
		if ((below + w[j - base]) / total > tail)
		{
			*upper = j + 1;
			break;
		}
		below += w[j - base];
	}
	pfree(w);
}

/* --- anomaly scores -------------------------------------------------------- */

static void
check_finite(double x, const char *what)
{
	if (isnan(x) || isinf(x))
		ereport(ERROR,
				(errcode(ERRCODE_NUMERIC_VALUE_OUT_OF_RANGE),
				 errmsg("%s must be a finite number", what),
				 errhint("Map NaN and infinite values to NULL.")));
}

/* deviation over spread; no spread gives +-infinity, or 0 when there is no deviation */
static double
zscore(double deviation, double spread)
{
	if (spread > 0.0)
		return deviation / spread;
	if (deviation == 0.0)
		return 0.0;
	return deviation > 0.0 ? get_float8_infinity() : -get_float8_infinity();
}

/* the exponent of the largest magnitude among finite v[0 .. n), 0 if all are 0 */
static int
max_exponent(const double *v, int n)
{
	int			e = INT_MIN;

	for (int i = 0; i < n; i++)
	{
		int			x;

		if (v[i] != 0.0 && isfinite(v[i]))
		{
			(void) frexp(v[i], &x);
			e = Max(e, x);
		}
	}
	return e == INT_MIN ? 0 : e;
}

/*
 * (value - center) / (k * spread) for finite center, spread >= 0 and value,
 * without overflow or underflow on the way: value - center can pass the
 * largest double though the ratio is small, and k * spread can round a
 * subnormal spread.  The difference is taken at the scale of the larger of
 * the two, where it cannot overflow, then divided by the mantissa of the
 * spread, and the exponents are applied last, so the result is infinite only
 * when the true ratio is beyond the double range.  An infinite value gives
 * +-infinity.
 */
static double
scaled_zscore(double value, double center, double spread, double k)
{
	double		pair[2] = {value, center};
	int			e;
	int			es;
	double		deviation;
	double		ms;

	if (isinf(value))
		return value;
	e = max_exponent(pair, 2);
	deviation = ldexp(value, -e) - ldexp(center, -e);
	if (spread == 0.0 || deviation == 0.0)
		return zscore(deviation, 0.0);
	ms = frexp(spread, &es);
	return ldexp(deviation / (k * ms), e - es);
}

/*
 * Scale a history into (-1, 1) by a power of two (exact for all but values
 * below 2^-1074 of the largest): medians, deviations and squares are then
 * computed without overflow, and subnormal values keep their digits.  The
 * z-score does not change under a common scale.  Returns the exponent.
 */
static int
scale_history(double *v, int n)
{
	int			e = max_exponent(v, n);

	for (int i = 0; i < n; i++)
		v[i] = ldexp(v[i], -e);
	return e;
}

PG_FUNCTION_INFO_V1(kpi_robust_zscore);
Datum
kpi_robust_zscore(PG_FUNCTION_ARGS)
{
	double		value = PG_GETARG_FLOAT8(0);
	double		median = PG_GETARG_FLOAT8(1);
	double		mad = PG_GETARG_FLOAT8(2);

	check_finite(value, "value");
	check_finite(median, "median");
	check_finite(mad, "median absolute deviation");
	if (mad < 0.0)
		ereport(ERROR,
				(errcode(ERRCODE_NUMERIC_VALUE_OUT_OF_RANGE),
				 errmsg("median absolute deviation must not be negative"),
				 errdetail("The median absolute deviation is the median of |x - median|.")));
	PG_RETURN_FLOAT8(scaled_zscore(value, median, mad, MAD_TO_SIGMA));
}

/* the non-NULL elements of a one-dimensional float8[] history, checked finite */
static double *
history_values(ArrayType *arr, int *count)
{
	Datum	   *elems;
	bool	   *nulls;
	int			n;
	double	   *values;
	int			k = 0;

	if (ARR_NDIM(arr) > 1)
		ereport(ERROR,
				(errcode(ERRCODE_ARRAY_SUBSCRIPT_ERROR),
				 errmsg("history must be a one-dimensional array"),
				 errhint("Collect it with array_agg(x) OVER (ORDER BY day ROWS BETWEEN 28 PRECEDING AND 1 PRECEDING).")));
	deconstruct_array(arr, FLOAT8OID, sizeof(float8), FLOAT8PASSBYVAL, TYPALIGN_DOUBLE,
					  &elems, &nulls, &n);
	values = palloc(Max(n, 1) * sizeof(double));
	for (int i = 0; i < n; i++)
	{
		CHECK_FOR_INTERRUPTS();
		if (nulls[i])
			continue;
		values[k] = DatumGetFloat8(elems[i]);
		check_finite(values[k], "history value");
		k++;
	}
	*count = k;
	return values;
}

/*
 * The history may hold millions of values: sort with PostgreSQL's sort
 * template, which checks for interrupts (qsort() would ignore a cancel or a
 * statement_timeout for seconds).  The values are finite, so < is a total order.
 */
#define ST_SORT sort_doubles
#define ST_ELEMENT_TYPE double
#define ST_COMPARE(a, b) (*(a) < *(b) ? -1 : (*(a) > *(b) ? 1 : 0))
#define ST_CHECK_FOR_INTERRUPTS
#define ST_SCOPE static
#define ST_DEFINE
#include "lib/sort_template.h"

/* median of n > 0 values; sorts them */
static double
median_of(double *v, int n)
{
	sort_doubles(v, n);
	if (n % 2 == 1)
		return v[n / 2];
	return v[n / 2 - 1] + (v[n / 2] - v[n / 2 - 1]) / 2.0;
}

PG_FUNCTION_INFO_V1(kpi_robust_zscore_history);
Datum
kpi_robust_zscore_history(PG_FUNCTION_ARGS)
{
	double		value = PG_GETARG_FLOAT8(0);
	int			n;
	double	   *v = history_values(PG_GETARG_ARRAYTYPE_P(1), &n);
	double		median;
	double		mad;

	int			e;

	check_finite(value, "value");
	if (n < 2)
		PG_RETURN_NULL();
	e = scale_history(v, n);
	median = median_of(v, n);
	for (int i = 0; i < n; i++)
		v[i] = fabs(v[i] - median);
	mad = median_of(v, n);
	PG_RETURN_FLOAT8(scaled_zscore(ldexp(value, -e), median, mad, MAD_TO_SIGMA));
}

/*
 * EWMA z-score: the exponentially weighted mean and variance of the history,
 * oldest first (m = x1, v = 0, then for each x: d = x - m, m += alpha d,
 * v = (1 - alpha)(v + alpha d^2)), and (value - m) / sqrt(v).
 */
PG_FUNCTION_INFO_V1(kpi_ewma_zscore);
Datum
kpi_ewma_zscore(PG_FUNCTION_ARGS)
{
	double		value = PG_GETARG_FLOAT8(0);
	int			n;
	double	   *v = history_values(PG_GETARG_ARRAYTYPE_P(1), &n);
	double		alpha = PG_GETARG_FLOAT8(2);
	double		mean;
	double		var = 0.0;
	int			e;

	check_finite(value, "value");
	if (!(alpha > 0.0 && alpha <= 1.0))
		ereport(ERROR,
				(errcode(ERRCODE_NUMERIC_VALUE_OUT_OF_RANGE),
				 errmsg("EWMA smoothing factor %g is out of range", alpha),
				 errdetail("The smoothing factor alpha must be greater than 0 and at most 1."),
				 errhint("0.3 weighs the last few days; smaller values remember longer.")));
	if (n < 2)
		PG_RETURN_NULL();
	e = scale_history(v, n);
	mean = v[0];
	for (int i = 1; i < n; i++)
	{
		double		d = v[i] - mean;

		mean += alpha * d;
		var = (1.0 - alpha) * (var + alpha * d * d);
	}
	PG_RETURN_FLOAT8(scaled_zscore(ldexp(value, -e), mean, sqrt(var), 1.0));
}

/*
 * p-chart: how many standard errors the current rate lies from the baseline
 * rate pbar, for the current number of trials n (control limits pbar +- 3 SE).
 */
PG_FUNCTION_INFO_V1(kpi_pchart_zscore);
Datum
kpi_pchart_zscore(PG_FUNCTION_ARGS)
{
	int64		x;
	int64		n;
	int64		bx;
	int64		bn;
	double		pbar;

	kpi_rate_counts(PG_GETARG_DATUM(0), &x, &n);
	kpi_rate_counts(PG_GETARG_DATUM(1), &bx, &bn);
	if (n == 0 || bn == 0)
		PG_RETURN_NULL();
	pbar = (double) bx / bn;
	PG_RETURN_FLOAT8(zscore((double) x / n - pbar, sqrt(pbar * (1.0 - pbar) / n)));
}
