#if canImport(Glibc)
import Glibc
#endif

/// A shared library opened with `dlopen`, never closed (its functions stay valid for the process).
// Unchecked: the handle is set once in init and dlsym is thread-safe.
public final class DynamicLibrary: @unchecked Sendable {
    /// The path or name it was opened by.
    public let path: String
    private let handle: UnsafeMutableRawPointer

    private init(path: String, handle: UnsafeMutableRawPointer) {
        self.path = path
        self.handle = handle
    }

    /// The first of `candidates` that opens, or every candidate's `dlerror` when none does.
    public static func open(firstOf candidates: [String]) -> Result<DynamicLibrary, LibraryLoadFailure> {
        var reasons: [String] = []
        for candidate in candidates {
            if let handle = dlopen(candidate, RTLD_NOW | RTLD_LOCAL) {
                return .success(DynamicLibrary(path: candidate, handle: handle))
            }
            reasons.append(dlerror().map { String(cString: $0) } ?? "\(candidate): not found")
        }
        return .failure(LibraryLoadFailure(tried: candidates, reasons: reasons))
    }

    /// The address of `name`, or `nil` when the library does not export it.
    public func symbol(_ name: String) -> UnsafeMutableRawPointer? {
        dlsym(handle, name)
    }

    /// `name` resolved as a C function pointer of type `F`, or a failure naming the symbol.
    func function<F>(_ name: String, as type: F.Type) throws(CUDAError) -> F {
        guard let address = symbol(name) else { throw .missingSymbol(library: path, symbol: name) }
        return unsafeBitCast(address, to: type)
    }
}

/// Why no candidate of a library opened.
public struct LibraryLoadFailure: Error, Sendable, Equatable, CustomStringConvertible {
    /// The paths and names tried, in order.
    public let tried: [String]
    /// `dlerror`'s message for each.
    public let reasons: [String]

    /// The first reason (the bare name's, usually the most telling) and how many paths were tried.
    public var description: String {
        let first = reasons.first(where: { !$0.contains("No such file") }) ?? reasons.first ?? "nothing to try"
        return "\(first) (\(tried.count) location\(tried.count == 1 ? "" : "s") tried)"
    }
}
