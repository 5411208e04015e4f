/* plot_options.c — the plot options: kinds and formats by name, defaults. */
#include "slaw.h"

#include <string.h>
#include <strings.h>

static const char *const kind_names[] = {"fit",   "residuals", "frontier",         "isoflop",
                                         "check", "compute",   "tokens-per-param", "plan"};

const char *slaw_plot_kind_name(slaw_plot_kind kind)
{
    return (size_t)kind < sizeof kind_names / sizeof kind_names[0] ? kind_names[kind] : "?";
}

bool slaw_plot_kind_parse(const char *name, slaw_plot_kind *out)
{
    for (size_t i = 0; i < sizeof kind_names / sizeof kind_names[0]; i++)
        if (!strcmp(name, kind_names[i])) {
            *out = (slaw_plot_kind)i;
            return true;
        }
    return false;
}

bool slaw_plot_format_of(const char *path, slaw_plot_format *out)
{
    static const char *const ext[] = {".png", ".svg", ".pdf"};
    size_t len = strlen(path);
    for (size_t i = 0; i < 3; i++)
        if (len > 4 && !strcasecmp(path + len - 4, ext[i])) {
            *out = (slaw_plot_format)i;
            return true;
        }
    return false;
}

void slaw_plot_options_init(slaw_plot_options *opt)
{
    memset(opt, 0, sizeof *opt);
    slaw_isoflop_options_init(&opt->isoflop);
}
