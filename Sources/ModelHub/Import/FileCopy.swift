import PicseekCore

#if canImport(Glibc)
    import Glibc
#endif

/// Puts a copy of a (possibly multi-gigabyte) file at a new path without reading it into
/// memory: a hard link when both are on one file system, else a reflink (`FICLONE`),
/// else a streamed copy through a 4 MiB buffer, fsynced and renamed into place.
enum FileCopy {
    /// How the copy was made.
    enum Method: String { case hardLink = "hard link", reflink, streamed = "streamed copy" }

    /// Copies `source` to `destination` (which must not exist); `allowHardLink` is for
    /// large immutable weights only, small files are always copied.
    @discardableResult
    static func place(_ source: String, at destination: String, allowHardLink: Bool = false) throws
        -> Method
    {
        if allowHardLink, link(source, destination) == 0 { return .hardLink }
        // FICLONE = _IOW(0x94, 9, int): share extents on btrfs/xfs.
        let ficlone: UInt = 0x4004_9409
        do {
            return try FileRead.withOpenFile(source) { input, _ in
                let out = try OutputFile(finalPath: destination)
                do {
                    if ioctl(out.rawDescriptor, ficlone, input) == 0 {
                        try out.commit()
                        return .reflink
                    }
                    _ = try FileRead.forEachChunk(of: source, chunkSize: 4 << 20) { chunk in
                        try out.write(chunk)
                        try out.flush()
                    }
                    try out.commit()
                    return .streamed
                } catch {
                    out.discard()
                    throw error
                }
            }
        } catch let error as FileReadError {
            throw ModelHubError(reading: error, path: source)
        }
    }
}
