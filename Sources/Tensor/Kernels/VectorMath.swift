/// Eight-lane versions of the element-wise functions, used by the kernels' inner loops
/// (explicit SIMD, because loops over the scalar forms do not vectorise reliably).
extension Kernels {
    typealias Vec = SIMD8<Float>

    /// Lane-wise `fastExp`.
    @inline(__always)
    static func fastExp(_ value: Vec) -> Vec {
        let x = clamp(value, -87.3, 88.3)
        let t = x * 1.44269504088896341 + 12_582_912
        let n = t - 12_582_912
        let r = x - n * 0.693359375 + n * 2.12194440e-4
        var p = Vec(repeating: 1.9875691500e-4)
        p = p * r + 1.3981999507e-3
        p = p * r + 8.3334519073e-3
        p = p * r + 4.1665795894e-2
        p = p * r + 1.6666665459e-1
        p = p * r + 5.0000001201e-1
        let y = p * r * r + r + 1
        let bits = (unsafeBitCast(t, to: SIMD8<UInt32>.self) &- 0x4B40_0000 &+ 127) &<< 23
        return y * unsafeBitCast(bits, to: Vec.self)
    }

    /// Lane-wise `fastErf`.
    @inline(__always)
    static func fastErf(_ value: Vec) -> Vec {
        let x = clamp(value, -4, 4)
        let x2 = x * x
        var p = Vec(repeating: -2.72614225801306e-10)
        p = p * x2 + 2.77068142495902e-08
        p = p * x2 + -2.10102402082508e-06
        p = p * x2 + -5.69250639462346e-05
        p = p * x2 + -7.34990630326855e-04
        p = p * x2 + -2.95459980854025e-03
        p = p * x2 + -1.60960333262415e-02
        p = p * x
        var q = Vec(repeating: -1.45660718464996e-05)
        q = q * x2 + -2.13374055278905e-04
        q = q * x2 + -1.68282697438203e-03
        q = q * x2 + -7.37332916720468e-03
        q = q * x2 + -1.42647390514189e-02
        return p / q
    }

    /// Lane-wise clamp by compare and blend (the generic `pointwiseMin/Max` are not inlined).
    @inline(__always)
    static func clamp(_ v: Vec, _ low: Float, _ high: Float) -> Vec {
        let lo = Vec(repeating: low), hi = Vec(repeating: high)
        return v.replacing(with: lo, where: v .< lo).replacing(with: hi, where: v .> hi)
    }

    @inline(__always)
    static func load(_ p: UnsafePointer<Float>, _ i: Int) -> Vec {
        UnsafeRawPointer(p + i).loadUnaligned(as: Vec.self)
    }

    @inline(__always)
    static func store(_ v: Vec, _ p: UnsafeMutablePointer<Float>, _ i: Int) {
        UnsafeMutableRawPointer(p + i).storeBytes(of: v, as: Vec.self)
    }
}
