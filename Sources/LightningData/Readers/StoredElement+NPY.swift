/// The `.npy` element types we read, by their `descr` (`<f4`, `>i2`, `|b1`, …).
extension StoredElement {
    /// The element type a NumPy `descr` names, or `nil` for one we do not read.
    init?(npyDescr descr: String) {
        guard descr.count >= 3, let order = descr.first else { return nil }
        let bigEndian: Bool
        switch order {
        case "<": bigEndian = false
        case ">": bigEndian = true
        case "|", "=": bigEndian = 1.bigEndian == 1  // single bytes, or this machine's order
        default: return nil
        }
        let kinds: [String: Kind] = [
            "f4": .float32, "f8": .float64, "i1": .int8, "i2": .int16, "i4": .int32, "i8": .int64,
            "u1": .uint8, "u2": .uint16, "u4": .uint32, "b1": .bool,
        ]
        guard let kind = kinds[String(descr.dropFirst())] else { return nil }
        self.init(kind, bigEndian: bigEndian)
    }
}
