#if canImport(Glibc)
import Glibc
#endif
import LightningTensor

/// What compute this process owns on its node: the seam where a GPU backend gives each rank its device.
///
/// On the CPU, ranks on one node share its cores, so each gets `max(1, cores ÷ localWorldSize)`
/// BLAS threads (too many threads per rank oversubscribe the cores and slow every rank down).
/// `OPENBLAS_NUM_THREADS`, when set, wins. A CUDA backend would select device `deviceIndex` here.
public struct DeviceBinding: Sendable, Equatable {
    /// The local device this process uses (its local rank).
    public var deviceIndex: Int
    /// The BLAS threads this process runs.
    public var blasThreads: Int
    /// Whether `OPENBLAS_NUM_THREADS` decided ``blasThreads`` (then it was left as OpenBLAS read it).
    public var threadsFromEnvironment: Bool

    /// A binding with these values.
    public init(deviceIndex: Int, blasThreads: Int, threadsFromEnvironment: Bool) {
        self.deviceIndex = deviceIndex
        self.blasThreads = blasThreads
        self.threadsFromEnvironment = threadsFromEnvironment
    }

    /// Binds this process for `communicator` (sets the BLAS threads) and returns what it chose.
    @discardableResult
    public static func apply(for communicator: any Communicator) -> DeviceBinding {
        let binding = plan(localRank: communicator.localRank, localWorldSize: communicator.localWorldSize,
                           onlineCores: Int(sysconf(Int32(_SC_NPROCESSORS_ONLN))), usableCores: usableCores(),
                           environmentThreads: ProcessEnvironment.value("OPENBLAS_NUM_THREADS"))
        if !binding.threadsFromEnvironment { Tensor.blasThreads = binding.blasThreads }
        return binding
    }

    /// The binding for a rank, given the node's cores and this process's CPU affinity.
    ///
    /// A launcher that pinned the process (mpirun binds to cores by default for few ranks) has
    /// already given it its share: then all of its `usableCores` are used, not divided again.
    static func plan(localRank: Int, localWorldSize: Int, onlineCores: Int, usableCores: Int,
                     environmentThreads: String?) -> DeviceBinding {
        if let text = environmentThreads, let threads = Int(text), threads > 0 {
            return DeviceBinding(deviceIndex: localRank, blasThreads: threads, threadsFromEnvironment: true)
        }
        let pinned = usableCores > 0 && usableCores < onlineCores
        let threads = pinned ? usableCores : onlineCores / Swift.max(localWorldSize, 1)
        return DeviceBinding(deviceIndex: localRank, blasThreads: Swift.max(1, threads), threadsFromEnvironment: false)
    }

    /// The cores this process may run on (its affinity mask), 0 when unknown.
    ///
    /// Read from `/proc/self/status`: glibc's `sched_getaffinity` needs `_GNU_SOURCE` and is not imported.
    static func usableCores() -> Int {
        guard let file = fopen("/proc/self/status", "r") else { return 0 }
        defer { fclose(file) }
        var line = [CChar](repeating: 0, count: 4096)
        while fgets(&line, Int32(line.count), file) != nil {
            let text = String(decoding: line.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
            if text.hasPrefix("Cpus_allowed:") { return coreCount(affinityMask: text.dropFirst("Cpus_allowed:".count)) }
        }
        return 0
    }

    /// The set bits of a `Cpus_allowed` hex mask such as `ff,ffffffff`.
    static func coreCount(affinityMask: Substring) -> Int {
        affinityMask.reduce(0) { count, digit in count + (digit.hexDigitValue ?? 0).nonzeroBitCount }
    }
}
