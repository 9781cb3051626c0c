/*-------------------------------------------------------------------------
 *
 * kpi_compat.h
 *	  What differs between the PostgreSQL major versions kpi_ext builds
 *	  against, 15 to 18, in one place.
 *
 * The code is written against the newest API; each block below gives the
 * older servers what they lack, under a version guard, so that no other file
 * tests PG_VERSION_NUM.  Included by kpi_ext.h, after postgres.h.
 *
 *-------------------------------------------------------------------------
 */
#ifndef KPI_COMPAT_H
#define KPI_COMPAT_H

/*
 * 16 moved the varlena macros (VARSIZE, SET_VARSIZE, VARDATA, ...) out of
 * postgres.h into varatt.h.
 */
#if PG_VERSION_NUM >= 160000
#include "varatt.h"
#endif

/*
 * 18 replaced the suffix pg_attribute_noreturn() by the prefix pg_noreturn
 * (C11 _Noreturn where the compiler has it).  Before 18 the suffix macro is a
 * GCC-style attribute, which may also lead a declaration.
 */
#if PG_VERSION_NUM < 180000
#define pg_noreturn pg_attribute_noreturn()
#endif

/*
 * 16 gave DecodeDateTime() a last argument, where it names the time zone or
 * abbreviation an error is about; kpi_ext reads only the return code.
 * Callers include utils/datetime.h.
 */
#if PG_VERSION_NUM >= 160000
#define kpi_decode_datetime(field, ftype, nf, dtype, tm, fsec, tzp) \
	DecodeDateTime((field), (ftype), (nf), (dtype), (tm), (fsec), (tzp), \
				   &(DateTimeErrorExtra) {0})
#else
#define kpi_decode_datetime(field, ftype, nf, dtype, tm, fsec, tzp) \
	DecodeDateTime((field), (ftype), (nf), (dtype), (tm), (fsec), (tzp))
#endif

/*
 * 17 added infinite intervals ('infinity', '-infinity'); before, every
 * interval is finite.
 */
#if PG_VERSION_NUM < 170000
#define INTERVAL_NOT_FINITE(i) false
#endif

/*
 * 18 lets a module name itself and its version in its magic block, which
 * pg_get_loaded_modules() reports.  KPI_EXT_VERSION comes from the Makefile
 * (default_version in kpi_ext.control).
 */
#if PG_VERSION_NUM >= 180000
#define KPI_MODULE_MAGIC PG_MODULE_MAGIC_EXT(.name = "kpi_ext", .version = KPI_EXT_VERSION)
#else
#define KPI_MODULE_MAGIC PG_MODULE_MAGIC
#endif

#endif							/* KPI_COMPAT_H */
