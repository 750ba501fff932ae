extension CUDAKernelSource {
    /// The optimizers' steps fused into one pass over a flat parameter buffer and its flat
    /// gradient buffer, in the CPU kernels' order of float32 operations (`LightningOptim`'s
    /// `SGD.swift` and `Adam.swift`, PyTorch's `_single_tensor_sgd`/`_single_tensor_adam`);
    /// compiled without contracting multiply-adds, so each element gets the CPU's bits. Also the
    /// in-place scalings of gradient clipping.
    public static let optimizers = CUDAKernelSource(
        name: "optimizers",
        code: prelude + #"""

        // SGD with momentum, dampening, Nesterov and weight decay; the buffer starts as the first
        // gradient (first != 0). keep = 1 − dampening.
        extern "C" __global__ void sgd_step(float* p, const float* g, float* buffer, i64 n, float negLR, float weightDecay,
                                            float sign, float momentum, float keep, int hasWeightDecay, int hasMomentum,
                                            int first, int nesterov) {
            GRID_LOOP(i, n) {
                float x = p[i];
                float d = sign * g[i];
                if (hasWeightDecay) d = d + weightDecay * x;
                if (hasMomentum) {
                    float b = first ? d : buffer[i] * momentum + keep * d;
                    buffer[i] = b;
                    d = nesterov ? d + momentum * b : b;
                }
                p[i] = x + negLR * d;
            }
        }

        // Adam (l2 != 0: weight decay on the gradient) and AdamW (decoupled: p · (1 − lr·wd)), with
        // AMSGrad; torch.lerp's two formulas by the weight's size.
        extern "C" __global__ void adam_step(float* p, const float* g, float* m, float* v, float* vMax, i64 n, float sign,
                                             float l2, float decay, float lerpWeight, float beta2, float oneMinusBeta2,
                                             float bc2Sqrt, float eps, float negStepSize, int l2Decay, int decoupled,
                                             int amsgrad, int smallWeight) {
            GRID_LOOP(i, n) {
                float d = sign * g[i];
                float x = p[i];
                if (decoupled) x = x * decay;
                if (l2Decay) d = d + l2 * x;
                float m0 = m[i];
                float mi = smallWeight ? m0 + lerpWeight * (d - m0) : d - (d - m0) * (1.0f - lerpWeight);
                m[i] = mi;
                float vi = v[i] * beta2 + oneMinusBeta2 * d * d;
                v[i] = vi;
                float second = vi;
                if (amsgrad) {
                    second = fmaxf(vMax[i], vi);
                    vMax[i] = second;
                }
                float denom = sqrtf(second) / bc2Sqrt + eps;
                p[i] = x + negStepSize * mi / denom;
            }
        }

        // x · s in place: gradient clipping by norm (s = max_norm / (norm + 1e-6), at most 1).
        extern "C" __global__ void scale_in_place(float* x, i64 n, float s) {
            GRID_LOOP(i, n) { x[i] = x[i] * s; }
        }

        // Clamps in place to [lo, hi]: gradient clipping by value.
        extern "C" __global__ void clamp_in_place(float* x, i64 n, float lo, float hi) {
            GRID_LOOP(i, n) { x[i] = fminf(fmaxf(x[i], lo), hi); }
        }
        """#,
        kernels: ["sgd_step", "adam_step", "scale_in_place", "clamp_in_place"])
}
