@_exported import LightningData
@_exported import LightningOptim
