/* test_output_file.c — slaw_write_file_atomic: a file is replaced whole or
 * left untouched, keeps its permissions, and leaves no temporary file. */
#include "helpers.h"

#include <dirent.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <unistd.h>

static char *read_all(const char *path)
{
    FILE *fp = fopen(path, "rb");
    assert_non_null(fp);
    char *buf = malloc(1 << 20);
    assert_non_null(buf);
    size_t n = fread(buf, 1, (1 << 20) - 1, fp);
    buf[n] = '\0';
    fclose(fp);
    return buf;
}

/* How many files dir holds. */
static size_t count_files(const char *dir)
{
    DIR *d = opendir(dir);
    assert_non_null(d);
    size_t n = 0;
    for (struct dirent *e; (e = readdir(d));)
        n += strcmp(e->d_name, ".") != 0 && strcmp(e->d_name, "..") != 0;
    closedir(d);
    return n;
}

static void write_should_create_and_replace_a_file(void **state)
{
    (void)state;
    char *dir = temp_dir_create();
    char path[4200];
    snprintf(path, sizeof path, "%s/fit.json", dir);
    slaw_error err;
    assert_int_equal(slaw_write_file_atomic(path, "first\n", 6, &err), SLAW_OK);
    char *text = read_all(path);
    assert_string_equal(text, "first\n");
    free(text);
    mode_t mask = umask(022);
    umask(mask);
    struct stat st;
    assert_int_equal(stat(path, &st), 0);
    assert_int_equal(st.st_mode & 0777, 0666 & ~mask);
    /* a replaced file keeps its permissions */
    assert_int_equal(chmod(path, 0600), 0);
    assert_int_equal(slaw_write_file_atomic(path, "second\n", 7, &err), SLAW_OK);
    text = read_all(path);
    assert_string_equal(text, "second\n");
    free(text);
    assert_int_equal(stat(path, &st), 0);
    assert_int_equal(st.st_mode & 0777, 0600);
    assert_int_equal(count_files(dir), 1); /* no temporary file left */
    temp_dir_remove(dir);
}

/* A write that fails part way (here: the file-size limit, as a full disk
 * would) leaves the existing file as it was and no temporary file. */
static void write_failing_midway_should_leave_the_old_file(void **state)
{
    (void)state;
    char *dir = temp_dir_create();
    const char *path = temp_file(dir, "fit.json", "the previous artifact\n");
    char keep[4200];
    snprintf(keep, sizeof keep, "%s", path);
    size_t len = 256 * 1024;
    char *big = malloc(len);
    assert_non_null(big);
    memset(big, 'x', len);
    struct rlimit saved, small;
    assert_int_equal(getrlimit(RLIMIT_FSIZE, &saved), 0);
    small = saved;
    small.rlim_cur = 4096;
    void (*old_handler)(int) = signal(SIGXFSZ, SIG_IGN);
    assert_int_equal(setrlimit(RLIMIT_FSIZE, &small), 0);
    slaw_error err;
    slaw_status st = slaw_write_file_atomic(keep, big, len, &err);
    assert_int_equal(setrlimit(RLIMIT_FSIZE, &saved), 0);
    signal(SIGXFSZ, old_handler);
    assert_int_equal(st, SLAW_EIO);
    char msg[2048];
    slaw_error_text(&err, msg, sizeof msg);
    if (!strstr(msg, "fit.json: cannot write: File too large")) fail_msg("'%s'", msg);
    char *text = read_all(keep);
    assert_string_equal(text, "the previous artifact\n");
    free(text);
    assert_int_equal(count_files(dir), 1);
    free(big);
    temp_dir_remove(dir);
}

static void write_should_report_a_missing_directory(void **state)
{
    (void)state;
    char *dir = temp_dir_create();
    char path[4200];
    snprintf(path, sizeof path, "%s/no/such/dir/fit.json", dir);
    slaw_error err;
    char msg[5000];
    assert_int_equal(slaw_write_file_atomic(path, "x", 1, &err), SLAW_EIO);
    slaw_error_text(&err, msg, sizeof msg);
    if (!strstr(msg, "/no/such/dir/fit.json: cannot write: No such file or directory"))
        fail_msg("'%s'", msg);
    /* a directory is not replaced */
    assert_int_equal(slaw_write_file_atomic(dir, "x", 1, &err), SLAW_EIO);
    assert_int_equal(count_files(dir), 0);
    temp_dir_remove(dir);
}

/* A device cannot be renamed over: it is written in place. */
static void write_should_write_devices_in_place(void **state)
{
    (void)state;
    slaw_error err;
    assert_int_equal(slaw_write_file_atomic("/dev/null", "x\n", 2, &err), SLAW_OK);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(write_should_create_and_replace_a_file),
        cmocka_unit_test(write_failing_midway_should_leave_the_old_file),
        cmocka_unit_test(write_should_report_a_missing_directory),
        cmocka_unit_test(write_should_write_devices_in_place),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
