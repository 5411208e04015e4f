/* cost.c — what a training run costs: FLOPs (6·N·D by default), wall-clock
 * time and GPU-hours at a model FLOPs utilisation, and a price; the
 * accelerators slaw knows by name are one static table. */
#include "error.h"

#include <math.h>
#include <string.h>
#include <strings.h>

#define DEFAULT_MFU 0.4

/* Peak dense BF16 throughput, from the vendors' datasheets and docs
 * (docs/forecasting.md cites them; datasheets often print the 2:4-sparse
 * figure, twice the dense one). */
static const slaw_accelerator accelerators[] = {
    {"a100", "NVIDIA A100 (SXM4 or PCIe)", 312e12,
     "NVIDIA A100 datasheet: BF16 Tensor Core 312 TFLOPS (624 with sparsity)"},
    {"h100-sxm", "NVIDIA H100 SXM5", 989e12,
     "NVIDIA H100 datasheet: BF16 Tensor Core 1,979 TFLOPS with sparsity, half without"},
    {"h100-pcie", "NVIDIA H100 PCIe", 756e12,
     "NVIDIA H100 datasheet: BF16 Tensor Core 1,513 TFLOPS with sparsity, half without"},
    {"h200", "NVIDIA H200 SXM", 989e12,
     "NVIDIA H200 datasheet: BF16 Tensor Core 1,979 TFLOPS with sparsity, half without"},
    {"mi250x", "AMD Instinct MI250X", 383e12,
     "AMD Instinct MI250X data sheet: peak FP16/BF16 383.0 TFLOPS"},
    {"mi300x", "AMD Instinct MI300X", 1307.4e12,
     "AMD Instinct MI300X data sheet: peak BF16 1307.4 TFLOPS (2614.9 with sparsity)"},
    {"tpu-v4", "Google Cloud TPU v4 (per chip)", 275e12,
     "Google Cloud TPU v4 documentation: peak compute per chip (bf16) 275 TFLOPs"},
    {"tpu-v5e", "Google Cloud TPU v5e (per chip)", 197e12,
     "Google Cloud TPU v5e documentation: peak compute per chip (bf16) 197 TFLOPs"},
    {"tpu-v5p", "Google Cloud TPU v5p (per chip)", 459e12,
     "Google Cloud TPU v5p documentation: peak compute per chip (bf16) 459 TFLOPs"},
};

size_t slaw_accelerator_count(void)
{
    return sizeof accelerators / sizeof accelerators[0];
}

const slaw_accelerator *slaw_accelerator_at(size_t i)
{
    return i < slaw_accelerator_count() ? &accelerators[i] : NULL;
}

const slaw_accelerator *slaw_accelerator_find(const char *name)
{
    for (size_t i = 0; i < slaw_accelerator_count(); i++)
        if (!strcasecmp(accelerators[i].name, name)) return &accelerators[i];
    return NULL;
}

void slaw_cost_options_init(slaw_cost_options *opt)
{
    memset(opt, 0, sizeof *opt);
    opt->mfu = DEFAULT_MFU;
    opt->gpus = 1;
}

double slaw_cost_flops(double N, double D, double flops_per_token)
{
    return slaw_compute_flops(N, D, flops_per_token);
}

static bool positive(double v)
{
    return v > 0 && isfinite(v);
}

slaw_status slaw_cost_run_resolve(double N, double D, double C, double flops_per_token,
                                  slaw_cost_run *out, slaw_error *err)
{
    bool n = !isnan(N), d = !isnan(D), c = !isnan(C);
    if ((n && !positive(N)) || (d && !positive(D)) || (c && !positive(C)))
        return error_set(err, SLAW_EUSAGE, NULL, 0, "N, D and C must be positive numbers");
    if (c && n && d)
        return error_set(err, SLAW_EUSAGE, NULL, 0, "N, D and C are all given: give N and D, or C");
    if (c && flops_per_token > 0)
        return error_set(err, SLAW_EUSAGE, NULL, 0,
                         "flops_per_token counts the FLOPs from D; "
                         "with C given the FLOPs are known");
    if (!c && (!n || !d)) return error_set(err, SLAW_EUSAGE, NULL, 0, "give N and D, or C");
    *out = (slaw_cost_run){N, D, C, "given"};
    if (!c) {
        out->flops = slaw_cost_flops(N, D, flops_per_token);
        out->flops_rule = flops_per_token > 0 ? "flops-per-token*D" : "6*N*D";
    } else if (n) {
        out->D = C / slaw_cost_flops(N, 1.0, 0); /* C = 6·N·D solved for D */
    } else if (d) {
        out->N = C / slaw_cost_flops(D, 1.0, 0);
    }
    return SLAW_OK;
}

slaw_status slaw_cost_estimate(double flops, const slaw_cost_options *opt, slaw_cost *out,
                               slaw_error *err)
{
    double mfu = opt->mfu != 0 ? opt->mfu : DEFAULT_MFU;
    double gpus = opt->gpus != 0 ? opt->gpus : 1;
    if (!positive(flops))
        return error_set(err, SLAW_EUSAGE, NULL, 0, "training FLOPs %g: must be positive", flops);
    if (opt->flops_per_token < 0 || !isfinite(opt->flops_per_token))
        return error_set(err, SLAW_EUSAGE, NULL, 0, "FLOPs per token %g: must be positive",
                         opt->flops_per_token);
    if (opt->peak_flops < 0 || !isfinite(opt->peak_flops))
        return error_set(err, SLAW_EUSAGE, NULL, 0, "peak FLOP/s %g: must be positive",
                         opt->peak_flops);
    if (!(mfu > 0 && mfu <= 1))
        return error_set(err, SLAW_EUSAGE, NULL, 0, "MFU %g: must be in (0, 1], e.g. 0.4", mfu);
    if (!positive(gpus) || gpus != floor(gpus))
        return error_set(err, SLAW_EUSAGE, NULL, 0,
                         "accelerators %g: must be a whole number of "
                         "at least 1",
                         gpus);
    if (opt->price_per_gpu_hour < 0 || !isfinite(opt->price_per_gpu_hour))
        return error_set(err, SLAW_EUSAGE, NULL, 0, "price per GPU-hour %g: must not be negative",
                         opt->price_per_gpu_hour);
    out->flops = flops;
    out->gpu_hours = out->seconds = out->price = NAN;
    if (opt->peak_flops > 0) {
        double gpu_seconds = flops / (opt->peak_flops * mfu);
        out->gpu_hours = gpu_seconds / 3600.0;
        out->seconds = gpu_seconds / gpus;
        if (opt->price_per_gpu_hour > 0) out->price = out->gpu_hours * opt->price_per_gpu_hour;
    }
    return SLAW_OK;
}
