import PicseekCore

extension ImagePipeline {
    /// A camera RAW through its largest embedded preview JPEG, then the JPEG path.
    ///
    /// The orientation that applies is the RAW's own (IFD0, or CR3's `CMT1`), applied to
    /// the preview's stored pixels; the preview's own EXIF orientation is used only when
    /// the RAW's directories carry none (RAF has none), so a photo is never turned twice.
    /// Date and camera follow the same rule field by field. The pixel size is the raw
    /// sensor image's where the container says it, else the preview's, upright.
    func decodeRAW(_ data: [UInt8], spec: PreprocessSpec?) throws(ImageError) -> Decoded {
        let found: RAWPreview
        do { found = try RAW.preview(data) } catch { throw Self.imageError(error) }
        let jpeg = Array(data[found.range])
        let header: (info: JPEGInfo, exif: [UInt8]?)
        do { header = try JPEG.header(jpeg) } catch { throw Self.previewError(error) }
        let (w, h) = (header.info.width, header.info.height)
        guard w > 0, h > 0 else {
            throw .corrupt(path: nil, format: "raw preview jpeg", message: "image has no pixels")
        }
        guard w * h <= maxPixels else {
            throw .tooLarge(path: nil, width: w, height: h, limit: maxPixels)
        }
        let own = header.exif.map(EXIFData.parse) ?? EXIFData()
        let exif = Self.rawMetadata(found.exif, preview: own)
        let orientation = exif.orientation ?? 1
        let scale =
            exact ? 1 : draftScale(width: w, height: h, orientation: orientation, spec: spec)
        let decoded: JPEG.Decoded
        do { decoded = try JPEG.decode(jpeg, scale: scale, maxPixels: maxPixels) } catch {
            throw Self.previewError(error)
        }
        let (sw, sh) = (found.sensorWidth ?? w, found.sensorHeight ?? h)
        return Decoded(
            image: Orientation.apply(orientation, to: decoded.image),
            metadata: Self.metadata(width: sw, height: sh, exif: exif), scale: scale)
    }

    /// The RAW's own facts, each missing one taken from the preview's EXIF.
    static func rawMetadata(_ raw: EXIFData?, preview: EXIFData) -> EXIFData {
        guard var merged = raw else { return preview }
        merged.orientation = merged.orientation ?? preview.orientation
        merged.dateTimeOriginal = merged.dateTimeOriginal ?? preview.dateTimeOriginal
        if merged.make == nil && merged.model == nil {
            merged.make = preview.make
            merged.model = preview.model
        }
        return merged
    }

    static func imageError(_ error: RAWError) -> ImageError {
        switch error {
        case .corrupt(let m): return .corrupt(path: nil, format: "raw", message: m)
        case .truncated(let m): return .truncated(path: nil, format: "raw", message: m)
        case .noPreview(let m):
            return .corrupt(path: nil, format: "raw", message: "no readable preview: \(m)")
        }
    }

    /// A JPEG failure inside a RAW, named as the RAW's preview.
    static func previewError(_ error: JPEGError) -> ImageError {
        switch error.imageError {
        case .corrupt(let p, _, let m):
            return .corrupt(path: p, format: "raw preview jpeg", message: m)
        case .truncated(let p, _, let m):
            return .truncated(path: p, format: "raw preview jpeg", message: m)
        case .outOfMemory(let p, _): return .outOfMemory(path: p, format: "raw preview jpeg")
        case let other: return other
        }
    }
}
