/* trend.c - the spike test of trend warnings (core/trend.h; docs/risk.md). */
#include "core/trend.h"

#include <math.h>

double trend_poisson_upper(int64_t k, double lambda)
{
    double sum = 0, ln = log(lambda);

    if (k <= 0)
        return 1.0;
    /* Summed from k upwards in log space: e^-lambda underflows for large counts, and the
     * tail beyond k is what we want (1 - CDF loses it to rounding when it is tiny). The
     * terms fall off geometrically once i > lambda; stop when they no longer count. */
    for (int64_t i = k; i < k + 100000; i++) {
        double term = exp(-lambda + (double)i * ln - lgamma((double)i + 1));
        sum += term;
        if ((double)i > lambda && term < sum * 1e-12)
            break;
    }
    return sum > 1.0 ? 1.0 : sum;
}

void trend_test(const int64_t daily[TREND_SERIES_DAYS], struct trend_result *r)
{
    int64_t base = 0, obs = 0;
    double lambda;

    for (int i = 0; i < TREND_SERIES_DAYS - TREND_WINDOW_DAYS; i++)
        base += daily[i];
    for (int i = TREND_SERIES_DAYS - TREND_WINDOW_DAYS; i < TREND_SERIES_DAYS; i++)
        obs += daily[i];
    r->observed = obs;
    r->baseline = (double)base / TREND_BASE_WEEKS;
    lambda = r->baseline > TREND_BASELINE_FLOOR ? r->baseline : TREND_BASELINE_FLOOR;
    r->ratio = (double)obs / lambda;
    r->p = trend_poisson_upper(obs, lambda);
    r->spike = obs >= TREND_MIN_COUNT && r->ratio >= TREND_MIN_RATIO && r->p < TREND_ALPHA;
}
