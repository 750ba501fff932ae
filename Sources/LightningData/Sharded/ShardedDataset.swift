/// A dataset stored as a directory of shards (`.npy` or safetensors files of N samples each, the
/// last possibly shorter) described by an `index.json` (``ShardIndex``); `swift-lightning data
/// shard` writes one.
///
/// Sample `i` is row `i - starts[s]` of shard `s`, where `starts` are the prefix sums of the
/// shards' sample counts. Opening reads only the index and checks the files against it (sizes
/// always; CRC-32C checksums and headers unless `verifyChecksums` is false, see
/// ``init(directory:input:target:targetDType:verifyChecksums:)``); a shard is mapped the first
/// time one of its samples is read, and a batch gathers its rows straight from the mappings, so
/// a process touches only the pages of the samples it reads. Batches are bit-identical to those
/// of an in-memory ``TensorDataset`` over the same arrays, for the same indices.
///
/// How an epoch visits the samples is the loader's choice (``ShardOrder``): the ordinary
/// shuffled loader gives the in-memory order exactly; ``ShardLocalSampler`` reads whole shards
/// per rank.
public struct ShardedDataset<Element>: Dataset {
    /// The dataset's directory.
    public let directory: String
    /// Its index.
    public var index: ShardIndex { mappings.index }
    /// The number of samples in all shards.
    public let count: Int
    /// `shardStarts[s]` is shard `s`'s first sample; the last entry is ``count``.
    public let shardStarts: [Int]
    /// Which of the index's columns a sample holds, in order.
    let columns: [Int]
    /// The dtype each selected column converts to.
    let dtypes: [DType]
    let mappings: ShardMappings
    let assemble: ([Tensor]) -> Element

    /// Opens the dataset in `directory`: parses the index, then checks every shard file's size
    /// and (with `verifyChecksums`) its CRC-32C and headers against it; throws one
    /// ``ShardedDatasetError`` listing every problem.
    ///
    /// - Parameters:
    ///   - columns: the names of the arrays each sample holds, in order.
    ///   - dtypes: the dtype each converts to (`nil` keeps the stored one).
    init(directory: String, columns names: [String], dtypes: [DType?], verifyChecksums: Bool,
         assemble: @escaping ([Tensor]) -> Element) throws {
        let index = try ShardIndex.read(directory: directory)
        var problems: [String] = []
        var columns: [Int] = []
        for name in names {
            if let c = index.columns.firstIndex(where: { $0.name == name }) {
                columns.append(c)
            } else {
                problems.append("\(directory)/\(ShardIndex.fileName): no array named '\(name)' (the index has: \(index.columns.map(\.name).joined(separator: ", ")))")
            }
        }
        problems += index.problems(directory: directory, checksums: verifyChecksums)
        if !problems.isEmpty { throw ShardedDatasetError(directory: directory, problems: problems) }
        self.directory = directory
        self.mappings = ShardMappings(index: index, directory: directory)
        self.shardStarts = index.shardStarts
        self.count = index.sampleCount
        self.columns = columns
        self.dtypes = zip(columns, dtypes).map { $1 ?? index.columns[$0].dtype }
        self.assemble = assemble
    }

    /// The shard holding sample `index` and the sample's row in it.
    public func location(of index: Int) -> (shard: Int, row: Int) {
        checkIndex(index, count: count, op: "ShardedDataset")
        // The last start <= index: a binary search over the prefix sums.
        var low = 0, high = shardStarts.count - 1
        while high - low > 1 {
            let mid = (low + high) / 2
            if shardStarts[mid] <= index { low = mid } else { high = mid }
        }
        return (low, index - shardStarts[low])
    }

    /// The positions of `indices` grouped by the shard their sample is in, in shard order (empty
    /// groups left out); what ``ShardLocalSampler`` needs for a split or any subset of samples.
    public func shardGroups(of indices: [Int]) -> [[Int]] {
        var groups = Array(repeating: [Int](), count: shardStarts.count - 1)
        for (position, index) in indices.enumerated() { groups[location(of: index).shard].append(position) }
        return groups.filter { !$0.isEmpty }
    }

    /// Sample `index`: its row of every selected column.
    public subscript(index: Int) -> Element {
        assemble(gather([index]).map { Tensor(storage: $0.storage, shape: Array($0.shape.dropFirst()), dtype: $0.dtype) })
    }

    /// Rows `indices` of every selected column gathered from the shards' mappings into new batch tensors.
    public func batch(at indices: [Int]) -> Element? { assemble(gather(indices)) }

    /// Column `k` of every sample (`k` in the order of the element), read from every shard: e.g.
    /// the labels, to count classes, without reading the inputs.
    public func materializedColumn(_ k: Int) -> Tensor { gather(Array(0..<count), selected: [k])[0] }

    /// How many shards this process has mapped so far.
    public var mappedShardCount: Int { mappings.mappedCount }

    /// One tensor per selected column holding rows `indices`.
    private func gather(_ indices: [Int], selected: [Int]? = nil) -> [Tensor] {
        let columnInfo = mappings.index.columns
        let selected = selected ?? Array(columns.indices)
        let outputs = selected.map { k in
            Tensor(uninitializedShape: [indices.count] + columnInfo[columns[k]].sampleShape, dtype: dtypes[k])
        }
        var shard = -1
        var arrays: [MappedArray] = []
        for (slot, index) in indices.enumerated() {
            let (s, row) = location(of: index)
            if s != shard {
                shard = s
                arrays = mappings.arrays(s)
            }
            for (out, k) in selected.enumerated() {
                let array = arrays[columns[k]]
                (array.dtype == dtypes[k] ? array : array.converted(to: dtypes[k])).copyRow(row, into: outputs[out], slot: slot)
            }
        }
        return outputs
    }
}

extension ShardedDataset where Element == (Tensor, Tensor) {
    /// `(input, target)` samples from the arrays named `input` and `target`; inputs convert to
    /// float32 and targets to `targetDType` (`nil`: as stored), as the other file datasets do.
    ///
    /// Throws one ``ShardedDatasetError`` listing every problem found: an index that does not
    /// parse, an array name it lacks, a missing shard file, a size, checksum, row count, shape or
    /// dtype that disagrees with the index. Checksums (`verifyChecksums`, the default) read every
    /// shard once at open, in every process that opens it; for data too large for that pass
    /// `false`: sizes are still checked, and each file's header when it is first mapped (a
    /// mismatch then stops the run naming the file).
    public init(directory: String, input: String = "x", target: String = "y", targetDType: DType? = nil,
                verifyChecksums: Bool = true) throws {
        try self.init(directory: directory, columns: [input, target], dtypes: [.float32, targetDType],
                      verifyChecksums: verifyChecksums) { ($0[0], $0[1]) }
    }
}

extension ShardedDataset where Element == [Tensor] {
    /// Samples holding one row of each named array (`nil`: every array of the index), as stored.
    public init(directory: String, columns: [String]? = nil, verifyChecksums: Bool = true) throws {
        let names = try columns ?? ShardIndex.read(directory: directory).columns.map(\.name)
        try self.init(directory: directory, columns: names, dtypes: names.map { _ in nil },
                      verifyChecksums: verifyChecksums) { $0 }
    }
}
