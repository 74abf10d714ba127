// libFuzzer target for the camera RAW preview parser (Sources/Imaging/Decoding/RAW.swift),
// compiled together with it and the EXIF reader by scripts/fuzz/run.sh.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzRAW(_ data: UnsafePointer<UInt8>, _ size: Int) -> Int32 {
    let bytes = Array(UnsafeBufferPointer(start: data, count: size))
    _ = RAW.container(bytes)
    guard let found = try? RAW.preview(bytes) else { return 0 }
    guard found.offset >= 0, found.length > 0, found.offset + found.length <= bytes.count else {
        fatalError("preview range outside the file")
    }
    guard bytes[found.offset] == 0xFF, bytes[found.offset + 1] == 0xD8 else {
        fatalError("preview is not a jpeg")
    }
    guard found.width > 0, found.height > 0 else { fatalError("preview without pixels") }
    if let o = found.exif?.orientation, !(1...8).contains(o) {
        fatalError("orientation out of range")
    }
    return 0
}
