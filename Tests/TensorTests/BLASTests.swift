import Testing

@testable import Tensor

@Suite("BLAS binding")
struct BLASTests {
    @Test("sgemm of a 3x2 and a 2x4 matrix matches hand-computed values")
    func sgemmSmall() {
        let a: [Float] = [
            1, 2,
            3, 4,
            5, 6,
        ]
        let b: [Float] = [
            1, 0, -1, 2,
            0.5, 1, 2, -3,
        ]
        // Row i of C = a[i,0] * b[0,:] + a[i,1] * b[1,:]
        let expected: [Float] = [
            2, 2, 3, -4,
            5, 4, 5, -6,
            8, 6, 7, -8,
        ]
        var c = [Float](repeating: .nan, count: 12)
        BLAS.sgemm(m: 3, n: 4, k: 2, a: a, lda: 2, b: b, ldb: 4, c: &c, ldc: 4)
        #expect(c == expected)
    }

    @Test("sgemm with a transposed B (PyTorch Linear weight layout)")
    func sgemmTransposedB() {
        let x: [Float] = [1, 2, 3] // 1x3
        let w: [Float] = [
            1, 0, 0, // 2x3, [out, in]
            0, 1, -1,
        ]
        var y = [Float](repeating: 0, count: 2)
        BLAS.sgemm(m: 1, n: 2, k: 3, a: x, lda: 3, b: w, ldb: 3, transB: true, c: &y, ldc: 2)
        #expect(y == [1, -1])
    }

    @Test("sgemv computes a matrix-vector product")
    func sgemv() {
        let a: [Float] = [1, 2, 3, 4, 5, 6] // 2x3
        let x: [Float] = [1, 1, 2]
        var y = [Float](repeating: 0, count: 2)
        BLAS.sgemv(m: 2, n: 3, a: a, lda: 3, x: x, y: &y)
        #expect(y == [9, 21])
    }
}
