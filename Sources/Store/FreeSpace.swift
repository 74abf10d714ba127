import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// Free space and writability of the file system that holds a path.
public enum FreeSpace {
    /// Bytes an unprivileged user may still write on the file system holding `path` (or,
    /// when `path` does not exist yet, its nearest existing folder); nil when unknown.
    /// The corresponding C function is `statvfs`.
    public static func available(near path: String) -> Int64? {
        guard let info = statfs(near: path) else { return nil }
        return Int64(info.f_bavail) * Int64(info.f_frsize)
    }

    /// Whether the file system holding `path` is mounted read-only.
    public static func isReadOnlyMount(near path: String) -> Bool {
        guard let info = statfs(near: path) else { return false }
        return info.f_flag & UInt(ST_RDONLY) != 0
    }

    private static func statfs(near path: String) -> statvfs? {
        var current = path.isEmpty ? "." : path
        var info = statvfs()
        while true {
            if statvfs(current, &info) == 0 { return info }
            let parent = (current as NSString).deletingLastPathComponent
            if parent.isEmpty || parent == current { return nil }
            current = parent
        }
    }
}
