/// One curve: a metric's values against the step each was logged at.
public struct MetricSeries: Sendable, Equatable {
    /// The legend's name: the column (`val_loss`), or `run/column` when runs are overlaid.
    public let name: String
    /// The metrics.csv column it comes from.
    public let column: String
    /// `(step, value)` for every row with a finite value in the column, in file order.
    public let points: [PlotPoint]

    /// A series named `name` from `column`'s `points`.
    public init(name: String, column: String, points: [PlotPoint]) {
        self.name = name
        self.column = column
        self.points = points
    }

    /// Whether the metric was logged every step (`train_loss_step`): drawn thinner, so the
    /// epoch-level curves stay readable on top of its noise.
    var isStepLevel: Bool { column.hasSuffix("_step") }
}

/// A point of a curve: `x` the step, `y` the value.
public struct PlotPoint: Sendable, Equatable {
    /// The step the value was logged at.
    public let x: Double
    /// The value.
    public let y: Double

    /// The point (`x`, `y`).
    public init(x: Double, y: Double) {
        self.x = x
        self.y = y
    }
}
