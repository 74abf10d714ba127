import CSIMD
import Dispatch

/// A `Linear` weight matrix (`[out, in]`) copied once into panels of 32 outputs for
/// `Kernels.linearPacked`: the layout that lets a few-row product (a text query) read
/// every weight once, in one sequential stream, at close to the multiply rate.
/// Same values as the original (float32), so results stay within float32 rounding.
public final class PackedF32Weights: @unchecked Sendable {
    /// Output features (rows of the original matrix).
    public let outFeatures: Int
    /// Input features (columns of the original matrix).
    public let inFeatures: Int
    let storage: UnsafeMutablePointer<Float>

    /// Outputs per panel: split output ranges and stack matrices at multiples of it.
    public static let panelWidth = Int(CSIMD_F32_PANEL)

    /// Packs `weight` (`[outFeatures, inFeatures]`, contiguous), splitting the panels
    /// over `threads` threads.
    /// The corresponding C function is `csimd_f32_pack_weights`.
    public init(weight: UnsafePointer<Float>, outFeatures: Int, inFeatures: Int, threads: Int = 1) {
        precondition(outFeatures > 0 && inFeatures > 0, "empty weight matrix")
        self.outFeatures = outFeatures
        self.inFeatures = inFeatures
        let count = csimd_f32_packed_count(outFeatures, inFeatures)
        storage = UnsafeMutableRawPointer.allocate(
            byteCount: count * MemoryLayout<Float>.stride, alignment: 64
        ).bindMemory(to: Float.self, capacity: count)
        let panels = (outFeatures + Int(CSIMD_F32_PANEL) - 1) / Int(CSIMD_F32_PANEL)
        let parts = max(1, min(threads, panels))
        let shared = SendableWeights(source: weight, packed: storage)
        let run = { (part: Int) in
            csimd_f32_pack_weights(
                shared.source, outFeatures, inFeatures, part * panels / parts,
                (part + 1) * panels / parts, shared.packed)
        }
        if parts == 1 {
            run(0)
        } else {
            DispatchQueue.concurrentPerform(iterations: parts, execute: run)
        }
    }

    /// Packs matrices of `outFeaturesEach` outputs each (a multiple of 32) one above the
    /// other, as if stacked into one `[count * outFeaturesEach, inFeatures]` matrix (a
    /// fused query, key and value projection), splitting the work over `threads` threads.
    public init(
        stacking weights: [UnsafePointer<Float>], outFeaturesEach: Int, inFeatures: Int,
        threads: Int = 1
    ) {
        let panel = Int(CSIMD_F32_PANEL)
        precondition(!weights.isEmpty && outFeaturesEach > 0 && inFeatures > 0, "empty weights")
        precondition(outFeaturesEach % panel == 0, "stacked matrices must fill whole panels")
        outFeatures = weights.count * outFeaturesEach
        self.inFeatures = inFeatures
        let count = csimd_f32_packed_count(outFeatures, inFeatures)
        storage = UnsafeMutableRawPointer.allocate(
            byteCount: count * MemoryLayout<Float>.stride, alignment: 64
        ).bindMemory(to: Float.self, capacity: count)
        let panelsEach = outFeaturesEach / panel
        let parts = max(1, min(threads, panelsEach))
        for (index, weight) in weights.enumerated() {
            let shared = SendableWeights(
                source: weight, packed: storage + index * outFeaturesEach * inFeatures)
            let run = { (part: Int) in
                csimd_f32_pack_weights(
                    shared.source, outFeaturesEach, inFeatures, part * panelsEach / parts,
                    (part + 1) * panelsEach / parts, shared.packed)
            }
            if parts == 1 {
                run(0)
            } else {
                DispatchQueue.concurrentPerform(iterations: parts, execute: run)
            }
        }
    }

    deinit { UnsafeMutableRawPointer(storage).deallocate() }

    /// Bytes held by the packed matrix.
    public var byteCount: Int { csimd_f32_packed_count(outFeatures, inFeatures) * 4 }
}

extension Kernels {
    /// `output (=|+=) activation(input · weightᵀ + bias)` against panel-packed weights.
    ///
    /// Shapes as in `linear`; any row count works, but the kernel is meant for few rows
    /// (it keeps up to 12 input rows in registers per panel). The output columns are
    /// split over `threads` threads in whole panels, the calling thread and workers of a
    /// persistent pool that spin briefly between products. `level` defaults to
    /// `thinLinearLevel` and must be supported; `accumulate` requires `.identity`.
    /// The corresponding C function is `csimd_linear_packed_f32_parallel`.
    public static func linearPacked(
        input: UnsafePointer<Float>, rows: Int, ldInput: Int? = nil,
        weight: PackedF32Weights, bias: UnsafePointer<Float>?,
        output: UnsafeMutablePointer<Float>, ldOutput: Int? = nil,
        activation: Activation = .identity, accumulate: Bool = false,
        level: SIMDLevel? = nil, threads: Int = 1
    ) {
        let level = level ?? thinLinearLevel
        precondition(level.isSupported, "SIMD level \(level) is not supported by this CPU")
        guard
            case let (k, n, ldi, ldo)? = packedShape(
                rows: rows, inFeatures: weight.inFeatures, outFeatures: weight.outFeatures,
                ldInput: ldInput, ldOutput: ldOutput, activation: activation,
                accumulate: accumulate)
        else { return }
        let panels = (n + PackedF32Weights.panelWidth - 1) / PackedF32Weights.panelWidth
        let work = rows * k * n
        let parts = work >= thinParallelMinimum ? max(1, min(threads, panels)) : 1
        // Split over the persistent pool (no thread woken per product; see csimd_pool.h).
        csimd_linear_packed_f32_parallel(
            Int32(parts), level.rawValue, input, rows, k, ldi, weight.storage, n, output, ldo,
            accumulate ? 1 : 0)
        biasActivation(output, rows: rows, cols: n, ld: ldo, bias: bias, activation: activation)
    }
}

/// The source and packed buffers, handed to threads that pack disjoint panels.
private struct SendableWeights: @unchecked Sendable {
    let source: UnsafePointer<Float>
    let packed: UnsafeMutablePointer<Float>
}
