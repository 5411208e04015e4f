/* test_limits.c — every input limit reached, refused with SLAW_ELIMIT and a
 * message naming the file and line.  This test compiles the library with
 * small limits (tests/CMakeLists.txt): field 64 bytes, line 256 bytes,
 * 8 columns, 100 runs, 400 cells, nesting 4, JSON file 4096 bytes,
 * artifact 8192 bytes. */
#include "helpers.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "error.h"
#include "input_limits.h"

/* A growing string for building inputs; abort on failure. */
typedef struct text {
    char *s;
    size_t len;
} text;

static void add(text *t, const char *fmt, ...) SLAW_PRINTF(2, 3);

static void add(text *t, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(NULL, 0, fmt, ap);
    va_end(ap);
    assert_true(n >= 0);
    t->s = realloc(t->s, t->len + (size_t)n + 1);
    assert_non_null(t->s);
    va_start(ap, fmt);
    vsnprintf(t->s + t->len, (size_t)n + 1, fmt, ap);
    va_end(ap);
    t->len += (size_t)n;
}

static void add_repeat(text *t, const char *piece, size_t n)
{
    for (size_t i = 0; i < n; i++) add(t, "%s", piece);
}

static void fails(const char *name, text *t, const char *want)
{
    assert_load_fails(name, t->s, NULL, SLAW_ELIMIT, want);
    free(t->s);
    t->s = NULL;
    t->len = 0;
}

static void loads(const char *name, text *t)
{
    slaw_runs *runs = NULL;
    slaw_error err;
    char msg[2048];
    if (load_text(name, t->s, NULL, &runs, &err) != SLAW_OK)
        fail_msg("load failed: %s", slaw_error_text(&err, msg, sizeof msg));
    slaw_runs_free(runs);
    free(t->s);
    t->s = NULL;
    t->len = 0;
}

static void limits_should_refuse_a_long_field(void **state)
{
    (void)state;
    text t = {0};
    add(&t, "N,loss,name\n1,2,a\n3,4,");
    add_repeat(&t, "x", 64);
    add(&t, "\n");
    loads("t.csv", &t);
    add(&t, "N,loss,name\n1,2,a\n3,4,");
    add_repeat(&t, "x", 65);
    add(&t, "\n");
    fails("t.csv", &t, "t.csv:3: a field longer than the 64-byte limit");
    add(&t, "[{\"N\": 1, \"loss\": 2, \"name\": \"");
    add_repeat(&t, "x", 65);
    add(&t, "\"}]");
    fails("t.json", &t, "t.json:1:2: record 1: key 'name': a string longer than the 64-byte limit");
}

static void limits_should_refuse_a_long_line(void **state)
{
    (void)state;
    text t = {0};
    /* 256 bytes before the newline: at the limit. */
    add(&t, "N,loss\n#");
    add_repeat(&t, "-", 255);
    add(&t, "\n1,2\n2,3\n");
    loads("t.csv", &t);
    add(&t, "N,loss\n#");
    add_repeat(&t, "-", 256);
    add(&t, "\n1,2\n");
    fails("t.csv", &t, "t.csv:2: a line longer than the 256-byte limit");
    /* Short fields, many of them: the line, not a field, is too long. */
    add(&t, "N,loss\n1,2\n3");
    add_repeat(&t, ",4", 200);
    fails("t.csv", &t, "t.csv:3: a line longer than the 256-byte limit");
    add(&t, "{\"N\": 1, \"loss\": 2}\n{\"N\": 2, \"loss\": 3, \"pad\": [");
    add_repeat(&t, "0, ", 90);
    add(&t, "0]}\n");
    fails("t.jsonl", &t, "t.jsonl:2:1: a line longer than the 256-byte limit");
    add(&t, "[\n{\"N\": 1, \"loss\": 2},\n{\"N\": 2, \"loss\": 3, \"pad\": [");
    add_repeat(&t, "0, ", 90);
    add(&t, "0]}\n]\n");
    fails("t.json", &t,
          "t.json:3:1: a record (or other JSON value) longer than the 256-byte limit");
}

static void limits_should_refuse_too_many_columns(void **state)
{
    (void)state;
    text t = {0};
    add(&t, "N,loss,u,v,w,x,y,z\n1,2,0,0,0,0,0,0\n");
    loads("t.csv", &t);
    add(&t, "N,loss,t,u,v,w,x,y,z\n1,2,0,0,0,0,0,0,0\n");
    fails("t.csv", &t, "t.csv:1: more than 8 columns");
    add(&t, "{\"N\": 1, \"loss\": 2, \"p\": {\"q\": 1, \"r\": 2}}\n");
    add(&t, "{\"N\": 1, \"loss\": 2, \"s\": [1, 2, 3, 4, 5]}\n");
    fails("t.jsonl", &t, "t.jsonl:2:1: record 2: more than 8 columns");
}

static void limits_should_refuse_too_many_runs(void **state)
{
    (void)state;
    text t = {0};
    add(&t, "N,loss\n");
    for (int i = 1; i <= 100; i++) add(&t, "%d,2\n", i);
    loads("t.csv", &t);
    add(&t, "N,loss\n");
    for (int i = 1; i <= 101; i++) add(&t, "%d,2\n", i);
    fails("t.csv", &t, "t.csv:102: more than 100 runs");
    for (int i = 1; i <= 101; i++) add(&t, "{\"N\": %d, \"loss\": 2}\n", i);
    fails("t.jsonl", &t, "t.jsonl:101: more than 100 runs");
}

/* Runs times columns: a table whose memory would far exceed its file's. */
static void limits_should_refuse_too_many_cells(void **state)
{
    (void)state;
    text t = {0};
    add(&t, "N,loss,u,v,w,x,y,z\n");
    for (int i = 1; i <= 50; i++) add(&t, "%d,2,0,0,0,0,0,0\n", i);
    loads("t.csv", &t);
    add(&t, "N,loss,u,v,w,x,y,z\n");
    for (int i = 1; i <= 51; i++) add(&t, "%d,2,0,0,0,0,0,0\n", i);
    fails("t.csv", &t, "t.csv:52: more than 400 cells: 51 runs times 8 columns");
    /* JSON records that bring a new key late: the new column would span
     * every earlier run. */
    for (int i = 1; i <= 60; i++) add(&t, "{\"N\": %d, \"loss\": 2, \"a\": 1, \"b\": 1}\n", i);
    add(&t, "{\"N\": 61, \"loss\": 2, \"a\": 1, \"b\": 1, \"u\": 1, \"v\": 1, \"w\": 1}\n");
    fails("t.jsonl", &t, "t.jsonl:61:1: record 61: more than 400 cells: 61 runs times 7 columns");
}

static void limits_should_refuse_deep_nesting(void **state)
{
    (void)state;
    text t = {0};
    add(&t, "[{\"N\": 1, \"loss\": 2, \"x\": [[1]]}]");
    loads("t.json", &t);
    add(&t, "[{\"N\": 1, \"loss\": 2, \"x\": [[[1]]]}]");
    fails("t.json", &t, "t.json:1:29: arrays and objects nested deeper than the limit of 4 levels");
    /* JSON Lines: each line starts at depth 0. */
    add(&t, "{\"N\": 1, \"loss\": 2, \"x\": [[[1]]]}\n{\"N\": 2, \"loss\": 3, \"x\": [[[[1]]]]}\n");
    fails("t.jsonl", &t,
          "t.jsonl:2:29: arrays and objects nested deeper than the limit of 4 levels");
    /* Brackets inside strings do not count. */
    add(&t, "[{\"N\": 1, \"loss\": 2, \"x\": \"[[[[[[[[\"}]");
    loads("t.json", &t);
}

static const char *write_file(const char *dir, const char *name, text *t)
{
    const char *path = temp_file(dir, name, t->s);
    free(t->s);
    t->s = NULL;
    t->len = 0;
    return path;
}

static void assert_file_fails(const char *path, const char *want)
{
    slaw_runs *runs = NULL;
    slaw_error err;
    char msg[2048];
    assert_int_equal(slaw_runs_load(&path, 1, NULL, &runs, &err), SLAW_ELIMIT);
    slaw_error_text(&err, msg, sizeof msg);
    if (!strstr(msg, want)) fail_msg("error text '%s' lacks '%s'", msg, want);
}

/* JSON is read whole, so its size is limited: a regular file is refused
 * before it is read, standard input once it has grown past the limit. */
static void limits_should_refuse_a_large_json_file(void **state)
{
    (void)state;
    char *dir = temp_dir_create();
    text t = {0};
    add(&t, "[{\"N\": 1, \"loss\": 2}]");
    add_repeat(&t, " ", 4096 - t.len);
    const char *path = write_file(dir, "at-limit.json", &t);
    slaw_runs *runs = NULL;
    slaw_error err;
    assert_int_equal(slaw_runs_load(&path, 1, NULL, &runs, &err), SLAW_OK);
    slaw_runs_free(runs);

    add(&t, "[{\"N\": 1, \"loss\": 2}]");
    add_repeat(&t, " ", 4097 - t.len);
    path = write_file(dir, "large.json", &t);
    assert_file_fails(path, "large.json: a file larger than the 4096-byte limit for JSON input");

    /* Standard input from a pipe: no size to look at first. */
    add(&t, "{\"N\": 1, \"loss\": 2}\n");
    add_repeat(&t, "\n", 5000);
    int fds[2], saved = dup(0);
    assert_int_equal(pipe(fds), 0);
    assert_int_equal(write(fds[1], t.s, t.len), (ssize_t)t.len); /* fits the pipe's buffer */
    close(fds[1]);
    assert_int_equal(dup2(fds[0], 0), 0);
    close(fds[0]);
    clearerr(stdin);
    slaw_load_options opt;
    slaw_load_options_init(&opt);
    opt.format = SLAW_FORMAT_JSONL;
    const char *dash = "-";
    char msg[2048];
    assert_int_equal(slaw_runs_load(&dash, 1, &opt, &runs, &err), SLAW_ELIMIT);
    slaw_error_text(&err, msg, sizeof msg);
    assert_string_equal(msg, "<stdin>: a file larger than the 4096-byte limit for JSON input "
                             "(read whole)");
    dup2(saved, 0);
    close(saved);
    clearerr(stdin);
    free(t.s);

    /* CSV is read as a stream: no size limit. */
    t = (text){0};
    add(&t, "N,loss\n");
    for (int i = 1; i <= 100; i++) add(&t, "%d,2.000000000000000000000000000000000000000000\n", i);
    assert_true(t.len > 4096);
    path = write_file(dir, "large.csv", &t);
    assert_int_equal(slaw_runs_load(&path, 1, NULL, &runs, &err), SLAW_OK);
    slaw_runs_free(runs);
    temp_dir_remove(dir);
}

static void limits_should_refuse_a_large_or_deep_artifact(void **state)
{
    (void)state;
    char *dir = temp_dir_create();
    text t = {0};
    add(&t, "{\"fits\": []}");
    add_repeat(&t, " ", 8200);
    const char *path = write_file(dir, "fit.json", &t);
    slaw_artifact *a = NULL;
    slaw_error err;
    char msg[2048];
    assert_int_equal(slaw_artifact_read(path, &a, &err), SLAW_ELIMIT);
    slaw_error_text(&err, msg, sizeof msg);
    if (!strstr(msg, "fit.json: an artifact larger than the 8192-byte limit"))
        fail_msg("error text '%s'", msg);
    const char deep[] = "{\"slaw_version\": \"0.1.0\", \"format\": 1,\n \"fits\": [{\"params\": "
                        "{\"E\": {\"value\": [1]}}}]}";
    assert_int_equal(slaw_artifact_parse("deep.json", deep, strlen(deep), &a, &err), SLAW_ELIMIT);
    slaw_error_text(&err, msg, sizeof msg);
    assert_string_equal(msg, "deep.json:2:28: not a valid slaw fit artifact: arrays and objects "
                             "nested deeper than the limit of 4 levels");
    temp_dir_remove(dir);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(limits_should_refuse_a_long_field),
        cmocka_unit_test(limits_should_refuse_a_long_line),
        cmocka_unit_test(limits_should_refuse_too_many_columns),
        cmocka_unit_test(limits_should_refuse_too_many_runs),
        cmocka_unit_test(limits_should_refuse_too_many_cells),
        cmocka_unit_test(limits_should_refuse_deep_nesting),
        cmocka_unit_test(limits_should_refuse_a_large_json_file),
        cmocka_unit_test(limits_should_refuse_a_large_or_deep_artifact),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
