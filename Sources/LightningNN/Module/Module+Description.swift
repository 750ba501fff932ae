extension Module {
    /// PyTorch's module print-out: the type, ``extraDescription`` and the children indented.
    ///
    /// ```
    /// Sequential(
    ///   (0): Linear(in_features=64, out_features=128, bias=True)
    ///   (1): ReLU()
    /// )
    /// ```
    public var description: String {
        let name = String(describing: type(of: self))
        let children = namedChildren()
        if children.isEmpty { return "\(name)(\(extraDescription))" }
        var lines = ["\(name)("]
        if !extraDescription.isEmpty {
            lines += extraDescription.split(separator: "\n", omittingEmptySubsequences: false).map { "  " + $0 }
        }
        for (childName, child) in children {
            let text = child.description.split(separator: "\n", omittingEmptySubsequences: false)
                .enumerated().map { $0.offset == 0 ? String($0.element) : "  " + $0.element }
                .joined(separator: "\n")
            lines.append("  (\(childName)): \(text)")
        }
        lines.append(")")
        return lines.joined(separator: "\n")
    }
}
