/// Why a metrics table could not be read or plotted; the message names the file.
public struct PlotError: Error, CustomStringConvertible, Equatable, Sendable {
    /// The message, naming the file and what is wrong with it.
    public let description: String

    /// An error with `description`.
    public init(_ description: String) {
        self.description = description
    }
}
