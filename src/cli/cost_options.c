/* cost_options.c — the options that price a training run, shared by
 * `slaw cost` and `slaw forecast --cost`, and how costs are shown. */
#include "cost_options.h"
#include "output.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

const cli_option cost_options[] = {
    {"flops-per-token", 0, "X", OPT_FLOPS_PER_TOKEN, "training FLOPs per token (default 6*N)"},
    {"gpu", 0, "NAME", OPT_GPU, "accelerator for time and GPU-hours (see slaw cost --list-gpus)"},
    {"peak-flops", 0, "X", OPT_PEAK_FLOPS, "peak FLOP/s of one accelerator, instead of --gpu"},
    {"mfu", 0, "U", OPT_MFU, "model FLOPs utilisation, in (0, 1] (default 0.4)"},
    {"gpus", 0, "K", OPT_GPUS, "accelerators in parallel, for wall-clock time (default 1)"},
    {"price-per-gpu-hour", 0, "P", OPT_PRICE, "price of one GPU-hour, for the total"},
    {0},
};

void cost_request_init(cost_request *req)
{
    memset(req, 0, sizeof *req);
    slaw_cost_options_init(&req->opt);
}

static int unknown_gpu(const cli_command *cmd, const char *name)
{
    char names[300] = "";
    for (size_t i = 0; i < slaw_accelerator_count(); i++) {
        strncat(names, i ? ", " : "", sizeof names - strlen(names) - 1);
        strncat(names, slaw_accelerator_at(i)->name, sizeof names - strlen(names) - 1);
    }
    return cli_usage_error(cmd,
                           "--gpu '%s': unknown accelerator; slaw knows %s (or give "
                           "--peak-flops)",
                           name, names);
}

int cost_option(const cli_command *cmd, cost_request *req, option_id id, const char *arg)
{
    size_t count;
    double v;
    switch (id) {
    case OPT_FLOPS_PER_TOKEN:
        if (!parse_positive(cmd, "--flops-per-token", arg, &req->opt.flops_per_token))
            return EXIT_USAGE;
        break;
    case OPT_GPU: /* repeated, the last one counts; mixed with --peak-flops, refused */
        if (req->peak_given) return cli_usage_error(cmd, "give --gpu or --peak-flops, not both");
        if (!(req->gpu = slaw_accelerator_find(arg))) return unknown_gpu(cmd, arg);
        req->opt.peak_flops = req->gpu->peak_flops;
        break;
    case OPT_PEAK_FLOPS:
        if (req->gpu) return cli_usage_error(cmd, "give --gpu or --peak-flops, not both");
        if (!parse_positive(cmd, "--peak-flops", arg, &req->opt.peak_flops)) return EXIT_USAGE;
        req->peak_given = true;
        break;
    case OPT_MFU:
        if (!parse_positive(cmd, "--mfu", arg, &v)) return EXIT_USAGE;
        if (v > 1) return cli_usage_error(cmd, "--mfu '%s': a utilisation is at most 1", arg);
        req->opt.mfu = v;
        break;
    case OPT_GPUS:
        if (!parse_count(cmd, "--gpus", arg, &count)) return EXIT_USAGE;
        if (!count) return cli_usage_error(cmd, "--gpus must be at least 1");
        req->opt.gpus = (double)count;
        break;
    case OPT_PRICE:
        if (!parse_positive(cmd, "--price-per-gpu-hour", arg, &req->opt.price_per_gpu_hour))
            return EXIT_USAGE;
        break;
    default: return 1;
    }
    req->given = true;
    return 0;
}

bool cost_of_run(const cost_request *req, double N, double D, slaw_cost *out)
{
    slaw_error err;
    if (!(N > 0) || !(D > 0) || !isfinite(N) || !isfinite(D)) return false;
    double flops = slaw_cost_flops(N, D, req->opt.flops_per_token);
    return slaw_cost_estimate(flops, &req->opt, out, &err) == SLAW_OK;
}

const char *format_duration(double seconds, char *buf, size_t size)
{
    if (!isfinite(seconds)) snprintf(buf, size, "-");
    else if (seconds >= 365.25 * 86400)
        snprintf(buf, size, "%.3g years", seconds / (365.25 * 86400));
    else if (seconds >= 86400) snprintf(buf, size, "%.3g days", seconds / 86400);
    else if (seconds >= 3600) snprintf(buf, size, "%.3g hours", seconds / 3600);
    else if (seconds >= 60) snprintf(buf, size, "%.3g minutes", seconds / 60);
    else snprintf(buf, size, "%.3g s", seconds);
    return buf;
}

void cost_json(cJSON *o, const slaw_cost *c)
{
    json_add_number(o, "flops", c->flops);
    json_add_number(o, "gpu_hours", c->gpu_hours);
    json_add_number(o, "seconds", c->seconds);
    json_add_number(o, "days", c->seconds / 86400);
    json_add_number(o, "price", c->price);
}
