import PicseekCore

/// Decoding for text recognition: an upright grey image sized for reading text.
///
/// Size rule: the long side is at most `textLongSide(width:height:)` pixels, 2400 for
/// photos and A4 pages (about 200 dpi), 3200 for long shapes (long side at least 1.7 times
/// the short: phone screenshots, receipts, long pages), where letters are small. At 2400 px a
/// 12 MP sign keeps letters of 1/100 of the picture height at about 18 px, enough for
/// Tesseract, while recognition time (about linear in pixels) stays near a second.
/// Smaller images are never enlarged. JPEGs use libjpeg's DCT scaling only when the
/// scaled decode still has at least the target size.
extension ImagePipeline: TextImageDecoding {
    /// The largest long side of the image given to text recognition, for an upright
    /// `width` x `height` photo.
    public static func textLongSide(width: Int, height: Int) -> Int {
        let long = max(width, height), short = max(1, min(width, height))
        return Double(long) >= 1.7 * Double(short) ? 3200 : 2400
    }

    /// Decodes `data` and returns the grey image for text recognition and the factor
    /// from its pixels to the photo's upright pixels (≥ 1).
    public func textImage(data: [UInt8]) throws(ImageError) -> (image: GreyImage, scale: Double) {
        let photo: Decoded
        switch ImageFormat.sniff(data) {
        case .jpeg: photo = try decodeJPEGForText(data)
        case .raw:
            // The whole preview: text needs every pixel the file has.
            var full = self
            full.exact = true
            photo = try full.decodeRAW(data, spec: nil)
        default:
            // Every other format decodes at full size anyway: the indexer's own path.
            photo = try decode(data, spec: nil)
        }
        let upright = photo.image
        let limit = Self.textLongSide(width: upright.width, height: upright.height)
        let long = max(upright.width, upright.height)
        let ratio = long > limit ? Double(limit) / Double(long) : 1
        let w = max(1, Int((Double(upright.width) * ratio).rounded()))
        let h = max(1, Int((Double(upright.height) * ratio).rounded()))
        let grey = Self.greyBox(upright, width: w, height: h)
        return (grey, Double(photo.scale) * Double(long) / Double(max(w, h)))
    }

    func decodeJPEGForText(_ data: [UInt8]) throws(ImageError) -> Decoded {
        let header: (info: JPEGInfo, exif: [UInt8]?)
        do { header = try JPEG.header(data) } catch { throw Self.imageError(error) }
        let (w, h) = (header.info.width, header.info.height)
        guard w > 0, h > 0 else {
            throw .corrupt(path: nil, format: "jpeg", message: "image has no pixels")
        }
        guard w * h <= maxPixels else {
            throw .tooLarge(path: nil, width: w, height: h, limit: maxPixels)
        }
        let exif = header.exif.map(EXIFData.parse) ?? EXIFData()
        let orientation = exif.orientation ?? 1
        let long = max(w, h)
        let limit = Self.textLongSide(width: w, height: h)
        var scale = 1
        for s in [8, 4, 2] where long / s >= limit {
            scale = s
            break
        }
        let decoded: JPEG.Decoded
        do { decoded = try JPEG.decode(data, scale: scale, maxPixels: maxPixels) } catch {
            throw Self.imageError(error)
        }
        return Decoded(
            image: Orientation.apply(orientation, to: decoded.image),
            metadata: Self.metadata(width: w, height: h, exif: exif), scale: scale)
    }

    /// Grey (ITU-R 601 luma) and area-averaged down to `width` x `height` (no larger
    /// than the source).
    static func greyBox(_ image: RGBImage, width: Int, height: Int) -> GreyImage {
        let sw = image.width, sh = image.height
        var out = [UInt8](repeating: 0, count: width * height)
        image.pixels.withUnsafeBufferPointer { src in
            for y in 0..<height {
                let y0 = y * sh / height, y1 = max(y0 + 1, (y + 1) * sh / height)
                for x in 0..<width {
                    let x0 = x * sw / width, x1 = max(x0 + 1, (x + 1) * sw / width)
                    var sum = 0
                    for yy in y0..<y1 {
                        var i = (yy * sw + x0) * 3
                        for _ in x0..<x1 {
                            sum += 299 * Int(src[i]) + 587 * Int(src[i + 1]) + 114 * Int(src[i + 2])
                            i += 3
                        }
                    }
                    let n = (y1 - y0) * (x1 - x0) * 1000
                    out[y * width + x] = UInt8(min(255, (sum + n / 2) / n))
                }
            }
        }
        return GreyImage(width: width, height: height, pixels: out)
    }
}
