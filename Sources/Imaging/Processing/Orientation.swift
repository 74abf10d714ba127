import PicseekCore

/// EXIF orientation (tag 0x0112) and the transform that makes a photo upright.
public enum Orientation {
    /// Whether `value` (1...8) swaps width and height (the 90° cases 5...8).
    public static func swapsAxes(_ value: Int) -> Bool { (5...8).contains(value) }

    /// Applies the transform PIL's `ImageOps.exif_transpose` applies for `value`:
    /// 2 mirror, 3 rotate 180°, 4 flip, 5 transpose, 6 rotate 90° clockwise,
    /// 7 transverse, 8 rotate 90° counter-clockwise. Other values return `image`.
    public static func apply(_ value: Int, to image: RGBImage) -> RGBImage {
        guard (2...8).contains(value) else { return image }
        let w = image.width, h = image.height
        let outW = swapsAxes(value) ? h : w
        let outH = swapsAxes(value) ? w : h
        var out = [UInt8](repeating: 0, count: w * h * 3)
        image.pixels.withUnsafeBufferPointer { src in
            out.withUnsafeMutableBufferPointer { dst in
                for y in 0..<outH {
                    for x in 0..<outW {
                        // The source pixel shown at (x, y) of the upright image.
                        let (sx, sy): (Int, Int)
                        switch value {
                        case 2: (sx, sy) = (w - 1 - x, y)
                        case 3: (sx, sy) = (w - 1 - x, h - 1 - y)
                        case 4: (sx, sy) = (x, h - 1 - y)
                        case 5: (sx, sy) = (y, x)
                        case 6: (sx, sy) = (y, h - 1 - x)
                        case 7: (sx, sy) = (w - 1 - y, h - 1 - x)
                        default: (sx, sy) = (w - 1 - y, x)
                        }
                        let s = (sy * w + sx) * 3
                        let d = (y * outW + x) * 3
                        dst[d] = src[s]
                        dst[d + 1] = src[s + 1]
                        dst[d + 2] = src[s + 2]
                    }
                }
            }
        }
        return RGBImage(width: outW, height: outH, pixels: out)
    }
}
