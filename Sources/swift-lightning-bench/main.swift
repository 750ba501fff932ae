#if canImport(Glibc)
import Glibc
#endif
import LightningData
import LightningTensor

// swift-lightning-bench: one `NAME VALUE` line per figure. Run with OPENBLAS_NUM_THREADS=1 for
// the single-thread comparison with `shared/bench/torch_step.py`.
if CommandLine.arguments.dropFirst().first == "ddp-worker" {
    do { try DataParallelWorker.run(Array(CommandLine.arguments.dropFirst(2))) } catch {
        StandardError.write(line: "ddp-worker: \(error)")
        exit(1)
    }
    exit(0)
}

if CommandLine.arguments.dropFirst().first == "gpu-op-case", CommandLine.arguments.count > 2 {
    try GPUProof.opCase(CommandLine.arguments[2])
}

let arguments = Set(CommandLine.arguments.dropFirst())
func wanted(_ name: String) -> Bool { arguments.isEmpty || arguments.contains(name) }

if getenv("OPENBLAS_NUM_THREADS") == nil { Tensor.blasThreads = 1 }
report("blas_threads", Double(Tensor.blasThreads), digits: 0)

let samples = 8192, batch = 64, stepsPerEpoch = samples / batch
let generator = Generator(seed: 0)

if wanted("sgemm") {
    let n = 512
    let a = Tensor.randn([n, n], generator: generator), b = Tensor.randn([n, n], generator: generator)
    let seconds = measure(warmup: 3, repetitions: 30) { _ = a.matmul(b) }
    report("sgemm_gflops", 2 * Double(n * n * n) / seconds / 1e9, digits: 2)
}

/// Times every step of one epoch after a warm-up epoch; returns the median step in ms.
func timeEpoch(_ x: Tensor, _ y: Tensor, step: (Tensor, Tensor) -> Void) -> Double {
    for i in 0..<stepsPerEpoch { step(x[rows: i * batch..<(i + 1) * batch], y[rows: i * batch..<(i + 1) * batch]) }
    var times: [Double] = []
    for i in 0..<stepsPerEpoch {
        let xb = x[rows: i * batch..<(i + 1) * batch], yb = y[rows: i * batch..<(i + 1) * batch]
        let start = now()
        step(xb, yb)
        times.append(now() - start)
    }
    return median(times) * 1000
}

if wanted("mlp") {
    let x = Tensor.randn([samples, 784], generator: generator)
    let y = Tensor.randint(0, 10, [samples], generator: generator)
    let model = LayerWorkload.mlp(generator: generator)
    report("mlp_train_step_ms", timeEpoch(x, y) { model.step($0, $1) })
    let raw = RawMLP(generator: generator)
    report("mlp_raw_ops_train_step_ms", timeEpoch(x, y) { raw.step($0, $1) })
}

if wanted("dataloader") {
    // The MLP step fed from a shuffled, prefetching DataLoader versus from slices of a preloaded
    // tensor: whole epochs, alternated, best of three each (the machine is shared and noisy).
    let x = Tensor.randn([samples, 784], generator: generator)
    let y = Tensor.randint(0, 10, [samples], generator: generator)
    let model = LayerWorkload.mlp(generator: generator)
    let loader = DataLoader(TensorDataset(x, y), batchSize: batch, shuffle: true, seed: 1)
    func preloadedEpoch() -> Double {
        let start = now()
        for i in 0..<stepsPerEpoch { model.step(x[rows: i * batch..<(i + 1) * batch], y[rows: i * batch..<(i + 1) * batch]) }
        return now() - start
    }
    func loaderEpoch() -> Double {
        let start = now()
        for (xb, yb) in loader { model.step(xb, yb) }
        return now() - start
    }
    _ = preloadedEpoch(); _ = loaderEpoch()
    var preloaded = Double.infinity, loaded = Double.infinity
    for _ in 0..<3 {
        preloaded = min(preloaded, preloadedEpoch())
        loaded = min(loaded, loaderEpoch())
    }
    report("dataloader_overhead_pct", (loaded - preloaded) / preloaded * 100, digits: 2)
}

if wanted("dataset_open") || wanted("mapped_step") {
    try MappedDataBench.run(samples: samples, batch: batch, generator: generator, wanted: wanted)
}

if wanted("worker_transform") {
    WorkerTransformBench.run(samples: samples, batch: batch, generator: generator)
}

if wanted("trainer") {
    report("trainer_overhead_pct", try trainerOverheadPercent(samples: samples, batch: batch, rounds: 7, generator: generator), digits: 2)
}

if wanted("profiler") {
    // Many rounds: the effect is a small fraction of the shared machine's round-to-round noise
    // (±5-10 %), which only the median of many ratios averages out.
    report("profiler_overhead_pct", try profilerOverheadPercent(samples: samples, batch: batch, rounds: 51, generator: generator), digits: 2)
    report("profiler_ns_per_action", profilerNanosecondsPerAction(), digits: 0)
}

if wanted("startup") {
    report("startup_to_first_step_s", try StartupBench.run(), digits: 3)
}

if wanted("ddp") {
    try DataParallelBench.run()
}

if arguments.contains("dataset_memory") {
    // Not in the default set: it writes a 1 GB file (DATASET_BENCH_MB sets the size).
    try DatasetMemoryBench.run()
}

if wanted("predict") {
    try PredictionBench.run()
}

if wanted("checkpoint") {
    try CheckpointBench.run(generator: generator)
}

if wanted("cnn") {
    let x = Tensor.randn([samples, 1, 28, 28], generator: generator)
    let y = Tensor.randint(0, 10, [samples], generator: generator)
    let model = LayerWorkload.cnn(generator: generator)
    report("cnn_train_step_ms", timeEpoch(x, y) { model.step($0, $1) })
    let raw = RawCNN(generator: generator)
    report("cnn_raw_ops_train_step_ms", timeEpoch(x, y) { raw.step($0, $1) })
}

if arguments.contains("conv2") {
    let x2 = Tensor.randn([64, 16, 14, 14], generator: generator).requiringGrad()
    let w2 = Tensor.randn([32, 16, 3, 3], generator: generator).requiringGrad()
    let b2 = Tensor.randn([32], generator: generator).requiringGrad()
    let g = Tensor.randn([64, 32, 14, 14], generator: generator)
    report("conv2_fwd_bwd_us", measure(warmup: 3, repetitions: 200) { conv2d(x2, weight: w2, bias: b2, padding: 1).backward(g) } * 1e6)
}

if arguments.contains("gpu") {
    // Not in the default set: it needs a GPU, and scripts/gpu-proof.sh runs it there.
    try GPUProof.run()
}

if arguments.contains("kernels") {
    let a = Tensor.randn([64, 16, 28, 28], generator: generator)
    report("maxpool_16x28x28_us", measure(warmup: 3, repetitions: 50) { _ = maxPool2d(a, kernelSize: 2) } * 1e6)
    report("relu_16x28x28_us", measure(warmup: 3, repetitions: 50) { _ = a.relu() } * 1e6)
    let x1 = Tensor.randn([64, 1, 28, 28], generator: generator), w1 = Tensor.randn([16, 1, 3, 3], generator: generator)
    report("conv1_fwd_us", measure(warmup: 3, repetitions: 50) { _ = conv2d(x1, weight: w1, padding: 1) } * 1e6)
    let x2 = Tensor.randn([64, 16, 14, 14], generator: generator), w2 = Tensor.randn([32, 16, 3, 3], generator: generator)
    report("conv2_fwd_us", measure(warmup: 3, repetitions: 50) { _ = conv2d(x2, weight: w2, padding: 1) } * 1e6)
    let w2g = w2.requiringGrad(), x2g = x2.requiringGrad()
    report("conv2_fwd_bwd_us", measure(warmup: 3, repetitions: 50) { conv2d(x2g, weight: w2g, padding: 1).sum().backward() } * 1e6)
}

