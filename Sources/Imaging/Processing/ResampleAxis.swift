/// PIL's antialiased bicubic filter for one axis, as fixed-point coefficients.
///
/// A faithful port of `precompute_coeffs` and `normalize_coeffs_8bpc` in Pillow's
/// `src/libImaging/Resample.c`: the cubic kernel with a = -0.5, support 2 scaled by
/// the downscale factor (so downscaling averages over the whole footprint instead
/// of point-sampling), weights normalised to sum 1 in double precision, then
/// rounded to integers with 22 fractional bits (`PRECISION_BITS = 32 - 8 - 2`).
struct ResampleAxis: Sendable {
    /// Fractional bits of the fixed-point coefficients.
    static let precisionBits: Int32 = 22

    let inSize: Int
    /// Size of the whole resized axis (the scale is `inSize / fullSize`).
    let fullSize: Int
    /// The output indices computed: all of `0..<fullSize`, or a crop of them.
    let range: Range<Int>
    /// Number of output pixels computed (`range.count`).
    let outSize: Int
    /// Coefficients stored per output pixel (the longest filter window).
    let ksize: Int
    /// First input index of each output pixel's window.
    let start: [Int]
    /// Number of input pixels in each window.
    let count: [Int]
    /// `outSize * ksize` fixed-point weights; entries past `count` are zero.
    let weights: [Int32]

    /// PIL's `bicubic_filter`.
    static func bicubic(_ value: Double) -> Double {
        let a = -0.5
        let x = value < 0 ? -value : value
        if x < 1.0 { return ((a + 2.0) * x - (a + 3.0)) * x * x + 1 }
        if x < 2.0 { return (((x - 5) * x + 8) * x - 4) * a }
        return 0.0
    }

    /// Coefficients for resizing `inSize` to `outSize`, computed only for the
    /// output indices in `range` (default: all). Each output pixel's window
    /// depends only on its index, so a crop of the output is exact.
    init(inSize: Int, outSize fullSize: Int, range: Range<Int>? = nil) {
        let range = range ?? 0..<fullSize
        precondition(inSize > 0 && fullSize > 0, "resample sizes must be positive")
        precondition(
            range.lowerBound >= 0 && range.upperBound <= fullSize && !range.isEmpty,
            "output range outside the resized axis")
        self.inSize = inSize
        self.fullSize = fullSize
        self.range = range
        let outSize = range.count
        self.outSize = outSize
        let scale = Double(Float(inSize)) / Double(fullSize)
        let filterScale = max(scale, 1.0)
        let support = 2.0 * filterScale
        let ksize = Int(support.rounded(.up)) * 2 + 1
        self.ksize = ksize
        var start = [Int](repeating: 0, count: outSize)
        var count = [Int](repeating: 0, count: outSize)
        var weights = [Int32](repeating: 0, count: outSize * ksize)
        var k = [Double](repeating: 0, count: ksize)
        let ss = 1.0 / filterScale
        let one = Double(Int32(1) << Self.precisionBits)
        for xx in 0..<outSize {
            let center = (Double(range.lowerBound + xx) + 0.5) * scale
            var xmin = Int(center - support + 0.5)
            if xmin < 0 { xmin = 0 }
            var xmax = Int(center + support + 0.5)
            if xmax > inSize { xmax = inSize }
            xmax -= xmin
            var ww = 0.0
            for x in 0..<xmax {
                let w = Self.bicubic((Double(x + xmin) - center + 0.5) * ss)
                k[x] = w
                ww += w
            }
            for x in 0..<xmax {
                let v = ww != 0.0 ? k[x] / ww : k[x]
                weights[xx * ksize + x] = v < 0 ? Int32(-0.5 + v * one) : Int32(0.5 + v * one)
            }
            start[xx] = xmin
            count[xx] = max(xmax, 0)
        }
        self.start = start
        self.count = count
        self.weights = weights
    }
}
