/// Where a ``DataLoader`` is in its stream: the epoch and how many of its batches were served.
///
/// A checkpoint stores it; ``DataLoader/resume(from:)`` continues with the first batch not yet
/// served, so a resumed run sees exactly the batches the interrupted one had not.
public struct DataLoaderPosition: Equatable, Hashable, Codable, Sendable, CustomStringConvertible {
    /// The epoch.
    public var epoch: Int
    /// Batches of `epoch` already handed out.
    public var batchesServed: Int

    /// A position.
    public init(epoch: Int, batchesServed: Int) {
        self.epoch = epoch
        self.batchesServed = batchesServed
    }

    /// `epoch 2, batch 5`.
    public var description: String { "epoch \(epoch), batch \(batchesServed)" }
}

extension DataLoader {
    /// The current epoch and the batches of it served so far (a resume pending counts as served).
    public var position: DataLoaderPosition {
        DataLoaderPosition(epoch: epoch, batchesServed: pendingStart ?? batchesServed)
    }

    /// Makes the next iteration continue from `position`: epoch `position.epoch`, skipping its
    /// first `position.batchesServed` batches (without loading them). A position at the end of
    /// an epoch continues with the next epoch.
    ///
    /// Throws when the position cannot belong to this loader (a checkpoint from another batch
    /// size, dataset or world size), rather than silently replaying the wrong batches.
    public func resume(from position: DataLoaderPosition) throws {
        if position.epoch < 0 || position.batchesServed < 0 || position.batchesServed > count {
            throw DataLoaderError.positionOutOfRange(position, batchesPerEpoch: count)
        }
        epoch = position.epoch
        batchesServed = position.batchesServed
        pendingStart = position.batchesServed
        epochCompleted = false
    }

    /// Chooses the epoch and first batch of a new iteration and records them.
    func beginIteration() -> (epoch: Int, start: Int) {
        generation += 1
        var start = 0
        if let resumeAt = pendingStart {
            pendingStart = nil
            if resumeAt >= count { epoch += 1 } else { start = resumeAt }
        } else if epochCompleted {
            // A plain `for` loop per epoch gets a fresh order each time, as PyTorch's shuffled
            // loader does; `setEpoch` overrides this.
            epoch += 1
        }
        epochCompleted = false
        batchesServed = start
        return (epoch, start)
    }

    /// Records that the iteration `generation` handed out one more batch.
    func didServe(generation: Int) {
        guard generation == self.generation else { return }
        batchesServed += 1
        if batchesServed >= count { epochCompleted = true }
    }

    /// Records that the iteration `generation` found no more batches.
    func didFinish(generation: Int) {
        guard generation == self.generation else { return }
        epochCompleted = true
    }
}
