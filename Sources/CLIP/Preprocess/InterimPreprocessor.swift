import PicseekCore

/// Interim image preprocessing for `picseek embed`: PIL-style antialiased bicubic
/// resize (squash, or shortest side + centre crop), then `/255` and mean/std
/// normalisation into the planar tensor the vision tower takes.
///
/// A plain, unoptimised stand-in until the image pipeline in `Imaging` (its own
/// issue) lands and replaces it. It follows Pillow's `ImagingResample`: separable,
/// horizontal pass first, bicubic with a = -0.5 whose support widens by the
/// downscale factor, 22-bit fixed-point weights and 8-bit rounding between passes.
public enum InterimPreprocessor {
    /// Resizes and normalises `image` as `spec` describes; returns `3 * size * size` floats.
    public static func tensor(from image: RGBImage, spec: PreprocessSpec) -> [Float] {
        let size = spec.size
        var resized: RGBImage
        switch spec.mode {
        case .squash:
            resized = resize(image, width: size, height: size)
        case .shortestSideCenterCrop:
            let w = image.width, h = image.height
            let (nw, nh) = w <= h
                ? (size, max(size, Int(Double(size) * Double(h) / Double(w))))
                : (max(size, Int(Double(size) * Double(w) / Double(h))), size)
            let scaled = resize(image, width: nw, height: nh)
            let top = Int((Double(nh - size) / 2).rounded()), left = Int((Double(nw - size) / 2).rounded())
            var pixels = [UInt8](repeating: 0, count: size * size * 3)
            for y in 0..<size {
                let src = ((top + y) * nw + left) * 3
                for x in 0..<(size * 3) { pixels[y * size * 3 + x] = scaled.pixels[src + x] }
            }
            resized = RGBImage(width: size, height: size, pixels: pixels)
        }
        var out = [Float](repeating: 0, count: 3 * size * size)
        for c in 0..<3 {
            let mean = spec.mean[c], std = spec.std[c]
            for i in 0..<(size * size) {
                out[c * size * size + i] = (Float(resized.pixels[i * 3 + c]) / 255 - mean) / std
            }
        }
        return out
    }

    /// Resizes with Pillow's antialiased bicubic (horizontal pass, then vertical).
    public static func resize(_ image: RGBImage, width: Int, height: Int) -> RGBImage {
        var current = image
        if width != current.width {
            current = pass(current, outSize: width, horizontal: true)
        }
        if height != current.height {
            current = pass(current, outSize: height, horizontal: false)
        }
        return current
    }

    private static func bicubic(_ value: Double) -> Double {
        let a = -0.5
        let x = abs(value)
        if x < 1 { return ((a + 2) * x - (a + 3)) * x * x + 1 }
        if x < 2 { return (((x - 5) * x + 8) * x - 4) * a }
        return 0
    }

    /// Pillow's `precompute_coeffs` + `normalize_coeffs_8bpc`: per output index the
    /// first input index and fixed-point weights.
    private static func coefficients(inSize: Int, outSize: Int) -> (starts: [Int], weights: [[Int32]]) {
        let scale = Double(inSize) / Double(outSize)
        let filterScale = max(scale, 1)
        let support = 2 * filterScale
        var starts: [Int] = []
        var weights: [[Int32]] = []
        for xx in 0..<outSize {
            let center = (Double(xx) + 0.5) * scale
            let ss = 1 / filterScale
            let xmin = max(Int(center - support + 0.5), 0)
            let xmax = min(Int(center + support + 0.5), inSize) - xmin
            var k = [Double](repeating: 0, count: max(xmax, 0))
            var total = 0.0
            for x in 0..<max(xmax, 0) {
                let w = bicubic((Double(x + xmin) - center + 0.5) * ss)
                k[x] = w
                total += w
            }
            let fixed = k.map { w -> Int32 in
                let v = total != 0 ? w / total : 0
                return Int32(v * Double(1 << 22) + (v < 0 ? -0.5 : 0.5))
            }
            starts.append(xmin)
            weights.append(fixed)
        }
        return (starts, weights)
    }

    private static func pass(_ image: RGBImage, outSize: Int, horizontal: Bool) -> RGBImage {
        let inSize = horizontal ? image.width : image.height
        let (starts, weights) = coefficients(inSize: inSize, outSize: outSize)
        let outW = horizontal ? outSize : image.width
        let outH = horizontal ? image.height : outSize
        var out = [UInt8](repeating: 0, count: outW * outH * 3)
        let src = image.pixels
        for y in 0..<outH {
            for x in 0..<outW {
                let o = horizontal ? x : y
                let k = weights[o]
                for c in 0..<3 {
                    var acc: Int64 = 1 << 21
                    for (i, w) in k.enumerated() {
                        let sx = horizontal ? starts[o] + i : x
                        let sy = horizontal ? y : starts[o] + i
                        acc += Int64(src[(sy * image.width + sx) * 3 + c]) * Int64(w)
                    }
                    out[(y * outW + x) * 3 + c] = UInt8(clamping: acc >> 22)
                }
            }
        }
        return RGBImage(width: outW, height: outH, pixels: out)
    }
}
