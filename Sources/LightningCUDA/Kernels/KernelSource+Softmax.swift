extension CUDAKernelSource {
    /// Softmax and log-softmax along a dimension (forward and backward), and the negative
    /// log-likelihood behind cross entropy with class weights, an ignored index and label
    /// smoothing, following the CPU's `Functional/CrossEntropy.swift`. One block per row, with
    /// fixed-order block reductions.
    public static let softmax = CUDAKernelSource(
        name: "softmax",
        code: prelude + #"""

        // Rows are outer × inner lines of n elements, `inner` apart (softmax over any dimension).
        extern "C" __global__ void softmax_rows(const float* x, float* y, i64 rows, i64 n, i64 inner, int logarithm) {
            extern __shared__ float shared[];
            for (i64 row = blockIdx.x; row < rows; row += gridDim.x) {
                i64 base = (row / inner) * n * inner + row % inner;
                float largest = reduce_identity(OP_MAX);
                for (i64 j = threadIdx.x; j < n; j += blockDim.x) largest = reduce_combine(OP_MAX, largest, x[base + j * inner]);
                largest = block_reduce(OP_MAX, largest, shared);
                float total = 0.0f;
                for (i64 j = threadIdx.x; j < n; j += blockDim.x) total += expf(x[base + j * inner] - largest);
                total = block_reduce(OP_SUM, total, shared);
                float logTotal = logf(total);
                for (i64 j = threadIdx.x; j < n; j += blockDim.x) {
                    float shifted = x[base + j * inner] - largest;
                    y[base + j * inner] = logarithm ? shifted - logTotal : expf(shifted) / total;
                }
            }
        }

        // softmax: dx = y · (g − Σ g·y); log-softmax: dx = g − e^y · Σ g.
        extern "C" __global__ void softmax_backward_rows(const float* g, const float* y, float* dx, i64 rows, i64 n, i64 inner, int logarithm) {
            extern __shared__ float shared[];
            for (i64 row = blockIdx.x; row < rows; row += gridDim.x) {
                i64 base = (row / inner) * n * inner + row % inner;
                float dot = 0.0f;
                for (i64 j = threadIdx.x; j < n; j += blockDim.x) {
                    i64 k = base + j * inner;
                    dot += logarithm ? g[k] : g[k] * y[k];
                }
                dot = block_reduce(OP_SUM, dot, shared);
                for (i64 j = threadIdx.x; j < n; j += blockDim.x) {
                    i64 k = base + j * inner;
                    dx[k] = logarithm ? g[k] - expf(y[k]) * dot : y[k] * (g[k] - dot);
                }
            }
        }

        // Per row: loss[i] = −Σ_j a_j · logp[i, j] with a_t = (1−ε)·w_t + ε/C·w_t, a_j = ε/C·w_j, and
        // the target's weight in targetWeight[i] (the mean's denominator); 0 and 0 for ignored
        // rows. A target out of range sets *badRow to the least such row (the host reports it).
        extern "C" __global__ void nll_forward(const float* logp, const i64* target, const float* weight, float* loss,
                                               float* targetWeight, int* badRow, i64 rows, i64 classes, i64 ignoreIndex,
                                               float smoothing) {
            extern __shared__ float shared[];
            for (i64 row = blockIdx.x; row < rows; row += gridDim.x) {
                i64 t = target[row];
                if (t == ignoreIndex || t < 0 || t >= classes) {
                    if (threadIdx.x == 0) {
                        loss[row] = 0.0f;
                        targetWeight[row] = 0.0f;
                        if (t != ignoreIndex) atomicMin(badRow, (int)row);
                    }
                    continue;
                }
                const float* lp = logp + row * classes;
                float smooth = 0.0f;
                if (smoothing > 0.0f) {
                    for (i64 j = threadIdx.x; j < classes; j += blockDim.x) smooth -= (weight ? weight[j] : 1.0f) * lp[j];
                }
                smooth = block_reduce(OP_SUM, smooth, shared);
                if (threadIdx.x == 0) {
                    float wt = weight ? weight[t] : 1.0f;
                    float value = -(1.0f - smoothing) * wt * lp[t];
                    if (smoothing > 0.0f) value += smoothing / (float)classes * smooth;
                    loss[row] = value;
                    targetWeight[row] = wt;
                }
            }
        }

        // The gradient with respect to the log-probabilities (or, with fromLogits, the logits
        // through log-softmax: −a_j + p_j·Σa). reduction: 0 none (g per row), 1 sum (g[0]),
        // 2 mean (g[0] / *weightSum).
        extern "C" __global__ void nll_backward(const float* logp, const i64* target, const float* weight, const float* g,
                                                const float* weightSum, float* dx, i64 rows, i64 classes, i64 ignoreIndex,
                                                float smoothing, int reduction, int fromLogits) {
            GRID_LOOP(k, rows * classes) {
                i64 row = k / classes, j = k % classes;
                i64 t = target[row];
                if (t == ignoreIndex) { dx[k] = 0.0f; continue; }
                float scale = reduction == 0 ? g[row] : (reduction == 1 ? g[0] : g[0] / weightSum[0]);
                float a = smoothing > 0.0f ? smoothing / (float)classes * (weight ? weight[j] : 1.0f) : 0.0f;
                if (j == t) a += (1.0f - smoothing) * (weight ? weight[t] : 1.0f);
                float d = -a * scale;
                if (fromLogits) {
                    // Σ_j a_j = (1−ε)·w_t + ε/C·Σ_j w_j.
                    float total = (1.0f - smoothing) * (weight ? weight[t] : 1.0f);
                    if (smoothing > 0.0f) {
                        float sum = 0.0f;
                        for (i64 c = 0; c < classes; ++c) sum += weight ? weight[c] : 1.0f;
                        total += smoothing / (float)classes * sum;
                    }
                    d += expf(logp[k]) * total * scale;
                }
                dx[k] = d;
            }
        }
        """#,
        kernels: ["softmax_rows", "softmax_backward_rows", "nll_forward", "nll_backward"])
}
