import Foundation
import Library

#if canImport(Glibc)
    import Glibc
#endif

/// A temporary folder of test files, addressed by raw byte paths; removed on deinit.
public final class TempTree {
    /// The folder's raw path.
    public let root: [UInt8]
    /// The folder's path as a string.
    public var rootString: String { String(decoding: root, as: UTF8.self) }

    /// Makes a new empty folder under the temporary directory.
    public init() {
        var template = Array((NSTemporaryDirectory() + "/picseek-test-XXXXXX").utf8CString)
        let made = template.withUnsafeMutableBufferPointer { buffer in
            buffer.baseAddress.flatMap { mkdtemp($0) }
        }
        precondition(made != nil, "mkdtemp failed")
        root = template.dropLast().map { UInt8(bitPattern: $0) }
    }

    deinit {
        // Restore permissions that tests removed, then delete everything.
        _ = try? FileManager.default.subpathsOfDirectory(atPath: rootString).forEach {
            chmod(rootString + "/" + $0, 0o755)
        }
        try? FileManager.default.removeItem(atPath: rootString)
    }

    /// The raw path of `relative` (bytes appended after "root/").
    public func path(_ relative: [UInt8]) -> [UInt8] { RawPath.join(root, relative) }
    /// The raw path of `relative`.
    public func path(_ relative: String) -> [UInt8] { path(Array(relative.utf8)) }

    /// Writes `contents` to `relative`, creating folders; returns the raw path.
    @discardableResult
    public func write(_ relative: [UInt8], _ contents: [UInt8]) -> [UInt8] {
        let full = path(relative)
        var dirs: [[UInt8]] = []
        var cursor = full
        while let slash = cursor.lastIndex(of: UInt8(ascii: "/")), slash > root.count {
            cursor = Array(cursor[..<slash])
            dirs.append(cursor)
        }
        for dir in dirs.reversed() { _ = RawPath.withCString(dir) { mkdir($0, 0o755) } }
        let fd = RawPath.withCString(full) { open($0, O_WRONLY | O_CREAT | O_TRUNC, 0o644) }
        precondition(fd >= 0, "cannot create test file")
        _ = contents.withUnsafeBytes { Glibc.write(fd, $0.baseAddress, $0.count) }
        close(fd)
        return full
    }

    /// Writes `contents` (UTF-8) to `relative`, creating folders; returns the raw path.
    @discardableResult
    public func write(_ relative: String, _ contents: String) -> [UInt8] {
        write(Array(relative.utf8), Array(contents.utf8))
    }

    /// Renames within the tree.
    public func move(_ from: String, _ to: String) {
        let a = path(from), b = path(to)
        for dir in [b] {
            if let slash = dir.lastIndex(of: UInt8(ascii: "/")) {
                _ = RawPath.withCString(Array(dir[..<slash])) { mkdir($0, 0o755) }
            }
        }
        let rc = RawPath.withCString(a) { pa in RawPath.withCString(b) { rename(pa, $0) } }
        precondition(rc == 0, "rename failed")
    }

    /// Deletes the file `relative`.
    public func remove(_ relative: String) {
        _ = RawPath.withCString(path(relative)) { unlink($0) }
    }

    /// Sets the modification time explicitly (seconds since the epoch).
    public func setMtime(_ relative: String, seconds: Int) {
        var times = [timespec(tv_sec: seconds, tv_nsec: 0), timespec(tv_sec: seconds, tv_nsec: 0)]
        _ = RawPath.withCString(path(relative)) { utimensat(AT_FDCWD, $0, &times, 0) }
    }

    /// A database path inside a second temp folder.
    public static func databasePath() -> (TempTree, String) {
        let tree = TempTree()
        return (tree, tree.rootString + "/index.sqlite")
    }
}
