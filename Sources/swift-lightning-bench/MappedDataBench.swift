import Foundation
import LightningData
import LightningTensor

/// Mapped datasets and parallel workers: `dataset_open_s` (open a generated 256 MiB `.npy` and
/// fetch a shuffled first batch), `mapped_step_overhead_pct` (the MLP step fed from the mapped
/// file vs from the same rows in memory, pages cached) and `worker_transform_step_ratio` (an
/// epoch with a per-sample transform as costly as the step, on 2 workers, vs no transform).
enum MappedDataBench {
    /// Rows of 784 float32 features: 85,598 × 3,136 bytes ≈ 256 MiB.
    static let rows = 85_598, features = 784

    static func run(samples: Int, batch: Int, generator: Generator, wanted: (String) -> Bool) throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("lightning-bench-\(getpid())").path
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let xPath = directory + "/x.npy", yPath = directory + "/y.npy"
        try NPY.write(Tensor.randn([rows, features], generator: generator), to: xPath)
        try NPY.write(Tensor.randint(0, 10, [rows], generator: generator), to: yPath)
        let bytes = (try FileManager.default.attributesOfItem(atPath: xPath)[.size] as? Int) ?? 0
        report("dataset_file_mib", Double(bytes) / 1_048_576, digits: 1)

        if wanted("dataset_open") {
            // Both paths find the file in the page cache (just written): the in-memory path still
            // copies all of it, the mapped one parses a header and gathers one batch.
            func open(mapped: Bool) throws -> Double {
                let start = now()
                let loader: DataLoader<(Tensor, Tensor)>
                if mapped {
                    loader = DataLoader(MappedTensorDataset(try NPY.map(path: xPath), try NPY.map(path: yPath)),
                                        batchSize: batch, shuffle: true, seed: 1, prefetch: 0)
                } else {
                    loader = DataLoader(TensorDataset(try NPY.read(path: xPath), try NPY.read(path: yPath)),
                                        batchSize: batch, shuffle: true, seed: 1, prefetch: 0)
                }
                var it = loader.makeIterator()
                _ = it.next()
                return now() - start
            }
            report("dataset_open_s", try (0..<3).map { _ in try open(mapped: true) }.min()!, digits: 5)
            report("dataset_open_in_memory_s", try (0..<3).map { _ in try open(mapped: false) }.min()!, digits: 3)
        }

        if wanted("mapped_step") {
            let mapped = MappedTensorDataset(try NPY.map(path: xPath), try NPY.map(path: yPath))
            let head = Array(0..<samples)
            let memory = TensorDataset(mapped.arrays[0].gatheringRows(head), mapped.arrays[1].gatheringRows(head))
            let model = LayerWorkload.mlp(generator: generator)
            let fromMap = DataLoader(Subset(mapped, indices: head), batchSize: batch, shuffle: true, seed: 1)
            let fromMemory = DataLoader(memory, batchSize: batch, shuffle: true, seed: 1)
            let (m, r) = alternatedBest(fromMap, fromMemory) { model.step($0, $1) }
            report("mapped_step_overhead_pct", (m - r) / r * 100, digits: 2)
        }

        if wanted("worker_transform") {
            let x = Tensor.randn([samples, features], generator: generator)
            let y = Tensor.randint(0, 10, [samples], generator: generator)
            let data = TensorDataset(x, y)
            let model = LayerWorkload.mlp(generator: generator)
            // Calibrate the transform so one batch of it (sample by sample, as the workers run
            // it) costs about one step: its cost is linear in `passes`, so two probes fix it.
            let step = measure(warmup: 3, repetitions: 20) { model.step(x[rows: 0..<batch], y[rows: 0..<batch]) }
            let rows = (0..<batch).map { x[rows: $0..<$0 + 1] }
            func batchCost(passes: Int) -> Double {
                measure(warmup: 2, repetitions: 15) { for (i, row) in rows.enumerated() { _ = busyTransform(row, Generator(seed: UInt64(i)), passes: passes) } }
            }
            let one = batchCost(passes: 1), nine = batchCost(passes: 9)
            let perPass = max((nine - one) / 8, 1e-9)
            let passes = max(1, Int(((step - (one - perPass)) / perPass).rounded()))
            report("worker_transform_cost_per_step", batchCost(passes: passes) / step, digits: 2)
            let transformed = data.map { (sample: (Tensor, Tensor), rng: Generator) in (busyTransform(sample.0, rng, passes: passes), sample.1) }
            let plain = DataLoader(data, batchSize: batch, shuffle: true, seed: 1, numWorkers: 2)
            let augmented = DataLoader(transformed, batchSize: batch, shuffle: true, seed: 1, numWorkers: 2)
            let (a, p) = alternatedBest(augmented, plain) { model.step($0, $1) }
            report("worker_transform_passes", Double(passes), digits: 0)
            report("worker_transform_step_ratio", a / p, digits: 3)
            // The same transform on the training thread (no workers), for scale: about 2 when
            // the transform costs one step.
            let inline = DataLoader(transformed, batchSize: batch, shuffle: true, seed: 1, prefetch: 0)
            let (i, q) = alternatedBest(inline, plain) { model.step($0, $1) }
            report("worker_transform_inline_step_ratio", i / q, digits: 3)
            // The whole transformed path (per-sample access, the transform, collation) per batch,
            // on this thread with no step, in steps: what the workers must fit in the spare core.
            let batches = Double(inline.count)
            let loaderOnly = (0..<3).map { _ in let start = now(); for _ in inline {}; return now() - start }.min()!
            report("worker_transform_loader_cost_per_step", loaderOnly / batches / step, digits: 2)
        }
    }

    /// Best of three whole epochs of each loader, alternated (the machine is shared and noisy).
    static func alternatedBest(_ a: DataLoader<(Tensor, Tensor)>, _ b: DataLoader<(Tensor, Tensor)>,
                               step: (Tensor, Tensor) -> Void) -> (Double, Double) {
        func epoch(_ loader: DataLoader<(Tensor, Tensor)>) -> Double {
            let start = now()
            for (x, y) in loader { step(x, y) }
            return now() - start
        }
        _ = epoch(a); _ = epoch(b)
        var bestA = Double.infinity, bestB = Double.infinity
        for _ in 0..<3 {
            bestA = min(bestA, epoch(a))
            bestB = min(bestB, epoch(b))
        }
        return (bestA, bestB)
    }

    /// A stand-in for augmentation: `passes` rounds of a noisy affine update over every element.
    static func busyTransform(_ x: Tensor, _ rng: Generator, passes: Int) -> Tensor {
        var values = x.scalars
        for _ in 0..<passes {
            let a = 1 - rng.nextUniform() * 1e-3, b = rng.nextUniform() * 1e-3
            for j in values.indices { values[j] = (values[j] * a + b) * 0.5 + values[j].magnitude.squareRoot() * 0.5 }
        }
        return Tensor(shape: x.shape, scalars: values)
    }
}
