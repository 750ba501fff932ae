import Foundation

/// Lightning's checkpoint file names: a template such as `{epoch}-{val_loss:.2f}` filled from
/// the metrics, each name inserted before its value (`epoch=3-val_loss=0.25`).
enum CheckpointFilename {
    /// Fills `template` from `metrics` (missing metrics read 0, as in Lightning).
    static func format(_ template: String, metrics: [String: Double], autoInsertMetricName: Bool, integerKeys: Set<String> = ["epoch", "step"]) -> String {
        var out = ""
        var rest = Substring(template)
        while let open = rest.firstIndex(of: "{"), let close = rest[open...].firstIndex(of: "}") {
            out += rest[..<open]
            let field = rest[rest.index(after: open)..<close]
            let parts = field.split(separator: ":", maxSplits: 1)
            let name = String(parts.first ?? "")
            let spec = parts.count > 1 ? String(parts[1]) : ""
            let value = metrics[name] ?? 0
            if autoInsertMetricName { out += "\(name)=" }
            out += integerKeys.contains(name) && spec.isEmpty ? "\(Int(value))" : formatNumber(value, spec: spec)
            rest = rest[rest.index(after: close)...]
        }
        return out + rest
    }

    /// Python's format spec for the common cases: `.Nf`, `.Ne`, `d`, `f`; otherwise `repr`.
    static func formatNumber(_ value: Double, spec: String) -> String {
        if spec == "d" { return "\(Int(value))" }
        if spec.hasPrefix("."), let kind = spec.last, "fe".contains(kind), let digits = Int(spec.dropFirst().dropLast()) {
            return String(format: "%.\(digits)\(kind)", value)
        }
        if spec == "f" { return String(format: "%f", value) }
        return "\(value)"
    }
}
