import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// One inotify event: which watch, what happened, and the entry's name (raw
/// bytes, empty for events about the watched folder itself).
public struct InotifyEvent: Equatable, Sendable {
    /// The watch descriptor the event belongs to.
    public var watch: Int32
    /// `IN_*` bits.
    public var mask: UInt32
    /// Pairs `IN_MOVED_FROM` with its `IN_MOVED_TO`.
    public var cookie: UInt32
    /// The entry's name inside the watched folder.
    public var name: [UInt8]

    /// Whether any of `bits` is set.
    public func has(_ bits: UInt32) -> Bool { mask & bits != 0 }
}

/// A Linux inotify instance watching folders, read without blocking.
///
/// The kernel API is used directly (`inotify_init1`, `inotify_add_watch`,
/// `inotify_rm_watch`, `read`): no helper process, no polling of the tree.
public final class Inotify {
    /// The instance's file descriptor, for `poll`.
    public let descriptor: Int32

    /// Events a folder watch asks for: entries created, written and closed,
    /// changed, moved in or out, deleted; and the folder itself going away.
    public static let folderMask: UInt32 =
        UInt32(
            IN_CREATE | IN_CLOSE_WRITE | IN_MODIFY | IN_ATTRIB | IN_MOVED_FROM | IN_MOVED_TO
                | IN_DELETE | IN_DELETE_SELF | IN_MOVE_SELF)
        | UInt32(IN_ONLYDIR) | UInt32(IN_EXCL_UNLINK)

    /// Opens an instance.
    /// The corresponding C function is `inotify_init1`.
    public init() throws {
        let fd = inotify_init1(Int32(IN_NONBLOCK) | Int32(IN_CLOEXEC))
        guard fd >= 0 else { throw WatchError.inotifyUnavailable(code: errno) }
        descriptor = fd
    }

    deinit { close(descriptor) }

    /// Watches the folder at `path`; returns the watch descriptor, or the
    /// `errno` of the failure (`ENOSPC`: the user's watch limit is reached).
    /// Watching a folder already watched returns its existing descriptor.
    /// The corresponding C function is `inotify_add_watch`.
    public func add(
        _ path: [UInt8], mask: UInt32 = Inotify.folderMask
    ) -> Result<Int32, WatchError> {
        let wd = RawPath.withCString(path) { inotify_add_watch(descriptor, $0, mask) }
        guard wd >= 0 else { return .failure(.watch(path: path, code: errno)) }
        return .success(wd)
    }

    /// Stops watch `watch` (the kernel then sends `IN_IGNORED` for it).
    /// The corresponding C function is `inotify_rm_watch`.
    public func remove(_ watch: Int32) {
        _ = inotify_rm_watch(descriptor, watch)
    }

    /// Reads every event queued now; empty when none is.
    public func read() throws -> [InotifyEvent] {
        var events: [InotifyEvent] = []
        var buffer = [UInt8](repeating: 0, count: 64 * 1024)
        while true {
            let count = buffer.withUnsafeMutableBytes {
                Glibc.read(descriptor, $0.baseAddress, $0.count)
            }
            if count < 0 {
                if errno == EINTR { continue }
                if errno == EAGAIN || errno == EWOULDBLOCK { return events }
                throw WatchError.read(code: errno)
            }
            if count == 0 { return events }
            events += Self.parse(buffer[0..<count])
        }
    }

    /// Splits a buffer of `struct inotify_event` records (16-byte header:
    /// wd, mask, cookie, len; then `len` bytes of NUL-padded name).
    static func parse(_ bytes: ArraySlice<UInt8>) -> [InotifyEvent] {
        var events: [InotifyEvent] = []
        var offset = bytes.startIndex
        func word(_ at: Int) -> UInt32 {
            UInt32(bytes[at]) | UInt32(bytes[at + 1]) << 8 | UInt32(bytes[at + 2]) << 16
                | UInt32(bytes[at + 3]) << 24
        }
        while offset + 16 <= bytes.endIndex {
            let length = Int(word(offset + 12))
            guard offset + 16 + length <= bytes.endIndex else { break }
            let raw = bytes[(offset + 16)..<(offset + 16 + length)]
            let name = Array(raw.prefix { $0 != 0 })
            events.append(
                InotifyEvent(
                    watch: Int32(bitPattern: word(offset)), mask: word(offset + 4),
                    cookie: word(offset + 8), name: name))
            offset += 16 + length
        }
        return events
    }

    /// The user's watch limit (`/proc/sys/fs/inotify/max_user_watches`), if readable.
    public static func maxUserWatches() -> Int? {
        guard
            let text = try? String(
                contentsOfFile: "/proc/sys/fs/inotify/max_user_watches",
                encoding: .utf8)
        else { return nil }
        return Int(text.trimmingCharacters(in: .whitespacesAndNewlines))
    }
}

/// Why watching failed.
public enum WatchError: Error, Equatable, CustomStringConvertible {
    /// `inotify_init1` failed (`EMFILE`: too many inotify instances for this user).
    case inotifyUnavailable(code: Int32)
    /// A folder could not be watched.
    case watch(path: [UInt8], code: Int32)
    /// Reading events failed.
    case read(code: Int32)
    /// No folder to watch: the index has no roots and none were given.
    case noFolders
    /// `--rescan-minutes` is not above 0.
    case rescanNotPositive

    public var description: String {
        switch self {
        case .inotifyUnavailable(let code):
            let hint =
                code == EMFILE
                ? " (too many inotify instances: raise fs.inotify.max_user_instances)" : ""
            return "cannot start inotify: \(String(cString: strerror(code)))\(hint)"
        case .watch(let path, let code):
            return "cannot watch \(RawPath.display(path)): \(String(cString: strerror(code)))"
        case .read(let code):
            return "cannot read inotify events: \(String(cString: strerror(code)))"
        case .noFolders:
            return "no folder to watch: the index has none yet; "
                + "run picseek watch DIR or picseek index DIR"
        case .rescanNotPositive:
            return "--rescan-minutes must be above 0"
        }
    }
}
