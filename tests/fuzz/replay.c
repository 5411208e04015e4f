/* replay.c — a main for the fuzz harnesses outside libFuzzer: runs every
 * file named on the command line, or found in a directory named there, once
 * (options starting with '-', such as libFuzzer's -runs=0, are ignored).
 * This is how seeds and regressions run as ordinary tests. */
#include "fuzz.h"

#include <dirent.h>
#include <errno.h>
#include <stdbool.h>
#include <string.h>
#include <sys/stat.h>

static int run_file(const char *path)
{
    FILE *fp = fopen(path, "rb");
    if (!fp) {
        fprintf(stderr, "replay: %s: %s\n", path, strerror(errno));
        return 1;
    }
    size_t cap = 4096, n = 0;
    uint8_t *buf = malloc(cap);
    for (;;) {
        if (!buf) break;
        n += fread(buf + n, 1, cap - n, fp);
        if (n < cap) break;
        uint8_t *b = realloc(buf, cap * 2);
        if (!b) free(buf);
        buf = b;
        cap *= 2;
    }
    bool failed = !buf || ferror(fp);
    fclose(fp);
    if (failed) {
        free(buf);
        fprintf(stderr, "replay: %s: cannot read\n", path);
        return 1;
    }
    /* A copy of exactly n bytes, so that ASan sees a read past the input. */
    uint8_t *exact = malloc(n ? n : 1);
    FUZZ_CHECK(exact != NULL);
    memcpy(exact, buf, n);
    free(buf);
    LLVMFuzzerTestOneInput(exact, n);
    free(exact);
    return 0;
}

static int run_path(const char *path, size_t *count)
{
    struct stat st;
    if (stat(path, &st) != 0) {
        fprintf(stderr, "replay: %s: %s\n", path, strerror(errno));
        return 1;
    }
    if (!S_ISDIR(st.st_mode)) {
        (*count)++;
        return run_file(path);
    }
    DIR *d = opendir(path);
    if (!d) {
        fprintf(stderr, "replay: %s: %s\n", path, strerror(errno));
        return 1;
    }
    int failed = 0;
    struct dirent *e;
    while ((e = readdir(d))) {
        if (e->d_name[0] == '.') continue;
        size_t len = strlen(path) + strlen(e->d_name) + 2;
        char *child = malloc(len);
        FUZZ_CHECK(child != NULL);
        snprintf(child, len, "%s/%s", path, e->d_name);
        failed |= run_path(child, count);
        free(child);
    }
    closedir(d);
    return failed;
}

int main(int argc, char **argv)
{
    size_t count = 0;
    int failed = 0;
    for (int i = 1; i < argc; i++)
        if (argv[i][0] != '-') failed |= run_path(argv[i], &count);
    printf("replay: %zu inputs run\n", count);
    return failed;
}
