import CSIMD
import Dispatch

/// A `Linear` weight matrix (`[out, in]`) quantised to int8 once, symmetrically per output
/// channel, and packed for `Kernels.linearInt8`: a quarter of the memory of float32 and, on
/// CPUs with AVX-512 VNNI, four times the multiply rate.
public final class PackedInt8Weights: @unchecked Sendable {
    /// Output features (rows of the original matrix).
    public let outFeatures: Int
    /// Input features (columns of the original matrix).
    public let inFeatures: Int
    let storage: UnsafeMutablePointer<Int8>
    /// One scale per output: the row's largest magnitude over 127.
    let scales: UnsafeMutablePointer<Float>
    /// One sum of quantised weights per output, padded to a whole panel with zeros.
    let sums: UnsafeMutablePointer<Int32>

    /// Quantises and packs `weight` (`[outFeatures, inFeatures]`, contiguous), at most
    /// `Kernels.int8MaxInFeatures` inputs. The corresponding C function is
    /// `csimd_int8_pack_weights`.
    public init(weight: UnsafePointer<Float>, outFeatures: Int, inFeatures: Int) {
        precondition(outFeatures > 0 && inFeatures > 0, "empty weight matrix")
        precondition(inFeatures <= Kernels.int8MaxInFeatures, "too many inputs for int32 sums")
        self.outFeatures = outFeatures
        self.inFeatures = inFeatures
        let count = csimd_int8_packed_count(outFeatures, inFeatures)
        let padded = count / csimd_int8_row_count(inFeatures)
        storage = UnsafeMutableRawPointer.allocate(byteCount: count, alignment: 64)
            .bindMemory(to: Int8.self, capacity: count)
        scales = .allocate(capacity: outFeatures)
        sums = .allocate(capacity: padded)
        csimd_int8_pack_weights(weight, outFeatures, inFeatures, storage, scales, sums)
    }

    deinit {
        UnsafeMutableRawPointer(storage).deallocate()
        scales.deallocate()
        sums.deallocate()
    }

    /// Bytes held by the packed matrix, its scales and its sums.
    public var byteCount: Int {
        let count = csimd_int8_packed_count(outFeatures, inFeatures)
        return count + outFeatures * 4 + count / csimd_int8_row_count(inFeatures) * 4
    }
}

extension Kernels {
    /// Whether this CPU runs `linearInt8` (AVX-512 F, BW, VL and VNNI).
    /// The corresponding C function is `csimd_int8_gemm_supported`.
    public static var int8Supported: Bool { csimd_int8_gemm_supported() != 0 }

    /// The most input features `PackedInt8Weights` takes (int32 sums cannot overflow).
    public static let int8MaxInFeatures = Int(CSIMD_INT8_MAX_K)

    /// `output (=|+=) activation(dequant(q8(input) · q8(weight)ᵀ) + bias)` with int32 sums.
    ///
    /// Shapes as in `linear`. Each input row is quantised to bytes with its own scale and
    /// zero point (its range, including 0, in 255 steps) into a scratch buffer; the products
    /// run in int32 and are scaled back to float32 per row and output, then the bias and the
    /// activation are applied in the kernel. The input rows, then the output columns in
    /// whole panels, are split over `threads` threads. Requires `int8Supported`; `accumulate`
    /// requires `.identity`. The corresponding C functions are `csimd_int8_quantize_rows`
    /// and `csimd_int8_gemm`.
    public static func linearInt8(
        input: UnsafePointer<Float>, rows: Int, ldInput: Int? = nil,
        weight: PackedInt8Weights, bias: UnsafePointer<Float>?,
        output: UnsafeMutablePointer<Float>, ldOutput: Int? = nil,
        activation: Activation = .identity, accumulate: Bool = false, threads: Int = 1
    ) {
        precondition(int8Supported, "this CPU has no AVX-512 VNNI")
        guard
            case let (k, n, ldi, ldo)? = packedShape(
                rows: rows, inFeatures: weight.inFeatures, outFeatures: weight.outFeatures,
                ldInput: ldInput, ldOutput: ldOutput, activation: activation,
                accumulate: accumulate)
        else { return }
        let rowCount = csimd_int8_row_count(k)
        let quantised = UnsafeMutableRawPointer.allocate(byteCount: rows * rowCount, alignment: 64)
            .bindMemory(to: UInt8.self, capacity: rows * rowCount)
        let rowScales = UnsafeMutablePointer<Float>.allocate(capacity: rows)
        let zeros = UnsafeMutablePointer<Int32>.allocate(capacity: rows)
        defer {
            UnsafeMutableRawPointer(quantised).deallocate()
            rowScales.deallocate()
            zeros.deallocate()
        }
        let panel = Int(CSIMD_INT8_PANEL)
        let panels = (n + panel - 1) / panel
        let parts = max(1, min(threads, panels))
        let shared = Int8Operands(
            input: input, quantised: quantised, rowScales: rowScales, zeros: zeros, bias: bias,
            output: output)
        // Rows quantise in parallel, split by rows; then each thread multiplies all rows into
        // its own whole panels of outputs, a block of rows at a time; the kernel adds the bias
        // and applies the activation (as `biasActivation` does) while the sums are in registers.
        let quantiseParts = rows >= 32 * parts ? parts : 1
        let quantise = { (part: Int) in
            let first = part * rows / quantiseParts, last = (part + 1) * rows / quantiseParts
            csimd_int8_quantize_rows(
                shared.input + first * ldi, last - first, k, ldi,
                shared.quantised + first * rowCount, shared.rowScales + first,
                shared.zeros + first)
        }
        let block = Int(CSIMD_INT8_BLOCK_ROWS)
        let multiply = { (part: Int) in
            let begin = part * panels / parts * panel
            let end = min(n, (part + 1) * panels / parts * panel)
            for first in stride(from: 0, to: rows, by: block) {
                let count = min(block, rows - first)
                csimd_int8_gemm(
                    shared.quantised + first * rowCount, shared.rowScales + first,
                    shared.zeros + first, count, k, weight.storage, weight.scales, weight.sums,
                    shared.bias, activation.kernelKind, n, begin, end, shared.output + first * ldo,
                    ldo,
                    accumulate ? 1 : 0)
            }
        }
        if quantiseParts == 1 {
            quantise(0)
        } else {
            DispatchQueue.concurrentPerform(iterations: quantiseParts, execute: quantise)
        }
        if parts == 1 {
            multiply(0)
        } else {
            DispatchQueue.concurrentPerform(iterations: parts, execute: multiply)
        }
    }

    /// Naive twin of `linearInt8`: the weight rows and input rows quantised in Swift by the
    /// rules of `PackedInt8Weights` and `linearInt8`, the integer triple loop, the same
    /// scaling back to float32, then `biasActivationNaive`.
    public static func linearInt8Naive(
        input: UnsafePointer<Float>, rows: Int, inFeatures: Int, ldInput: Int? = nil,
        weight: UnsafePointer<Float>, bias: UnsafePointer<Float>?, outFeatures: Int,
        output: UnsafeMutablePointer<Float>, ldOutput: Int? = nil,
        activation: Activation = .identity, accumulate: Bool = false
    ) {
        let k = inFeatures, ldi = ldInput ?? k, ldo = ldOutput ?? outFeatures
        var wq = [Int](repeating: 0, count: outFeatures * k)
        var wScales = [Float](repeating: 0, count: outFeatures)
        var wSums = [Int](repeating: 0, count: outFeatures)
        for o in 0..<outFeatures {
            let row = (0..<k).map { weight[o * k + $0] }
            let largest = row.reduce(Float(0)) { Swift.max($0, abs($1)) }
            let inv: Float = largest > 0 ? 127 / largest : 0
            wScales[o] = largest / 127
            for j in 0..<k {
                let q = Int(Swift.min(Swift.max(row[j] * inv, -127), 127).rounded(.toNearestOrEven))
                wq[o * k + j] = q
                wSums[o] += q
            }
        }
        for r in 0..<rows {
            let x = (0..<k).map { input[r * ldi + $0] }
            let q = quantiseRowNaive(x)
            for o in 0..<outFeatures {
                var sum = 0
                for j in 0..<k { sum += q.bytes[j] * wq[o * k + j] }
                let value = Float(Int32(sum - q.zero * wSums[o])) * (q.scale * wScales[o])
                output[r * ldo + o] = accumulate ? output[r * ldo + o] + value : value
            }
        }
        biasActivationNaive(
            output, rows: rows, cols: outFeatures, ld: ldo, bias: bias, activation: activation)
    }

    /// `rows` rows of `input` (row stride `ld`) quantised by the C kernel as `linearInt8`
    /// quantises them: `k` bytes per row, and each row's zero point and scale.
    static func quantiseRowsInt8(_ input: [Float], rows: Int, k: Int, ld: Int)
        -> (bytes: [[Int]], zeros: [Int], scales: [Float])
    {
        let rowCount = csimd_int8_row_count(k)
        var bytes = [UInt8](repeating: 0xEE, count: rows * rowCount)
        var scales = [Float](repeating: -1, count: rows)
        var zeros = [Int32](repeating: -1, count: rows)
        csimd_int8_quantize_rows(input, rows, k, ld, &bytes, &scales, &zeros)
        let split = (0..<rows).map { r in bytes[r * rowCount..<(r + 1) * rowCount].map(Int.init) }
        return (split, zeros.map(Int.init), scales)
    }

    /// One input row quantised as `linearInt8` does: bytes in 0...255, zero point, scale.
    static func quantiseRowNaive(_ x: [Float]) -> (bytes: [Int], zero: Int, scale: Float) {
        let lo = x.reduce(Float(0)) { $1 < $0 ? $1 : $0 }
        let hi = x.reduce(Float(0)) { $1 > $0 ? $1 : $0 }
        let range = hi - lo
        guard range > 0 else { return ([Int](repeating: 0, count: x.count), 0, 0) }
        let inv = 255 / range
        let zero = Int(Swift.min(Swift.max(-lo * inv, 0), 255).rounded(.toNearestOrEven))
        let bytes = x.map { value -> Int in
            let v = value * inv + Float(zero)
            return Int(Swift.min(Swift.max(v, 0), 255).rounded(.toNearestOrEven))
        }
        return (bytes, zero, range / 255)
    }
}

/// The input, its quantised rows, their scales and zero points, the bias and the output,
/// handed to worker threads that write disjoint rows of the quantised input and disjoint
/// column ranges of the output.
private struct Int8Operands: @unchecked Sendable {
    let input: UnsafePointer<Float>
    let quantised: UnsafeMutablePointer<UInt8>
    let rowScales: UnsafeMutablePointer<Float>
    let zeros: UnsafeMutablePointer<Int32>
    let bias: UnsafePointer<Float>?
    let output: UnsafeMutablePointer<Float>
}
