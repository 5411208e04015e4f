/* fuzz_number.c — slaw_number_parse on arbitrary bytes: a finite number or
 * a reason, the output untouched on failure, and the same answer for the
 * same text surrounded by blanks. */
#include "fuzz.h"
#include "slaw.h"

#include <math.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const char *text = (const char *)data;
    double v = 12345, w = 12345;
    const char *why = NULL, *why2 = NULL;
    slaw_status st = slaw_number_parse(text, size, &v, &why);
    if (st == SLAW_OK) {
        FUZZ_CHECK(isfinite(v));
    } else {
        FUZZ_CHECK(st == SLAW_EINPUT && why != NULL && why[0] && v == 12345);
    }
    char *padded = malloc(size + 2);
    FUZZ_CHECK(padded != NULL);
    padded[0] = ' ';
    memcpy(padded + 1, data, size);
    padded[size + 1] = '\t';
    slaw_status st2 = slaw_number_parse(padded, size + 2, &w, &why2);
    FUZZ_CHECK(st2 == st);
    if (st == SLAW_OK) FUZZ_CHECK(v == w || (v != v && w != w));
    free(padded);
    return 0;
}
