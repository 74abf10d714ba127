import Testing

@testable import Tensor

@Suite("int8 linear kernel agrees with its naive twin")
struct LinearInt8Tests {
    @Test("weights quantise per output row and pack into panels of output quads, padded with zeros")
    func packing() {
        // 35 outputs (two panels, the second short) by 6 inputs (not a multiple of 4).
        let n = 35, k = 6
        var w = (0..<n * k).map { Float($0 % 13) - 6 }
        // Rows whose largest magnitude is 127 quantise with a step of exactly 1: halfway
        // values go to the even neighbour.
        w.replaceSubrange(
            4 * k..<6 * k, with: [127, 0, 0.5, 1.5, -2.5, 3, -127, 2.5, -0.5, 0, 0, 0])
        for j in 0..<k { w[7 * k + j] = 0 } // a zero row
        let packed = PackedInt8Weights(weight: w, outFeatures: n, inFeatures: k)
        let panel = 32, quads = 2
        #expect(packed.byteCount == 2 * panel * quads * 4 + n * 4 + 2 * panel * 4)
        func at(_ p: Int, _ q: Int, _ l: Int, _ b: Int) -> Int8 {
            packed.storage[((p * quads + q) * panel + l) * 4 + b]
        }
        func expected(_ o: Int, _ j: Int) -> Int8 {
            let row = w[o * k..<(o + 1) * k]
            let largest = row.map { abs($0) }.max() ?? 0
            return largest == 0
                ? 0 : Int8((w[o * k + j] * (127 / largest)).rounded(.toNearestOrEven))
        }
        #expect(at(0, 0, 0, 0) == expected(0, 0) && at(0, 0, 0, 3) == expected(0, 3))
        #expect(at(0, 1, 3, 1) == expected(3, 5) && at(0, 1, 3, 2) == 0 && at(0, 1, 3, 3) == 0)
        #expect(at(1, 0, 2, 1) == expected(34, 1) && at(1, 0, 3, 0) == 0)
        #expect(at(0, 0, 4, 2) == 0 && at(0, 0, 4, 3) == 2 && at(0, 1, 4, 0) == -2)
        #expect(at(0, 0, 5, 1) == 2 && at(0, 0, 5, 2) == 0 && at(0, 0, 5, 0) == -127)
        #expect((0..<k).allSatisfy { at(0, $0 / 4, 7, $0 % 4) == 0 } && packed.scales[7] == 0)
        #expect(packed.scales[0] == Float(6) / 127)
        #expect(packed.sums[3] == (0..<k).reduce(Int32(0)) { $0 + Int32(expected(3, $1)) })
        #expect((n..<2 * panel).allSatisfy { packed.sums[$0] == 0 })
        // The row's largest magnitude maps to exactly ±127.
        #expect(
            (0..<n).allSatisfy { o in
                o == 7
                    || (0..<k).contains {
                        abs(Int(at(o / panel, $0 / 4, o % panel, $0 % 4))) == 127
                    }
            })
    }

    @Test("the C kernel quantises rows to exactly the bytes, zero points and scales of the twin")
    func rowQuantisation() {
        var rng = TestRandom(seed: 77)
        for k in [1, 3, 15, 16, 17, 33, 768, 771] {
            let rows = 5, ld = k + 2
            var x = rng.array(rows * ld, scale: 3)
            for j in 0..<k { x[1 * ld + j] = abs(x[1 * ld + j]) } // all positive: zero point 0
            for j in 0..<k { x[2 * ld + j] = -abs(x[2 * ld + j]) } // all negative: 255
            for j in 0..<k { x[3 * ld + j] = 0 } // a zero row: scale 0
            let got = Kernels.quantiseRowsInt8(x, rows: rows, k: k, ld: ld)
            for r in 0..<rows {
                let want = Kernels.quantiseRowNaive(Array(x[r * ld..<r * ld + k]))
                #expect(Array(got.bytes[r].prefix(k)) == want.bytes, "k \(k) row \(r)")
                #expect(got.bytes[r].dropFirst(k).allSatisfy { $0 == 0 }, "padding, k \(k)")
                #expect(got.zeros[r] == want.zero && got.scales[r] == want.scale)
            }
            #expect(got.zeros[1] == 0 && got.zeros[3] == 0 && got.scales[3] == 0)
            #expect(k < 3 || got.zeros[2] == 255)
            #expect(got.bytes[0].prefix(k).contains(255) || got.bytes[0].prefix(k).contains(0))
        }
    }

    /// Runs `linearInt8` and its twin on strided inputs; returns the max difference,
    /// whether the padding columns stayed untouched, and the output magnitude.
    func compare(
        rows: Int, inF: Int, outF: Int, accumulate: Bool, activation: Activation = .identity,
        threads: Int = 1, seed: UInt64
    ) -> (diff: Float, untouched: Bool, magnitude: Float) {
        var rng = TestRandom(seed: seed)
        let ldi = inF + 3, ldo = outF + 2
        let x = rng.array(rows * ldi), w = rng.array(outF * inF, scale: 0.5), bias = rng.array(outF)
        let start = rng.array(rows * ldo)
        var fast = start, slow = start
        let packed = PackedInt8Weights(weight: w, outFeatures: outF, inFeatures: inF)
        Kernels.linearInt8(
            input: x, rows: rows, ldInput: ldi, weight: packed, bias: bias, output: &fast,
            ldOutput: ldo, activation: activation, accumulate: accumulate, threads: threads)
        Kernels.linearInt8Naive(
            input: x, rows: rows, inFeatures: inF, ldInput: ldi, weight: w, bias: bias,
            outFeatures: outF, output: &slow, ldOutput: ldo, activation: activation,
            accumulate: accumulate)
        var untouched = true
        for r in 0..<rows
        where fast[r * ldo + outF..<r * ldo + ldo] != start[r * ldo + outF..<r * ldo + ldo] {
            untouched = false
        }
        return (maxAbsDiff(fast, slow), untouched, slow.map { abs($0) }.max() ?? 0)
    }

    @Test(
        "ragged row counts, widths across panels and quads, both write modes: the same floats",
        .enabled(if: Kernels.int8Supported, "this CPU has no AVX-512 VNNI"))
    func raggedSizes() {
        var seed: UInt64 = 900
        for rows in [1, 5, 11, 12, 13, 25, 48, 49, 97, 100] {
            for (inF, outF) in [(1, 1), (3, 31), (4, 32), (17, 33), (530, 65), (64, 100), (6, 16)] {
                for accumulate in [false, true] {
                    seed += 1
                    let r = compare(
                        rows: rows, inF: inF, outF: outF, accumulate: accumulate, seed: seed)
                    // Same integers and the same float operations: equal up to the last bit.
                    #expect(r.diff == 0, "rows \(rows) in \(inF) out \(outF): maxdiff \(r.diff)")
                    #expect(
                        r.untouched, "wrote past outFeatures at rows \(rows) in \(inF) out \(outF)")
                }
            }
        }
    }

    @Test(
        "threads split whole panels; the kernel's bias, GELU and quick GELU match the twin's",
        .enabled(if: Kernels.int8Supported, "this CPU has no AVX-512 VNNI"))
    func threadedWithActivation() {
        for (rows, inF, outF, activation) in [
            (197, 768, 3072, Activation.gelu), (50, 3072, 770, .quickGELU), (13, 40, 33, .gelu),
        ] {
            let r = compare(
                rows: rows, inF: inF, outF: outF, accumulate: false, activation: activation,
                threads: 3, seed: UInt64(rows * outF))
            #expect(
                r.diff <= 1e-4 * max(1, r.magnitude),
                "rows \(rows) \(inF)->\(outF): maxdiff \(r.diff)")
            #expect(r.untouched)
            #expect(r.magnitude > 1)
        }
    }

    @Test(
        "a zero input row gives exactly the bias",
        .enabled(if: Kernels.int8Supported, "this CPU has no AVX-512 VNNI"))
    func zeroRow() {
        var rng = TestRandom(seed: 5)
        let inF = 40, outF = 20
        let w = rng.array(outF * inF), bias = rng.array(outF)
        var x = rng.array(2 * inF)
        for j in 0..<inF { x[j] = 0 }
        var y = [Float](repeating: 7, count: 2 * outF)
        Kernels.linearInt8(
            input: x, rows: 2,
            weight: PackedInt8Weights(weight: w, outFeatures: outF, inFeatures: inF),
            bias: bias, output: &y)
        #expect(Array(y[0..<outF]) == bias)
        #expect(Array(y[outF...]) != bias)
    }

    @Test(
        "patch embedding with int8 weights equals the twin over the image's patches",
        .enabled(if: Kernels.int8Supported, "this CPU has no AVX-512 VNNI"))
    func patchEmbedding() {
        var rng = TestRandom(seed: 23)
        let c = 3, size = 30, patch = 7, width = 40 // 30 is not a multiple of 7: edge dropped
        let grid = size / patch, length = c * patch * patch
        let image = rng.array(c * size * size), weight = rng.array(width * length)
        var fast = [Float](repeating: 0, count: grid * grid * width), slow = fast
        var columns = [Float](repeating: 0, count: grid * grid * length)
        Kernels.patchColumns(
            image: image, channels: c, size: size, patch: patch, columns: &columns)
        Kernels.linearInt8(
            input: columns, rows: grid * grid,
            weight: PackedInt8Weights(weight: weight, outFeatures: width, inFeatures: length),
            bias: nil, output: &fast, threads: 2)
        // The same patches as rows, through the twin.
        var patches = [Float](repeating: 0, count: grid * grid * length)
        for gy in 0..<grid {
            for gx in 0..<grid {
                for ch in 0..<c {
                    for ky in 0..<patch {
                        for kx in 0..<patch {
                            patches[(gy * grid + gx) * length + (ch * patch + ky) * patch + kx] =
                                image[(ch * size + gy * patch + ky) * size + gx * patch + kx]
                        }
                    }
                }
            }
        }
        Kernels.linearInt8Naive(
            input: patches, rows: grid * grid, inFeatures: length, weight: weight, bias: nil,
            outFeatures: width, output: &slow)
        #expect(fast == slow, "maxdiff \(maxAbsDiff(fast, slow))")
        var exact = slow
        Kernels.patchEmbeddingNaive(
            image: image, channels: c, size: size, patch: patch, weight: weight, width: width,
            output: &exact)
        #expect(maxAbsDiff(exact, slow) <= 0.02 * (exact.map { abs($0) }.max() ?? 0))
    }

    @Test(
        "the int8 product stays near the float32 one",
        .enabled(if: Kernels.int8Supported, "this CPU has no AVX-512 VNNI"))
    func nearFloat32() {
        var rng = TestRandom(seed: 9)
        let rows = 40, inF = 768, outF = 96
        let x = rng.array(rows * inF), w = rng.array(outF * inF, scale: 0.1)
        var exact = [Float](repeating: 0, count: rows * outF), quantised = exact
        Kernels.linearNaive(
            input: x, rows: rows, inFeatures: inF, weight: w, bias: nil,
            outFeatures: outF, output: &exact)
        Kernels.linearInt8(
            input: x, rows: rows,
            weight: PackedInt8Weights(weight: w, outFeatures: outF, inFeatures: inF),
            bias: nil, output: &quantised)
        let scale = exact.map { abs($0) }.max() ?? 0
        // Steps of 1/254 and 1/255 of each row's range, over 768 random-sign terms.
        #expect(maxAbsDiff(exact, quantised) <= 0.03 * scale)
        #expect(maxAbsDiff(exact, quantised) > 0)
        let dot = zip(exact, quantised).reduce(Float(0)) { $0 + $1.0 * $1.1 }
        let norms = exact.reduce(Float(0)) { $0 + $1 * $1 } * quantised.reduce(0) { $0 + $1 * $1 }
        #expect(dot / norms.squareRoot() > 0.9995)
    }
}
