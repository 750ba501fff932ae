import LightningDistributed

/// Puts every rank's predictions back together on rank 0 in dataset order.
///
/// Each rank sends its outputs as one block (rows are samples) with their dataset indices; rank 0
/// then rebuilds the batches the unsharded loader would have made, so the result equals what one
/// process predicting the whole dataset returns.
struct PredictionGather {
    let communicator: any Communicator

    func gather(_ outputs: [Tensor], indices: [[Int]], batches: [[Int]]) throws -> [Tensor] {
        let local = outputs.isEmpty ? nil : (outputs.count == 1 ? outputs[0] : Tensor.cat(outputs, dim: 0))
        let flatIndices = indices.flatMap { $0 }.map(Int64.init)
        if let local, local.shape.first != flatIndices.count {
            throw LightningError.misconfiguration("predict: rank \(communicator.rank)'s outputs have \(local.shape.first ?? 0) rows for \(flatIndices.count) samples; predictStep must return one row per sample")
        }
        // Header: dtype (0 float32, 1 int64, -1 none) and the trailing shape.
        let header: [Int64] = local.map { [$0.dtype == .float32 ? 0 : 1] + $0.shape.dropFirst().map(Int64.init) } ?? [-1]
        let headers = communicator.gather(header, root: 0)
        let allIndices = communicator.gather(flatIndices, root: 0)
        let isInt = local?.dtype == .int64
        var floats: [[Float]] = [], ints: [[Int64]] = []
        // Every rank must take the same branch: the dtype is agreed from rank 0's view afterwards,
        // so both gathers run, one of them empty.
        floats = communicator.gather(isInt || local == nil ? [] : local!.scalars, root: 0)
        ints = communicator.gather(isInt ? local!.withUnsafeInt64BufferPointer { Array($0) } : [], root: 0)
        guard communicator.rank == 0 else { return [] }

        let described = headers.filter { $0.first != -1 }
        guard let reference = described.first else { return [] }
        guard described.allSatisfy({ $0 == reference }) else {
            throw LightningError.misconfiguration("predict: ranks returned outputs of different dtypes or shapes: \(headers)")
        }
        let dtype: DType = reference[0] == 0 ? .float32 : .int64
        let trailing = reference.dropFirst().map(Int.init)
        let width = trailing.reduce(1, *)
        var location: [Int: (rank: Int, row: Int)] = [:]
        for (rank, rankIndices) in allIndices.enumerated() {
            for (row, index) in rankIndices.enumerated() where location[Int(index)] == nil { location[Int(index)] = (rank, row) }
        }
        // The batches are exactly what the ranks were planned to run: an output for any other
        // index means a rank ran batches the plan does not hold.
        let expected = Set(batches.joined())
        if let stray = location.keys.first(where: { !expected.contains($0) }) {
            throw LightningError.misconfiguration("predict: a rank returned an output for dataset index \(stray), outside the batches the ranks were to run")
        }
        return try batches.map { batch in
            let shape = [batch.count] + trailing
            if dtype == .float32 {
                var values = [Float](); values.reserveCapacity(batch.count * width)
                for index in batch {
                    guard let (rank, row) = location[index] else { throw missing(index) }
                    values += floats[rank][(row * width)..<((row + 1) * width)]
                }
                return Tensor(shape: shape, scalars: values)
            } else {
                var values = [Int64](); values.reserveCapacity(batch.count * width)
                for index in batch {
                    guard let (rank, row) = location[index] else { throw missing(index) }
                    values += ints[rank][(row * width)..<((row + 1) * width)]
                }
                return Tensor(shape: shape, int64Scalars: values)
            }
        }
    }

    private func missing(_ index: Int) -> LightningError {
        .misconfiguration("predict: no rank returned an output for dataset index \(index)")
    }
}
