import PicseekCore

#if canImport(Glibc)
    import Glibc
#endif

/// Streams a file through SHA-256 in 4 MiB reads.
public enum FileHasher {
    /// Returns the file's size and lowercase hex SHA-256.
    public static func sha256(path: String) throws -> (bytes: Int64, hex: String) {
        var hasher = SHA256()
        let total: Int64
        do {
            total = try FileRead.forEachChunk(of: path, chunkSize: 4 << 20) { hasher.update($0) }
        } catch let error as FileReadError {
            throw ModelHubError(reading: error, path: path)
        }
        return (total, hasher.finalizeHex())
    }

    /// The size of a file, or nil when it does not exist.
    public static func size(path: String) -> Int64? {
        var info = stat()
        return stat(path, &info) == 0 ? Int64(info.st_size) : nil
    }
}
