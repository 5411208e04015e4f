/* test_output_file.c — slaw_write_file_atomic and slaw_output_*: a file is
 * replaced whole or left untouched, keeps its permissions, and leaves no
 * temporary file; a signal handler can remove the temporaries in progress;
 * the stale ones of writers killed outright are removed. */
#include "helpers.h"

#include <dirent.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>
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

/* A descriptor named as a file (/dev/fd/N, as /dev/stdout names descriptor
 * 1) that is open on a regular file is written through, after what the
 * descriptor already holds: a rename would replace the link instead. */
static void write_should_write_through_an_open_descriptor(void **state)
{
    (void)state;
    char *dir = temp_dir_create();
    char path[4200], name[64];
    snprintf(path, sizeof path, "%s/stdout", dir);
    FILE *fp = fopen(path, "w");
    assert_non_null(fp);
    assert_true(fputs("before\n", fp) >= 0);
    assert_int_equal(fflush(fp), 0);
    snprintf(name, sizeof name, "/dev/fd/%d", fileno(fp));
    slaw_error err;
    assert_int_equal(slaw_write_file_atomic(name, "after\n", 6, &err), SLAW_OK);
    fclose(fp);
    char *text = read_all(path);
    assert_string_equal(text, "before\nafter\n");
    free(text);
    assert_int_equal(count_files(dir), 1);
    temp_dir_remove(dir);
}

/* A symbolic link given as the output is replaced by the new file; the file
 * it named is left alone (docs/robustness.md). */
static void write_should_replace_a_link_not_its_target(void **state)
{
    (void)state;
    char *dir = temp_dir_create();
    char target[4200], link[4200];
    snprintf(target, sizeof target, "%s/fit.json", dir);
    snprintf(link, sizeof link, "%s/latest.json", dir);
    slaw_error err;
    assert_int_equal(slaw_write_file_atomic(target, "old\n", 4, &err), SLAW_OK);
    assert_int_equal(symlink("fit.json", link), 0);
    assert_int_equal(slaw_write_file_atomic(link, "new\n", 4, &err), SLAW_OK);
    struct stat st;
    assert_int_equal(lstat(link, &st), 0);
    assert_true(S_ISREG(st.st_mode));
    char *text = read_all(target);
    assert_string_equal(text, "old\n");
    free(text);
    text = read_all(link);
    assert_string_equal(text, "new\n");
    free(text);
    assert_int_equal(count_files(dir), 2); /* no temporary file left */
    temp_dir_remove(dir);
}

/* The name of the one file in dir (asserts there is one). */
static void only_file(const char *dir, char *name, size_t size)
{
    DIR *d = opendir(dir);
    assert_non_null(d);
    size_t n = 0;
    for (struct dirent *e; (e = readdir(d));) {
        if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, "..")) continue;
        snprintf(name, size, "%s", e->d_name);
        n++;
    }
    closedir(d);
    assert_int_equal(n, 1);
}

static void output_should_be_hidden_until_committed(void **state)
{
    (void)state;
    char *dir = temp_dir_create();
    char path[4200], name[256], want[64];
    snprintf(path, sizeof path, "%s/fit.svg", dir);
    slaw_output *o;
    slaw_error err;
    assert_int_equal(slaw_output_open(path, &o, &err), SLAW_OK);
    assert_int_equal(write(slaw_output_fd(o), "<svg/>\n", 7), 7);
    only_file(dir, name, sizeof name);
    snprintf(want, sizeof want, ".fit.svg.%ld-", (long)getpid());
    if (strncmp(name, want, strlen(want)) != 0 || !strstr(name, ".tmp")) fail_msg("'%s'", name);
    assert_int_equal(slaw_output_commit(o, &err), SLAW_OK);
    char *text = read_all(path);
    assert_string_equal(text, "<svg/>\n");
    free(text);
    only_file(dir, name, sizeof name);
    assert_string_equal(name, "fit.svg");
    temp_dir_remove(dir);
}

/* What a signal handler does: the temporary file goes, the output stays
 * as it was, and the interrupted output can only fail. */
static void remove_temporaries_should_leave_the_old_file(void **state)
{
    (void)state;
    char *dir = temp_dir_create();
    char path[4200];
    snprintf(path, sizeof path, "%s", temp_file(dir, "fit.json", "old\n"));
    slaw_output *a, *b;
    slaw_error err;
    assert_int_equal(slaw_output_open(path, &a, &err), SLAW_OK);
    assert_int_equal(slaw_output_open(path, &b, &err), SLAW_OK);
    assert_int_equal(write(slaw_output_fd(a), "new\n", 4), 4);
    assert_int_equal(count_files(dir), 3);
    slaw_output_remove_temporaries();
    assert_int_equal(count_files(dir), 1);
    assert_int_equal(slaw_output_commit(a, &err), SLAW_EIO);
    slaw_output_discard(b);
    char *text = read_all(path);
    assert_string_equal(text, "old\n");
    free(text);
    assert_int_equal(count_files(dir), 1);
    temp_dir_remove(dir);
}

/* A process id that was just in use and is no more. */
static long dead_pid(void)
{
    pid_t pid = fork();
    assert_true(pid >= 0);
    if (pid == 0) _exit(0);
    assert_int_equal(waitpid(pid, NULL, 0), pid);
    return (long)pid;
}

/* The next write of fit.json removes .fit.json.PID-K.tmp of a process
 * gone, and nothing else. */
static void write_should_remove_stale_temporaries_only(void **state)
{
    (void)state;
    char *dir = temp_dir_create();
    long dead = dead_pid();
    char stale[64], kept[6][64];
    snprintf(stale, sizeof stale, ".fit.json.%ld-3.tmp", dead);
    snprintf(kept[0], sizeof kept[0], ".fit.json.1-0.tmp");           /* init: running */
    snprintf(kept[1], sizeof kept[1], ".other.json.%ld-0.tmp", dead); /* another output */
    snprintf(kept[2], sizeof kept[2], "fit.json.%ld-0.tmp", dead);    /* not ours */
    snprintf(kept[3], sizeof kept[3], ".fit.json.%ld-x.tmp", dead);
    snprintf(kept[4], sizeof kept[4], ".fit.json.%ld-0.tmp.bak", dead);
    snprintf(kept[5], sizeof kept[5], ".fit.json.v2.%ld-0.tmp", dead);
    temp_file(dir, stale, "stale");
    for (size_t i = 0; i < 6; i++) temp_file(dir, kept[i], "kept");
    char path[4200];
    snprintf(path, sizeof path, "%s/fit.json", dir);
    slaw_error err;
    assert_int_equal(slaw_write_file_atomic(path, "x\n", 2, &err), SLAW_OK);
    assert_int_equal(count_files(dir), 7);
    snprintf(path, sizeof path, "%s/%s", dir, stale);
    assert_int_equal(access(path, F_OK), -1);
    for (size_t i = 0; i < 6; i++) {
        snprintf(path, sizeof path, "%s/%s", dir, kept[i]);
        if (access(path, F_OK) != 0) fail_msg("%s was removed", kept[i]);
    }
    temp_dir_remove(dir);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(write_should_create_and_replace_a_file),
        cmocka_unit_test(write_failing_midway_should_leave_the_old_file),
        cmocka_unit_test(write_should_report_a_missing_directory),
        cmocka_unit_test(write_should_write_devices_in_place),
        cmocka_unit_test(write_should_write_through_an_open_descriptor),
        cmocka_unit_test(write_should_replace_a_link_not_its_target),
        cmocka_unit_test(output_should_be_hidden_until_committed),
        cmocka_unit_test(remove_temporaries_should_leave_the_old_file),
        cmocka_unit_test(write_should_remove_stale_temporaries_only),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
