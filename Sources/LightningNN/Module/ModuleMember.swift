/// One named thing a module owns directly: a child module, a parameter or a buffer.
public enum ModuleMember {
    /// A child module.
    case module(Module)
    /// A trainable parameter.
    case parameter(Parameter)
    /// A non-trainable tensor saved in the state dict.
    case buffer(Buffer)
}

/// Values that are, or contain, module members: modules, parameters, buffers, and optionals,
/// arrays and string-keyed dictionaries of them (conditionally).
///
/// Reflection casts each stored property to this protocol, so a property of another type
/// (a `[Float]` of a million elements, a closure) costs one failed cast, never a walk.
protocol ModuleMemberContainer {
    /// Calls `body` with each member inside, named by `name` plus its path in the container.
    func forEachMember(named name: String, _ body: (String, ModuleMember) -> Void)
}

extension Module: ModuleMemberContainer {
    func forEachMember(named name: String, _ body: (String, ModuleMember) -> Void) { body(name, .module(self)) }
}

extension Parameter: ModuleMemberContainer {
    func forEachMember(named name: String, _ body: (String, ModuleMember) -> Void) { body(name, .parameter(self)) }
}

extension Buffer: ModuleMemberContainer {
    func forEachMember(named name: String, _ body: (String, ModuleMember) -> Void) { body(name, .buffer(self)) }
}

extension Optional: ModuleMemberContainer where Wrapped: ModuleMemberContainer {
    func forEachMember(named name: String, _ body: (String, ModuleMember) -> Void) {
        self?.forEachMember(named: name, body)
    }
}

extension Array: ModuleMemberContainer where Element: ModuleMemberContainer {
    func forEachMember(named name: String, _ body: (String, ModuleMember) -> Void) {
        for (i, element) in enumerated() { element.forEachMember(named: "\(name).\(i)", body) }
    }
}

extension Dictionary: ModuleMemberContainer where Key == String, Value: ModuleMemberContainer {
    func forEachMember(named name: String, _ body: (String, ModuleMember) -> Void) {
        // Sorted because dictionary order changes from run to run; names must not.
        for key in keys.sorted() { self[key]!.forEachMember(named: "\(name).\(key)", body) }
    }
}
