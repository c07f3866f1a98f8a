/*
 * Small helpers declared in common.h: clocks, random identifiers, hex.
 */
#include "common/common.h"

#include <stdio.h>
#include <stdlib.h>
#include <sys/random.h>
#include <time.h>

uint64_t clock_monotonic_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (uint64_t)ts.tv_sec * 1000u + (uint64_t)ts.tv_nsec / 1000000u;
}

int64_t clock_wall_seconds(void)
{
    return (int64_t)time(NULL);
}

void random_base32(char *out, size_t n)
{
    static const char alphabet[] = "abcdefghijklmnopqrstuvwxyz234567";
    unsigned char bytes[256];
    if (n > sizeof bytes) n = sizeof bytes;
    if (getrandom(bytes, n, 0) != (ssize_t)n) {
        fprintf(stderr, "borealis: getrandom failed\n");
        abort();
    }
    for (size_t i = 0; i < n; i++)
        out[i] = alphabet[bytes[i] & 31];
    out[n] = '\0';
}

void hex_encode(const unsigned char *bytes, size_t len, char *out)
{
    static const char digits[] = "0123456789abcdef";
    for (size_t i = 0; i < len; i++) {
        out[2 * i] = digits[bytes[i] >> 4];
        out[2 * i + 1] = digits[bytes[i] & 15];
    }
    out[2 * len] = '\0';
}
