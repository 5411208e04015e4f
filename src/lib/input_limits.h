/* input_limits.h — the limits on input. */
#ifndef SLAW_INPUT_LIMITS_H
#define SLAW_INPUT_LIMITS_H

#include <stddef.h>

/* Limits on input, each refused with SLAW_ELIMIT and a message naming the
 * file and line (docs/robustness.md lists them in one table).  A test
 * build compiles the library with small values (tests/limits). */
#ifndef SLAW_MAX_FIELD_BYTES
#define SLAW_MAX_FIELD_BYTES (1u << 20) /* one CSV field or JSON string */
#endif
#ifndef SLAW_MAX_LINE_BYTES
#define SLAW_MAX_LINE_BYTES                                                                        \
    ((size_t)1 << 24) /* one CSV or JSON Lines line, one record                                    \
                         of a JSON document (16 MiB) */
#endif
#ifndef SLAW_MAX_COLUMNS
#define SLAW_MAX_COLUMNS 4096 /* distinct columns in one load */
#endif
#ifndef SLAW_MAX_RUNS
#define SLAW_MAX_RUNS ((size_t)50 * 1000 * 1000)
#endif
#ifndef SLAW_MAX_CELLS
#define SLAW_MAX_CELLS ((size_t)1 << 28) /* runs x columns: 2 GiB of values */
#endif
#ifndef SLAW_MAX_JSON_DEPTH
#define SLAW_MAX_JSON_DEPTH 64 /* nesting of arrays and objects */
#endif
#ifndef SLAW_MAX_FILE_BYTES
#define SLAW_MAX_FILE_BYTES ((size_t)1 << 31) /* 2 GiB per JSON input (read whole) */
#endif
#ifndef SLAW_MAX_ARTIFACT_BYTES
#define SLAW_MAX_ARTIFACT_BYTES ((size_t)1 << 30) /* 1 GiB per fit artifact */
#endif
#define SLAW_MAX_JSON_ARRAY_FLATTEN 64 /* longer arrays are reached by path only */

#endif /* SLAW_INPUT_LIMITS_H */
