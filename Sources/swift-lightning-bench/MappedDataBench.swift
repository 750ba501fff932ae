import Foundation
import LightningData
import LightningTensor

/// Mapped datasets and parallel workers: `dataset_open_s` (open a generated 256 MiB `.npy` and
/// fetch a shuffled first batch), `mapped_step_overhead_pct` (the MLP step fed from the mapped
/// file vs from the same rows in memory, pages cached); `WorkerTransformBench` measures the
/// parallel workers.
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
    }

    /// Best of three whole epochs of each loader, alternated (the machine is shared and noisy).
    static func alternatedBest(_ a: DataLoader<(Tensor, Tensor)>, _ b: DataLoader<(Tensor, Tensor)>,
                               step: (Tensor, Tensor) -> Void) -> (Double, Double) {
        func epoch(_ loader: DataLoader<(Tensor, Tensor)>) -> Double { timedEpoch(loader, step: step) }
        _ = epoch(a); _ = epoch(b)
        var bestA = Double.infinity, bestB = Double.infinity
        for _ in 0..<3 {
            bestA = min(bestA, epoch(a))
            bestB = min(bestB, epoch(b))
        }
        return (bestA, bestB)
    }

    /// Seconds one whole epoch of `loader` takes, running `step` on every batch.
    static func timedEpoch(_ loader: DataLoader<(Tensor, Tensor)>, step: (Tensor, Tensor) -> Void) -> Double {
        let start = now()
        for (x, y) in loader { step(x, y) }
        return now() - start
    }
}
