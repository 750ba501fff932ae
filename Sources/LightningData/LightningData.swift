@_exported import LightningTensor
