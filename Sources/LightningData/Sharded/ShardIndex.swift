/// The small file (`index.json`) that describes a directory of shards: what each sample holds
/// (per array: name, dtype and per-sample shape), and for each shard its sample count and its
/// files with their sizes and CRC-32C checksums.
///
/// ```json
/// {"format": "swift-lightning-shards", "version": 1, "file_format": "npy",
///  "arrays": [{"name": "x", "dtype": "float32", "sample_shape": [6]}, {"name": "y", "dtype": "int64", "sample_shape": []}],
///  "shards": [{"samples": 64, "files": [{"name": "shard-00000.x.npy", "bytes": 1664, "crc32c": 2899385631}, …]}, …]}
/// ```
///
/// With `npy` shards each array of a shard is its own file (in the order of `arrays`); with
/// `safetensors` one file per shard holds every array under its name.
public struct ShardIndex: Equatable, Sendable {
    /// The index's file name inside the dataset's directory.
    public static let fileName = "index.json"
    /// The value of the `format` key, which tells the index from other JSON files.
    public static let formatName = "swift-lightning-shards"
    /// The `version` this code writes and reads.
    public static let currentVersion = 1

    /// How shard files store their arrays.
    public enum FileFormat: String, Sendable, CaseIterable {
        /// One NumPy `.npy` file per array per shard.
        case npy
        /// One `.safetensors` file per shard holding every array.
        case safetensors
    }

    /// One array each sample holds a row of.
    public struct Column: Equatable, Sendable {
        /// Its name (the safetensors tensor name; part of the `.npy` file names).
        public var name: String
        /// The dtype its rows are stored in.
        public var dtype: DType
        /// The shape of one sample's row (`[]` for a scalar label).
        public var sampleShape: [Int]

        /// A column description.
        public init(name: String, dtype: DType, sampleShape: [Int]) {
            self.name = name
            self.dtype = dtype
            self.sampleShape = sampleShape
        }
    }

    /// One file of a shard and what it must be.
    public struct File: Equatable, Sendable {
        /// Its name, relative to the dataset's directory.
        public var name: String
        /// Its size in bytes.
        public var byteCount: Int
        /// The CRC-32C of all its bytes.
        public var crc32c: UInt32

        /// A file description.
        public init(name: String, byteCount: Int, crc32c: UInt32) {
            self.name = name
            self.byteCount = byteCount
            self.crc32c = crc32c
        }
    }

    /// One shard: consecutive samples stored in its own file(s).
    public struct Shard: Equatable, Sendable {
        /// The samples it holds.
        public var sampleCount: Int
        /// Its files: one per column (`npy`) or one (`safetensors`).
        public var files: [File]

        /// A shard description.
        public init(sampleCount: Int, files: [File]) {
            self.sampleCount = sampleCount
            self.files = files
        }
    }

    /// How the shard files store their arrays.
    public var fileFormat: FileFormat
    /// The arrays of each sample, in order.
    public var columns: [Column]
    /// The shards, in sample order.
    public var shards: [Shard]

    /// An index.
    public init(fileFormat: FileFormat, columns: [Column], shards: [Shard]) {
        self.fileFormat = fileFormat
        self.columns = columns
        self.shards = shards
    }

    /// Samples in all shards.
    public var sampleCount: Int { shards.reduce(0) { $0 + $1.sampleCount } }

    /// `starts[s]` is shard `s`'s first sample; the last entry is ``sampleCount``.
    public var shardStarts: [Int] {
        var starts = [0]
        starts.reserveCapacity(shards.count + 1)
        for shard in shards { starts.append(starts[starts.count - 1] + shard.sampleCount) }
        return starts
    }
}
