import Foundation
import PicseekCore
import Store

#if canImport(Glibc)
    import Glibc
#endif

/// Paths as a user types them on a command line.
extension RawPath {
    /// The canonical raw path of a typed path; `mustExist` turns a path that cannot be
    /// resolved into an error, otherwise the absolute form of what was typed is used.
    public static func typed(_ typed: String, mustExist: Bool) throws(TypedPathError) -> [UInt8] {
        switch canonical(bytes(typed)) {
        case .success(let path): return path
        case .failure(let error):
            if mustExist { throw .unresolved(error.description) }
            if typed.hasPrefix("/") { return bytes(typed) }
            return join(bytes(FileManager.default.currentDirectoryPath), bytes(typed))
        }
    }

    /// `typed(_:mustExist: true)` for a path that must be a folder: a photo or other file
    /// given instead is an error naming its folder.
    public static func typedFolder(_ typed: String) throws(TypedPathError) -> [UInt8] {
        let path = try Self.typed(typed, mustExist: true)
        var info = stat()
        let status = withCString(path) { stat($0, &info) }
        if status == 0, info.st_mode & S_IFMT != S_IFDIR {
            var parent = path
            while let last = parent.last, last != 0x2F { parent.removeLast() }
            if parent.count > 1 { parent.removeLast() }
            throw .notAFolder(typed: typed, parent: parent)
        }
        return path
    }
}

/// A typed path that cannot be used.
public enum TypedPathError: Error, Equatable, CustomStringConvertible {
    /// The path cannot be resolved (it does not exist, or a folder on the way is unreadable);
    /// the system's message.
    case unresolved(String)
    /// A file was given where a folder is needed; `parent` is its folder.
    case notAFolder(typed: String, parent: [UInt8])
    /// The path (or id) names no photo in the index.
    case notIndexed(String)

    /// The message, with the typed path escaped for a terminal.
    public var description: String {
        switch self {
        case .unresolved(let message):
            return message
        case .notAFolder(let typed, let parent):
            return "\(TerminalSafe.escape(typed)) is a file, not a folder; give its folder "
                + "(\(RawPath.display(parent))) instead"
        case .notIndexed(let typed):
            return "\(TerminalSafe.escape(typed)) is not an indexed photo"
        }
    }
}

extension PhotoIndex {
    /// The id of the indexed photo a user typed: its id, else its path (made absolute).
    public func photoID(typed: String) throws -> Int64 {
        if let id = Int64(typed), try photo(id: id) != nil { return id }
        let path = try RawPath.typed(typed, mustExist: false)
        guard let photo = try photo(path: path) else { throw TypedPathError.notIndexed(typed) }
        return photo.id
    }
}
