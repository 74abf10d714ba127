import PicseekCore

/// Box reduction of 8-bit RGB images by whole factors, as Pillow's `Image.reduce`.
///
/// Each output pixel is the rounded mean of an `fx` x `fy` block; the last block of a
/// row or column, where the size is not a multiple of the factor, averages what is left.
/// Thumbnails use it before the bicubic resize, as Pillow's `Image.thumbnail` does with its
/// default `reducing_gap` of 2: from a 12 MP photo the bicubic pass then reads a few hundred
/// thousand pixels instead of twelve million. `reduceNaive` is the plain twin.
public enum Reducer {
    /// The per-axis factors Pillow's `thumbnail` reduces by for a `target` size: the source
    /// side over the target side over 2, rounded down, at least 1.
    public static func thumbnailFactors(
        width: Int, height: Int, target: (width: Int, height: Int)
    ) -> (x: Int, y: Int) {
        (max(1, width / max(1, target.width) / 2), max(1, height / max(1, target.height) / 2))
    }

    /// `image` reduced by `fx` across and `fy` down (each at least 1).
    public static func reduce(_ image: RGBImage, fx: Int, fy: Int) -> RGBImage {
        precondition(fx >= 1 && fy >= 1, "reduce factors must be positive")
        if fx == 1 && fy == 1 { return image }
        let w = image.width, h = image.height
        let outW = (w + fx - 1) / fx, outH = (h + fy - 1) / fy
        var out = [UInt8](repeating: 0, count: outW * outH * 3)
        var sums = [UInt32](repeating: 0, count: outW * 3)
        image.pixels.withUnsafeBufferPointer { src in
            out.withUnsafeMutableBufferPointer { dst in
                sums.withUnsafeMutableBufferPointer { acc in
                    for oy in 0..<outH {
                        let y0 = oy * fy, y1 = min(h, y0 + fy)
                        for i in 0..<acc.count { acc[i] = 0 }
                        for y in y0..<y1 {
                            var p = y * w * 3
                            for ox in 0..<outW {
                                let n = min(fx, w - ox * fx)
                                var r: UInt32 = 0, g: UInt32 = 0, b: UInt32 = 0
                                for _ in 0..<n {
                                    r += UInt32(src[p])
                                    g += UInt32(src[p + 1])
                                    b += UInt32(src[p + 2])
                                    p += 3
                                }
                                acc[ox * 3] += r
                                acc[ox * 3 + 1] += g
                                acc[ox * 3 + 2] += b
                            }
                        }
                        let rows = UInt32(y1 - y0)
                        for ox in 0..<outW {
                            let area = UInt32(min(fx, w - ox * fx)) * rows
                            for c in 0..<3 {
                                dst[(oy * outW + ox) * 3 + c] = UInt8(
                                    (acc[ox * 3 + c] + area / 2) / area)
                            }
                        }
                    }
                }
            }
        }
        return RGBImage(width: outW, height: outH, pixels: out)
    }

    /// The plain twin of `reduce`: each output sample summed on its own.
    static func reduceNaive(_ image: RGBImage, fx: Int, fy: Int) -> RGBImage {
        let outW = (image.width + fx - 1) / fx, outH = (image.height + fy - 1) / fy
        var out: [UInt8] = []
        for oy in 0..<outH {
            for ox in 0..<outW {
                for c in 0..<3 {
                    var sum = 0, count = 0
                    for y in oy * fy..<min(image.height, oy * fy + fy) {
                        for x in ox * fx..<min(image.width, ox * fx + fx) {
                            sum += Int(image.pixels[(y * image.width + x) * 3 + c])
                            count += 1
                        }
                    }
                    out.append(UInt8((sum + count / 2) / count))
                }
            }
        }
        return RGBImage(width: outW, height: outH, pixels: out)
    }
}
