import PicseekCore

/// Turns an upright RGB image into a model input tensor, the way the
/// reference Python pipelines do (PIL bicubic, then crop, /255, mean/std).
public enum Preprocessor {
    /// The size the image is resized to before any crop.
    ///
    /// Squash: `size` x `size`. Shortest side: the short side becomes `size` and
    /// the long side `int(size * long / short)`, torchvision's and transformers'
    /// rule (truncation, not rounding).
    public static func resizeTarget(width: Int, height: Int, spec: PreprocessSpec) -> (
        width: Int, height: Int
    ) {
        switch spec.mode {
        case .squash:
            return (spec.size, spec.size)
        case .shortestSideCenterCrop:
            let short = min(width, height), long = max(width, height)
            let newLong = max(spec.size, Int(Double(spec.size * long) / Double(short)))
            return width <= height ? (spec.size, newLong) : (newLong, spec.size)
        }
    }

    /// Offset of a centred crop of `crop` out of `length`, as torchvision's
    /// `CenterCrop` computes it: `int(round((length - crop) / 2))`, with Python's
    /// round-half-to-even.
    static func cropOffset(length: Int, crop: Int) -> Int {
        let d = length - crop
        if d <= 0 { return 0 }
        let half = d / 2
        if d % 2 == 0 { return half }
        return half % 2 == 0 ? half : half + 1
    }

    /// Resizes (PIL bicubic), crops for the shortest-side mode, and returns the
    /// channel-planar normalised float tensor of `3 * size * size` values.
    public static func modelInput(_ image: RGBImage, spec: PreprocessSpec) -> [Float] {
        let target = resizeTarget(width: image.width, height: image.height, spec: spec)
        // Only the centre crop is computed (identical to resizing fully, then cropping).
        let left = cropOffset(length: target.width, crop: spec.size)
        let top = cropOffset(length: target.height, crop: spec.size)
        let cropped = Resampler.resize(
            image, width: target.width, height: target.height,
            columns: left..<left + min(spec.size, target.width),
            rows: top..<top + min(spec.size, target.height))
        return normalize(cropped, spec: spec)
    }

    /// Centre-crops `image` to `spec.size` (when larger) and normalises it:
    /// `(value / 255 - mean[c]) / std[c]`, planes R, G, B.
    public static func normalize(_ image: RGBImage, spec: PreprocessSpec) -> [Float] {
        let size = spec.size
        precondition(image.width >= size && image.height >= size, "image smaller than the crop")
        precondition(spec.mean.count == 3 && spec.std.count == 3, "mean and std need 3 values")
        let left = cropOffset(length: image.width, crop: size)
        let top = cropOffset(length: image.height, crop: size)
        // One lookup table per channel: 256 possible byte values.
        var table = [Float](repeating: 0, count: 3 * 256)
        for c in 0..<3 {
            let mean = Double(spec.mean[c]), std = Double(spec.std[c])
            for v in 0..<256 {
                table[c * 256 + v] = Float((Double(v) * (1.0 / 255.0) - mean) / std)
            }
        }
        let plane = size * size
        var out = [Float](repeating: 0, count: 3 * plane)
        image.pixels.withUnsafeBufferPointer { src in
            table.withUnsafeBufferPointer { lut in
                out.withUnsafeMutableBufferPointer { dst in
                    for y in 0..<size {
                        let row = ((top + y) * image.width + left) * 3
                        for x in 0..<size {
                            let s = row + x * 3
                            let d = y * size + x
                            dst[d] = lut[Int(src[s])]
                            dst[plane + d] = lut[256 + Int(src[s + 1])]
                            dst[2 * plane + d] = lut[512 + Int(src[s + 2])]
                        }
                    }
                }
            }
        }
        return out
    }

    /// Thumbnail size for a `width` x `height` image: longest side `side`, aspect
    /// kept (rounded), never upscaled.
    public static func thumbnailSize(width: Int, height: Int, side: Int) -> (
        width: Int, height: Int
    ) {
        let long = max(width, height)
        guard long > side else { return (width, height) }
        let scaled = { (v: Int) in max(1, Int((Double(v) * Double(side) / Double(long)).rounded()))
        }
        return width >= height ? (side, scaled(height)) : (scaled(width), side)
    }
}
