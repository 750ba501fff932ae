extension Module {
    /// Direct child modules with their names.
    public func namedChildren() -> [(name: String, module: Module)] {
        var seen = Set<ObjectIdentifier>()
        return namedDirectMembers().compactMap { name, member in
            guard case .module(let child) = member, seen.insert(ObjectIdentifier(child)).inserted else { return nil }
            return (name, child)
        }
    }

    /// Direct child modules.
    public func children() -> [Module] { namedChildren().map(\.module) }

    /// This module (named `""`) and every descendant, depth-first in declaration order.
    ///
    /// A module reachable by two paths is listed once, under the first, as in PyTorch.
    public func namedModules() -> [(name: String, module: Module)] {
        var seen = Set<ObjectIdentifier>()
        var result: [(name: String, module: Module)] = []
        walk { path, module, _ in
            guard seen.insert(ObjectIdentifier(module)).inserted else { return false }
            result.append((path, module))
            return true
        }
        return result
    }

    /// This module and every descendant.
    public func modules() -> [Module] { namedModules().map(\.module) }

    /// Calls `body` on every descendant and then on this module (children first, as PyTorch's
    /// `apply`), e.g. to re-initialize weights; returns the module for chaining.
    @discardableResult
    public func apply(_ body: (Module) -> Void) -> Self {
        for module in modules().reversed() { body(module) }
        return self
    }

    /// Parameters with their state-dict names: each module's own first, then its children's.
    ///
    /// A parameter shared by two modules (tied weights) is listed once, so an optimizer updates it once.
    public func namedParameters(recurse: Bool = true) -> [(name: String, parameter: Parameter)] {
        var seen = Set<ObjectIdentifier>()
        var result: [(name: String, parameter: Parameter)] = []
        for (name, entry) in namedStateEntries(recurse: recurse, includeNonPersistent: false) {
            guard case .parameter(let p) = entry, seen.insert(ObjectIdentifier(p)).inserted else { continue }
            result.append((name, p))
        }
        return result
    }

    /// All parameters (each once), in ``namedParameters(recurse:)`` order.
    public func parameters(recurse: Bool = true) -> [Parameter] { namedParameters(recurse: recurse).map(\.parameter) }

    /// Buffers with their names (non-persistent ones included), each once.
    public func namedBuffers(recurse: Bool = true) -> [(name: String, buffer: Buffer)] {
        var seen = Set<ObjectIdentifier>()
        var result: [(name: String, buffer: Buffer)] = []
        for (name, entry) in namedStateEntries(recurse: recurse, includeNonPersistent: true) {
            guard case .buffer(let b) = entry, seen.insert(ObjectIdentifier(b)).inserted else { continue }
            result.append((name, b))
        }
        return result
    }

    /// All buffers (each once).
    public func buffers(recurse: Bool = true) -> [Buffer] { namedBuffers(recurse: recurse).map(\.buffer) }

    /// The total number of parameter elements (shared parameters counted once).
    public var parameterCount: Int { parameters().reduce(0) { $0 + $1.count } }

    /// Every parameter and buffer under its full name, in state-dict order, without de-duplication
    /// (a tied weight appears under each name, as in PyTorch's `state_dict`).
    ///
    /// Order per module: its parameters, then its buffers, then each child's entries.
    func namedStateEntries(recurse: Bool = true, includeNonPersistent: Bool) -> [(name: String, entry: ModuleMember)] {
        var result: [(name: String, entry: ModuleMember)] = []
        walk { prefix, module, members in
            let dotted = prefix.isEmpty ? "" : prefix + "."
            for (name, member) in members {
                if case .parameter = member { result.append((dotted + name, member)) }
            }
            for (name, member) in members {
                if case .buffer(let b) = member, b.persistent || includeNonPersistent { result.append((dotted + name, member)) }
            }
            return recurse
        }
        return result
    }

    /// Visits this module and its descendants depth-first; `visit` gets the path, the module and its
    /// direct members, and returns whether to descend into its children.
    ///
    /// A module already on the current path is skipped, so a back reference (a `weak var parent`,
    /// which Mirror cannot tell from a child) ends instead of recursing forever.
    func walk(_ visit: (String, Module, [(name: String, member: ModuleMember)]) -> Bool) {
        var onPath = Set<ObjectIdentifier>()
        func descend(_ module: Module, _ path: String) {
            guard onPath.insert(ObjectIdentifier(module)).inserted else { return }
            defer { onPath.remove(ObjectIdentifier(module)) }
            let members = module.namedDirectMembers()
            guard visit(path, module, members) else { return }
            for (name, member) in members {
                if case .module(let child) = member { descend(child, path.isEmpty ? name : path + "." + name) }
            }
        }
        descend(self, "")
    }
}
