/// Autograd state shared by every copy of a tensor value.
///
/// A leaf that requires grad has no `gradFn` and accumulates into `grad`; a result of a recorded
/// operation has the `gradFn` that produced it. Nodes point at their inputs' metas (or nodes),
/// never at their own outputs, so graphs hold no reference cycles.
@usableFromInline
final class AutogradMeta {
    var requiresGrad: Bool
    let gradFn: Node?
    /// The accumulated gradient of a leaf.
    var grad: Tensor?
    /// A preassigned home for this leaf's gradient (a view into a model's flat gradient buffer).
    var gradSlot: Tensor?
    /// Whether `gradSlot` holds a gradient since the last `zeroGrad` (if not, the next
    /// accumulation overwrites instead of adding, saving a memset and a read).
    var gradSlotValid = false
    /// Hooks run once per backward pass, after this leaf's last accumulation in it.
    var postAccumulateHooks: [(id: Int, run: () -> Void)] = []
    /// The backward pass that last counted this leaf's incoming edges, and how many are left.
    var visitMark = 0
    var pendingEdges = 0

    init(requiresGrad: Bool, gradFn: Node?) {
        self.requiresGrad = requiresGrad
        self.gradFn = gradFn
    }

    /// Adds `incoming` to this leaf's gradient.
    func accumulate(_ incoming: Tensor) {
        if let slot = gradSlot {
            if incoming.sharesElements(with: slot) {
                // A derivative rule already wrote the gradient into the slot.
            } else if gradSlotValid {
                Kernels.addInPlace(slot, incoming)
            } else {
                Kernels.copy(from: incoming, to: slot)
            }
            gradSlotValid = true
            return
        }
        if let existing = grad {
            grad = Kernels.add(existing, incoming)
        } else {
            // Own the storage: a rule may pass its incoming gradient through to several inputs,
            // and in-place updates of one gradient (clipping) must not reach another.
            grad = incoming.copied()
        }
    }

    /// The gradient a rule may write into directly, if this leaf has an empty slot.
    var writableDestination: Tensor? {
        if let slot = gradSlot, !gradSlotValid { return slot }
        return nil
    }
}

