import PicseekCore

/// Decodes a photo once and returns the model input, a thumbnail and metadata.
///
/// JPEGs are decoded with libjpeg-turbo's DCT scaling at the largest 1/2, 1/4 or
/// 1/8 that keeps the image at least twice the resize target (PIL's `draft`
/// rule), unless `exact` is set. EXIF orientation is applied before resizing.
/// Formats are recognised by their bytes. Every failure is an `ImageError`.
public struct ImagePipeline: Sendable {
    /// Largest accepted width * height, checked from the header before decoding.
    public var maxPixels: Int
    /// Longest side of thumbnails, in pixels.
    public var thumbnailSide: Int
    /// Decode at full size (no DCT scaling), for parity with the reference.
    public var exact: Bool
    /// Largest file read by `process(fileAt:)`, in bytes.
    public var maxFileBytes: Int = 1 << 30

    /// Creates a pipeline; the defaults suit indexing photo libraries.
    public init(maxPixels: Int = 100_000_000, thumbnailSide: Int = 256, exact: Bool = false) {
        precondition(maxPixels > 0 && thumbnailSide > 0, "limits must be positive")
        self.maxPixels = maxPixels
        self.thumbnailSide = thumbnailSide
        self.exact = exact
    }

    /// Decodes once and returns model input, thumbnail and metadata.
    public func process(data: [UInt8], spec: PreprocessSpec) throws(ImageError) -> ProcessedPhoto {
        let photo = try decode(data, spec: spec)
        let input = Preprocessor.modelInput(photo.image, spec: spec)
        return ProcessedPhoto(
            input: input, thumbnail: thumbnail(of: photo.image), metadata: photo.metadata)
    }

    /// Reads the file at `path` and processes it; errors name the path.
    public func process(fileAt path: String, spec: PreprocessSpec) throws(ImageError)
        -> ProcessedPhoto
    {
        let data = try readFile(path)
        do {
            return try process(data: data, spec: spec)
        } catch {
            throw error.at(path: path)
        }
    }

    /// Decodes for a thumbnail only (no model input); returns it with the metadata.
    public func thumbnail(data: [UInt8]) throws(ImageError) -> (RGBImage, PhotoMetadata) {
        let photo = try decode(data, spec: nil)
        return (thumbnail(of: photo.image), photo.metadata)
    }

    /// Reads a whole regular file with `FileRead`, within `maxFileBytes`. Directories,
    /// FIFOs and devices are refused without being read, so nothing can hang.
    public func readFile(_ path: String) throws(ImageError) -> [UInt8] {
        let bytes: [UInt8]
        do {
            bytes = try FileRead.contents(of: path, limit: Int64(maxFileBytes)).bytes
        } catch {
            throw ImageError(reading: error, path: path)
        }
        guard !bytes.isEmpty else { throw .empty(path: path) }
        return bytes
    }

    /// An upright decoded image with its metadata.
    struct Decoded {
        var image: RGBImage
        var metadata: PhotoMetadata
        /// The DCT scale denominator used (1 for PNG and exact mode).
        var scale: Int
    }

    /// The thumbnail of a decoded photo: box-reduced by whole factors first when it is more
    /// than twice the thumbnail's size (as Pillow's `thumbnail` does), then bicubic.
    func thumbnail(of image: RGBImage) -> RGBImage {
        let size = Preprocessor.thumbnailSize(
            width: image.width, height: image.height, side: thumbnailSide)
        let factors = Reducer.thumbnailFactors(
            width: image.width, height: image.height, target: size)
        let source = Reducer.reduce(image, fx: factors.x, fy: factors.y)
        return Resampler.resize(source, width: size.width, height: size.height)
    }

    func decode(_ data: [UInt8], spec: PreprocessSpec?) throws(ImageError) -> Decoded {
        guard !data.isEmpty else { throw .empty(path: nil) }
        guard let format = ImageFormat.sniff(data) else { throw .notAnImage(path: nil) }
        switch format {
        case .jpeg: return try decodeJPEG(data, spec: spec)
        case .png: return try decodePNG(data)
        case .webp: return try decodeWebP(data)
        case .gif: return try decodeGIF(data)
        case .tiff: return try decodeTIFF(data)
        case .raw: return try decodeRAW(data, spec: spec)
        case .heif, .avif: return try decodeHEIF(data)
        default: throw .unsupportedFormat(path: nil, format: format.rawValue)
        }
    }

    func decodeJPEG(_ data: [UInt8], spec: PreprocessSpec?) throws(ImageError) -> Decoded {
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
        let scale =
            exact ? 1 : draftScale(width: w, height: h, orientation: orientation, spec: spec)
        let decoded: JPEG.Decoded
        do { decoded = try JPEG.decode(data, scale: scale, maxPixels: maxPixels) } catch {
            throw Self.imageError(error)
        }
        return Decoded(
            image: Orientation.apply(orientation, to: decoded.image),
            metadata: Self.metadata(width: w, height: h, exif: exif), scale: scale)
    }

    func decodePNG(_ data: [UInt8]) throws(ImageError) -> Decoded {
        let decoded: PNG.Decoded
        do { decoded = try PNG.decode(data, maxPixels: maxPixels) } catch {
            throw Self.imageError(error)
        }
        let exif = decoded.exif.map(EXIFData.parse) ?? EXIFData()
        let orientation = exif.orientation ?? 1
        return Decoded(
            image: Orientation.apply(orientation, to: decoded.image),
            metadata: Self.metadata(
                width: decoded.image.width, height: decoded.image.height, exif: exif),
            scale: 1)
    }

    func decodeWebP(_ data: [UInt8]) throws(ImageError) -> Decoded {
        let decoded: WebP.Decoded
        do { decoded = try WebP.decode(data, maxPixels: maxPixels) } catch {
            throw Self.imageError(error)
        }
        return upright(decoded.image, exif: decoded.exif)
    }

    func decodeGIF(_ data: [UInt8]) throws(ImageError) -> Decoded {
        let decoded: GIF.Decoded
        do { decoded = try GIF.decode(data, maxPixels: maxPixels) } catch {
            throw Self.imageError(error)
        }
        return upright(decoded.image, exif: nil)
    }

    /// The Orientation, Make, Model and Exif IFD tags of a TIFF live in its own
    /// first directory, so the file itself is read as the EXIF stream, as
    /// Pillow's `getexif` does for TIFF.
    func decodeTIFF(_ data: [UInt8]) throws(ImageError) -> Decoded {
        let decoded: TIFF.Decoded
        do { decoded = try TIFF.decode(data, maxPixels: maxPixels) } catch {
            throw Self.imageError(error)
        }
        return upright(decoded.image, exif: data)
    }

    /// HEIC/HEIF and AVIF: libheif has applied the container's `irot`/`imir`, so the EXIF
    /// orientation is not applied again; as pillow-heif resets the tag to 1 when it opens
    /// a file, the metadata says 1 too (date and camera still come from the `Exif` item).
    func decodeHEIF(_ data: [UInt8]) throws(ImageError) -> Decoded {
        let decoded: HEIF.Decoded
        do { decoded = try HEIF.decode(data, maxPixels: maxPixels) } catch {
            // libheif reads both; an AVIF's errors say "avif".
            let error = Self.imageError(error)
            throw ImageFormat.sniff(data) == .avif ? error.naming(format: "avif") : error
        }
        var exif = decoded.exif.map(EXIFData.parse) ?? EXIFData()
        exif.orientation = nil
        return Decoded(
            image: decoded.image,
            metadata: Self.metadata(
                width: decoded.image.width, height: decoded.image.height, exif: exif),
            scale: 1)
    }

    /// `image` turned upright by the EXIF orientation in `exif`, with its metadata.
    func upright(_ image: RGBImage, exif tiff: [UInt8]?) -> Decoded {
        let exif = tiff.map(EXIFData.parse) ?? EXIFData()
        let orientation = exif.orientation ?? 1
        return Decoded(
            image: Orientation.apply(orientation, to: image),
            metadata: Self.metadata(width: image.width, height: image.height, exif: exif),
            scale: 1)
    }

    /// The DCT scale for a `width` x `height` file (stored orientation): PIL's
    /// `draft` rule applied to twice the model's resize target and twice the
    /// thumbnail, whichever needs more pixels.
    func draftScale(width: Int, height: Int, orientation: Int, spec: PreprocessSpec?) -> Int {
        let swap = Orientation.swapsAxes(orientation)
        let (uw, uh) = swap ? (height, width) : (width, height)
        var scale = 8
        if let spec {
            let t = Preprocessor.resizeTarget(width: uw, height: uh, spec: spec)
            scale = min(
                scale, Self.draftScale(width: uw, height: uh, request: (2 * t.width, 2 * t.height)))
        }
        let t = Preprocessor.thumbnailSize(width: uw, height: uh, side: thumbnailSide)
        scale = min(
            scale, Self.draftScale(width: uw, height: uh, request: (2 * t.width, 2 * t.height)))
        return scale
    }

    /// The DCT scale denominator (1, 2, 4 or 8) a JPEG of this stored size and
    /// orientation is decoded at; 1 in exact mode.
    public func dctScale(width: Int, height: Int, orientation: Int, spec: PreprocessSpec?) -> Int {
        exact ? 1 : draftScale(width: width, height: height, orientation: orientation, spec: spec)
    }

    /// Pillow's `JpegImageFile.draft`: `scale = min(W // w, H // h)`, then the
    /// largest of 8, 4, 2, 1 not above it.
    static func draftScale(width: Int, height: Int, request: (Int, Int)) -> Int {
        guard request.0 > 0, request.1 > 0 else { return 1 }
        let scale = min(width / request.0, height / request.1)
        for s in [8, 4, 2] where scale >= s { return s }
        return 1
    }

    static func metadata(width: Int, height: Int, exif: EXIFData) -> PhotoMetadata {
        let orientation = exif.orientation ?? 1
        let swap = Orientation.swapsAxes(orientation)
        return PhotoMetadata(
            width: swap ? height : width, height: swap ? width : height, orientation: orientation,
            takenAt: exif.dateTimeOriginal, camera: exif.camera)
    }

    static func imageError<Format>(_ error: DecoderError<Format>) -> ImageError {
        error.imageError
    }
}
