/// Turns a photo file's bytes into the model input, a thumbnail and metadata.
///
/// The image pipeline (`Imaging.ImagePipeline.process`) is the real one, passed in by the
/// executable; tests inject fakes. The indexer and image search terms use it.
public typealias PhotoProcessor =
    @Sendable (_ data: [UInt8], _ spec: PreprocessSpec) throws -> ProcessedPhoto

/// Encodes a photo's thumbnail for the thumbnail database: JPEG bytes at `quality` (1–100).
///
/// The executable passes Imaging's JPEG encoder (`JPEG.encode`), so the indexer stores
/// thumbnails without linking an image codec itself.
public typealias ThumbnailEncoder =
    @Sendable (_ image: RGBImage, _ quality: Int) throws -> [UInt8]

/// Decodes photos for text recognition: what the OCR pass needs from the image pipeline.
///
/// `Imaging.ImagePipeline` conforms; the executable passes it to the OCR pass.
public protocol TextImageDecoding: Sendable {
    /// Files larger than this are not read.
    var maxFileBytes: Int { get }

    /// Decodes `data` and returns the upright grey image for text recognition and the factor
    /// from its pixels to the photo's upright pixels (at least 1).
    func textImage(data: [UInt8]) throws -> (image: GreyImage, scale: Double)
}
