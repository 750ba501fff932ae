/// A value on the unpickler's stack or in its memo. Lists, dicts and sets are shared
/// references, as in Python, so `APPEND` after `BINPUT` changes the memoized object too.
enum PickleObject {
    /// A finished immutable value (numbers, strings, tensors, …).
    case value(PickleValue)
    /// A list.
    case list(PickleList)
    /// A set.
    case set(PickleList)
    /// A dict.
    case dict(PickleDict)
    /// A tuple.
    case tuple([PickleObject])
    /// An allowed global, until it is called or frozen.
    case global(PickleGlobal, String)
    /// A storage from a persistent id.
    case storage(TorchStorageReference)

    /// The value with its containers copied out, at most `depth` levels deep, spending one
    /// unit of `budget` per node (a memoized list referenced many times cannot blow up).
    func frozen(depth: Int, budget: inout Int) throws -> PickleValue {
        budget -= 1
        guard budget >= 0 else { throw TorchFormatError("pickle expands to more values than its size allows (shared references repeated too often)") }
        guard depth > 0 else { throw TorchFormatError("pickle nests containers too deeply (or refers to itself)") }
        switch self {
        case .value(let value): return value
        case .list(let list): return .list(try list.items.map { try $0.frozen(depth: depth - 1, budget: &budget) })
        case .set(let list): return .set(try list.items.map { try $0.frozen(depth: depth - 1, budget: &budget) })
        case .tuple(let items): return .tuple(try items.map { try $0.frozen(depth: depth - 1, budget: &budget) })
        case .dict(let dict):
            return .dict(try dict.entries.map {
                PickleEntry(key: try $0.key.frozen(depth: depth - 1, budget: &budget), value: try $0.value.frozen(depth: depth - 1, budget: &budget))
            })
        case .global(_, let name): return .global(name)
        case .storage(let storage): throw TorchFormatError("storage '\(storage.key)' outside a tensor")
        }
    }
}

/// A list or set being built.
final class PickleList {
    /// The elements.
    var items: [PickleObject]

    init(_ items: [PickleObject] = []) { self.items = items }
}

/// A dict being built, in insertion order (a key set again keeps its place, as in Python).
final class PickleDict {
    /// The entries.
    var entries: [(key: PickleObject, value: PickleObject)] = []
    /// Positions of plain-value keys, so setting an existing key replaces it.
    private var positions: [PickleValue: Int] = [:]

    init() {}

    /// Sets `key` to `value`.
    func set(_ key: PickleObject, _ value: PickleObject) {
        if case .value(let plain) = key {
            if let index = positions[plain] {
                entries[index].value = value
                return
            }
            positions[plain] = entries.count
        }
        entries.append((key, value))
    }
}
