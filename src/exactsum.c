/*-------------------------------------------------------------------------
 *
 * exactsum.c
 *	  Exact sums of doubles: carrying the fixed-point limbs, and the greedy
 *	  expansion that is the canonical form of a sum (see exactsum.h).
 *
 * An exact sum makes a summary an abelian group: adding values in any order
 * or grouping gives the same sum, and removing a value gives back exactly the
 * sum of the others.  That is what moving windows need (a frame's result
 * equals the frame recomputed, whatever left it), what (a + b) - b = a needs,
 * and what makes every summary of the same rows the same bytes.  The price
 * is a few limbs per sum instead of one double, and three integer additions
 * per value instead of a compensated floating-point one.
 *
 *-------------------------------------------------------------------------
 */
#include "postgres.h"

#include <float.h>
#include <math.h>

#include "port/pg_bitutils.h"

#include "exactsum.h"

void
kpi_xsum_carry(int64 *limbs, int n)
{
	for (int i = 0; i < n - 1; i++)
	{
		/* floor(limb / 2^32), without shifting a negative number */
		int64		low = limbs[i] & INT64CONST(0xffffffff);
		int64		carry = (limbs[i] - low) / (INT64CONST(1) << 32);

		limbs[i] = low;
		limbs[i + 1] += carry;
	}
}

/* add the 53-bit integer mant * 2^shift (shift in bits from limb 0), negated when neg */
static void
add_shifted(int64 *w, uint64 mant, int shift, bool neg)
{
	uint128		v = (uint128) mant << (shift & 31);
	int			i = shift >> 5;
	int64		c[KPI_XSUM_SPAN];

	c[0] = (int64) (uint32) v;
	c[1] = (int64) (uint32) (v >> 32);
	c[2] = (int64) (v >> 64);
	for (int k = 0; k < KPI_XSUM_SPAN; k++)
		w[i + k] += neg ? -c[k] : c[k];
}

/* bits [from, from + count) of the magnitude mag (count <= 64) */
static uint64
get_bits(const int64 *mag, int from, int count)
{
	int			i = from >> 5;
	int			s = from & 31;
	uint128		v = 0;

	/* three limbs hold any 64 bits from any position */
	for (int k = 2; k >= 0; k--)
		v = (v << 32) | (uint32) mag[i + k];
	v >>= s;
	return count == 64 ? (uint64) v : (uint64) v & ((UINT64CONST(1) << count) - 1);
}

int
kpi_xsum_expand(const int64 *limbs, int lo, int n, double *terms)
{
	/* the window, three limbs of headroom, and room for get_bits to read past the top */
	int64		w[KPI_XSUM_LIMBS + 3 + 2];
	int64		mag[KPI_XSUM_LIMBS + 3 + 2];
	int			m = n + 3;
	int			k = 0;

	Assert(lo >= 0 && n >= 0 && lo + n <= KPI_XSUM_LIMBS);
	memcpy(w, limbs, n * sizeof(int64));
	memset(w + n, 0, (m + 2 - n) * sizeof(int64));
	memset(mag + m, 0, 2 * sizeof(int64));
	for (;;)
	{
		bool		neg;
		int			h;
		int			l;
		int			top;
		int			bottom;
		uint64		mant;
		int			shift;
		double		t;

		kpi_xsum_carry(w, m);
		neg = w[m - 1] < 0;
		for (int i = 0; i < m; i++)
			mag[i] = neg ? -w[i] : w[i];
		if (neg)
			kpi_xsum_carry(mag, m);
		/* now 0 <= mag[i] < 2^32 */
		for (h = m - 1; h >= 0 && mag[h] == 0; h--)
			;
		if (h < 0)
			return k;
		for (l = 0; mag[l] == 0; l++)
			;
		top = 32 * h + pg_leftmost_one_pos32((uint32) mag[h]);
		bottom = 32 * l + pg_rightmost_one_pos32((uint32) mag[l]);
		if (top - bottom < 53)
		{
			/* exactly representable: the last term */
			mant = get_bits(mag, bottom, top - bottom + 1);
			shift = bottom;
		}
		else
		{
			/* the top 53 bits, rounded to nearest, ties to even */
			bool		round_bit;
			bool		sticky;

			shift = top - 52;
			mant = get_bits(mag, shift, 53);
			round_bit = get_bits(mag, shift - 1, 1) != 0;
			sticky = bottom < shift - 1;
			if (round_bit && (sticky || (mant & 1)))
			{
				mant++;
				if (mant == (UINT64CONST(1) << 53))
				{
					mant >>= 1;
					shift++;
				}
			}
		}
		/* mant * 2^(32 lo + shift - 1074); beyond DBL_MAX when its top bit is past 1023 */
		if (32 * lo + shift - 1074 + pg_leftmost_one_pos64(mant) > 1023)
			return -1;
		t = ldexp((double) mant, 32 * lo + shift - 1074);
		Assert(k < KPI_XSUM_MAX_TERMS);
		terms[k++] = neg ? -t : t;
		/* S - t: subtract the term from the window */
		add_shifted(w, mant, shift, !neg);
	}
}

/*
 * Greedy expansions are checked from the last term up: the tail after term i
 * is then the greedy expansion of the rest R, so term i + 1 is R rounded, and
 * comparing it (and the sign of the term after it) with half the gap to the
 * neighbour of term i on R's side says whether term i + R rounds to term i.
 */
bool
kpi_xsum_is_expansion(const double *terms, int k)
{
	if (k < 0 || k > KPI_XSUM_MAX_TERMS)
		return false;
	for (int i = 0; i < k; i++)
		if (!isfinite(terms[i]) || terms[i] == 0)
			return false;
	for (int i = 0; i + 1 < k; i++)
	{
		double		a = fabs(terms[i]);
		bool		away = (terms[i + 1] > 0) == (terms[i] > 0);
		double		r = fabs(terms[i + 1]);
		double		gap;
		double		half;

		if (away && a < DBL_MAX)
			gap = nextafter(a, INFINITY) - a;
		else
			gap = a - nextafter(a, 0);
		/* exact, except that half the smallest gap rounds to 0: any r exceeds it */
		half = gap / 2;
		if (r > half)
			return false;
		if (r == half)
		{
			if (i + 2 < k)
			{
				/* the rest lies beyond the midpoint when the next term points the same way */
				if ((terms[i + 2] > 0) == (terms[i + 1] > 0))
					return false;
			}
			else
			{
				/* a tie: rounds to the even neighbour */
				uint64		bits;

				memcpy(&bits, &terms[i], sizeof(bits));
				if (bits & 1)
					return false;
			}
		}
	}
	return true;
}
