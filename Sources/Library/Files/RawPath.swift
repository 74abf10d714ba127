import Foundation
import PicseekCore

#if canImport(Glibc)
    import Glibc
#endif

/// Helpers for file paths kept as raw bytes, the way the kernel sees them.
///
/// Linux file names are byte strings; they need not be valid UTF-8. picseek
/// never round-trips them through `String`, so no byte is lost.
public enum RawPath {
    /// The bytes of a path given as text (command-line arguments, tests).
    public static func bytes(_ path: String) -> [UInt8] { Array(path.utf8) }

    /// A printable form: UTF-8 where valid, `\xNN` for other bytes, control
    /// characters escaped. Safe to write to a terminal.
    public static func display(_ path: [UInt8]) -> String { TerminalSafe.escape(bytes: path) }

    /// `dir` + "/" + `name`.
    public static func join(_ dir: [UInt8], _ name: [UInt8]) -> [UInt8] {
        var out = dir
        if out.last != UInt8(ascii: "/") { out.append(UInt8(ascii: "/")) }
        out.append(contentsOf: name)
        return out
    }

    /// The last component (after the final "/").
    public static func baseName(_ path: [UInt8]) -> [UInt8] {
        guard let slash = path.lastIndex(of: UInt8(ascii: "/")) else { return path }
        return Array(path[(slash + 1)...])
    }

    /// Whether `path` is `dir` itself or lies under it.
    public static func isUnder(_ path: [UInt8], _ dir: [UInt8]) -> Bool {
        var base = dir
        while base.count > 1, base.last == UInt8(ascii: "/") { base.removeLast() }
        if path == base { return true }
        if base == [UInt8(ascii: "/")] { return path.first == UInt8(ascii: "/") }
        return path.count > base.count && path.starts(with: base)
            && path[base.count] == UInt8(ascii: "/")
    }

    /// Calls `body` with a NUL-terminated copy of `path`.
    public static func withCString<T>(_ path: [UInt8], _ body: (UnsafePointer<CChar>) throws -> T)
        rethrows -> T
    {
        var z = path.map { CChar(bitPattern: $0) }
        z.append(0)
        return try body(z)
    }

    /// The absolute, symlink-free form of `path` (`realpath(3)`), or the
    /// errno text when it does not exist.
    public static func canonical(_ path: [UInt8]) -> Result<[UInt8], FileError> {
        let resolved: UnsafeMutablePointer<CChar>? = withCString(path) { realpath($0, nil) }
        guard let resolved else {
            return .failure(.system(path: path, operation: "resolve", code: errno))
        }
        defer { free(resolved) }
        let length = strlen(resolved)
        return .success(
            UnsafeRawBufferPointer(start: resolved, count: length).map { $0 })
    }
}

/// Why a file or folder could not be read.
public enum FileError: Error, Equatable, CustomStringConvertible {
    /// A system call failed with `code` (errno).
    case system(path: [UInt8], operation: String, code: Int32)
    /// The file is larger than the configured limit.
    case tooLarge(path: [UInt8], size: Int64, limit: Int64)
    /// The path is not a regular file or not a folder, as required.
    case wrongKind(path: [UInt8], expected: String)
    /// An indexed folder came back empty (an unmounted drive looks like this):
    /// its `kept` index entries were not deleted.
    case emptyRoot(path: [UInt8], kept: Int)
    /// The file kept changing (size or modification time) while it was read.
    case changedWhileReading(path: [UInt8])

    public var description: String {
        switch self {
        case .system(let path, let operation, let code):
            return
                "cannot \(operation) \(RawPath.display(path)): \(String(cString: strerror(code)))"
        case .tooLarge(let path, let size, let limit):
            return "\(RawPath.display(path)) is \(size) bytes, above the limit of \(limit)"
        case .wrongKind(let path, let expected):
            return "\(RawPath.display(path)) is not \(expected)"
        case .emptyRoot(let path, let kept):
            return "\(RawPath.display(path)) has no photos now (not mounted?); kept its \(kept) "
                + "index entries; use picseek forget to drop them"
        case .changedWhileReading(let path):
            return "\(RawPath.display(path)) kept changing while it was read"
        }
    }

    /// The message without the path, for storing beside a row that has it.
    public var reason: String {
        switch self {
        case .system(_, let operation, let code):
            return "cannot \(operation): \(String(cString: strerror(code)))"
        case .tooLarge(_, let size, let limit):
            return "file is \(size) bytes, above the limit of \(limit)"
        case .wrongKind(_, let expected):
            return "not \(expected)"
        case .emptyRoot(_, let kept):
            return "folder has no photos now; kept its \(kept) index entries"
        case .changedWhileReading:
            return "file kept changing while it was read (being copied?); indexed once it settles"
        }
    }
}
