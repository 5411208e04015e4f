/* interval_options.c — the options that qualify answers from a fit
 * (forecast, optimal): the intervals' level and method, and how far
 * beyond the data an answer may go before slaw warns. */
#include "interval_options.h"

#include <string.h>

const cli_option interval_options[] = {
    {"level", 0, "P", OPT_LEVEL, "level of the intervals (default 0.95)"},
    {"intervals", 0, "HOW", OPT_INTERVALS,
     "auto (the fit's own: t unless fitted with "
     "--intervals), t, delta or bootstrap"},
    {"max-extrapolation", 0, "DEC", OPT_MAX_EXTRAPOLATION,
     "warn beyond DEC decades outside the "
     "data (default 1.5)"},
    {0},
};

void interval_request_init(interval_request *req)
{
    req->level = SLAW_DEFAULT_LEVEL;
    req->method = SLAW_INTERVAL_AUTO;
    req->max_extrapolation = 1.5;
}

int interval_option(const cli_command *cmd, interval_request *req, option_id id, const char *arg)
{
    double v;
    switch (id) {
    case OPT_LEVEL: return parse_level(cmd, arg, &req->level) ? 0 : EXIT_USAGE;
    case OPT_INTERVALS:
        if (!slaw_interval_method_parse(arg, &req->method))
            return cli_usage_error(cmd, "--intervals '%s': expected auto, t, delta or bootstrap",
                                   arg);
        return 0;
    case OPT_MAX_EXTRAPOLATION:
        if (slaw_number_parse(arg, strlen(arg), &v, NULL) != SLAW_OK || !(v >= 0))
            return cli_usage_error(cmd,
                                   "--max-extrapolation '%s': expected a number of decades, "
                                   "0 or more",
                                   arg);
        req->max_extrapolation = v;
        return 0;
    default: return 1;
    }
}

void interval_request_apply(const interval_request *req, const slaw_artifact *a,
                            slaw_forecast_options *opt)
{
    slaw_forecast_options_init(opt, a);
    opt->level = req->level;
    opt->method = req->method;
}
