/// Moving a batch to a device: the batch shapes the data modules yield.
public enum BatchTransfer {
    /// `batch` with every tensor on `device`, for a `Tensor`, a pair or triple of tensors, `[Tensor]`
    /// or `[String: Tensor]`; any other type is returned as it is (its tensors then meet the
    /// module's on another device, and the first op names both devices).
    public static func move<Batch>(_ batch: Batch, to device: Device) -> Batch {
        switch batch {
        case let tensor as Tensor: return tensor.to(device) as! Batch
        case let (a, b) as (Tensor, Tensor): return (a.to(device), b.to(device)) as! Batch
        case let (a, b, c) as (Tensor, Tensor, Tensor): return (a.to(device), b.to(device), c.to(device)) as! Batch
        case let list as [Tensor]: return list.map { $0.to(device) } as! Batch
        case let named as [String: Tensor]: return named.mapValues { $0.to(device) } as! Batch
        default: return batch
        }
    }
}
