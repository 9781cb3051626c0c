/*-------------------------------------------------------------------------
 *
 * sparkline.c
 *	  sparkline(): a series of numbers drawn as one line of block glyphs.
 *
 * Each value becomes one of the eight glyphs U+2581..U+2588 (lower one
 * eighth block .. full block), chosen by equal-width bins between the
 * minimum and the maximum of the series:
 *
 *	  level = floor(8 * (x - min) / (max - min)), capped at 7
 *
 * so the minimum is always the lowest glyph and the maximum the full block.
 * A NULL is a gap (a space).  A series whose non-NULL values are all equal
 * has no trend to draw and is drawn at the middle level (U+2584, lower half
 * block) throughout.  The aggregate collects its input in a float8[] (the
 * order of ORDER BY inside the call) and draws it with the same function.
 *
 *-------------------------------------------------------------------------
 */
#include "postgres.h"

#include <math.h>

#include "catalog/pg_type.h"
#include "mb/pg_wchar.h"
#include "miscadmin.h"
#include "utils/array.h"
#include "utils/builtins.h"

#include "kpi_ext.h"

/* U+2581 .. U+2588 in UTF-8 */
static const char *const spark_glyphs[8] = {
	"\xe2\x96\x81", "\xe2\x96\x82", "\xe2\x96\x83", "\xe2\x96\x84",
	"\xe2\x96\x85", "\xe2\x96\x86", "\xe2\x96\x87", "\xe2\x96\x88"
};

#define SPARK_FLAT_LEVEL 3

/* is element i NULL?  (no bitmap: none is) */
static inline bool
spark_is_null(const bits8 *bitmap, int i)
{
	return bitmap != NULL && (bitmap[i / 8] & (1 << (i % 8))) == 0;
}

/*
 * (x - min) / (max - min) for min < x < max, in [0, 1).  Both differences
 * are exact enough and nonzero as they stand (IEEE subtraction of distinct
 * doubles never gives 0, however small they are: scaling first would flush
 * subnormal differences to 0 and divide 0 by 0); only max - min can
 * overflow, and then halving first is exact, since the values are huge.
 */
static double
spark_fraction(double x, double min, double max)
{
	double		range = max - min;
	double		f;

	if (isinf(range))
		f = (x / 2.0 - min / 2.0) / (max / 2.0 - min / 2.0);
	else
		f = (x - min) / range;
	/* rounding can reach 1 (x next to max); never below 0 or NaN */
	return f >= 0.0 && f < 1.0 ? f : (f >= 1.0 ? nextafter(1.0, 0.0) : 0.0);
}

PG_FUNCTION_INFO_V1(kpi_sparkline);
Datum
kpi_sparkline(PG_FUNCTION_ARGS)
{
	ArrayType  *arr = PG_GETARG_ARRAYTYPE_P(0);
	const float8 *data;
	const bits8 *bitmap;
	int			n;
	int			k;
	double		min = 0.0;
	double		max = 0.0;
	bool		any = false;
	StringInfoData buf;

	if (ARR_NDIM(arr) > 1)
		ereport(ERROR,
				(errcode(ERRCODE_ARRAY_SUBSCRIPT_ERROR),
				 errmsg("sparkline input must be a one-dimensional array")));
	if (GetDatabaseEncoding() != PG_UTF8)
		ereport(ERROR,
				(errcode(ERRCODE_FEATURE_NOT_SUPPORTED),
				 errmsg("sparkline requires a UTF8 database"),
				 errdetail("The block glyphs it draws exist only in Unicode.")));
	Assert(ARR_ELEMTYPE(arr) == FLOAT8OID);

	/*
	 * Read the float8 values in place (the non-NULL ones are stored one after
	 * the other) rather than through deconstruct_array(), which copies a
	 * hundred-million-value array into 900 MB without checking for interrupts.
	 */
	n = ArrayGetNItems(ARR_NDIM(arr), ARR_DIMS(arr));
	/* ARR_DATA_PTR() spelled out: the macro mixes signedness (-Wsign-compare) */
	data = (const float8 *) ((const char *) arr +
							 (ARR_HASNULL(arr) ? (Size) arr->dataoffset :
							  (Size) ARR_OVERHEAD_NONULLS(ARR_NDIM(arr))));
	bitmap = ARR_NULLBITMAP(arr);
	k = 0;
	for (int i = 0; i < n; i++)
	{
		double		x;

		/* an array may hold a hundred million values: stay cancellable */
		CHECK_FOR_INTERRUPTS();
		if (spark_is_null(bitmap, i))
			continue;
		x = data[k++];
		if (isnan(x) || isinf(x))
			ereport(ERROR,
					(errcode(ERRCODE_NUMERIC_VALUE_OUT_OF_RANGE),
					 errmsg("sparkline values must be finite numbers"),
					 errhint("Map NaN and infinite values to NULL; they are drawn as gaps.")));
		if (!any || x < min)
			min = x;
		if (!any || x > max)
			max = x;
		any = true;
	}

	initStringInfo(&buf);
	k = 0;
	for (int i = 0; i < n; i++)
	{
		int			level;

		CHECK_FOR_INTERRUPTS();
		if (spark_is_null(bitmap, i))
		{
			appendStringInfoChar(&buf, ' ');
			continue;
		}
		if (max == min)
		{
			level = SPARK_FLAT_LEVEL;
			k++;
		}
		else
		{
			double		x = data[k++];

			if (x == max)
				level = 7;
			else if (x == min)
				level = 0;
			else
				level = Min(7, (int) (8.0 * spark_fraction(x, min, max)));
		}
		appendStringInfoString(&buf, spark_glyphs[level]);
	}
	PG_RETURN_TEXT_P(cstring_to_text_with_len(buf.data, buf.len));
}
