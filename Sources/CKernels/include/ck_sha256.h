// SHA-256 (FIPS 180-4) in C, for hashing large files: the Swift implementation in DriftCore is exact but runs at a
// few MB/s in debug builds, too slow to verify a multi-gigabyte download.
#ifndef CK_SHA256_H
#define CK_SHA256_H

#include <stddef.h>
#include <stdint.h>

/// The running state of one SHA-256 computation.
typedef struct {
    uint32_t state[8];
    uint64_t length;      // bytes fed so far
    uint8_t buffer[64];   // a partial block
    size_t used;          // bytes in `buffer`
} ck_sha256_context;

/// Starts a computation.
void ck_sha256_init(ck_sha256_context *context);

/// Feeds `count` bytes.
void ck_sha256_update(ck_sha256_context *context, const void *bytes, size_t count);

/// Finishes the computation and writes the 32-byte digest to `digest`.
void ck_sha256_final(ck_sha256_context *context, uint8_t digest[32]);

#endif
