/// The metrics one stage (training, validation or test) logged in the current epoch, in the
/// order they were first logged (Lightning's `_ResultCollection`).
final class ResultCollection {
    /// The metrics by ``LoggedMetric/key`` (the name with its loader suffix).
    private(set) var metrics: [String: LoggedMetric] = [:]
    /// Keys in first-logged order, so outputs do not depend on dictionary order.
    private(set) var order: [String] = []

    /// Whether nothing was logged this epoch.
    var isEmpty: Bool { order.isEmpty }

    /// Adds a value, creating the metric on first use; throws when the key was logged with
    /// other options or from another hook this epoch.
    func add(_ value: Double, batchSize: Int, template: LoggedMetric) throws {
        let key = template.key
        if var existing = metrics[key] {
            guard existing.dataloaderIndex == template.dataloaderIndex else {
                throw LightningError.invalidLog(key: template.name, hook: template.hook,
                    reason: "logged from dataloader \(existing.dataloaderIndex.map(String.init) ?? "none") and dataloader "
                        + "\(template.dataloaderIndex.map(String.init) ?? "none") with addDataloaderIdx: false; give each loader its own key")
            }
            guard existing.onStep == template.onStep && existing.onEpoch == template.onEpoch && existing.reduce == template.reduce else {
                throw LightningError.invalidLog(key: template.name, hook: template.hook,
                    reason: "already logged in \(existing.hook) this epoch with other onStep/onEpoch/reduce options; use a different key")
            }
            existing.add(value, batchSize: batchSize)
            metrics[key] = existing
        } else {
            var created = template
            created.add(value, batchSize: batchSize)
            metrics[key] = created
            order.append(key)
        }
    }

    /// The metrics in first-logged order.
    var orderedMetrics: [LoggedMetric] { order.map { metrics[$0]! } }

    /// Forgets the current batch's step values (the last ones stay for `callbackMetrics`).
    func endBatch() {
        for name in order { metrics[name]!.stepValue = nil }
    }

    /// Starts a new epoch: nothing logged.
    func reset() {
        metrics = [:]
        order = []
    }

    /// The collection as checkpoints store it.
    var state: [LoggedMetric] { orderedMetrics }

    /// Restores a collection saved by ``state``.
    func restore(_ saved: [LoggedMetric]) {
        reset()
        for metric in saved {
            metrics[metric.key] = metric
            order.append(metric.key)
        }
    }
}
