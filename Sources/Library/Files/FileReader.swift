import PicseekCore
import Store

#if canImport(Glibc)
    import Glibc
#endif

/// Reads whole photos by raw path (with `FileRead`), again when they change meanwhile.
public enum FileReader {
    /// Reads the file and returns its bytes with the size and mtime of the
    /// open file (`fstat`), so the stamp always matches the bytes read.
    public static func read(_ path: [UInt8], limit: Int64) throws(FileError) -> ([UInt8], FileStamp)
    {
        try read(path, limit: limit, retryDelayMicroseconds: retryDelayMicroseconds) {
            (path, limit) throws(FileReadError) in try FileRead.contents(of: path, limit: limit)
        }
    }

    /// `read` with the one-pass reader given (tests hand in one that sees a change each time).
    static func read(
        _ path: [UInt8], limit: Int64, retryDelayMicroseconds: Int,
        contents: ([UInt8], Int64) throws(FileReadError) -> FileRead.Contents
    ) throws(FileError) -> ([UInt8], FileStamp) {
        // A file being copied or saved changes under us: read it again a few times, then
        // give up (the photo is recorded as failed, and retried once its size or date change).
        var attempt = 0
        while true {
            if let result = try readOnce(path, limit: limit, contents: contents) { return result }
            attempt += 1
            if attempt >= retries { throw .changedWhileReading(path: path) }
            usleep(UInt32(retryDelayMicroseconds))
        }
    }

    /// Reads of a file that keeps changing before it is recorded as failed.
    static let retries = 3
    static let retryDelayMicroseconds = 200_000

    /// The bytes and stamp, or nil when the file changed (size, date) while being read.
    private static func readOnce(
        _ path: [UInt8], limit: Int64,
        contents read: ([UInt8], Int64) throws(FileReadError) -> FileRead.Contents
    ) throws(FileError) -> ([UInt8], FileStamp)? {
        let contents: FileRead.Contents
        do {
            contents = try read(path, limit)
        } catch {
            switch error {
            case .system(let path, let operation, let code):
                throw .system(path: path, operation: operation, code: code)
            case .notRegular(let path, _):
                throw .wrongKind(path: path, expected: "a regular file")
            case .tooLarge(let path, let size, let limit):
                throw .tooLarge(path: path, size: size, limit: limit)
            }
        }
        if contents.changedWhileReading { return nil }
        let stamp = FileStamp(path: path, size: contents.size, mtimeNs: contents.mtimeNs)
        return (contents.bytes, stamp)
    }

    /// Modification time of a `stat` result in nanoseconds.
    static func mtimeNs(_ st: stat) -> Int64 { FileRead.mtimeNs(st) }
}
