import Foundation
import LightningTensor

/// A file `torch.save` wrote: a zip archive holding `<name>/data.pkl` (the pickled object) and
/// `<name>/data/<key>` (one entry per storage), read without executing anything.
struct TorchArchive {
    /// The archive.
    let zip: ZipArchive
    /// The folder every entry is under (`archive/`, or the file's stem for older writers).
    let prefix: String
    /// The pickled object, tensors as references.
    let root: PickleValue
    /// Whether storages are big-endian (`byteorder` says so).
    let bigEndian: Bool
    /// The entries under `<prefix>data/` by storage key.
    let storageEntries: [String: ZipArchive.Entry]

    /// Reads the archive in `data` and unpickles its `data.pkl`.
    init(data given: Data) throws {
        // Offsets below count from the first byte; a slice of a larger Data is copied to start at 0.
        let data = given.startIndex == 0 ? given : Data(given)
        guard data.count >= 4, Array(data.prefix(4)) == ZipArchive.magic else {
            throw TorchFormatError("not a torch.save zip archive (it does not start with PK\\x03\\x04); files of torch's legacy format are not read")
        }
        let zip = try ZipArchive(data: data)
        guard let pickle = zip.entries.first(where: { $0.name.hasSuffix("data.pkl") && $0.name.split(separator: "/").count == 2 }) else {
            throw TorchFormatError("zip archive has no '<name>/data.pkl' entry, so it is not a torch.save file")
        }
        let prefix = String(pickle.name.dropLast("data.pkl".count))
        let bigEndian: Bool
        if let order = zip.entries.first(where: { $0.name == prefix + "byteorder" }) {
            let text = String(decoding: zip.bytes(of: order), as: UTF8.self)
            guard text == "little" || text == "big" else { throw TorchFormatError("byteorder entry says '\(text.prefix(16))'") }
            bigEndian = text == "big"
        } else {
            bigEndian = false
        }
        self.bigEndian = bigEndian
        var unpickler = Unpickler(Array(zip.bytes(of: pickle)))
        let storagePrefix = prefix + "data/"
        var storageEntries: [String: ZipArchive.Entry] = [:]
        for entry in zip.entries where entry.name.hasPrefix(storagePrefix) && storageEntries[String(entry.name.dropFirst(storagePrefix.count))] == nil {
            storageEntries[String(entry.name.dropFirst(storagePrefix.count))] = entry
        }
        self.storageEntries = storageEntries
        let root = try unpickler.load { id in
            guard case .tuple(let parts) = id, parts.count == 5, parts[0] == .string("storage"),
                  case .global(let typeName) = parts[1], case .string(let key) = parts[2], case .int(let count) = parts[4] else {
                throw TorchFormatError("persistent id is not ('storage', type, key, location, numel)")
            }
            guard typeName.hasPrefix("torch."), let type = TorchStorageType(rawValue: String(typeName.dropFirst(6))) else {
                throw TorchFormatError("'\(typeName)' is not a storage type")
            }
            guard let size = storageEntries[key]?.size else { throw TorchFormatError("storage '\(key)' has no entry '\(storagePrefix + key)'") }
            guard count >= 0, Int(count) <= size / type.byteSize else {
                throw TorchFormatError("storage '\(key)' claims \(count) elements of \(type.byteSize) bytes but its entry holds \(size) bytes")
            }
            return TorchStorageReference(key: key, type: type, count: Int(count))
        }
        self.zip = zip
        self.prefix = prefix
        self.root = root
    }

    /// The tensor `reference` describes, read from its storage: float types as float32, integer
    /// and boolean types as int64. Any non-negative strides are honoured; a view that reaches
    /// past its storage, or holds more elements than it, is refused.
    func tensor(_ reference: TorchTensorReference) throws -> Tensor {
        let storage = reference.storage
        var count = 1
        var last = reference.offset
        // The product of the non-zero sizes must fit, so no later shape arithmetic can overflow.
        guard !reference.shape.reduce((1, false), { partial, size in
            let (product, overflow) = partial.0.multipliedReportingOverflow(by: max(size, 1))
            return (product, partial.1 || overflow)
        }).1 else { throw TorchFormatError("tensor shape \(reference.shape) overflows") }
        for (size, stride) in Swift.zip(reference.shape, reference.strides) {
            let (product, overflow) = count.multipliedReportingOverflow(by: size)
            guard !overflow else { throw TorchFormatError("tensor shape \(reference.shape) overflows") }
            count = product
            if size > 0 {
                let (reach, reachOverflow) = (size - 1).multipliedReportingOverflow(by: stride)
                let (sum, sumOverflow) = last.addingReportingOverflow(reach)
                guard !reachOverflow, !sumOverflow else { throw TorchFormatError("tensor strides \(reference.strides) overflow") }
                last = sum
            }
        }
        guard count <= storage.count else {
            throw TorchFormatError("tensor of shape \(reference.shape) has more elements than its storage '\(storage.key)' (\(storage.count))")
        }
        guard count == 0 || last < storage.count else {
            throw TorchFormatError("tensor (shape \(reference.shape), stride \(reference.strides), offset \(reference.offset)) reaches past its storage '\(storage.key)' of \(storage.count) elements")
        }
        let element = StoredElement(storage.type.kind, bigEndian: bigEndian)
        let tensor = Tensor(uninitializedShape: reference.shape, dtype: element.defaultDType)
        guard count > 0 else { return tensor }
        guard let entry = storageEntries[storage.key] else { throw TorchFormatError("storage '\(storage.key)' has no entry") }
        let width = element.byteSize
        let contiguous = Self.contiguousStrides(reference.shape)
        zip.data.withUnsafeBytes { (file: UnsafeRawBufferPointer) in
            let base = file.baseAddress! + entry.offset
            if Swift.zip(reference.shape, Swift.zip(reference.strides, contiguous)).allSatisfy({ $0.0 == 1 || $0.1.0 == $0.1.1 }) {
                element.decode(base + reference.offset * width, count: count, into: tensor)
                return
            }
            // A strided view: gather its elements in row-major order, then convert them.
            var gathered = [UInt8](repeating: 0, count: count * width)
            var index = [Int](repeating: 0, count: reference.shape.count)
            gathered.withUnsafeMutableBytes { out in
                for k in 0..<count {
                    var source = reference.offset
                    for d in index.indices { source += index[d] * reference.strides[d] }
                    out.baseAddress!.advanced(by: k * width).copyMemory(from: base + source * width, byteCount: width)
                    var d = index.count - 1
                    while d >= 0 {
                        index[d] += 1
                        if index[d] < reference.shape[d] { break }
                        index[d] = 0
                        d -= 1
                    }
                }
                element.decode(out.baseAddress!, count: count, into: tensor)
            }
        }
        return tensor
    }

    /// Row-major strides of `shape`.
    static func contiguousStrides(_ shape: [Int]) -> [Int] {
        var strides = [Int](repeating: 1, count: shape.count)
        var running = 1
        for d in shape.indices.reversed() {
            strides[d] = running
            running &*= max(shape[d], 1)
        }
        return strides
    }
}
