/// Moving a module between devices.
extension Module {
    /// Moves every parameter, gradient and buffer to `device`, in place (PyTorch's
    /// `module.to(device)`): the same ``Parameter`` and ``Buffer`` objects then hold tensors on
    /// `device`, so optimizers made before the move keep working. A flat gradient buffer made by
    /// ``flattenGradients(storage:)`` is made again on `device`. Returns the module.
    @discardableResult
    public func to(_ device: Device) -> Self {
        for parameter in parameters() where parameter.value.device != device { parameter.move(to: device) }
        for buffer in buffers() where buffer.value.device != device { buffer.value = buffer.value.to(device) }
        if gradientLayout != nil {
            gradientLayout = nil
            flattenGradients()
        }
        return self
    }

    /// The device of the module's first parameter, else of its first buffer; the CPU for a
    /// module with neither.
    public var device: Device {
        parameters().first?.value.device ?? buffers().first?.value.device ?? .cpu
    }
}
