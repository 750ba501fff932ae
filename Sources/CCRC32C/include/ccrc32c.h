#ifndef CCRC32C_H
#define CCRC32C_H

#include <stddef.h>
#include <stdint.h>

/// Whether this processor has a CRC-32C instruction the functions below use (x86-64 SSE4.2).
int ccrc32c_hardware_available(void);

/// Feeds `count` bytes at `bytes` to the CRC-32C register `state` (no pre- or post-inversion)
/// with the processor's instruction; call only when ccrc32c_hardware_available().
uint32_t ccrc32c_hardware_update(uint32_t state, const void *bytes, size_t count);

/// Three registers over three consecutive stretches of `lane` bytes each (lane a multiple of
/// 8), in one interleaved loop so the instruction's latency overlaps; states in and out.
void ccrc32c_hardware_update3(uint32_t states[3], const void *bytes, size_t lane);

#endif
