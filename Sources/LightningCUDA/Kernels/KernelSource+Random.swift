extension CUDAKernelSource {
    /// Random numbers from the CPU's Philox4x32-10 stream (`LightningTensor/Random/PhiloxStream.swift`):
    /// element i takes the 32-bit word at position `start + i` of the stream keyed by `seed`, so
    /// a seeded dropout drops exactly the elements the CPU would, whatever the grid.
    public static let random = CUDAKernelSource(
        name: "random",
        code: prelude + #"""

        // Word `position` of the Philox4x32-10 stream of `seed`: block position/4 with counter
        // (low, high, 0, 0), lane position % 4 (Salmon et al., Random123).
        __device__ u32 philox_word(u64 seed, u64 position) {
            u64 block = position >> 2;
            u32 c0 = (u32)block, c1 = (u32)(block >> 32), c2 = 0u, c3 = 0u;
            u32 k0 = (u32)seed, k1 = (u32)(seed >> 32);
            for (int round = 0; round < 10; ++round) {
                u32 hi0 = __umulhi(0xD2511F53u, c0), lo0 = 0xD2511F53u * c0;
                u32 hi1 = __umulhi(0xCD9E8D57u, c2), lo1 = 0xCD9E8D57u * c2;
                u32 n0 = hi1 ^ c1 ^ k0, n2 = hi0 ^ c3 ^ k1;
                c0 = n0; c1 = lo1; c2 = n2; c3 = lo0;
                k0 += 0x9E3779B9u;
                k1 += 0xBB67AE85u;
            }
            switch ((int)(position & 3)) {
            case 0: return c0;
            case 1: return c1;
            case 2: return c2;
            default: return c3;
            }
        }

        // [0, 1) with 24 random bits, as PhiloxStream.nextUniform.
        __device__ __forceinline__ float philox_uniform(u64 seed, u64 position) {
            return (float)(philox_word(seed, position) >> 8) * (1.0f / 16777216.0f);
        }

        // Inverted dropout: mask = u < p ? 0 : scale, y = x · mask (the mask is kept for backward).
        extern "C" __global__ void dropout_forward(const float* x, float* y, float* mask, i64 n, u64 seed, u64 start, float p, float scale) {
            GRID_LOOP(i, n) {
                float m = philox_uniform(seed, start + (u64)i) < p ? 0.0f : scale;
                mask[i] = m;
                y[i] = x[i] * m;
            }
        }

        // low + (high − low) · u, as Tensor.rand.
        extern "C" __global__ void uniform_fill(float* y, i64 n, u64 seed, u64 start, float low, float range) {
            GRID_LOOP(i, n) { y[i] = low + range * philox_uniform(seed, start + (u64)i); }
        }
        """#,
        kernels: ["dropout_forward", "uniform_fill"])
}
