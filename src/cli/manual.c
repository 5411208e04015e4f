/* manual.c — the man page and the bash completion, generated from the same
 * command and option tables as --help, so the three cannot disagree.
 * `slaw help --man` and `slaw help --bash-completion` print them; the
 * committed docs/slaw.1 and docs/completion/slaw.bash are their output
 * (a test checks). */
#include "manual.h"
#include "cli.h"

#include <string.h>

/* Text for roff: backslashes and hyphens escaped, a leading '.' or '\''
 * protected. */
static void roff_text(FILE *out, const char *s)
{
    bool line_start = true;
    for (; *s; s++) {
        if (line_start && (*s == '.' || *s == '\'')) fputs("\\&", out);
        if (*s == '\\') fputs("\\e", out);
        else if (*s == '-') fputs("\\-", out);
        else fputc(*s, out);
        line_start = *s == '\n';
    }
}

/* A block of help text: paragraphs kept, indented example lines as .nf. */
static void roff_block(FILE *out, const char *text)
{
    const char *line = text;
    bool literal = false;
    while (*line) {
        const char *end = strchr(line, '\n');
        size_t len = end ? (size_t)(end - line) : strlen(line);
        bool indented = len > 1 && line[0] == ' ' && line[1] == ' ';
        if (indented && !literal) fputs(".nf\n", out);
        if (!indented && literal) fputs(".fi\n", out);
        literal = indented;
        char buf[512];
        snprintf(buf, sizeof buf, "%.*s", (int)(len < sizeof buf ? len : sizeof buf - 1), line);
        if (!len) fputs(".PP\n", out);
        else {
            roff_text(out, indented ? buf + 2 : buf);
            fputc('\n', out);
        }
        line += len + (end ? 1 : 0);
    }
    if (literal) fputs(".fi\n", out);
}

static void roff_options(FILE *out, const cli_command *cmd)
{
    for (const cli_option *const *g = cmd->groups; g && *g; g++)
        for (const cli_option *o = *g; o->name; o++) {
            fputs(".TP\n", out);
            if (o->short_name) fprintf(out, "\\fB\\-%c\\fR, ", o->short_name);
            fputs("\\fB\\-\\-", out);
            roff_text(out, o->name);
            fputs("\\fR", out);
            if (o->arg) {
                fputs(" \\fI", out);
                roff_text(out, o->arg);
                fputs("\\fR", out);
            }
            fputc('\n', out);
            roff_text(out, o->help);
            fputc('\n', out);
        }
}

static const char man_intro[] =
    "slaw reads the logs of a model-size sweep (CSV, JSON or JSON Lines: model size N,\n"
    "training tokens D, compute C, loss L), fits scaling laws to them with GSL's\n"
    "nonlinear least squares, and forecasts from the fitted laws: loss at a target size,\n"
    "the compute-optimal model and data size for a budget, the size that reaches a target\n"
    "loss, training cost.  It also gates CI: a fresh fit of a sweep is checked against a\n"
    "baseline.\n"
    "\n"
    "Results go to standard output (tables, JSON, CSV); messages go to standard error as\n"
    "\"slaw: error: ...\" and \"slaw: warning: ...\".\n";

static const char man_input[] =
    "Columns are matched to roles by name, ignoring case and the separators _ - . / and\n"
    "space: N from N, params, n_params, num_params, parameters, model_size, Model Size;\n"
    "D from D, tokens, n_tokens, train_tokens, data; C from C, flops, compute, Training\n"
    "FLOP; L from L, loss, val_loss, eval_loss, final_loss.  --n, --d, --c and --y name\n"
    "columns (JSON: dotted paths such as results.1.loss).  When two of N, D, C are\n"
    "present the third is derived from C = 6*N*D.\n"
    "\n"
    "Numbers may carry a suffix: k or K (1e3), M (1e6), B or G (1e9), T (1e12), P (1e15),\n"
    "and _ between digits: 125M, 1.3B, 1.4T, 1_000_000.\n"
    "\n"
    "A fit artifact (fit.json, written by fit --out) is versioned JSON holding the\n"
    "settings, the parameters with their covariance, bootstrap samples, the data's\n"
    "ranges and fingerprint, and diagnostics.  It is written to a temporary file and\n"
    "renamed into place.\n";

static const char man_examples[] =
    "Inspect a file, then fit the Chinchilla law as Epoch AI did:\n"
    "  slaw inspect data/chinchilla/svg_extracted_data.csv\n"
    "  slaw fit data/chinchilla/svg_extracted_data.csv --law chinchilla \\\n"
    "      --drop-top-loss 5 --loss huber:1e-3 --grid epoch --out fit.json\n"
    "\n"
    "Bootstrap intervals and a holdout of the largest runs:\n"
    "  slaw fit runs.csv --law chinchilla --bootstrap 1000 --seed 1 --holdout largest:2\n"
    "\n"
    "Does training time grow as N^1.5?\n"
    "  slaw fit runs.csv --law power --y train_hours\n"
    "\n"
    "Draw the fit, and the compute-optimal frontier (gnuplot):\n"
    "  slaw plot fit.json runs.csv -o fit.png\n"
    "  slaw plot fit.json runs.csv --kind frontier -o frontier.svg\n";

/* The law catalogue, from the registry (as slaw laws prints it). */
static void man_laws(FILE *out)
{
    fputs(
        ".SH LAWS\n\\-\\-law NAME picks one of these (slaw laws NAME shows its parameters and "
        "default start grid; docs/laws.md describes each); \\-\\-formula TEXT writes one's own.\n",
        out);
    for (size_t i = 0; i < slaw_law_count(); i++) {
        const slaw_law *law = slaw_law_at(i);
        fputs(".TP\n\\fB", out);
        roff_text(out, slaw_law_name(law));
        fputs("\\fR\n", out);
        roff_text(out, slaw_law_formula(law));
        fputs("\n.br\n", out);
        roff_text(out, slaw_law_summary(law));
        fputs("; parameters:", out);
        for (size_t j = 0; j < slaw_law_param_count(law); j++) {
            fputc(' ', out);
            roff_text(out, slaw_law_param_name(law, j));
        }
        fputc('\n', out);
    }
}

void print_man_page(FILE *out)
{
    /* The date of the last change to the commands; update it with them. */
    fprintf(out, ".TH SLAW 1 2026-11-29 \"slaw %s\" \"User Commands\"\n", slaw_version());
    fputs(".SH NAME\nslaw \\- fit scaling laws to model\\-size sweeps and forecast from them\n",
          out);
    fputs(".SH SYNOPSIS\n", out);
    for (const cli_command *const *c = cli_commands; *c; c++) {
        if (c != cli_commands) fputs(".br\n", out);
        fprintf(out, ".B slaw %s\n", (*c)->name);
        roff_text(out, (*c)->synopsis);
        fputc('\n', out);
    }
    fputs(".SH DESCRIPTION\n", out);
    roff_block(out, man_intro);
    fputs(".SH COMMANDS\n", out);
    for (const cli_command *const *c = cli_commands; *c; c++) {
        fprintf(out, ".SS %s\n", (*c)->name);
        roff_text(out, (*c)->summary);
        fputc('\n', out);
        if ((*c)->details) {
            fputs(".PP\n", out);
            roff_block(out, (*c)->details);
        }
        roff_options(out, *c);
    }
    man_laws(out);
    fputs(".SH INPUT AND FILES\n", out);
    roff_block(out, man_input);
    fputs(".SH EXIT STATUS\n.TP\n0\nok\n.TP\n1\nslaw check found a regression\n.TP\n2\n"
          "usage or input error\n.TP\n3\nthe fit failed\n.TP\n4\nI/O or internal error\n",
          out);
    fputs(".SH EXAMPLES\n", out);
    roff_block(out, man_examples);
    fputs(".SH SEE ALSO\nThe guides in the docs directory of the source tree (installed under "
          "share/doc/slaw): input.md, laws.md, fitting.md, fit\\-file.md, uncertainty.md, "
          "forecasting.md, ci.md, plots.md.  gnuplot(1) draws the plots.\n",
          out);
}

/* Values offered after options that take a word from a fixed list. */
static const char *option_values(const cli_option *o)
{
    if (!strcmp(o->name, "law")) return "@laws";
    if (!strcmp(o->name, "space")) return "log linear";
    if (!strcmp(o->name, "loss")) return "l2 huber asym";
    if (!strcmp(o->name, "format-in")) return "csv json jsonl";
    if (!strcmp(o->name, "polish")) return "all";
    if (!strcmp(o->name, "criterion")) return "aic bic holdout rollout";
    if (!strcmp(o->name, "format")) return "table json csv jsonl markdown junit";
    if (!strcmp(o->name, "kind")) return "@kinds";
    if (!strcmp(o->name, "solver")) return "lm lmaccel dogleg ddogleg subspace2D";
    return NULL;
}

void print_bash_completion(FILE *out)
{
    fputs("# bash completion for slaw, generated by `slaw help --bash-completion`.\n"
          "_slaw() {\n"
          "    local cur=${COMP_WORDS[COMP_CWORD]} prev=${COMP_WORDS[COMP_CWORD-1]}\n"
          "    local cmd=${COMP_WORDS[1]} opts='' laws='",
          out);
    for (size_t i = 0; i < slaw_law_count(); i++)
        fprintf(out, "%s%s", i ? " " : "", slaw_law_name(slaw_law_at(i)));
    fputs("'\n    if [ \"$COMP_CWORD\" -eq 1 ]; then\n        COMPREPLY=($(compgen -W '", out);
    for (const cli_command *const *c = cli_commands; *c; c++) fprintf(out, "%s ", (*c)->name);
    fputs("help --help --version' -- \"$cur\"))\n        return\n    fi\n"
          "    case \"$prev\" in\n",
          out);
    /* Options with fixed values, whatever the command. */
    const char *done[64];
    size_t n_done = 0;
    for (const cli_command *const *c = cli_commands; *c; c++)
        for (const cli_option *const *g = (*c)->groups; g && *g; g++)
            for (const cli_option *o = *g; o->name; o++) {
                const char *v = option_values(o);
                bool seen = false;
                for (size_t k = 0; k < n_done; k++) seen |= !strcmp(done[k], o->name);
                if (!v || seen || n_done == 64) continue;
                done[n_done++] = o->name;
                if (!strcmp(v, "@kinds")) { /* every kind the library draws */
                    fprintf(out, "        --%s) COMPREPLY=($(compgen -W '", o->name);
                    for (int k = SLAW_PLOT_FIT; k <= SLAW_PLOT_PLAN; k++)
                        fprintf(out, "%s%s", k ? " " : "", slaw_plot_kind_name((slaw_plot_kind)k));
                    fputs("' -- \"$cur\")); return ;;\n", out);
                } else if (!strcmp(v, "@laws"))
                    fprintf(out,
                            "        --%s) COMPREPLY=($(compgen -W \"$laws\" -- \"$cur\")); "
                            "return ;;\n",
                            o->name);
                else
                    fprintf(out,
                            "        --%s) COMPREPLY=($(compgen -W '%s' -- \"$cur\")); "
                            "return ;;\n",
                            o->name, v);
            }
    fputs("    esac\n    case \"$cmd\" in\n", out);
    for (const cli_command *const *c = cli_commands; *c; c++) {
        fprintf(out, "        %s) opts='", (*c)->name);
        bool first = true;
        for (const cli_option *const *g = (*c)->groups; g && *g; g++)
            for (const cli_option *o = *g; o->name; o++) {
                fprintf(out, "%s--%s", first ? "" : " ", o->name);
                first = false;
            }
        fputs("' ;;\n", out);
    }
    fputs("    esac\n"
          "    if [[ $cur == -* ]]; then\n"
          "        COMPREPLY=($(compgen -W \"$opts\" -- \"$cur\"))\n"
          "    elif [ \"$cmd\" = laws ]; then\n"
          "        COMPREPLY=($(compgen -W \"$laws\" -- \"$cur\"))\n"
          "    else\n"
          "        COMPREPLY=($(compgen -f -- \"$cur\"))\n"
          "    fi\n"
          "}\n"
          "complete -o filenames -F _slaw slaw\n",
          out);
}
