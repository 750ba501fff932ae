import Synchronization

/// Runs reverse-mode differentiation over a recorded graph.
enum BackwardEngine {
    /// A fresh number per backward pass marks the nodes it visited (threads may run backward at once).
    private static let mark = Atomic<Int>(0)

    /// Propagates `seed` from `root` to every reachable leaf, in topological order, freeing each
    /// node's saved tensors once it has run, and runs a leaf's post-accumulate hooks once all of
    /// its incoming edges in this pass are done (so data parallelism can reduce it during backward).
    ///
    /// Under anomaly detection it checks the gradients each rule returns and stops at the first
    /// NaN or infinity, returning it (nothing of that node's gradients is passed on).
    static func run(root: Node, seed: Tensor) -> AnomalyError? {
        let checking = AnomalyMode.isEnabled
        let visit = mark.wrappingAdd(1, ordering: .relaxed).newValue
        // Count, for each reachable node, how many reachable edges lead into it.
        var stack: [Node] = [root]
        root.visitMark = visit
        root.dependencies = 0
        while let node = stack.popLast() {
            for edge in node.edges {
                if case .leaf(let meta) = edge, !meta.postAccumulateHooks.isEmpty {
                    // A hooked leaf's hooks run after the last of its incoming edges in this pass.
                    if meta.visitMark != visit {
                        meta.visitMark = visit
                        meta.pendingEdges = 0
                    }
                    meta.pendingEdges += 1
                }
                guard case .node(let next) = edge else { continue }
                if next.visitMark != visit {
                    next.visitMark = visit
                    next.dependencies = 0
                    stack.append(next)
                }
                next.dependencies += 1
            }
        }
        root.pending = seed
        var ready: [Node] = [root]
        return noGrad { () -> AnomalyError? in
            while let node = ready.popLast() {
                let incoming = node.pending
                node.pending = nil
                let edges = node.edges
                var grads: [Tensor?] = []
                if let incoming, let rule = node.rule {
                    var metas: [AutogradMeta?] = []
                    metas.reserveCapacity(edges.count)
                    var anySlot = false
                    for edge in edges {
                        if case .leaf(let meta) = edge, meta.gradSlot != nil { metas.append(meta); anySlot = true } else { metas.append(nil) }
                    }
                    grads = rule(incoming, anySlot ? GradientDestinations(metas: metas) : .none)
                    if grads.count != edges.count {
                        tensorFailure("backward", "derivative rule of \(node.op) returned \(grads.count) gradients for \(edges.count) inputs")
                    }
                    if checking, let anomaly = AnomalyError.first(in: grads, of: node) { return anomaly }
                }
                // Release saved tensors: this graph cannot be traversed again.
                node.rule = nil
                node.edges = []
                for (i, edge) in edges.enumerated() {
                    let g = i < grads.count ? grads[i] : nil
                    switch edge {
                    case .none:
                        break
                    case .leaf(let meta):
                        if let g { meta.accumulate(g) }
                        if !meta.postAccumulateHooks.isEmpty, meta.visitMark == visit {
                            meta.pendingEdges -= 1
                            if meta.pendingEdges == 0 { for hook in meta.postAccumulateHooks { hook.run() } }
                        }
                    case .node(let next):
                        if let g {
                            if let p = next.pending { next.pending = Kernels.add(p, g) } else { next.pending = g }
                        }
                        next.dependencies -= 1
                        if next.dependencies == 0 { ready.append(next) }
                    }
                }
            }
            return nil
        }
    }
}
