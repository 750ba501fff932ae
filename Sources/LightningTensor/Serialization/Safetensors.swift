/// Reads and writes the safetensors format (huggingface/safetensors), the checkpoint format of
/// this package: nothing in a file executes on load, and Python's `safetensors` reads what we write.
///
/// Layout: an 8-byte little-endian header length N, N bytes of UTF-8 JSON (padded with spaces to a
/// multiple of 8) mapping each tensor name to `{"dtype", "shape", "data_offsets"}` plus an optional
/// `"__metadata__"` string map, then the data section, where each tensor's little-endian bytes lie at
/// its `data_offsets` (relative to the data section), contiguous and in row-major order.
public enum Safetensors {}

/// The tensors and metadata of a safetensors file.
public struct SafetensorsFile {
    /// Tensor names in the order their bytes appear in the file.
    public var names: [String]
    /// The tensors by name (float32 or int64; narrower file types widened).
    public var tensors: [String: Tensor]
    /// The `__metadata__` map (empty when the file has none).
    public var metadata: [String: String]
    /// Each tensor's dtype as stored in the file, before widening.
    public var storedDTypes: [String: SafetensorsDType]

    /// Creates a file's contents.
    public init(names: [String], tensors: [String: Tensor], metadata: [String: String], storedDTypes: [String: SafetensorsDType]) {
        self.names = names
        self.tensors = tensors
        self.metadata = metadata
        self.storedDTypes = storedDTypes
    }

    /// The tensor named `name`, if present.
    public subscript(name: String) -> Tensor? { tensors[name] }

    /// The tensors as `(name, tensor)` pairs in file order.
    public var orderedTensors: [(name: String, tensor: Tensor)] { names.map { ($0, tensors[$0]!) } }
}
