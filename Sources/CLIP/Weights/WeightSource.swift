/// Where a model's float32 weights come from: a memory-mapped file or memory.
///
/// Implementations check the shape and return a pointer that stays valid as long
/// as the source is alive (the model keeps a strong reference to it).
public protocol WeightSource: AnyObject, Sendable {
    /// The float32 data of tensor `name`, which must have exactly `shape`.
    func floats(_ name: String, shape: [Int]) throws(WeightsError) -> UnsafePointer<Float>
    /// Whether a tensor of that name exists (for optional tensors).
    func contains(_ name: String) -> Bool
    /// The shape stored for tensor `name`, if it exists.
    func shape(of name: String) -> [Int]?
    /// Says that the `count` floats at `pointer` (from `floats`) will not be read for a
    /// while (a model keeps its own copy): a memory-mapped file lets the system drop those
    /// pages from memory, to be read from the file again if touched. Data stays valid.
    func willNotNeed(_ pointer: UnsafePointer<Float>, count: Int)
}

extension WeightSource {
    /// Does nothing: the data stays in memory.
    public func willNotNeed(_ pointer: UnsafePointer<Float>, count: Int) {}
}
