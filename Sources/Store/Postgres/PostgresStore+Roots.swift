import Foundation
import PicseekCore

extension PostgresStore {
    /// This machine's translation between local and stored paths.
    var paths: RootPaths { withLock { rootPaths } }

    /// Reads this machine's mounts of named roots again.
    func reloadMounts(_ conn: PostgresConnection) throws {
        let rows = try conn.execute(
            """
            SELECT r.name, m.path FROM picseek.root_mounts m
            JOIN picseek.roots r ON r.id = m.root_id
            WHERE m.host = $1 AND r.name IS NOT NULL
            """, [.text(host)])
        var mounts: [String: [UInt8]] = [:]
        for row in 0..<rows.count {
            if let name = rows.text(row, 0), let path = rows.bytes(row, 1) { mounts[name] = path }
        }
        withLock { rootPaths = RootPaths(mounts: mounts) }
    }

    /// The stored-path bounds of the local folder `folder`, for a filter on `photos.path`:
    /// `low <= path < high`.
    func storedFolderBounds(_ folder: [UInt8]) -> (low: Data, high: Data) {
        let range = paths.storedRanges(under: folder)[0]
        return (Data(range.low), Data(range.high))
    }

    /// `(path = $a OR (path >= $b AND path < $c) OR …)` for the stored paths at or under the
    /// local folder `local`, with its parameters numbered from `first`.
    func underClause(
        _ local: [UInt8], column: String = "path", first: Int
    ) -> (sql: String, parameters: [PGValue]) {
        let stored = paths.stored(local)
        var parameters: [PGValue] = [.bytes(stored)]
        var parts = ["\(column) = $\(first)"]
        for range in paths.storedRanges(under: local) {
            parameters += [.bytes(range.low), .bytes(range.high)]
            let n = first + parameters.count
            parts.append("(\(column) >= $\(n - 2) AND \(column) < $\(n - 1))")
        }
        return ("(" + parts.joined(separator: " OR ") + ")", parameters)
    }

    /// Records `path` (this machine's folder, or a `name:` root not mounted here) as an
    /// indexed root, if it is not one yet; the folder of a named root mounted here is that
    /// root.
    public func addRoot(_ path: [UInt8]) throws {
        let stored = paths.stored(path)
        let name = RootPaths.split(stored).flatMap { $0.relative.isEmpty ? $0.name : nil }
        try write { conn in
            try conn.execute(
                """
                INSERT INTO picseek.roots (path, added_at, name) VALUES ($1, $2, $3)
                ON CONFLICT DO NOTHING
                """, [.bytes(stored), .double(Date().timeIntervalSince1970), .optional(name)])
        }
    }

    /// Makes the folder `path` (absolute, canonical) this machine's mount of the root `name`:
    /// creates the root when new, records or moves this machine's mount point, and turns the
    /// stored paths of photos and roots already indexed under the folder into paths relative
    /// to the root (photos the root holds already, from another machine, win; no vector is
    /// made again). All in one transaction.
    ///
    /// - Throws: `RootNameError` for a bad name or a folder that is another root's here.
    public func addRoot(_ path: [UInt8], name: String) throws {
        try RootPaths.validate(name: name)
        if let readOnlyReason { throw StoreError.readOnly(path: self.path, reason: readOnlyReason) }
        if let other = paths.mount(holding: path), other.folder == path, other.name != name {
            throw RootNameError.folderHasOtherName(path: path, name: other.name)
        }
        let key = RootPaths.rootKey(name)
        let (low, high) = underBounds(path)
        let inside: [PGValue] = [.bytes([UInt8](low)), .bytes([UInt8](high))]
        // substring(path FROM skip) is the part after "folder/".
        let skip = PGValue.int(path.count + 2)
        try write { conn in
            try conn.execute("LOCK TABLE picseek.roots IN SHARE ROW EXCLUSIVE MODE")
            let named = try conn.execute(
                "SELECT id FROM picseek.roots WHERE name = $1", [.text(name)])
            var rootID = named.count > 0 ? named.int(0, 0) : nil
            if rootID == nil {
                // An unnamed root at this folder becomes the named root.
                let renamed = try conn.execute(
                    """
                    UPDATE picseek.roots SET name = $1, path = $2
                    WHERE path = $3 AND name IS NULL RETURNING id
                    """, [.text(name), .bytes(key), .bytes(path)])
                rootID = renamed.count > 0 ? renamed.int(0, 0) : nil
            }
            if rootID == nil {
                rootID =
                    try conn.execute(
                        """
                        INSERT INTO picseek.roots (path, added_at, name) VALUES ($1, $2, $3)
                        RETURNING id
                        """, [.bytes(key), .double(Date().timeIntervalSince1970), .text(name)]
                    ).int(0, 0)
            }
            guard let rootID else { return }
            try conn.execute(
                "DELETE FROM picseek.roots WHERE path = $1 AND name IS NULL", [.bytes(path)])
            try conn.execute(
                """
                INSERT INTO picseek.root_mounts (root_id, host, path) VALUES ($1, $2, $3)
                ON CONFLICT (root_id, host) DO UPDATE SET path = excluded.path
                """, [.int(rootID), .text(host), .bytes(path)])
            // Photos indexed under the folder before it had a name.
            try conn.execute(
                """
                DELETE FROM picseek.photos p WHERE p.path >= $1 AND p.path < $2
                AND EXISTS (SELECT 1 FROM picseek.photos q
                            WHERE q.path = $3::bytea || substring(p.path FROM $4::int))
                """, inside + [.bytes(key), skip])
            try conn.execute(
                """
                UPDATE picseek.photos SET path = $3::bytea || substring(path FROM $4::int)
                WHERE path >= $1 AND path < $2
                """, inside + [.bytes(key), skip])
            try conn.execute(
                """
                DELETE FROM picseek.roots r WHERE r.name IS NULL AND r.path >= $1
                AND r.path < $2 AND EXISTS (SELECT 1 FROM picseek.roots q
                    WHERE q.path = $3::bytea || substring(r.path FROM $4::int))
                """, inside + [.bytes(key), skip])
            try conn.execute(
                """
                UPDATE picseek.roots SET path = $3::bytea || substring(path FROM $4::int)
                WHERE name IS NULL AND path >= $1 AND path < $2
                """, inside + [.bytes(key), skip])
            try bumpGeneration(conn)
            try reloadMounts(conn)
        }
    }

    /// Records that `host` mounts the named root `name` at `path`, creating the root when new
    /// (`picseek db copy` keeps every machine's mounts this way).
    public func recordMount(root name: String, host: String, path: [UInt8]) throws {
        try RootPaths.validate(name: name)
        try write { conn in
            try conn.execute(
                """
                INSERT INTO picseek.roots (path, added_at, name) VALUES ($1, $2, $3)
                ON CONFLICT DO NOTHING
                """,
                [
                    .bytes(RootPaths.rootKey(name)), .double(Date().timeIntervalSince1970),
                    .text(name),
                ])
            try conn.execute(
                """
                INSERT INTO picseek.root_mounts (root_id, host, path)
                SELECT id, $2, $3 FROM picseek.roots WHERE name = $1
                ON CONFLICT (root_id, host) DO UPDATE SET path = excluded.path
                """, [.text(name), .text(host), .bytes(path)])
            try reloadMounts(conn)
        }
    }

    public func markScanned(root path: [UInt8]) throws {
        let stored = paths.stored(path)
        try write { conn in
            try conn.execute(
                "UPDATE picseek.roots SET last_scan_at = $1 WHERE path = $2",
                [.double(Date().timeIntervalSince1970), .bytes(stored)])
        }
    }

    /// Every indexed root, by stored path, with local paths: a named root's is its mount point
    /// on this machine (or `name:` where it is not mounted), with every machine's mounts.
    public func roots() throws -> [RootRecord] {
        try withConnection { conn in
            try reloadMounts(conn)
            let paths = self.paths
            let mountRows = try conn.execute(
                "SELECT root_id, host, path FROM picseek.root_mounts ORDER BY host")
            var mounts: [Int64: [RootMount]] = [:]
            for row in 0..<mountRows.count {
                guard let id = mountRows.int(row, 0) else { continue }
                mounts[id, default: []].append(
                    RootMount(
                        host: mountRows.text(row, 1) ?? "", path: mountRows.bytes(row, 2) ?? []))
            }
            let rows = try conn.execute(
                """
                SELECT id, path, added_at, last_scan_at, reads_words, name FROM picseek.roots
                ORDER BY path
                """)
            return (0..<rows.count).map { row in
                let id = rows.int(row, 0) ?? 0
                return RootRecord(
                    id: id, path: paths.local(rows.bytes(row, 1) ?? []),
                    addedAt: rows.double(row, 2) ?? 0, lastScanAt: rows.double(row, 3),
                    readsWords: rows.bool(row, 4) ?? true, name: rows.text(row, 5),
                    mounts: mounts[id] ?? [])
            }
        }
    }

    public func setReadsWords(_ on: Bool, root path: [UInt8]) throws {
        let stored = paths.stored(path)
        try write { conn in
            try conn.execute(
                "UPDATE picseek.roots SET reads_words = $1 WHERE path = $2",
                [.bool(on), .bytes(stored)])
        }
    }
}
