/*-------------------------------------------------------------------------
 *
 * business.c
 *	  Business formulas: retention_rate, clv and cost_per_contact.
 *
 * Scalar functions over numbers the caller has already aggregated (customer
 * counts, revenue, cost, contacts), in numeric, with domain checks:
 *
 *	  retention_rate	= 100 * (customers_end - new_customers) / customers_start
 *	  clv				= average revenue per period * average lifespan in periods
 *	  cost_per_contact	= total cost / contacts
 *
 * They belong to no summary type: unlike the rate and ratio families they
 * aggregate nothing, and unlike Erlang C they model nothing.
 *
 *-------------------------------------------------------------------------
 */
#include "postgres.h"

#include "utils/builtins.h"
#include "utils/numeric.h"

#include "kpi_ext.h"

static Numeric
count_arg(FunctionCallInfo fcinfo, int argno, const char *what)
{
	Numeric		value = kpi_numeric_arg(fcinfo, argno, what);

	if (kpi_numeric_cmp(value, int64_to_numeric(0)) < 0)
		ereport(ERROR,
				(errcode(ERRCODE_NUMERIC_VALUE_OUT_OF_RANGE),
				 errmsg("%s must not be negative", what),
				 errdetail("A count is zero or more."),
				 errhint("Check the source of the counts, or map bad values to NULL.")));
	return value;
}

/* 100 * (customers_end - new_customers) / customers_start */
PG_FUNCTION_INFO_V1(kpi_retention_rate);
Datum
kpi_retention_rate(PG_FUNCTION_ARGS)
{
	Numeric		start = count_arg(fcinfo, 0, "customers at the start");
	Numeric		end = count_arg(fcinfo, 1, "customers at the end");
	Numeric		added = count_arg(fcinfo, 2, "new customers");
	Numeric		retained;
	Numeric		hundred;
	bool		overflow = false;

	if (kpi_numeric_cmp(added, end) > 0)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("new customers exceed the customers at the end"),
				 errdetail("The customers at the end of the period include the new ones, so new_customers cannot exceed customers_end."),
				 errhint("Check that the arguments are in the order customers_start, customers_end, new_customers.")));
	retained = numeric_sub_opt_error(end, added, NULL);
	if (kpi_numeric_cmp(retained, start) > 0)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("more customers retained than at the start"),
				 errdetail("customers_end - new_customers, the customers kept from the start, cannot exceed customers_start."),
				 errhint("Count customers who left and came back during the period as new customers.")));
	if (kpi_numeric_cmp(start, int64_to_numeric(0)) == 0)
		PG_RETURN_NULL();
	hundred = numeric_mul_opt_error(int64_to_numeric(100), retained, &overflow);
	/*
	 * Next to numeric's largest value 100 * retained overflows though the rate
	 * is at most 100 (retained <= start): then divide first.
	 */
	if (overflow)
		PG_RETURN_NUMERIC(numeric_mul_opt_error(numeric_div_opt_error(retained, start, NULL),
												int64_to_numeric(100), NULL));
	PG_RETURN_NUMERIC(numeric_div_opt_error(hundred, start, NULL));
}

/* average revenue per customer and period * average lifespan in periods */
PG_FUNCTION_INFO_V1(kpi_clv);
Datum
kpi_clv(PG_FUNCTION_ARGS)
{
	Numeric		revenue = kpi_numeric_arg(fcinfo, 0, "average revenue");
	Numeric		lifespan = kpi_numeric_arg(fcinfo, 1, "average lifespan");

	if (kpi_numeric_cmp(lifespan, int64_to_numeric(0)) < 0)
		ereport(ERROR,
				(errcode(ERRCODE_NUMERIC_VALUE_OUT_OF_RANGE),
				 errmsg("average lifespan must not be negative"),
				 errdetail("The lifespan is the number of periods a customer stays, zero or more."),
				 errhint("Pass the lifespan in the periods the revenue is counted in, such as months.")));
	PG_RETURN_NUMERIC(numeric_mul_opt_error(revenue, lifespan, NULL));
}

/* total cost / contacts */
PG_FUNCTION_INFO_V1(kpi_cost_per_contact);
Datum
kpi_cost_per_contact(PG_FUNCTION_ARGS)
{
	Numeric		cost = kpi_numeric_arg(fcinfo, 0, "total cost");
	Numeric		contacts = count_arg(fcinfo, 1, "number of contacts");

	if (kpi_numeric_cmp(cost, int64_to_numeric(0)) < 0)
		ereport(ERROR,
				(errcode(ERRCODE_NUMERIC_VALUE_OUT_OF_RANGE),
				 errmsg("total cost must not be negative"),
				 errdetail("The total cost of the support operation is zero or more."),
				 errhint("Net credits and refunds out of the cost before dividing.")));
	if (kpi_numeric_cmp(contacts, int64_to_numeric(0)) == 0)
		PG_RETURN_NULL();
	PG_RETURN_NUMERIC(numeric_div_opt_error(cost, contacts, NULL));
}
