@_exported import Safetensors
