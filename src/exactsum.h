/*-------------------------------------------------------------------------
 *
 * exactsum.h
 *	  Exact sums of doubles (src/exactsum.c): a fixed-point accumulator whose
 *	  size is bounded by the exponent range of double precision, never by the
 *	  number of values, and the canonical form of such a sum.
 *
 * Every finite double is an integer multiple of 2^-1074, so a sum of doubles
 * is one too.  The accumulator holds that integer in limbs of 32 bits: limb i
 * weighs 2^(32 i - 1074).  Limbs are int64, so that a value can be added to
 * three of them without carrying: carries are propagated only every
 * KPI_XSUM_CARRY_EVERY additions (lazy carries).  A caller keeps a window of
 * limbs [lo, lo + n) over the range its values use, with two limbs of
 * headroom above the highest limb written to, so that carrying never leaves
 * the window.
 *
 * The canonical form of a sum S is its greedy expansion: t1 = round(S) to
 * nearest (ties to even), t2 = round(S - t1), ... until nothing is left.  At
 * most KPI_XSUM_MAX_TERMS doubles, usually one or two; t1 is the correctly
 * rounded sum; S = 0 has no term.  It is what stored values hold.
 *
 *-------------------------------------------------------------------------
 */
#ifndef KPI_EXACTSUM_H
#define KPI_EXACTSUM_H

#include <string.h>

#ifndef HAVE_INT128
#error "exact sums need a 128-bit integer type"
#endif

/*
 * Limbs 0..68 hold any sum of up to 2^63 doubles (below 2^(1024 + 63), so
 * 2^(1074 + 1087) in units of 2^-1074: limb 67) with its sign.
 */
#define KPI_XSUM_LIMBS 69

/* a value touches limbs i .. i + 2; the window reaches two more */
#define KPI_XSUM_SPAN 3
#define KPI_XSUM_HEADROOM 2

/* |limb| < 2^32 after a carry and grows by < 2^32 per addition */
#define KPI_XSUM_CARRY_EVERY (INT64CONST(1) << 30)

/* greedy expansions of finite sums have at most 40 terms */
#define KPI_XSUM_MAX_TERMS 40

/*
 * The limbs a finite double x adds to: returns the index i of the lowest
 * one and sets chunk[0..2] to what x adds to limbs i, i + 1, i + 2 (negative
 * for a negative x), or returns -1 for zero (either sign).
 */
static inline int
kpi_xsum_split(double x, int64 chunk[KPI_XSUM_SPAN])
{
	uint64		bits;
	uint64		mant;
	int			biased;
	int			e;
	uint128		v;

	memcpy(&bits, &x, sizeof(bits));
	biased = (int) ((bits >> 52) & 0x7ff);
	mant = bits & ((UINT64CONST(1) << 52) - 1);
	if (biased == 0)
	{
		if (mant == 0)
			return -1;
		e = 0;					/* subnormal: mant * 2^-1074 */
	}
	else
	{
		mant |= UINT64CONST(1) << 52;
		e = biased - 1;			/* mant * 2^(biased - 1075) */
	}
	v = (uint128) mant << (e & 31);
	chunk[0] = (int64) (uint32) v;
	chunk[1] = (int64) (uint32) (v >> 32);
	chunk[2] = (int64) (v >> 64);
	if (bits >> 63)
	{
		chunk[0] = -chunk[0];
		chunk[1] = -chunk[1];
		chunk[2] = -chunk[2];
	}
	return e >> 5;
}

/* propagate the carries of n limbs; the top one keeps the signed rest */
extern void kpi_xsum_carry(int64 *limbs, int n);

/*
 * The greedy expansion of the sum held by limbs[0 .. n) whose first limb has
 * absolute index lo: writes its terms and returns their number, or -1 when
 * the sum rounds beyond the range of double precision.
 */
extern int	kpi_xsum_expand(const int64 *limbs, int lo, int n, double *terms);

/* is terms[0 .. k) a greedy expansion (what kpi_xsum_expand writes)? */
extern bool kpi_xsum_is_expansion(const double *terms, int k);

#endif							/* KPI_EXACTSUM_H */
