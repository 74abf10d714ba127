import PicseekCore

extension ImagePipeline {
    /// The indexer's image pipeline (decode, resize, normalise, thumbnail) as a
    /// `PhotoProcessor`.
    ///
    /// One decode per photo gives the model input, a 256-pixel thumbnail and the EXIF
    /// metadata. `ImagePipeline` is a value type with no shared state, so the closure is safe
    /// to call from the indexer's decode thread.
    public static func photoProcessor() -> PhotoProcessor {
        let pipeline = ImagePipeline()
        return { data, spec in try pipeline.process(data: data, spec: spec) }
    }
}
