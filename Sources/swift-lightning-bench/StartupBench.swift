import Foundation

/// `startup_to_first_step_s`: `swift-lightning fit` (bundled digits, one process) from process
/// start to the end of its first training step, as the executable reports it; median of 5 launches.
enum StartupBench {
    static func run() throws -> Double {
        let executable = (DataParallelBench.executablePath() as NSString).deletingLastPathComponent + "/swift-lightning"
        guard FileManager.default.isExecutableFile(atPath: executable) else {
            throw LightningBenchError("\(executable) is missing: build it with `swift build -c release --product swift-lightning`")
        }
        let root = NSTemporaryDirectory() + "swift-lightning-startup-\(getpid())"
        defer { try? FileManager.default.removeItem(atPath: root) }
        var samples: [Double] = []
        for _ in 0..<5 {
            let process = Process()
            process.executableURL = URL(fileURLWithPath: executable)
            process.arguments = ["fit", "--report_startup", "--trainer.max_epochs", "1", "--trainer.default_root_dir", root,
                                 "--trainer.enable_progress_bar", "false"]
            let pipe = Pipe()
            process.standardOutput = pipe
            process.standardError = FileHandle.nullDevice
            try process.run()
            let output = String(decoding: pipe.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
            process.waitUntilExit()
            samples.append(try DataParallelBench.value("startup_to_first_step_s", in: output))
        }
        return median(samples)
    }
}

/// A benchmark that could not run, with the reason.
struct LightningBenchError: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}
