/// Everything wrong with a sharded dataset's directory, found at open: every missing shard file,
/// every size or checksum that disagrees with the index, every malformed index entry; not only
/// the first, so one run of the check tells the user all there is to repair.
public struct ShardedDatasetError: Error, CustomStringConvertible, Equatable, Sendable {
    /// The dataset's directory.
    public let directory: String
    /// One line per problem, each naming its file.
    public let problems: [String]

    /// An error listing `problems` of the dataset in `directory`.
    public init(directory: String, problems: [String]) {
        self.directory = directory
        self.problems = problems
    }

    /// `DIR: 2 problems with the sharded dataset:` followed by one indented line per problem.
    public var description: String {
        let count = problems.count == 1 ? "1 problem" : "\(problems.count) problems"
        return "\(directory): \(count) with the sharded dataset:\n" + problems.map { "  - " + $0 }.joined(separator: "\n")
    }
}
