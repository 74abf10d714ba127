import Foundation
import GRDB
import PicseekCore
import Testing

@testable import Store

/// A fresh folder for database files; removed at the end.
private final class TempFolder {
    let dir = NSTemporaryDirectory() + "picseek-store-faults-\(UUID().uuidString)"
    init() throws {
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
    }
    deinit { try? FileManager.default.removeItem(atPath: dir) }
}

@Suite("Index store: read-only opens and damaged files")
struct ReadOnlyAndDamageTests {
    @Test("a read-only open reads everything and refuses every write with a plain error")
    func readOnlyOpen() throws {
        let t = try TempFolder()
        let path = t.dir + "/index.sqlite"
        do {
            let store = try IndexStore.open(path: path)
            _ = try store.registerModel(name: "m", family: "f", dimension: 2, fingerprint: "x")
        }
        let store = try IndexStore.open(path: path, mode: .readOnly)
        #expect(store.isReadOnly)
        #expect(try store.models().map(\.name) == ["m"])
        #expect(try store.integrityCheck() == ["ok"])
        #expect(throws: StoreError.self) { try store.lockForWriting() }
        do {
            _ = try store.registerModel(name: "n", family: "f", dimension: 2, fingerprint: "y")
            Issue.record("a write went through a read-only store")
        } catch let error as StoreError {
            guard case .readOnly = error else {
                Issue.record("unexpected \(error)")
                return
            }
        }
        try store.checkpoint() // a no-op, not an error
    }

    @Test("an empty file opened read-only says it has no tables yet instead of migrating it")
    func emptyFileReadOnly() throws {
        let t = try TempFolder()
        let path = t.dir + "/index.sqlite"
        #expect(FileManager.default.createFile(atPath: path, contents: Data()))
        do {
            _ = try IndexStore.open(path: path, mode: .readOnly)
            Issue.record("expected an error")
        } catch let error as StoreError {
            guard case .cannotMigrate(let where_, let found, let supported, _) = error else {
                Issue.record("unexpected \(error)")
                return
            }
            #expect(where_ == path && found == 0 && supported == IndexStore.schemaVersion)
            #expect(error.description.contains("has no tables yet"))
        }
        #expect(FreeSpace.available(near: path) ?? 0 > 0)
        #expect((try? FileManager.default.attributesOfItem(atPath: path)[.size] as? Int) == 0)
    }

    @Test("junk bytes are not a database, in both modes, and stay as they were")
    func notADatabase() throws {
        let t = try TempFolder()
        let path = t.dir + "/index.sqlite"
        let junk = Data("not sqlite at all, just some text".utf8)
        try junk.write(to: URL(fileURLWithPath: path))
        for mode in [IndexStore.Mode.readWrite, .readOnly] {
            #expect(throws: StoreError.notADatabase(path: path)) {
                try IndexStore.open(path: path, mode: mode)
            }
        }
        #expect(FileManager.default.contents(atPath: path) == junk)
    }

    @Test("another program's SQLite database is refused, in both modes, and left untouched")
    func foreign() throws {
        let t = try TempFolder()
        let path = t.dir + "/other.sqlite"
        do {
            let queue = try DatabaseQueue(path: path)
            try queue.write {
                try $0.execute(
                    sql: "CREATE TABLE notes (text TEXT); INSERT INTO notes VALUES ('x')")
            }
        }
        let before = FileManager.default.contents(atPath: path)
        for mode in [IndexStore.Mode.readWrite, .readOnly] {
            #expect(throws: StoreError.foreignDatabase(path: path, tables: ["notes"])) {
                try IndexStore.open(path: path, mode: mode)
            }
        }
        #expect(FileManager.default.contents(atPath: path) == before)
    }

    @Test("moving aside renames the file and its -wal, deletes nothing, and never overwrites")
    func moveAside() throws {
        let t = try TempFolder()
        let path = t.dir + "/index.sqlite"
        try Data([1, 2, 3]).write(to: URL(fileURLWithPath: path))
        try Data([4]).write(to: URL(fileURLWithPath: path + "-wal"))
        let now = Date(timeIntervalSince1970: 1_800_000_000)
        let first = try IndexStore.moveAside(path: path, now: now)
        #expect(first.hasPrefix(path + ".corrupt-2027"))
        #expect(FileManager.default.contents(atPath: first) == Data([1, 2, 3]))
        #expect(FileManager.default.contents(atPath: first + "-wal") == Data([4]))
        #expect(!FileManager.default.fileExists(atPath: path))
        try Data([5]).write(to: URL(fileURLWithPath: path))
        let second = try IndexStore.moveAside(path: path, now: now)
        #expect(second == first + "-2")
        #expect(FileManager.default.contents(atPath: first) == Data([1, 2, 3]))
    }

    @Test("SQLite's full-disk and damage errors become messages that name the file and what to do")
    func messages() {
        let full = StoreError.wrap(DatabaseError(resultCode: .SQLITE_FULL), path: "/d/index.sqlite")
        #expect("\(full)".hasPrefix("disk full at /d/index.sqlite ("))
        #expect("\(full)".contains("MB free): free some space and run the command again"))
        let damaged = StoreError.wrap(
            DatabaseError(resultCode: .SQLITE_CORRUPT, message: "database disk image is malformed"),
            path: "/d/index.sqlite")
        #expect(
            "\(damaged)".hasPrefix("/d/index.sqlite is damaged (database disk image is malformed)"))
        #expect("\(damaged)".contains("picseek doctor --repair"))
        let notDB = StoreError.wrap(DatabaseError(resultCode: .SQLITE_NOTADB), path: "/d/x")
        #expect(notDB as? StoreError == StoreError.notADatabase(path: "/d/x"))
    }
}
