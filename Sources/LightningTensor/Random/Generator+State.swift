extension Generator {
    /// A generator's whole state, as a checkpoint stores it.
    ///
    /// Encoded as `{"seed": "42", "position": "1024"}`: 64-bit values are JSON strings, because
    /// JSON numbers are doubles in most readers (Python's included for non-integers, JavaScript
    /// always) and lose integers above 2^53.
    public struct State: Codable, Equatable, Sendable {
        /// The seed (the Philox key).
        public var seed: UInt64
        /// How many 32-bit words had been drawn.
        public var position: UInt64

        /// A state at `position` in the stream of `seed`.
        public init(seed: UInt64, position: UInt64 = 0) {
            self.seed = seed
            self.position = position
        }

        private enum CodingKeys: String, CodingKey { case seed, position }

        /// Decodes the decimal strings ``encode(to:)`` writes; anything else is a `DecodingError`.
        public init(from decoder: Decoder) throws {
            let container = try decoder.container(keyedBy: CodingKeys.self)
            seed = try Self.decodeUInt64(container, .seed)
            position = try Self.decodeUInt64(container, .position)
        }

        /// Encodes each field as a decimal string.
        public func encode(to encoder: Encoder) throws {
            var container = encoder.container(keyedBy: CodingKeys.self)
            try container.encode(String(seed), forKey: .seed)
            try container.encode(String(position), forKey: .position)
        }

        private static func decodeUInt64(_ container: KeyedDecodingContainer<CodingKeys>, _ key: CodingKeys) throws -> UInt64 {
            let text = try container.decode(String.self, forKey: key)
            guard let value = UInt64(text) else {
                throw DecodingError.dataCorruptedError(forKey: key, in: container,
                                                       debugDescription: "'\(text)' is not a decimal 64-bit unsigned integer")
            }
            return value
        }
    }
}
