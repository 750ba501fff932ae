import Safetensors

/// Reads and writes `Tensor`s as safetensors files (huggingface/safetensors), the checkpoint format
/// of this package: nothing in a file executes on load, and Python's `safetensors` reads what we
/// write. Built on the `Safetensors` codec module, which works on bytes, dtypes and shapes.
///
/// Writing stores float32 as `F32` and int64 as `I64`; reading widens the other types PyTorch
/// writes: floating types to float32, integer and boolean types to int64.
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
