#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Creates `path` and any missing parents, like `mkdir -p` (and PyTorch's `os.makedirs`).
///
/// POSIX rather than `FileManager` so a failure names the component and `errno`'s reason.
func createLogDirectory(_ path: String) throws {
    var prefix = path.hasPrefix("/") ? "/" : ""
    for component in path.split(separator: "/") {
        prefix += component
        if mkdir(prefix, 0o755) != 0 && errno != EEXIST {
            throw EventFileError(.createDirectory, path: prefix, reason: String(cString: strerror(errno)))
        }
        prefix += "/"
    }
    var info = stat()
    guard stat(path, &info) == 0 else {
        throw EventFileError(.createDirectory, path: path, reason: String(cString: strerror(errno)))
    }
    guard (info.st_mode & S_IFMT) == S_IFDIR else {
        throw EventFileError(.createDirectory, path: path, reason: "exists and is not a directory")
    }
}
