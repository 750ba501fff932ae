@_exported import LightningData
@_exported import LightningOptim
@_exported import LightningInterop
