// libFuzzer target for the EXIF/TIFF reader (Sources/Imaging/Metadata/EXIF.swift),
// compiled together with it by scripts/fuzz/run.sh.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzEXIF(_ data: UnsafePointer<UInt8>, _ size: Int) -> Int32 {
    let bytes = Array(UnsafeBufferPointer(start: data, count: size))
    let exif = EXIFData.parse(bytes)
    if let o = exif.orientation, !(1...8).contains(o) { fatalError("orientation out of range") }
    _ = exif.camera
    if let d = exif.dateTimeOriginal, d.utf8.count != 19 { fatalError("bad date length") }
    return 0
}
