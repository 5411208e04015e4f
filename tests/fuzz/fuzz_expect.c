/* fuzz_expect.c — slaw check's criterion languages (--tol, --rtol, --sigma
 * specs and --expect assertions): a parsed value or a message, never a
 * crash; a parsed assertion's interval is ordered. */
#include "fuzz.h"
#include "slaw.h"

#include <math.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char *text = fuzz_text(data, size);
    slaw_expect e;
    slaw_error err;
    slaw_status st = slaw_expect_parse_tolerance(text, &e, &err);
    if (st != SLAW_OK) FUZZ_CHECK(st == SLAW_EUSAGE && err.message[0]);
    else FUZZ_CHECK(e.name[0] != '\0' && !isnan(e.value));
    st = slaw_expect_parse(text, &e, &err);
    if (st != SLAW_OK) FUZZ_CHECK(st == SLAW_EUSAGE && err.message[0]);
    else FUZZ_CHECK(e.name[0] != '\0' && !(e.lo > e.hi));
    free(text);
    return 0;
}
