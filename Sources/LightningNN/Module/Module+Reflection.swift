extension Module {
    /// Stored properties of every class between `Module` and the dynamic type that hold members.
    func reflectedMembers() -> [(name: String, member: ModuleMember)] {
        var mirrors: [Mirror] = []
        var mirror: Mirror? = Mirror(reflecting: self)
        while let current = mirror, current.subjectType != Module.self {
            mirrors.append(current)
            mirror = current.superclassMirror
        }
        var members: [(name: String, member: ModuleMember)] = []
        // Superclass properties first, like PyTorch where `super().__init__` registers first.
        for mirror in mirrors.reversed() {
            for child in mirror.children {
                guard let label = child.label, let container = child.value as? ModuleMemberContainer else { continue }
                container.forEachMember(named: Self.propertyName(label)) { members.append(($0, $1)) }
            }
        }
        return members
    }

    /// The state-dict name of a stored property: the Swift name in snake_case, so `runningMean`
    /// and `numBatchesTracked` give PyTorch's `running_mean` and `num_batches_tracked`, and a
    /// model written with Swift names matches the same model written in PyTorch.
    ///
    /// `lazy var x` reflects as `$__lazy_storage_$_x`; the prefix is dropped.
    static func propertyName(_ label: String) -> String {
        let lazyPrefix = "$__lazy_storage_$_"
        let name = label.hasPrefix(lazyPrefix) ? String(label.dropFirst(lazyPrefix.count)) : label
        return snakeCased(name)
    }

    /// `camelCase` → `camel_case`; acronyms stay together (`fcHTTPLayer` → `fc_http_layer`).
    package static func snakeCased(_ name: String) -> String {
        let chars = Array(name)
        guard chars.contains(where: \.isUppercase) else { return name }
        var out = ""
        for (i, c) in chars.enumerated() {
            guard c.isUppercase else { out.append(c); continue }
            if i > 0 {
                let previous = chars[i - 1]
                let nextIsLower = i + 1 < chars.count && chars[i + 1].isLowercase
                if previous != "_" && (previous.isLowercase || previous.isNumber || (previous.isUppercase && nextIsLower)) {
                    out.append("_")
                }
            }
            out += c.lowercased()
        }
        return out
    }
}
