/* helpers.c — see helpers.h. */
#define _GNU_SOURCE /* sched_getaffinity */
#include "helpers.h"

#include <dirent.h>
#include <fcntl.h>
#include <sched.h>
#include <signal.h>
#include <sys/wait.h>
#include <time.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

slaw_status load_text(const char *name, const char *text, const slaw_load_options *opt,
                      slaw_runs **out, slaw_error *err)
{
    return slaw_runs_load_buffer(name, text, strlen(text), opt, out, err);
}

slaw_runs *load_ok(const char *name, const char *text, const slaw_load_options *opt)
{
    slaw_runs *runs = NULL;
    slaw_error err;
    char msg[2048];
    if (load_text(name, text, opt, &runs, &err) != SLAW_OK)
        fail_msg("load failed: %s", slaw_error_text(&err, msg, sizeof msg));
    return runs;
}

void assert_load_fails(const char *name, const char *text, const slaw_load_options *opt,
                       slaw_status code, const char *want)
{
    slaw_runs *runs = NULL;
    slaw_error err;
    char msg[2048];
    slaw_status st = load_text(name, text, opt, &runs, &err);
    if (st == SLAW_OK) { /* values are checked after loading, as the tools do */
        st = slaw_runs_validate(runs, &err);
        slaw_runs_free(runs);
        runs = NULL;
    }
    assert_int_equal(st, code);
    slaw_error_text(&err, msg, sizeof msg);
    if (!strstr(msg, want)) fail_msg("error text '%s' lacks '%s'", msg, want);
}

double role_value(const slaw_runs *runs, slaw_role role, size_t i)
{
    size_t col;
    assert_true(slaw_runs_role_column(runs, role, &col));
    return slaw_runs_value(runs, col, i);
}

const char *source_path(const char *relative)
{
    static char buf[4096];
    snprintf(buf, sizeof buf, "%s/%s", SLAW_SOURCE_DIR, relative);
    return buf;
}

int close_enough(double a, double b, double tol)
{
    double scale = fmax(fmax(fabs(a), fabs(b)), 1e-300);
    if (fabs(a - b) <= tol * scale) return 1;
    print_error("%.17g and %.17g differ by more than %g relative\n", a, b, tol);
    return 0;
}

char *temp_dir_create(void)
{
    const char *base = getenv("TMPDIR");
    char *dir = malloc(4096);
    assert_non_null(dir);
    snprintf(dir, 4096, "%s/slaw-test-XXXXXX", base && base[0] ? base : "/tmp");
    assert_non_null(mkdtemp(dir));
    return dir;
}

const char *temp_file(const char *dir, const char *name, const char *text)
{
    static char path[4096];
    snprintf(path, sizeof path, "%s/%s", dir, name);
    FILE *fp = fopen(path, "wb");
    assert_non_null(fp);
    assert_int_equal(fwrite(text, 1, strlen(text), fp), strlen(text));
    assert_int_equal(fclose(fp), 0);
    return path;
}

/* The tests write only plain files into their directory. */
void temp_dir_remove(char *dir)
{
    if (!dir) return;
    DIR *d = opendir(dir);
    if (d) {
        char path[4096 + 256];
        for (struct dirent *e; (e = readdir(d));) {
            if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, "..")) continue;
            snprintf(path, sizeof path, "%s/%s", dir, e->d_name);
            unlink(path);
        }
        closedir(d);
    }
    rmdir(dir);
    free(dir);
}

slaw_artifact *fit_simulated(const slaw_fit_options *opt, const double *truth, double noise,
                             unsigned long seed, size_t points)
{
    const slaw_law *law = slaw_law_find(opt->law);
    size_t nv = slaw_law_var_count(law), n = nv == 2 ? points * points : points;
    double *x = malloc(n * nv * sizeof *x), *y = malloc(n * sizeof *y);
    char *csv = malloc(n * 80 + 64);
    slaw_error err;
    assert_non_null(x);
    assert_non_null(y);
    assert_non_null(csv);
    for (size_t i = 0; i < n; i++) {
        size_t a = nv == 2 ? i / points : i, b = i % points;
        x[i * nv] = 1e7 * pow(1e3, (double)a / (double)(points - 1));
        if (nv == 2) x[i * nv + 1] = 1e9 * pow(100.0, (double)b / (double)(points - 1));
    }
    assert_int_equal(slaw_simulate(law, truth, x, n, noise, seed, y, &err), SLAW_OK);
    size_t o = (size_t)sprintf(csv, nv == 2 ? "N,D,loss\n" : "N,loss\n");
    for (size_t i = 0; i < n; i++) {
        if (nv == 2)
            o += (size_t)sprintf(csv + o, "%.17g,%.17g,%.17g\n", x[2 * i], x[2 * i + 1], y[i]);
        else o += (size_t)sprintf(csv + o, "%.17g,%.17g\n", x[i], y[i]);
    }
    slaw_runs *runs = NULL;
    slaw_artifact *a = NULL;
    assert_int_equal(load_text("sim.csv", csv, NULL, &runs, &err), SLAW_OK);
    if (slaw_fit_runs(runs, opt, &a, &err) != SLAW_OK) fail_msg("fit failed: %s", err.message);
    slaw_runs_free(runs);
    free(x);
    free(y);
    free(csv);
    return a;
}

slaw_artifact *fit_grouped(const slaw_fit_options *opt)
{
    const char *path = source_path("tests/cli/data/grouped.csv");
    slaw_load_options lo;
    slaw_load_options_init(&lo);
    lo.role_column[SLAW_ROLE_GROUP] = "dataset";
    slaw_runs *runs = NULL;
    slaw_artifact *a = NULL;
    slaw_error err;
    if (slaw_runs_load(&path, 1, &lo, &runs, &err) != SLAW_OK) fail_msg("load: %s", err.message);
    if (slaw_fit_runs(runs, opt, &a, &err) != SLAW_OK) fail_msg("fit failed: %s", err.message);
    slaw_runs_free(runs);
    return a;
}

int usable_processors(void)
{
    cpu_set_t set;
    return sched_getaffinity(0, sizeof set, &set) == 0 ? CPU_COUNT(&set) : 1;
}

/* The kernel's count of tasks running now, or -1 without /proc/loadavg. */
static long running_tasks(void)
{
    char text[128];
    int fd = open("/proc/loadavg", O_RDONLY);
    if (fd < 0) return -1;
    ssize_t n = read(fd, text, sizeof text - 1);
    close(fd);
    if (n <= 0) return -1;
    text[n] = '\0';
    long running;
    return sscanf(text, "%*s %*s %*s %ld/", &running) == 1 ? running : -1;
}

int busy_start(busy *b, int n)
{
    b->n = 0;
    if (n > BUSY_MAX) fail_msg("busy_start: %d processes asked, at most %d", n, BUSY_MAX);
    if (running_tasks() < 0) return 0;
    for (; b->n < n; b->n++) {
        pid_t pid = fork();
        if (pid < 0) fail_msg("busy_start: fork failed");
        if (pid == 0) {
            alarm(60); /* never outlives a test run that lost track of it */
            for (volatile unsigned long spin = 0;; spin++) continue;
        }
        b->pid[b->n] = (int)pid;
    }
    for (int tries = 0; tries < 5000; tries++) { /* up to 5 s */
        if (running_tasks() > n) return 1;       /* the children and this process */
        nanosleep(&(struct timespec){0, 1000000}, NULL);
    }
    busy_stop(b);
    fail_msg("busy_start: the kernel never counted %d spinning processes running", n);
    return 0;
}

void busy_stop(busy *b)
{
    for (int i = 0; i < b->n; i++) kill((pid_t)b->pid[i], SIGKILL);
    for (int i = 0; i < b->n; i++) waitpid((pid_t)b->pid[i], NULL, 0);
    b->n = 0;
}
