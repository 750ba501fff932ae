// The codec's types that LightningTensor's safetensors API returns and throws; the rest of the
// codec (header, reader, writer, archive) is `import Safetensors`.
@_exported import enum Safetensors.SafetensorsDType
@_exported import struct Safetensors.SafetensorsError
