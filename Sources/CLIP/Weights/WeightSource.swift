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
}
