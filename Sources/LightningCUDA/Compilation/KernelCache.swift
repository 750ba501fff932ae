import Foundation

/// PTX compiled once per kernel source, GPU architecture and compiler version, kept on disk so
/// later runs (and the other ranks of a job) skip NVRTC.
///
/// A file is named `<source>-<hash>-compute_<arch>-<compiler>.ptx`, the hash (64-bit FNV-1a) over
/// the source text and the compile options: any change to a kernel, the options, the GPU or
/// NVRTC's version makes a new name. Files are written whole and renamed into place, so ranks
/// compiling at once never read a partial file.
public struct KernelCache: Sendable {
    /// The variable that overrides the folder.
    public static let directoryVariable = "SWIFT_LIGHTNING_KERNEL_CACHE"

    /// The folder holding the PTX files.
    public let directory: String
    /// What compiles a source on a miss.
    public let compiler: any KernelCompiler

    /// A cache in `directory` over `compiler`.
    public init(directory: String, compiler: any KernelCompiler) {
        self.directory = directory
        self.compiler = compiler
    }

    /// `SWIFT_LIGHTNING_KERNEL_CACHE`, else `$XDG_CACHE_HOME/swift-lightning/kernels`, else
    /// `~/.cache/swift-lightning/kernels`.
    public static func defaultDirectory(environment: [String: String]) -> String {
        if let chosen = environment[directoryVariable], !chosen.isEmpty { return chosen }
        let base = environment["XDG_CACHE_HOME"].flatMap { $0.isEmpty ? nil : $0 }
            ?? "\(environment["HOME"] ?? NSTemporaryDirectory())/.cache"
        return "\(base)/swift-lightning/kernels"
    }

    /// The file name of `source`'s PTX for `architecture`.
    public func fileName(for source: CUDAKernelSource, architecture: Int) -> String {
        let hash = SourceHash.fnv1a64(source.code + "\u{0}" + NVRTCCompiler.options.joined(separator: " "))
        return "\(source.name)-\(String(hash, radix: 16))-compute_\(architecture)-\(compiler.identity).ptx"
    }

    /// The PTX of `source` for `architecture`: read from the cache, or compiled and stored.
    public func ptx(for source: CUDAKernelSource, architecture: Int) throws -> String {
        let path = "\(directory)/\(fileName(for: source, architecture: architecture))"
        if let cached = try? String(contentsOfFile: path, encoding: .utf8), !cached.isEmpty { return cached }
        let ptx = try compiler.compile(source, architecture: architecture)
        store(ptx, at: path)
        return ptx
    }

    /// Writes `ptx` to a temporary file beside `path` and renames it into place; a cache that
    /// cannot be written only costs a compile next time.
    private func store(_ ptx: String, at path: String) {
        let manager = FileManager.default
        guard (try? manager.createDirectory(atPath: directory, withIntermediateDirectories: true)) != nil else { return }
        let temporary = "\(path).\(ProcessInfo.processInfo.processIdentifier).tmp"
        guard manager.createFile(atPath: temporary, contents: Data(ptx.utf8)) else { return }
        if rename(temporary, path) != 0 { try? manager.removeItem(atPath: temporary) }
    }
}

/// 64-bit FNV-1a: a cache key, not a checksum against tampering.
enum SourceHash {
    static func fnv1a64(_ text: String) -> UInt64 {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in text.utf8 {
            hash ^= UInt64(byte)
            hash = hash &* 0x0000_0100_0000_01b3
        }
        return hash
    }
}
