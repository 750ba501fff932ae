@_exported import LightningNN
