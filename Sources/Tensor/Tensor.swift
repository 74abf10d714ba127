/// A row-major float32 tensor that owns 64-byte-aligned storage.
///
/// Used for activations and work buffers: allocated once per forward pass and
/// reused across layers, so kernels never allocate. Weights memory-mapped from a
/// file are read through `TensorView` instead.
public final class Tensor: @unchecked Sendable {
    /// Extent of each dimension, outermost first.
    public let shape: [Int]
    /// Number of elements (the product of `shape`).
    public let count: Int
    /// The first element; `count` elements are valid.
    public let data: UnsafeMutablePointer<Float>

    /// Allocates a tensor of the given shape filled with zeros.
    public init(shape: [Int]) {
        precondition(shape.allSatisfy { $0 >= 0 }, "negative tensor dimension")
        self.shape = shape
        self.count = shape.reduce(1, *)
        let raw = UnsafeMutableRawPointer.allocate(
            byteCount: max(count, 1) * MemoryLayout<Float>.stride, alignment: 64)
        data = raw.bindMemory(to: Float.self, capacity: max(count, 1))
        data.initialize(repeating: 0, count: max(count, 1))
    }

    /// Allocates a tensor holding a copy of `values`; `values.count` must equal the shape's product.
    public convenience init(shape: [Int], values: [Float]) {
        self.init(shape: shape)
        precondition(values.count == count, "values do not match shape \(shape)")
        values.withUnsafeBufferPointer { buffer in
            if let base = buffer.baseAddress { data.update(from: base, count: count) }
        }
    }

    deinit { UnsafeMutableRawPointer(data).deallocate() }

    /// A pointer to row `index` of a tensor viewed as `[rows, shape.last]`.
    public func row(_ index: Int) -> UnsafeMutablePointer<Float> {
        data + index * (shape.last ?? 1)
    }

    /// The elements as an array.
    public func toArray() -> [Float] { Array(UnsafeBufferPointer(start: data, count: count)) }

    /// A read-only view of the whole tensor.
    public var view: TensorView { TensorView(data: UnsafePointer(data), shape: shape) }
}

/// A read-only view of row-major floats owned elsewhere, e.g. memory-mapped weights.
///
/// The owner must outlive the view; the model keeps its weight source alive.
public struct TensorView: @unchecked Sendable {
    /// The first element.
    public let data: UnsafePointer<Float>
    /// Extent of each dimension, outermost first.
    public let shape: [Int]

    /// Creates a view of `shape.reduce(1, *)` floats starting at `data`.
    public init(data: UnsafePointer<Float>, shape: [Int]) {
        self.data = data
        self.shape = shape
    }

    /// Number of elements.
    public var count: Int { shape.reduce(1, *) }

    /// A pointer to row `index` of the view seen as `[rows, shape.last]`.
    public func row(_ index: Int) -> UnsafePointer<Float> { data + index * (shape.last ?? 1) }
}
