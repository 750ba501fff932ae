// A test tool, run under mpirun by LightningTests' data-parallel tests (each launch with mpirun's --timeout
// and a hard process-group deadline, see ProbeRun):
// `lightning-ddp-probe MODE --out PATH [options]`. Modes:
// - `fit`: trains ProbeModel with a global batch split across ranks, rank 0 writes the final weights;
// - `validate`: evaluates a seeded model on `--val` samples, rank 0 writes the metrics as JSON;
// - `predict`: predicts `--val` samples and writes them with PredictionWriter (`--limit N|F`: limit_predict_batches;
//   `--return false`: keep no predictions; `--failure predict-throw --rank R --step B`: fail at batch B);
// - `collectives`: one step of CollectivesModel, whose onTrainStart checks allGather (syncGrads too),
//   broadcast of a Codable value and a tensor from rank 1, barrier and rankZeroOnly;
// - `modelless-predict`: `fit` with checkpoints, then `predict(dataloaders:)` without a module; rank 0
//   checks the outputs against the restored module applied to each unsharded batch;
// - `multi-loaders`: two evaluation loaders through validate, test, predict (dictionary and tuple outputs) and
//   fit; rank 0 writes every result to `--out` as JSON (see MultiLoaders);
// - `fail`: `fit` with a deliberate failure (`--failure throw|kill|hang|keys|sigterm|anomaly --rank R --step S`;
//   `anomaly` makes backward return a NaN, which `--detect-anomaly true` stops at);
// - `sync-batchnorm`: `--samples` rows split over the ranks (unevenly where the count does not divide); every rank
//   checks one synchronized BatchNorm step against the whole batch run in the same process (SyncBatchNormCheck);
// - `options`: Trainer and module options (`--scenario overfit|own-shards|hooks`, see TrainerOptionsProbe);
//   every rank writes what it saw to `<out>.rank<R>.json`.
// `--batchnorm true` adds a BatchNorm1d to ProbeModel and `--sync-batchnorm true` sets the Trainer's syncBatchnorm.
// `--shared-memory false`, `--overlap true` and `--bucket-mb X` set DataParallelStrategy's options;
// `--profiler simple` profiles the run (report in `--root`), `--slow-rank R` makes rank R's steps sleep;
// `--monitors true` adds ThroughputMonitor(windowSize: 2) and DeviceStatsMonitor, with a CSVLogger in `--root`.
// `--accelerator emulated-gpu` trains each rank on a GPU whose CUDA kernels run on the host (LightningTestSupport's
// emulation), ranks sharing it, so the strategy's host-staged averaging of GPU gradients is checked without a GPU.
import Foundation
import Lightning
import LightningCUDA
import LightningTestSupport

let words = Array(CommandLine.arguments.dropFirst())
let mode = words.first ?? "fit"
/// `--key value` pairs after the mode.
let options: [String: String] = stride(from: 1, to: words.count - 1, by: 2).reduce(into: [:]) { options, i in
    options[String(words[i].drop { $0 == "-" })] = words[i + 1]
}
func int(_ key: String, _ fallback: Int) -> Int { options[key].flatMap(Int.init) ?? fallback }
/// `--shared-memory false`, `--overlap true` and `--bucket-mb X` set the strategy's options.
func strategy() -> (any Strategy)? {
    guard options["shared-memory"] != nil || options["bucket-mb"] != nil || options["overlap"] != nil else { return nil }
    return DataParallelStrategy(bucketCapMB: options["bucket-mb"].flatMap(Double.init) ?? 25,
                                sharedMemory: options["shared-memory"] != "false", overlapWithBackward: options["overlap"] == "true")
}
let out = options["out"] ?? "probe-out"
/// The run-metric callbacks `--monitors true` asks for.
func monitors() -> [any Callback] {
    options["monitors"] == "true" ? [ThroughputMonitor(windowSize: 2), DeviceStatsMonitor()] : []
}

/// The Trainer's accelerator: the emulated GPU installed for `--accelerator emulated-gpu`.
func accelerator() -> String {
    guard options["accelerator"] == "emulated-gpu" else { return "cpu" }
    CUDARuntime.install(.fake(FakeCUDADriver(deviceCount: 1, executor: .shared), compiler: HostKernelCompiler(),
                              matrixMultiplier: HostMatrixMultiplier(), cacheDirectory: NSTemporaryDirectory() + "ddp-probe-kernels-\(getpid())"))
    return "gpu"
}

do {
    seedEverything(UInt64(int("seed", 0)))
    let failure = options["failure"].map { ProbeModel.Failure(mode: $0, rank: int("rank", 1), step: int("step", 2)) }
    let model = ProbeModel(optimizer: options["optimizer"] ?? "sgd", failure: failure, batchNorm: options["batchnorm"] == "true")
    model.slowRank = options["slow-rank"].flatMap(Int.init)
    let root = options["root"] ?? NSTemporaryDirectory()
    let trainer = Trainer(maxEpochs: int("epochs", 1), maxSteps: options["steps"].flatMap(Int.init), numSanityValSteps: 0,
                          logEveryNSteps: 1, accumulateGradBatches: int("accumulate", 1), enableCheckpointing: options["checkpoint-every"] != nil,
                          enableProgressBar: false, enableModelSummary: false, defaultRootDir: root,
                          callbacks: (options["checkpoint-every"].map { [ModelCheckpoint(dirpath: "\(root)/checkpoints", saveLast: true,
                                                                                         everyNTrainSteps: Int($0)!)] } ?? []) + monitors(),
                          logger: options["monitors"] != nil ? .logger(CSVLogger(saveDir: root)) : false,
                          accelerator: accelerator(), allowDeviceSharing: true, strategy: strategy(),
                          profiler: options["profiler"].map { ProfilerSetting.named($0) },
                          detectAnomaly: options["detect-anomaly"] == "true", syncBatchnorm: options["sync-batchnorm"] == "true")
    let world = trainer.worldSize
    switch mode {
    case "fit", "fail":
        let globalBatch = int("global-batch", 16)
        guard globalBatch % world == 0 else { throw LightningError.misconfiguration("global batch \(globalBatch) does not split over \(world) ranks") }
        let train = DataLoader(ProbeData.dataset(count: int("samples", 64), seed: 1), batchSize: globalBatch / world,
                               shuffle: options["shuffle"] == "true")
        let val = mode == "fail" || options["val"] != nil ? DataLoader(ProbeData.dataset(count: int("val", 10), seed: 2), batchSize: 4) : nil
        try trainer.fit(model, trainDataloaders: train, valDataloaders: val, ckptPath: options["resume"])
        if trainer.isGlobalZero { try model.save(to: out) }
    case "validate":
        let val = DataLoader(ProbeData.dataset(count: int("val", 13), seed: 2), batchSize: int("batch", 4))
        let metrics = try trainer.validate(model, dataloaders: val, verbose: false)[0]
        if trainer.isGlobalZero {
            try JSONSerialization.data(withJSONObject: metrics, options: [.sortedKeys]).write(to: URL(fileURLWithPath: out))
        }
    case "predict":
        let data = DataLoader(ProbeData.dataset(count: int("val", 11), seed: 2), batchSize: int("batch", 4))
        let writer = PredictionWriter(path: out)
        let limit: BatchLimit = options["limit"].map { $0.contains(".") ? .fraction(Double($0)!) : .count(Int($0)!) } ?? 1.0
        let predictor = Trainer(limitPredictBatches: limit, enableCheckpointing: false, enableProgressBar: false, enableModelSummary: false,
                                defaultRootDir: root, callbacks: [writer], logger: false)
        let batches = try predictor.predict(model, dataloaders: data, returnPredictions: options["return"] != "false")
        print("rank \(predictor.globalRank) batches \(batches.count)")
    case "collectives":
        let collectives = Trainer(maxSteps: 1, numSanityValSteps: 0, enableCheckpointing: false, enableProgressBar: false,
                                  enableModelSummary: false, defaultRootDir: root, logger: false)
        let train = DataLoader(ProbeData.dataset(count: 8 * collectives.worldSize, seed: 1), batchSize: 4)
        try collectives.fit(CollectivesModel(), trainDataloaders: train)
    case "options":
        try TrainerOptionsProbe.run(scenario: options["scenario"] ?? "", options: options, out: out, root: root)
    case "sync-batchnorm":
        try SyncBatchNormCheck.run(strategy: trainer.strategy, samples: int("samples", 32))
    case "modelless-predict":
        try ModellessPredict.run(root: root, samples: int("val", 11), batch: int("batch", 4))
    case "multi-loaders":
        try MultiLoaders.run(root: root, out: out)
    default:
        throw LightningError.misconfiguration("unknown mode \(mode)")
    }
    print("rank \(trainer.globalRank) of \(world) done")
} catch LightningError.interrupted(let signal, let checkpoint) {
    print("interrupted by \(signal); checkpoint \(checkpoint)")
    exit(3)
} catch {
    FileHandle.standardError.write(Data("[rank ?] \(error)\n".utf8))
    exit(1)
}
