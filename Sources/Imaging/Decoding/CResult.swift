/// What the C decoder wrappers hand back, read the same way for every format.
enum CResult {
    /// The NUL-terminated message a wrapper wrote into `buffer`, as UTF-8
    /// (invalid bytes become U+FFFD).
    static func message(_ buffer: [CChar]) -> String {
        String(
            decoding: buffer.prefix(while: { $0 != 0 }).map { UInt8(bitPattern: $0) }, as: UTF8.self
        )
    }

    /// A copy of the `count` bytes a wrapper allocated at `pointer` (the
    /// wrapper's own free function releases them).
    static func bytes(_ pointer: UnsafeMutablePointer<UInt8>, count: Int) -> [UInt8] {
        Array(UnsafeBufferPointer(start: pointer, count: count))
    }
}
