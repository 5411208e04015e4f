/* sha256.h — SHA-256 over a stream of bytes. */
#ifndef SLAW_SHA256_H
#define SLAW_SHA256_H

#include <stddef.h>
#include <stdint.h>

typedef struct sha256_ctx {
    uint32_t state[8];
    uint64_t bytes;
    unsigned char block[64];
    size_t fill;
} sha256_ctx;

void sha256_init(sha256_ctx *c);
void sha256_update(sha256_ctx *c, const void *data, size_t len);
/* Finishes and writes 64 hex digits and a NUL. */
void sha256_hex(sha256_ctx *c, char out[65]);

#endif
