import Foundation
import PicseekCore

/// Why a root name was refused.
public enum RootNameError: Error, CustomStringConvertible, Equatable {
    /// The name breaks a rule (empty, too long, a `/`, a `:` or a control character).
    case invalid(name: String, reason: String)
    /// The folder is already the mount of another named root on this machine.
    case folderHasOtherName(path: [UInt8], name: String)
    /// The index's database cannot keep named roots.
    case unsupported(location: String)

    public var description: String {
        switch self {
        case .invalid(let name, let reason):
            return "root name \"\(TerminalSafe.escape(name))\" is not allowed: \(reason)"
        case .folderHasOtherName(let path, let name):
            return "\(TerminalSafe.escape(String(decoding: path, as: UTF8.self))) is already "
                + "the root \"\(TerminalSafe.escape(name))\" on this machine; give that name or "
                + "none"
        case .unsupported(let location):
            return "named roots need a postgresql index; \(TerminalSafe.escape(location)) is an "
                + "sqlite file (picseek db copy moves it to postgresql)"
        }
    }
}

/// One machine's mount point of a named root.
public struct RootMount: Equatable, Sendable {
    /// The machine (its host name, or `PICSEEK_HOST`).
    public var host: String
    /// The absolute folder the root is mounted at there (raw bytes).
    public var path: [UInt8]

    /// A mount of a root on `host` at `path`.
    public init(host: String, path: [UInt8]) {
        self.host = host
        self.path = path
    }
}

/// How an index with named roots turns this machine's paths into stored paths and back.
///
/// A named root (`picseek index --root-name nas /mnt/photos`) is one folder that several
/// machines mount at different places. The index stores its photos as `nas:` followed by the
/// path relative to the root (`nas:2024/beach.jpg`; the root itself is `nas:`) and records
/// each machine's mount point. Stored paths of unnamed roots stay absolute, as before. Names
/// hold no `/` and no `:`, so a stored path starting with `/` is always an absolute one.
///
/// Everything above the store sees local paths: a stored `nas:2024/beach.jpg` reads back as
/// `/mnt/photos/2024/beach.jpg` on a machine that mounts `nas` at `/mnt/photos`, and as
/// `nas:2024/beach.jpg` itself on a machine that does not mount it (shown as it is, its
/// thumbnail still read from the index; `RootPaths.unmountedRoot` tells it apart).
public struct RootPaths: Equatable, Sendable {
    /// This machine's mount point of each named root, by name.
    public private(set) var mounts: [String: [UInt8]]

    /// The translation for a machine mounting the named roots at `mounts` (name → folder).
    public init(mounts: [String: [UInt8]] = [:]) {
        self.mounts = mounts
    }

    /// The environment variable that overrides this machine's name for named roots.
    public static let hostVariable = "PICSEEK_HOST"

    /// This machine's name as the index records mounts: `PICSEEK_HOST` when set, else the
    /// host name.
    public static func currentHost(
        environment: [String: String] = ProcessInfo.processInfo.environment
    ) -> String {
        if let host = environment[hostVariable], !host.isEmpty { return host }
        return ProcessInfo.processInfo.hostName
    }

    /// Longest name, in bytes.
    public static let maximumNameBytes = 64

    /// Checks a root name: not empty, at most 64 bytes, not `.` or `..`, and without `/`, `:`,
    /// spaces at either end or control characters.
    public static func validate(name: String) throws {
        func refuse(_ reason: String) -> RootNameError {
            RootNameError.invalid(name: name, reason: reason)
        }
        if name.isEmpty { throw refuse("it is empty") }
        if name.utf8.count > maximumNameBytes {
            throw refuse("it is longer than \(maximumNameBytes) bytes")
        }
        if name == "." || name == ".." { throw refuse("it names a folder") }
        if name.contains("/") { throw refuse("it contains a /") }
        if name.contains(":") { throw refuse("it contains a :") }
        if name.unicodeScalars.contains(where: {
            $0.properties.generalCategory == .control || $0.properties.generalCategory == .format
                || $0.properties.generalCategory == .lineSeparator
                || $0.properties.generalCategory == .paragraphSeparator
        }) {
            throw refuse("it contains a control character")
        }
        if name.first?.isWhitespace == true || name.last?.isWhitespace == true {
            throw refuse("it starts or ends with a space")
        }
    }

    /// The stored path of the named root `name` itself: `name:`.
    public static func rootKey(_ name: String) -> [UInt8] {
        Array(name.utf8) + [colon]
    }

    static let slash = UInt8(ascii: "/")
    static let colon = UInt8(ascii: ":")

    /// The root name and relative path of a stored or shown `name:relative` path, nil for an
    /// absolute path.
    public static func split(_ path: [UInt8]) -> (name: String, relative: [UInt8])? {
        guard let first = path.first, first != slash,
            let colonAt = path.firstIndex(of: colon),
            !path[..<colonAt].contains(slash), colonAt > 0
        else { return nil }
        return (String(decoding: path[..<colonAt], as: UTF8.self), Array(path[(colonAt + 1)...]))
    }

    /// The name of the root a local path belongs to when that root is not mounted on this
    /// machine (the path is `name:relative`), nil for an ordinary absolute path.
    public static func unmountedRoot(_ path: [UInt8]) -> String? {
        split(path)?.name
    }

    /// Whether `path` is `folder` or lies under it (both absolute).
    static func isAtOrUnder(_ path: [UInt8], _ folder: [UInt8]) -> Bool {
        if path == folder { return true }
        if folder == [slash] { return path.first == slash }
        return path.count > folder.count && path.starts(with: folder)
            && path[folder.count] == slash
    }

    /// The named root mounted here whose folder holds `path`, the deepest one first.
    func mount(holding path: [UInt8]) -> (name: String, folder: [UInt8])? {
        var best: (name: String, folder: [UInt8])?
        for (name, folder) in mounts where Self.isAtOrUnder(path, folder) {
            if best == nil || folder.count > (best?.folder.count ?? 0) {
                best = (name, folder)
            }
        }
        return best
    }

    /// The stored form of a local path: `name:relative` under a named root mounted here, the
    /// path itself otherwise (absolute paths of unnamed roots, and `name:relative` paths of
    /// roots not mounted here).
    public func stored(_ local: [UInt8]) -> [UInt8] {
        guard local.first == Self.slash, let (name, folder) = mount(holding: local) else {
            return local
        }
        var relative = Array(local.dropFirst(folder.count))
        while relative.first == Self.slash { relative.removeFirst() }
        return Self.rootKey(name) + relative
    }

    /// The local form of a stored path: under this machine's mount point for a named root
    /// mounted here, the stored path itself otherwise.
    public func local(_ stored: [UInt8]) -> [UInt8] {
        guard let (name, relative) = Self.split(stored), let folder = mounts[name] else {
            return stored
        }
        if relative.isEmpty { return folder }
        return (folder == [Self.slash] ? [] : folder) + [Self.slash] + relative
    }

    /// Byte ranges `low <= stored < high` of the stored paths at or under the local folder
    /// `local`: its own range, plus the whole range of each named root mounted below it.
    public func storedRanges(under local: [UInt8]) -> [(low: [UInt8], high: [UInt8])] {
        var ranges = [Self.range(ofStored: stored(local))]
        if local.first == Self.slash {
            for (name, folder) in mounts.sorted(by: { $0.key < $1.key })
            where folder != local && Self.isAtOrUnder(folder, local)
                && mount(holding: local)?.name != name
            {
                ranges.append(Self.range(ofStored: Self.rootKey(name)))
            }
        }
        return ranges
    }

    /// The range of stored paths at or under one stored path: a named root's whole `name:`
    /// prefix, or the folder bounds of `underBounds` (which leave the folder itself out; a
    /// photo's own path is matched by equality where that matters).
    static func range(ofStored stored: [UInt8]) -> (low: [UInt8], high: [UInt8]) {
        if stored.last == colon, let (_, relative) = split(stored), relative.isEmpty {
            // Every `name:…`: ':' + 1 is ';'.
            return (stored, Array(stored.dropLast()) + [colon + 1])
        }
        let (low, high) = underBounds(stored)
        return ([UInt8](low), [UInt8](high))
    }
}
