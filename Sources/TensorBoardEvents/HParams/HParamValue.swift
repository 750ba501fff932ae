/// A hyperparameter's value as TensorBoard's HParams plugin shows it: a number, text or a flag.
public enum HParamValue: Equatable, Sendable {
    /// A number; TensorBoard stores every number as a double.
    case number(Double)
    /// Text, such as an optimizer's name.
    case string(String)
    /// A flag.
    case bool(Bool)
}
