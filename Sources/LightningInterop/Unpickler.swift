/// A pickle reader that builds data and nothing else, like `torch.load(weights_only=True)`:
/// containers, numbers, strings, bytes, memo operations, persistent ids for storages, and
/// calls (`REDUCE`, `NEWOBJ`) only of the globals ``PickleGlobal`` allows. Any other global is
/// refused by name as soon as the pickle names it; no code of the file's choosing runs.
///
/// Every length is checked against the bytes left, so sizes come from the file itself.
struct Unpickler {
    /// The pickle's bytes.
    private let bytes: [UInt8]
    /// The next byte to read.
    private var position = 0
    private var stack: [PickleObject] = []
    private var marks: [Int] = []
    private var memo: [UInt32: PickleObject] = [:]

    /// How deep the result may nest.
    static let maximumDepth = 200

    init(_ bytes: [UInt8]) { self.bytes = bytes }

    /// Reads the pickle through `STOP`; `persistentLoad` turns a persistent id into a storage.
    mutating func load(persistentLoad: (PickleValue) throws -> TorchStorageReference) throws -> PickleValue {
        while true {
            let offset = position
            let opcode = try byte()
            do {
                if try step(opcode, persistentLoad: persistentLoad) { break }
            } catch let error as TorchFormatError {
                throw TorchFormatError("pickle opcode 0x\(String(opcode, radix: 16)) at offset \(offset): \(error.reason)")
            }
        }
        guard stack.count == 1, marks.isEmpty else { throw TorchFormatError("pickle ends with \(stack.count) values on its stack") }
        var budget = bytes.count * 4 + 1024
        return try stack[0].frozen(depth: Self.maximumDepth, budget: &budget)
    }

    /// Runs one opcode; true at `STOP`.
    private mutating func step(_ opcode: UInt8, persistentLoad: (PickleValue) throws -> TorchStorageReference) throws -> Bool {
        switch opcode {
        case 0x80: _ = try byte()                                   // PROTO
        case 0x95: _ = try take(8)                                  // FRAME
        case 0x2E: return true                                      // STOP
        case 0x28: marks.append(stack.count)                        // MARK
        case 0x7D: stack.append(.dict(PickleDict()))                // EMPTY_DICT
        case 0x5D: stack.append(.list(PickleList()))                // EMPTY_LIST
        case 0x29: stack.append(.tuple([]))                         // EMPTY_TUPLE
        case 0x8F: stack.append(.set(PickleList()))                 // EMPTY_SET
        case 0x74: stack.append(.tuple(try popMark()))              // TUPLE
        case 0x85, 0x86, 0x87:                                      // TUPLE1-3
            let items = try pop(Int(opcode - 0x84))
            stack.append(.tuple(items))
        case 0x6C: stack.append(.list(PickleList(try popMark())))   // LIST
        case 0x91: stack.append(.set(PickleList(try popMark())))    // FROZENSET
        case 0x64:                                                  // DICT
            let dict = PickleDict()
            try setItems(try popMark(), into: dict)
            stack.append(.dict(dict))
        case 0x61:                                                  // APPEND
            let item = try pop(1)
            try appendTo(top: item)
        case 0x65, 0x90:                                            // APPENDS, ADDITEMS
            let items = try popMark()  // before appendTo reads the stack
            try appendTo(top: items)
        case 0x73:                                                  // SETITEM
            let pair = try pop(2)
            try setItems(pair, into: try topDict())
        case 0x75:                                                  // SETITEMS
            let items = try popMark()
            try setItems(items, into: try topDict())
        case 0x4E: stack.append(.value(.none))                      // NONE
        case 0x88: stack.append(.value(.bool(true)))                // NEWTRUE
        case 0x89: stack.append(.value(.bool(false)))               // NEWFALSE
        case 0x4A: stack.append(.value(.int(Int64(Int32(bitPattern: UInt32(try littleEndian(4)))))))  // BININT
        case 0x4B: stack.append(.value(.int(Int64(try byte()))))    // BININT1
        case 0x4D: stack.append(.value(.int(Int64(try littleEndian(2)))))  // BININT2
        case 0x8A: stack.append(.value(.int(try long(Int(try byte())))))   // LONG1
        case 0x8B: stack.append(.value(.int(try long(try length(4)))))    // LONG4
        case 0x47:                                                  // BINFLOAT (big-endian)
            let raw = try take(8).reduce(UInt64(0)) { $0 << 8 | UInt64($1) }
            stack.append(.value(.float(Double(bitPattern: raw))))
        case 0x58: stack.append(.value(.string(try text(try length(4)))))   // BINUNICODE
        case 0x8C: stack.append(.value(.string(try text(Int(try byte())))))  // SHORT_BINUNICODE
        case 0x8D: stack.append(.value(.string(try text(try length(8)))))   // BINUNICODE8
        case 0x54: stack.append(.value(.string(try text(try length(4)))))   // BINSTRING
        case 0x55: stack.append(.value(.string(try text(Int(try byte())))))  // SHORT_BINSTRING
        case 0x42: stack.append(.value(.bytes(try take(try length(4)))))    // BINBYTES
        case 0x43: stack.append(.value(.bytes(try take(Int(try byte())))))  // SHORT_BINBYTES
        case 0x8E, 0x96: stack.append(.value(.bytes(try take(try length(8)))))  // BINBYTES8, BYTEARRAY8
        case 0x71: memo[UInt32(try byte())] = try top()             // BINPUT
        case 0x72: memo[UInt32(try littleEndian(4))] = try top()    // LONG_BINPUT
        case 0x94: memo[UInt32(truncatingIfNeeded: memo.count)] = try top()  // MEMOIZE
        case 0x68: stack.append(try memoized(UInt32(try byte())))   // BINGET
        case 0x6A: stack.append(try memoized(UInt32(try littleEndian(4))))  // LONG_BINGET
        case 0x30: _ = try pop(1)                                   // POP
        case 0x31: _ = try popMark()                                // POP_MARK
        case 0x32: stack.append(try top())                          // DUP
        case 0x63:                                                  // GLOBAL
            let module = try line()
            let name = try line()
            stack.append(try global(module: module, name: name))
        case 0x93:                                                  // STACK_GLOBAL
            let parts = try pop(2)
            guard case .value(.string(let module)) = parts[0], case .value(.string(let name)) = parts[1] else {
                throw TorchFormatError("STACK_GLOBAL needs two strings")
            }
            stack.append(try global(module: module, name: name))
        case 0x52, 0x81:                                            // REDUCE, NEWOBJ
            let parts = try pop(2)
            guard case .tuple(let arguments) = parts[1] else { throw TorchFormatError("call arguments are not a tuple") }
            stack.append(try call(parts[0], arguments))
        case 0x51:                                                  // BINPERSID
            var budget = 64
            let id = try pop(1)[0].frozen(depth: 4, budget: &budget)
            stack.append(.storage(try persistentLoad(id)))
        case 0x62:                                                  // BUILD
            // Only an OrderedDict's attributes (a state dict's `_metadata`), which are dropped.
            let state = try pop(1)[0]
            guard case .dict = try top(), case .dict = state else {
                throw TorchFormatError("BUILD (setting an object's state) is allowed only for a dict's attributes")
            }
        default:
            throw TorchFormatError("unsupported pickle opcode (the restricted reader accepts what torch.load(weights_only=True) accepts)")
        }
        return false
    }

    // MARK: Reading bytes

    private mutating func byte() throws -> UInt8 {
        guard position < bytes.count else { throw TorchFormatError("pickle ends without STOP (truncated)") }
        defer { position += 1 }
        return bytes[position]
    }

    private mutating func take(_ count: Int) throws -> [UInt8] {
        guard count >= 0, count <= bytes.count - position else {
            throw TorchFormatError("a \(count)-byte field runs past the end of the pickle")
        }
        defer { position += count }
        return Array(bytes[position..<(position + count)])
    }

    private mutating func littleEndian(_ width: Int) throws -> UInt64 {
        try take(width).reversed().reduce(UInt64(0)) { $0 << 8 | UInt64($1) }
    }

    /// A length field, which must fit the bytes left.
    private mutating func length(_ width: Int) throws -> Int {
        let value = try littleEndian(width)
        guard value <= UInt64(bytes.count - position) else { throw TorchFormatError("length \(value) runs past the end of the pickle") }
        return Int(value)
    }

    /// A two's-complement little-endian integer of `count` bytes that must fit 64 bits.
    private mutating func long(_ count: Int) throws -> Int64 {
        let raw = try take(count)
        guard count <= 8 else {
            let fill: UInt8 = (raw.last ?? 0) & 0x80 == 0 ? 0 : 0xFF
            guard raw[8...].allSatisfy({ $0 == fill }), (raw[7] & 0x80 == 0) == (fill == 0) else {
                throw TorchFormatError("integer of \(count) bytes does not fit 64 bits")
            }
            return try Self.signed(Array(raw[0..<8]))
        }
        return try Self.signed(raw)
    }

    private static func signed(_ raw: [UInt8]) throws -> Int64 {
        guard let last = raw.last else { return 0 }
        var value: UInt64 = last & 0x80 == 0 ? 0 : UInt64.max
        for b in raw.reversed() { value = value << 8 | UInt64(b) }
        return Int64(bitPattern: value)
    }

    private mutating func text(_ count: Int) throws -> String {
        let raw = try take(count)
        guard let text = String(validating: raw, as: UTF8.self) else { throw TorchFormatError("string is not valid UTF-8") }
        return text
    }

    /// A newline-terminated ASCII line (GLOBAL's module and name).
    private mutating func line() throws -> String {
        guard let end = bytes[position...].firstIndex(of: 0x0A), end - position <= 256 else {
            throw TorchFormatError("GLOBAL name is not a short line")
        }
        let raw = Array(bytes[position..<end])
        position = end + 1
        return String(decoding: raw, as: UTF8.self)
    }

    // MARK: The stack

    private func top() throws -> PickleObject {
        guard let last = stack.last, stack.count > (marks.last ?? 0) else {
            throw TorchFormatError("stack is empty")
        }
        return last
    }

    private mutating func pop(_ count: Int) throws -> [PickleObject] {
        guard stack.count - count >= (marks.last ?? 0) else { throw TorchFormatError("stack underflow") }
        defer { stack.removeLast(count) }
        return Array(stack.suffix(count))
    }

    private mutating func popMark() throws -> [PickleObject] {
        guard let mark = marks.popLast() else { throw TorchFormatError("no MARK on the stack") }
        defer { stack.removeLast(stack.count - mark) }
        return Array(stack[mark...])
    }

    private func memoized(_ index: UInt32) throws -> PickleObject {
        guard let object = memo[index] else { throw TorchFormatError("memo entry \(index) was never stored") }
        return object
    }

    private func topDict() throws -> PickleDict {
        guard case .dict(let dict) = try top() else { throw TorchFormatError("SETITEM(S) on something that is not a dict") }
        return dict
    }

    private func appendTo(top items: [PickleObject]) throws {
        switch try top() {
        case .list(let list), .set(let list): list.items.append(contentsOf: items)
        case let other: throw TorchFormatError("APPEND(S) on something that is not a list (\(other))")
        }
    }

    private func setItems(_ items: [PickleObject], into dict: PickleDict) throws {
        guard items.count % 2 == 0 else { throw TorchFormatError("odd number of dict items") }
        for k in stride(from: 0, to: items.count, by: 2) {
            if case .list = items[k] { throw TorchFormatError("unhashable dict key (a list)") }
            if case .dict = items[k] { throw TorchFormatError("unhashable dict key (a dict)") }
            dict.set(items[k], items[k + 1])
        }
    }

    // MARK: Globals and calls

    private func global(module: String, name: String) throws -> PickleObject {
        guard let allowed = PickleGlobal(module: module, name: name) else {
            throw TorchFormatError("refuses global '\(module).\(name)': a weights-only checkpoint may name only tensors, storages and plain containers (nothing was run)")
        }
        return .global(allowed, "\(module).\(name)")
    }

    private func call(_ callee: PickleObject, _ arguments: [PickleObject]) throws -> PickleObject {
        guard case .global(let global, let name) = callee else { throw TorchFormatError("call of something that is not an allowed global") }
        switch global {
        case .orderedDict:
            let dict = PickleDict()
            if let pairs = arguments.first {
                guard arguments.count == 1, case .list(let list) = pairs else { throw TorchFormatError("OrderedDict arguments must be a list of pairs") }
                for item in list.items {
                    guard case .tuple(let pair) = item, pair.count == 2 else { throw TorchFormatError("OrderedDict arguments must be a list of pairs") }
                    try setItems(pair, into: dict)
                }
            }
            return .dict(dict)
        case .rebuildTensor:
            return .value(.tensor(try Self.rebuildTensor(arguments)))
        case .rebuildParameter:
            guard arguments.count >= 3, arguments.count <= 4, case .value(.tensor(let tensor)) = arguments[0] else {
                throw TorchFormatError("\(name) needs (tensor, requires_grad, hooks)")
            }
            return .value(.tensor(tensor))
        case .set:
            guard arguments.count <= 1 else { throw TorchFormatError("\(name) takes one argument") }
            guard let first = arguments.first else { return .set(PickleList()) }
            switch first {
            case .list(let list), .set(let list): return .set(PickleList(list.items))
            case .tuple(let items): return .set(PickleList(items))
            default: throw TorchFormatError("\(name) of something that is not a list")
            }
        case .encode:
            guard arguments.count == 2, case .value(.string(let text)) = arguments[0], case .value(.string(let encoding)) = arguments[1],
                  encoding == "latin1" || encoding == "latin-1" else {
                throw TorchFormatError("_codecs.encode is allowed only as encode(text, 'latin1')")
            }
            var out: [UInt8] = []
            for scalar in text.unicodeScalars {
                guard scalar.value < 256 else { throw TorchFormatError("_codecs.encode: character outside latin-1") }
                out.append(UInt8(scalar.value))
            }
            return .value(.bytes(out))
        case .size:
            guard arguments.count == 1, case .tuple(let items) = arguments[0] else { throw TorchFormatError("torch.Size takes one tuple") }
            return .tuple(items)
        case .storage, .value:
            throw TorchFormatError("global '\(name)' may not be called")
        }
    }

    /// `_rebuild_tensor_v2(storage, offset, size, stride, requires_grad, hooks[, metadata])`.
    private static func rebuildTensor(_ arguments: [PickleObject]) throws -> TorchTensorReference {
        guard arguments.count == 6 || arguments.count == 7, case .storage(let storage) = arguments[0],
              case .value(.int(let offset)) = arguments[1] else {
            throw TorchFormatError("_rebuild_tensor_v2 needs (storage, offset, size, stride, requires_grad, hooks)")
        }
        func integers(_ object: PickleObject, _ what: String) throws -> [Int] {
            guard case .tuple(let items) = object, items.count <= 64 else { throw TorchFormatError("tensor \(what) is not a tuple of at most 64 integers") }
            return try items.map {
                guard case .value(.int(let value)) = $0, value >= 0 else { throw TorchFormatError("tensor \(what) holds something other than a non-negative integer") }
                return Int(value)
            }
        }
        let shape = try integers(arguments[2], "size")
        let strides = try integers(arguments[3], "stride")
        guard shape.count == strides.count else { throw TorchFormatError("tensor size \(shape) and stride \(strides) differ in length") }
        guard offset >= 0 else { throw TorchFormatError("negative storage offset \(offset)") }
        return TorchTensorReference(storage: storage, offset: Int(offset), shape: shape, strides: strides)
    }
}
