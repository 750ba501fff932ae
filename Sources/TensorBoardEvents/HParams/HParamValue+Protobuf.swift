import SwiftProtobuf

extension HParamValue {
    /// The value as `SessionStartInfo.hparams` stores it.
    var protobufValue: Google_Protobuf_Value {
        switch self {
        case .number(let number): return Google_Protobuf_Value(numberValue: number)
        case .string(let string): return Google_Protobuf_Value(stringValue: string)
        case .bool(let flag): return Google_Protobuf_Value(boolValue: flag)
        }
    }

    /// The type `HParamInfo` declares for the value.
    var dataType: Tensorboard_Hparams_DataType {
        switch self {
        case .number: return .float64
        case .string: return .string
        case .bool: return .bool
        }
    }
}
