/// Elementwise comparison operators, as mlx-swift spells them: `a .== b` is a tensor of `1` where
/// the elements are equal and `0` elsewhere (float32), with broadcasting. `==` itself is not
/// offered: a tensor is not `Equatable` (equality of two tensors is a tensor, not a `Bool`). For a
/// `Bool`, compare values: `a.scalars == b.scalars`, or `(a .== b).min().item() == 1`.
infix operator .== : ComparisonPrecedence
infix operator .!= : ComparisonPrecedence
infix operator .< : ComparisonPrecedence
infix operator .<= : ComparisonPrecedence
infix operator .> : ComparisonPrecedence
infix operator .>= : ComparisonPrecedence

extension Tensor {
    /// `1` where the elements are equal, else `0` (``equal(_:)``).
    public static func .== (lhs: Tensor, rhs: Tensor) -> Tensor { lhs.equal(rhs) }
    /// `1` where the elements differ, else `0`.
    public static func .!= (lhs: Tensor, rhs: Tensor) -> Tensor { 1 - lhs.equal(rhs) }
    /// `1` where `lhs < rhs`, else `0` (``less(_:)``).
    public static func .< (lhs: Tensor, rhs: Tensor) -> Tensor { lhs.less(rhs) }
    /// `1` where `lhs <= rhs`, else `0` (``lessEqual(_:)``).
    public static func .<= (lhs: Tensor, rhs: Tensor) -> Tensor { lhs.lessEqual(rhs) }
    /// `1` where `lhs > rhs`, else `0` (``greater(_:)``).
    public static func .> (lhs: Tensor, rhs: Tensor) -> Tensor { lhs.greater(rhs) }
    /// `1` where `lhs >= rhs`, else `0` (``greaterEqual(_:)``).
    public static func .>= (lhs: Tensor, rhs: Tensor) -> Tensor { lhs.greaterEqual(rhs) }

    /// Against a scalar: `x .> 0`.
    public static func .== (lhs: Tensor, rhs: Float) -> Tensor { lhs .== lhs.scalarLike(rhs) }
    /// Against a scalar.
    public static func .!= (lhs: Tensor, rhs: Float) -> Tensor { lhs .!= lhs.scalarLike(rhs) }
    /// Against a scalar.
    public static func .< (lhs: Tensor, rhs: Float) -> Tensor { lhs .< lhs.scalarLike(rhs) }
    /// Against a scalar.
    public static func .<= (lhs: Tensor, rhs: Float) -> Tensor { lhs .<= lhs.scalarLike(rhs) }
    /// Against a scalar.
    public static func .> (lhs: Tensor, rhs: Float) -> Tensor { lhs .> lhs.scalarLike(rhs) }
    /// Against a scalar.
    public static func .>= (lhs: Tensor, rhs: Float) -> Tensor { lhs .>= lhs.scalarLike(rhs) }

    /// `value` as a one-element tensor of this tensor's dtype (it broadcasts).
    private func scalarLike(_ value: Float) -> Tensor {
        dtype == .int64 ? Tensor(shape: [1], int64Scalars: [Int64(value)], device: device) : Tensor(shape: [1], scalars: [value], device: device)
    }
}
