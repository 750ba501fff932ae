import LightningTensor

extension Communicator {
    /// Stops with a usage failure when `root` names no rank.
    func requireRoot(_ root: Int, caller: String) {
        usagePrecondition(root >= 0 && root < worldSize,
                          "\(caller): root \(root) is out of range for a world of \(worldSize) processes")
    }
}
