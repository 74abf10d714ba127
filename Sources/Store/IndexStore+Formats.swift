import Foundation
import GRDB

/// How many photos the index holds with one file extension.
public struct ExtensionCount: Equatable, Sendable {
    /// The extension after the path's last dot, ASCII letters lowered ("jpg", "cr2"); empty
    /// for a name without one.
    public var fileExtension: String
    /// Photos with this extension, failed ones included.
    public var photos: Int
    /// Of those, the ones that could not be indexed.
    public var failed: Int

    /// Creates a count.
    public init(fileExtension: String, photos: Int, failed: Int) {
        self.fileExtension = fileExtension
        self.photos = photos
        self.failed = failed
    }
}

extension IndexStore {
    /// The photos by the extension of their stored path, most common first (then by name).
    ///
    /// Read from the paths rather than a stored format, so indexes made before formats were
    /// counted need no migration; a file is counted under its name's extension even when its
    /// bytes are another format (picseek decodes by bytes).
    public func photoCountsByExtension() throws -> [ExtensionCount] {
        try read { db in
            var counts: [String: (photos: Int, failed: Int)] = [:]
            let rows = try Row.fetchCursor(
                db, sql: "SELECT path, error IS NOT NULL AS failed FROM photos")
            while let row = try rows.next() {
                let path: Data = row["path"]
                let failed: Bool = row["failed"]
                let ext = Self.lowercaseExtension([UInt8](path))
                var entry = counts[ext] ?? (0, 0)
                entry.photos += 1
                if failed { entry.failed += 1 }
                counts[ext] = entry
            }
            return counts.map {
                ExtensionCount(
                    fileExtension: $0.key, photos: $0.value.photos, failed: $0.value.failed)
            }
            .sorted {
                $0.photos != $1.photos ? $0.photos > $1.photos : $0.fileExtension < $1.fileExtension
            }
        }
    }

    /// The bytes after the last dot of the file name, ASCII letters lowered, as text (invalid
    /// UTF-8 repaired); empty without a dot.
    static func lowercaseExtension(_ path: [UInt8]) -> String {
        let name = path.lastIndex(of: UInt8(ascii: "/")).map { path[($0 + 1)...] } ?? path[...]
        guard let dot = name.lastIndex(of: UInt8(ascii: ".")), dot > name.startIndex else {
            return ""
        }
        let ext = name[(dot + 1)...].map { b -> UInt8 in (b >= 65 && b <= 90) ? b + 32 : b }
        return String(decoding: ext, as: UTF8.self)
    }
}
