import Foundation
import PicseekCore
import Store

#if canImport(Glibc)
    import Glibc
#endif

/// A folder or file the scanner could not read, so rows under it are kept.
public struct ScanProblem: Equatable, Sendable, CustomStringConvertible {
    /// Raw path of the folder or file.
    public var path: [UInt8]
    /// What went wrong.
    public var error: FileError

    public var description: String { error.description }
}

/// Everything one scan of one root found.
public struct ScanResult: Sendable {
    /// Photo files with their size and mtime, in no particular order.
    public var files: [FileStamp] = []
    /// Folders and files that could not be read. Index rows under these
    /// paths must not be treated as deleted.
    public var problems: [ScanProblem] = []
    /// Folders entered.
    public var folders = 0
    /// Raw paths of the folders entered, the root first (what a watcher watches).
    public var folderPaths: [[UInt8]] = []
    /// Files of other image formats (`ScanOptions.otherImageExtensions`) by
    /// lower-case extension: not indexed.
    public var skipped: [String: Int] = [:]
}

/// Walks a folder tree with `opendir`/`readdir`/`fstatat`, keeping names as
/// raw bytes, skipping hidden and junk folders, and never entering a folder
/// twice (symlink loops are cut by tracking device and inode).
public struct FileScanner {
    public var options: ScanOptions
    private let junkBytes: Set<[UInt8]>
    private let junkPrefixBytes: [[UInt8]]
    private let globs: [(pattern: [CChar], wholePath: Bool)]
    private let extensionBytes: Set<[UInt8]>

    public init(options: ScanOptions) {
        self.options = options
        junkBytes = Set(options.junkNames.map { Array($0.utf8) })
        junkPrefixBytes = options.junkPrefixes.map { Array($0.utf8) }
        globs = options.excludeGlobs.map { glob in
            (Array(glob.utf8CString), glob.contains("/"))
        }
        extensionBytes = Set(options.extensions.map { Array($0.lowercased().utf8) })
    }

    private struct DirKey: Hashable {
        var dev: UInt64
        var ino: UInt64
    }

    /// Scans the folder at `root` (absolute raw path). A root that cannot be
    /// opened is reported as a problem with no files.
    public func scan(root: [UInt8]) -> ScanResult {
        var result = ScanResult()
        var visited = Set<DirKey>()
        var rootStat = stat()
        let ok = RawPath.withCString(root) { stat($0, &rootStat) }
        guard ok == 0 else {
            result.problems.append(
                ScanProblem(path: root, error: .system(path: root, operation: "open", code: errno)))
            return result
        }
        guard (rootStat.st_mode & S_IFMT) == S_IFDIR else {
            result.problems.append(
                ScanProblem(path: root, error: .wrongKind(path: root, expected: "a folder")))
            return result
        }
        visited.insert(DirKey(dev: UInt64(rootStat.st_dev), ino: UInt64(rootStat.st_ino)))
        var stack: [[UInt8]] = [root]
        while let dir = stack.popLast() {
            scanFolder(dir, into: &result, stack: &stack, visited: &visited)
        }
        return result
    }

    private func scanFolder(
        _ dir: [UInt8], into result: inout ScanResult, stack: inout [[UInt8]],
        visited: inout Set<DirKey>
    ) {
        guard let handle = RawPath.withCString(dir, { opendir($0) }) else {
            result.problems.append(
                ScanProblem(
                    path: dir, error: .system(path: dir, operation: "open folder", code: errno)))
            return
        }
        defer { closedir(handle) }
        result.folders += 1
        result.folderPaths.append(dir)
        let fd = dirfd(handle)
        while true {
            errno = 0
            guard let entry = readdir(handle) else {
                if errno != 0 {
                    result.problems.append(
                        ScanProblem(
                            path: dir,
                            error: .system(path: dir, operation: "read folder", code: errno)))
                }
                break
            }
            let name = Self.name(of: entry)
            if name == [UInt8(ascii: ".")] || name == [UInt8(ascii: "."), UInt8(ascii: ".")] {
                continue
            }
            if !options.includeHidden, name.first == UInt8(ascii: ".") { continue }
            let path = RawPath.join(dir, name)
            if isExcluded(name: name, path: path) { continue }

            let type = entry.pointee.d_type
            var st = stat()
            if type == DT_REG {
                // Only photos need a stat; skip other files cheaply.
                guard hasPhotoExtension(name) else {
                    countIfOtherImage(name, into: &result)
                    continue
                }
            } else if type == DT_LNK && !options.followSymlinks {
                continue
            }
            let flags: Int32 = options.followSymlinks ? 0 : AT_SYMLINK_NOFOLLOW
            let rc = RawPath.withCString(name) { fstatat(fd, $0, &st, flags) }
            if rc != 0 {
                // A dangling symlink is not a problem worth reporting.
                if type == DT_LNK && errno == ENOENT { continue }
                result.problems.append(
                    ScanProblem(
                        path: path, error: .system(path: path, operation: "stat", code: errno)))
                continue
            }
            switch st.st_mode & S_IFMT {
            case S_IFDIR:
                if isJunk(name) { continue }
                let key = DirKey(dev: UInt64(st.st_dev), ino: UInt64(st.st_ino))
                if visited.insert(key).inserted { stack.append(path) }
            case S_IFREG:
                guard hasPhotoExtension(name) else {
                    countIfOtherImage(name, into: &result)
                    continue
                }
                result.files.append(
                    FileStamp(path: path, size: Int64(st.st_size), mtimeNs: FileReader.mtimeNs(st)))
            default:
                continue
            }
        }
    }

    private static func name(of entry: UnsafeMutablePointer<dirent>) -> [UInt8] {
        withUnsafeBytes(of: &entry.pointee.d_name) { raw in
            let bytes = raw.bindMemory(to: UInt8.self)
            let end = bytes.firstIndex(of: 0) ?? bytes.count
            return Array(bytes[0..<end])
        }
    }

    /// Whether a folder called `name` at `path` is one the scanner never enters
    /// (hidden unless `includeHidden`, junk, or excluded by a glob).
    func skipsFolder(name: [UInt8], path: [UInt8]) -> Bool {
        if !options.includeHidden, name.first == UInt8(ascii: ".") { return true }
        return isJunk(name) || isExcluded(name: name, path: path)
    }

    /// Whether a file called `name` at `path` would be indexed as a photo
    /// (not hidden unless `includeHidden`, a photo extension, not excluded).
    func takesFile(name: [UInt8], path: [UInt8]) -> Bool {
        if !options.includeHidden, name.first == UInt8(ascii: ".") { return false }
        return hasPhotoExtension(name) && !isExcluded(name: name, path: path)
    }

    private func isJunk(_ name: [UInt8]) -> Bool {
        if junkBytes.contains(name) { return true }
        return junkPrefixBytes.contains { name.starts(with: $0) }
    }

    private func isExcluded(name: [UInt8], path: [UInt8]) -> Bool {
        guard !globs.isEmpty else { return false }
        for glob in globs {
            let subject = glob.wholePath ? path : name
            let matched = RawPath.withCString(subject) { s in
                fnmatch(glob.pattern, s, 0) == 0
            }
            if matched { return true }
        }
        return false
    }

    /// Whether the name ends in one of the photo extensions (ASCII case-insensitive).
    func hasPhotoExtension(_ name: [UInt8]) -> Bool {
        Self.lowercaseExtension(name).map(extensionBytes.contains) ?? false
    }

    /// Counts a file of an image format the pipeline does not read.
    private func countIfOtherImage(_ name: [UInt8], into result: inout ScanResult) {
        guard let ext = Self.lowercaseExtension(name),
            let text = String(validating: ext, as: UTF8.self),
            ScanOptions.otherImageExtensions.contains(text)
        else { return }
        result.skipped[text, default: 0] += 1
    }

    /// The bytes after the last dot, ASCII letters lowered; nil without one.
    private static func lowercaseExtension(_ name: [UInt8]) -> [UInt8]? {
        guard let dot = name.lastIndex(of: UInt8(ascii: ".")), dot > name.startIndex else {
            return nil
        }
        return name[(dot + 1)...].map { b -> UInt8 in (b >= 65 && b <= 90) ? b + 32 : b }
    }
}
