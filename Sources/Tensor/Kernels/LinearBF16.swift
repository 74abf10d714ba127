import CSIMD
import Dispatch

/// A `Linear` weight matrix (`[out, in]`) rounded to bfloat16 and packed once for
/// `Kernels.linearBF16`: half the memory of float32 and, on CPUs with AVX512_BF16,
/// twice the multiply rate.
public final class PackedBF16Weights: @unchecked Sendable {
    /// Output features (rows of the original matrix).
    public let outFeatures: Int
    /// Input features (columns of the original matrix).
    public let inFeatures: Int
    let storage: UnsafeMutablePointer<UInt16>

    /// Rounds and packs `weight` (`[outFeatures, inFeatures]`, contiguous).
    /// The corresponding C function is `csimd_bf16_pack_weights`.
    public init(weight: UnsafePointer<Float>, outFeatures: Int, inFeatures: Int) {
        precondition(outFeatures > 0 && inFeatures > 0, "empty weight matrix")
        self.outFeatures = outFeatures
        self.inFeatures = inFeatures
        let count = csimd_bf16_packed_count(outFeatures, inFeatures)
        storage = UnsafeMutableRawPointer.allocate(
            byteCount: count * MemoryLayout<UInt16>.stride, alignment: 64
        ).bindMemory(to: UInt16.self, capacity: count)
        csimd_bf16_pack_weights(weight, outFeatures, inFeatures, storage)
    }

    deinit { UnsafeMutableRawPointer(storage).deallocate() }

    /// Bytes held by the packed matrix.
    public var byteCount: Int { csimd_bf16_packed_count(outFeatures, inFeatures) * 2 }
}

extension Kernels {
    /// Whether this CPU runs `linearBF16` (AVX-512 F, BW, VL and BF16).
    /// The corresponding C function is `csimd_bf16_gemm_supported`.
    public static var bf16Supported: Bool { csimd_bf16_gemm_supported() != 0 }

    /// float32 to bfloat16 bits, rounding to nearest even, as `linearBF16` rounds.
    /// The corresponding C function is `csimd_bf16_round`.
    public static func bf16Round(_ value: Float) -> UInt16 { csimd_bf16_round(value) }

    /// `output (=|+=) activation(bf16(input) · bf16(weight)ᵀ + bias)` with float32 sums.
    ///
    /// Shapes as in `linear`. The input rows are rounded to bfloat16 into a scratch
    /// buffer, then the output columns are split over `threads` threads in whole
    /// panels. Requires `bf16Supported`; `accumulate` requires `.identity`.
    /// The corresponding C functions are `csimd_bf16_convert_rows` and `csimd_bf16_gemm`.
    public static func linearBF16(
        input: UnsafePointer<Float>, rows: Int, ldInput: Int? = nil,
        weight: PackedBF16Weights, bias: UnsafePointer<Float>?,
        output: UnsafeMutablePointer<Float>, ldOutput: Int? = nil,
        activation: Activation = .identity, accumulate: Bool = false, threads: Int = 1
    ) {
        precondition(bf16Supported, "this CPU has no AVX512_BF16")
        guard
            case let (k, n, ldi, ldo)? = packedShape(
                rows: rows, inFeatures: weight.inFeatures, outFeatures: weight.outFeatures,
                ldInput: ldInput, ldOutput: ldOutput, activation: activation,
                accumulate: accumulate)
        else { return }
        let rowCount = csimd_bf16_row_count(k)
        let scratch = UnsafeMutablePointer<UInt16>.allocate(capacity: rows * rowCount)
        defer { scratch.deallocate() }
        csimd_bf16_convert_rows(input, rows, k, ldi, scratch)

        let panel = Int(CSIMD_BF16_PANEL)
        let panels = (n + panel - 1) / panel
        let parts = max(1, min(threads, panels))
        let out = UnsafeSendablePair(scratch: scratch, output: output)
        let run = { (part: Int) in
            let begin = part * panels / parts * panel
            let end = min(n, (part + 1) * panels / parts * panel)
            csimd_bf16_gemm(
                out.scratch, rows, k, weight.storage, n, begin, end,
                out.output, ldo, accumulate ? 1 : 0)
        }
        if parts == 1 {
            run(0)
        } else {
            DispatchQueue.concurrentPerform(iterations: parts, execute: run)
        }
        biasActivation(output, rows: rows, cols: n, ld: ldo, bias: bias, activation: activation)
    }

    /// Naive twin of `linearBF16`: rounds both operands with `bf16Round`, then the
    /// triple loop of `linearNaive` with a double accumulator.
    public static func linearBF16Naive(
        input: UnsafePointer<Float>, rows: Int, inFeatures: Int, ldInput: Int? = nil,
        weight: UnsafePointer<Float>, bias: UnsafePointer<Float>?, outFeatures: Int,
        output: UnsafeMutablePointer<Float>, ldOutput: Int? = nil,
        activation: Activation = .identity, accumulate: Bool = false
    ) {
        let ldi = ldInput ?? inFeatures
        func rounded(_ v: Float) -> Float { Float(bitPattern: UInt32(bf16Round(v)) << 16) }
        var x = [Float](repeating: 0, count: rows * inFeatures)
        for r in 0..<rows {
            for j in 0..<inFeatures { x[r * inFeatures + j] = rounded(input[r * ldi + j]) }
        }
        let w = (0..<outFeatures * inFeatures).map { rounded(weight[$0]) }
        linearNaive(
            input: x, rows: rows, inFeatures: inFeatures, weight: w, bias: bias,
            outFeatures: outFeatures, output: output, ldOutput: ldOutput,
            activation: activation, accumulate: accumulate)
    }
}

/// The scratch input and the output, handed to worker threads that write
/// disjoint column ranges of the output.
private struct UnsafeSendablePair: @unchecked Sendable {
    let scratch: UnsafeMutablePointer<UInt16>
    let output: UnsafeMutablePointer<Float>
}
