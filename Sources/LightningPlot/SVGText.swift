import Foundation

/// Text and numbers as SVG (XML) writes them.
enum SVGText {
    /// `text` with XML's special characters escaped, for element content and attribute values.
    static func escape(_ text: String) -> String {
        var escaped = ""
        for character in text {
            switch character {
            case "&": escaped += "&amp;"
            case "<": escaped += "&lt;"
            case ">": escaped += "&gt;"
            case "\"": escaped += "&quot;"
            case "'": escaped += "&apos;"
            default: escaped.append(character)
            }
        }
        return escaped
    }

    /// A coordinate with two decimals: finer than a pixel, short in the file.
    static func number(_ value: Double) -> String {
        String(format: "%.2f", value)
    }
}
