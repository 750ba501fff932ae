import Foundation
import LightningCUDA

/// Which device a rank trains on: the `accelerator` argument resolved against what the node has
/// (a pure rule over a ``CUDAAvailability``, so every case is tested without a GPU).
///
/// - `cpu`: the CPU; CUDA is never looked for.
/// - `gpu` or `cuda`: GPU `localRank` among those the driver shows (after
///   `CUDA_VISIBLE_DEVICES`). What is missing (driver, device, NVRTC, cuBLAS) is an error, and so
///   are more ranks on the node than GPUs, unless `allowDeviceSharing` lets rank `r` use GPU
///   `r mod count`.
/// - `auto`: the GPU when ``gpuTrainingSupported`` and a GPU run could start as `gpu` would;
///   otherwise the CPU.
public struct DevicePlacement: Equatable, Sendable {
    /// The device.
    public let device: Device
    /// How it was chosen, for the rank's start-up line (`nil` for the CPU by request).
    public let note: String?

    /// The accelerator names the Trainer accepts (Lightning's, `cuda` as a synonym of `gpu`).
    public static let acceleratorNames = ["auto", "cpu", "gpu", "cuda"]

    /// Whether `auto` may choose a GPU. Every kernel of the backend is compiled by NVRTC in CI, but
    /// until every op of a training step dispatches to them (issue 19, part 2), a training step
    /// on a GPU stops at its first CPU-only op, naming it: `auto` keeps to the CPU, and
    /// `accelerator: "gpu"` is the explicit way in.
    public static let gpuTrainingSupported = false

    /// The placement of local rank `localRank` of `localWorldSize` ranks on the node, or the
    /// problem that stops the run. `availability` is asked only when a GPU is considered.
    public static func resolve(accelerator: String, localRank: Int, localWorldSize: Int, allowDeviceSharing: Bool,
                               autoChoosesGPU: Bool = gpuTrainingSupported,
                               availability: () -> CUDAAvailability) -> Result<DevicePlacement, DevicePlacementProblem> {
        switch accelerator.lowercased() {
        case "cpu":
            return .success(DevicePlacement(device: .cpu, note: nil))
        case "gpu", "cuda":
            let found = availability()
            if let problem = found.problem { return .failure(DevicePlacementProblem("accelerator '\(accelerator)': \(problem)")) }
            return gpu(found, localRank: localRank, localWorldSize: localWorldSize, allowDeviceSharing: allowDeviceSharing)
                .mapError { DevicePlacementProblem("accelerator '\(accelerator)': \($0.description)") }
        case "auto":
            guard autoChoosesGPU else { return .success(DevicePlacement(device: .cpu, note: nil)) }
            let found = availability()
            if let problem = found.problem { return .success(DevicePlacement(device: .cpu, note: "auto: the CPU (\(problem))")) }
            switch gpu(found, localRank: localRank, localWorldSize: localWorldSize, allowDeviceSharing: allowDeviceSharing) {
            case .success(let placement): return .success(placement)
            case .failure(let problem): return .success(DevicePlacement(device: .cpu, note: "auto: the CPU (\(problem.description))"))
            }
        default:
            return .failure(DevicePlacementProblem("accelerator '\(accelerator)' is not one of \(acceleratorNames.joined(separator: ", ")) "
                                                   + "('auto' picks a usable GPU, else the CPU)"))
        }
    }

    /// GPU `localRank` (or `localRank mod count` when sharing), or why the node has too few.
    private static func gpu(_ found: CUDAAvailability, localRank: Int, localWorldSize: Int,
                            allowDeviceSharing: Bool) -> Result<DevicePlacement, DevicePlacementProblem> {
        let count = found.devices.count
        let visible = found.visibleDevices.map { " (CUDA_VISIBLE_DEVICES=\"\($0)\")" } ?? ""
        if Swift.max(localWorldSize, localRank + 1) > count && !allowDeviceSharing {
            return .failure(DevicePlacementProblem("\(localWorldSize) ranks on this node but \(count) GPU\(count == 1 ? "" : "s") visible\(visible); "
                                                   + "start at most \(count) rank\(count == 1 ? "" : "s") per node, or set allowDeviceSharing "
                                                   + "(--trainer.allow_device_sharing true) to let ranks share GPUs"))
        }
        let ordinal = localRank % count
        let properties = found.devices[ordinal]
        var note = "\(Device.cuda(ordinal)) (\(properties.name), compute capability \(properties.major).\(properties.minor))"
        if let physical = physicalGPU(ordinal, visibleDevices: found.visibleDevices) {
            note += ", GPU \(physical) of CUDA_VISIBLE_DEVICES=\(found.visibleDevices ?? "")"
        }
        if localWorldSize > count { note += ", shared by \(localWorldSize) ranks on \(count) GPU\(count == 1 ? "" : "s")" }
        return .success(DevicePlacement(device: .cuda(ordinal), note: note))
    }

    /// The GPU `CUDA_VISIBLE_DEVICES` lists at `ordinal` (an index or a `GPU-…` UUID), when set.
    public static func physicalGPU(_ ordinal: Int, visibleDevices: String?) -> String? {
        guard let visibleDevices else { return nil }
        let listed = visibleDevices.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }
        return ordinal < listed.count ? listed[ordinal] : nil
    }
}

/// Why a rank cannot be placed: the message names what is missing.
public struct DevicePlacementProblem: Error, Equatable, Sendable, CustomStringConvertible {
    /// The message.
    public let description: String
    init(_ description: String) { self.description = description }
}
