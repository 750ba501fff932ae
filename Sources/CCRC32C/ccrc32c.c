// The CRC-32C instruction (SSE4.2's crc32), compiled for that instruction set with a function
// attribute rather than a build flag, and used only after cpuid says the processor has it.
#include "ccrc32c.h"

#include <string.h>

#if defined(__x86_64__)
#include <cpuid.h>
#include <nmmintrin.h>

int ccrc32c_hardware_available(void) {
    unsigned int a, b, c, d;
    if (!__get_cpuid(1, &a, &b, &c, &d)) return 0;
    return (c & bit_SSE4_2) != 0;
}

__attribute__((target("sse4.2")))
uint32_t ccrc32c_hardware_update(uint32_t state, const void *bytes, size_t count) {
    const unsigned char *p = bytes;
    uint64_t c = state;
    while (count > 0 && ((uintptr_t)p & 7) != 0) { c = _mm_crc32_u8((uint32_t)c, *p++); count--; }
    while (count >= 8) {
        uint64_t word;
        memcpy(&word, p, 8);
        c = _mm_crc32_u64(c, word);
        p += 8; count -= 8;
    }
    while (count > 0) { c = _mm_crc32_u8((uint32_t)c, *p++); count--; }
    return (uint32_t)c;
}

__attribute__((target("sse4.2")))
void ccrc32c_hardware_update3(uint32_t states[3], const void *bytes, size_t lane) {
    const unsigned char *p = bytes;
    uint64_t x = states[0], y = states[1], z = states[2];
    for (size_t i = 0; i + 8 <= lane; i += 8) {
        uint64_t a, b, c;
        memcpy(&a, p + i, 8);
        memcpy(&b, p + lane + i, 8);
        memcpy(&c, p + 2 * lane + i, 8);
        x = _mm_crc32_u64(x, a);
        y = _mm_crc32_u64(y, b);
        z = _mm_crc32_u64(z, c);
    }
    states[0] = (uint32_t)x; states[1] = (uint32_t)y; states[2] = (uint32_t)z;
}

#else

int ccrc32c_hardware_available(void) { return 0; }
uint32_t ccrc32c_hardware_update(uint32_t state, const void *bytes, size_t count) { (void)bytes; (void)count; return state; }
void ccrc32c_hardware_update3(uint32_t states[3], const void *bytes, size_t lane) { (void)states; (void)bytes; (void)lane; }

#endif
