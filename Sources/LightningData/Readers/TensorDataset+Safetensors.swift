/// Datasets stored as named tensors in a safetensors file (e.g. written from Python with
/// `safetensors.torch.save_file({"x": x, "y": y}, path)`), read with LightningTensor's codec.
extension TensorDataset where Element == (Tensor, Tensor) {
    /// `(input, target)` samples from the tensors named `input` and `target` in the file.
    public init(safetensorsFile path: String, input: String = "x", target: String = "y") throws {
        let tensors = try readSafetensorsColumns(path, names: [input, target])
        self.init(tensors[0], tensors[1])
    }
}

extension TensorDataset where Element == [Tensor] {
    /// Samples holding one row of each named tensor, in the order of `names`.
    public init(safetensorsFile path: String, names: [String]) throws {
        self.init(tensors: try readSafetensorsColumns(path, names: names))
    }
}

/// Reads `names` from a safetensors file, checking each exists and they share a first dimension.
///
/// Codec errors become ``DataError``s so callers handle one error type for every reader.
func readSafetensorsColumns(_ path: String, names: [String]) throws -> [Tensor] {
    let file: SafetensorsFile
    do {
        file = try Safetensors.read(path: path)
    } catch let error as SafetensorsError {
        if case .io = error.problem {
            throw DataError(.unreadable, file: path, error.description)
        }
        throw DataError(.malformed, file: path, error.description)
    }
    var columns: [Tensor] = []
    for name in names {
        guard let tensor = file[name] else {
            throw DataError(.mismatch, file: path, "no tensor named '\(name)' (the file has: \(file.names.joined(separator: ", ")))")
        }
        if tensor.shape.isEmpty {
            throw DataError(.mismatch, file: path, "tensor '\(name)' is a scalar; a dataset column needs a sample dimension")
        }
        if let first = columns.first, first.shape[0] != tensor.shape[0] {
            throw DataError(.mismatch, file: path, "tensor '\(name)' has \(tensor.shape[0]) rows but '\(names[0])' has \(first.shape[0])")
        }
        columns.append(tensor)
    }
    return columns
}
