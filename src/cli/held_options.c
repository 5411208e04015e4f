/* held_options.c — --unique-tokens and --hold: the values of a law's
 * variables that a compute budget does not set, for optima and targets. */
#include "held_options.h"

#include <math.h>
#include <string.h>

void held_request_init(held_request *req)
{
    slaw_point_init(&req->point);
    req->given = false;
}

int held_option(const cli_command *cmd, held_request *req, option_id id, const char *arg)
{
    slaw_point p;
    slaw_error err;
    char spec[96];
    if (id != OPT_UNIQUE_TOKENS && id != OPT_HOLD) return 1;
    if (id == OPT_UNIQUE_TOKENS) {
        if (!isnan(req->point.U))
            return cli_usage_error(cmd, "the unique tokens U are given twice");
        snprintf(spec, sizeof spec, "U=%s", arg);
        if (slaw_point_parse(spec, &p, &err) != SLAW_OK)
            return cli_usage_error(cmd, "--unique-tokens '%s': %s", arg,
                                   strstr(err.message, "the value of U is")
                                       ? strstr(err.message, "the value of U is")
                                       : err.message);
    } else if (slaw_point_parse(arg, &p, &err) != SLAW_OK) {
        return cli_usage_error(cmd, "--hold '%s': %s", arg, err.message);
    }
    if (!isnan(p.U) && !isnan(req->point.U))
        return cli_usage_error(cmd, "the unique tokens U are given twice");
    if (!isnan(p.N) || !isnan(p.D) || !isnan(p.C) || !isnan(p.M))
        return cli_usage_error(cmd, "--hold '%s': N, D, C and M are set by the budget, not held",
                               arg);
    slaw_point_fill(&req->point, &p);
    if (!isnan(p.x)) req->point.x = p.x;
    req->given = true;
    return 0;
}

int held_check(const cli_command *cmd, const held_request *req, const slaw_law *law)
{
    const char *missing = slaw_budget_missing(law, req->given ? &req->point : NULL);
    if (!missing) return 0;
    if (!strcmp(missing, "U") || !strcmp(missing, "R"))
        return cli_usage_error(cmd,
                               "law %s reads %s, which a compute budget does not set: give the "
                               "unique tokens with --unique-tokens U",
                               slaw_law_name(law), missing);
    return cli_usage_error(cmd,
                           "law %s reads %s, which a compute budget does not set: hold it with "
                           "--hold %s=VALUE",
                           slaw_law_name(law), missing, missing);
}

int budget_usage_error(const cli_command *cmd, const char *option, const slaw_law *law)
{
    char vars[96];
    size_t o = 0;
    snprintf(vars, sizeof vars, "one variable, %s", slaw_law_reads_loss(law) ? "the loss L" : "x");
    for (size_t v = 0;
         slaw_law_var_count(law) > 1 && v < slaw_law_var_count(law) && o < sizeof vars; v++) {
        slaw_role role = slaw_law_var_role(law, v);
        o += (size_t)snprintf(vars + o, sizeof vars - o, "%s%s", v ? ", " : "",
                              role < SLAW_ROLE_COUNT ? slaw_role_symbol(role) : "a column");
    }
    return cli_usage_error(cmd,
                           "%s needs a law with a compute budget to share between N and D (N "
                           "and D, or C and M); %s reads %s",
                           option, slaw_law_name(law), vars);
}
