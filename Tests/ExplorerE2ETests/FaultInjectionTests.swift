import Foundation
import Imaging
import PicseekCore
import Store
import Testing

#if canImport(Glibc)
    import Glibc
#endif

/// Small file systems mounted for a test (tmpfs, read-only bind mounts). Mounting needs root
/// with CAP_SYS_ADMIN; where it is refused (an unprivileged container) these tests are off.
enum Mounts {
    static let tool = ["/usr/bin/mount", "/bin/mount"].first {
        FileManager.default.isExecutableFile(atPath: $0)
    }
    static let unmountTool = ["/usr/bin/umount", "/bin/umount"].first {
        FileManager.default.isExecutableFile(atPath: $0)
    }

    /// Whether a tmpfs can be mounted here (tried once).
    static let available: Bool = {
        let dir = NSTemporaryDirectory() + "picseek-mount-probe-\(getpid())"
        guard
            (try? FileManager.default.createDirectory(
                atPath: dir, withIntermediateDirectories: true))
                != nil
        else { return false }
        defer { try? FileManager.default.removeItem(atPath: dir) }
        guard run(tool, ["-t", "tmpfs", "-o", "size=64k", "tmpfs", dir]) else { return false }
        return run(unmountTool, [dir])
    }()

    /// Runs a mount tool with an argument vector; true when it exits 0.
    @discardableResult
    static func run(_ tool: String?, _ arguments: [String]) -> Bool {
        guard let tool else { return false }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: tool)
        process.arguments = arguments
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        do { try process.run() } catch { return false }
        process.waitUntilExit()
        return process.terminationStatus == 0
    }

    static func tmpfs(at dir: String, kilobytes: Int) throws {
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        guard run(tool, ["-t", "tmpfs", "-o", "size=\(kilobytes)k", "tmpfs", dir]) else {
            throw FaultError.mount(dir)
        }
    }

    static func readOnlyBind(_ source: String, at dir: String) throws {
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        guard run(tool, ["--bind", source, dir]),
            run(tool, ["-o", "remount,bind,ro", dir])
        else {
            run(unmountTool, [dir])
            throw FaultError.mount(dir)
        }
    }

    static func unmount(_ dir: String) { run(unmountTool, ["-l", dir]) }
}

enum FaultError: Error {
    case mount(String)
    case noBinary
    case timeout(String)
}

/// Faults real machines have, injected under the real binary: full disks, read-only media,
/// damaged and foreign files, signals, a closed pipe. Each scenario checks that no committed
/// row was lost (`integrity_check`, counts before and after).
@Suite("Fault injection", .serialized)
struct FaultInjectionTests {
    typealias Sandbox = IndexedExploreTests.Sandbox
    static let model = IndexedExploreTests.tinyModel
    static let mountReason: Comment =
        "mounting a tmpfs is not allowed here (needs root with CAP_SYS_ADMIN)"

    static func run(
        _ arguments: [String], in sandbox: Sandbox
    ) throws -> (status: Int32, output: String, errors: String) {
        try IndexedExploreTests.run(arguments, in: sandbox)
    }

    /// Photos, vectors and integrity of the index at `path`, read without writing.
    static func state(_ path: String) throws -> (photos: Int, vectors: Int, integrity: [String]) {
        let store = try IndexStore.open(path: path, mode: .readOnly)
        let summary = try store.summary()
        return (
            summary.photos, summary.models.reduce(0) { $0 + $1.vectors }, try store.integrityCheck()
        )
    }

    /// `count` JPEGs of random noise (big previews, so files grow fast), `side` pixels square.
    static func noisePhotos(in folder: String, count: Int, side: Int = 200, seed: UInt64 = 1) throws
    {
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        var state = seed &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
        for index in 0..<count {
            var pixels = [UInt8](repeating: 0, count: side * side * 3)
            for i in pixels.indices {
                state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
                pixels[i] = UInt8(truncatingIfNeeded: state >> 56)
            }
            let jpeg = try JPEG.encode(
                RGBImage(width: side, height: side, pixels: pixels), quality: 90)
            try Data(jpeg).write(to: URL(fileURLWithPath: folder + "/noise-\(seed)-\(index).jpg"))
        }
    }

    /// Fills the file system holding `dir` with one file; returns its path.
    static func fill(_ dir: String) -> String {
        let path = dir + "/filler"
        let fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
        let chunk = [UInt8](repeating: 0x55, count: 4096)
        while chunk.withUnsafeBytes({ write(fd, $0.baseAddress, $0.count) }) > 0 {}
        close(fd)
        return path
    }

    static func size(_ path: String) -> off_t {
        var info = stat()
        return stat(path, &info) == 0 ? info.st_size : 0
    }

    static func sha(_ path: String) -> [UInt8]? {
        FileManager.default.contents(atPath: path).map { SHA256.hash([UInt8]($0)) }
    }

    // MARK: Read-only use

    @Test("search, status, errors and duplicates leave every index file byte for byte as it was")
    func readOnlyCommandsDoNotWrite() throws {
        let sandbox = try Sandbox()
        let db = sandbox.database
        let indexed = try Self.run(["index", "--model", Self.model, sandbox.gallery], in: sandbox)
        #expect(indexed.status == 0, "\(indexed.errors)")
        let thumbs = DatabaseLocation.thumbnailPath(forIndexAt: db)
        let files = [db, db + "-wal", thumbs, thumbs + "-wal"]
        let before = files.map(Self.sha)
        for command in [
            ["status"], ["errors"], ["search", "--model", Self.model, "--top", "3", "red"],
            ["duplicates", "--model", Self.model],
        ] {
            let result = try Self.run(command, in: sandbox)
            #expect(result.status == 0, "\(command): \(result.errors)")
        }
        // SQLite may create an empty -wal beside a WAL database it reads; nothing is written.
        let after = files.map(Self.sha)
        let empty = SHA256.hash([])
        for (index, file) in files.enumerated() where after[index] != before[index] {
            #expect(before[index] == nil && after[index] == empty, "\(file) changed")
        }
        #expect(try Self.state(db).photos == 12)
    }

    @Test(
        "on a read-only mount every read-only command works and index says why it cannot write",
        .enabled(if: Mounts.available, mountReason))
    func readOnlyMount() throws {
        let sandbox = try Sandbox()
        let indexed = try Self.run(["index", "--model", Self.model, sandbox.gallery], in: sandbox)
        #expect(indexed.status == 0, "\(indexed.errors)")
        let source = sandbox.root + "/data-dir"
        try FileManager.default.createDirectory(atPath: source, withIntermediateDirectories: true)
        for name in ["index.sqlite", "index.thumbs.sqlite"] {
            try FileManager.default.moveItem(
                atPath: sandbox.root + "/" + name, toPath: source + "/" + name)
        }
        let mount = sandbox.root + "/ro"
        try Mounts.readOnlyBind(source, at: mount)
        defer { Mounts.unmount(mount) }
        let db = mount + "/index.sqlite"
        for command in [
            ["status"], ["errors"], ["search", "--model", Self.model, "--top", "3", "red"],
            ["duplicates", "--model", Self.model], ["doctor"],
        ] {
            let result = try Self.run(command + ["--db", db], in: sandbox)
            #expect(result.status == 0, "\(command): \(result.errors)")
            if command == ["search", "--model", Self.model, "--top", "3", "red"] {
                #expect(result.output.split(separator: "\n").count == 3)
            }
        }
        let write = try Self.run(
            ["index", "--db", db, "--model", Self.model, sandbox.gallery], in: sandbox)
        #expect(write.status != 0)
        #expect(
            write.errors.contains("cannot be written (its file system is mounted read-only)"),
            "\(write.errors)")
        #expect(!write.errors.contains("sqlite error"))
        #expect(try Self.state(db) == (12, 12, ["ok"]))
    }

    @Test(
        "an index whose first run stopped before its schema, on a full disk: a plain message, not an SQLite error",
        .enabled(if: Mounts.available, mountReason))
    func noSchemaOnFullDisk() throws {
        let sandbox = try Sandbox()
        let mount = sandbox.root + "/small"
        try Mounts.tmpfs(at: mount, kilobytes: 256)
        defer { Mounts.unmount(mount) }
        let db = mount + "/index.sqlite"
        #expect(FileManager.default.createFile(atPath: db, contents: Data()))
        _ = Self.fill(mount)
        for command in [["status"], ["search", "--model", Self.model, "red"]] {
            let result = try Self.run(command + ["--db", db], in: sandbox)
            #expect(result.status != 0)
            #expect(result.errors.contains("has no tables yet"), "\(result.errors)")
            #expect(result.errors.contains("the disk is full"), "\(result.errors)")
            #expect(!result.errors.contains("sqlite error"))
        }
    }

    static let setpriv = ["/usr/bin/setpriv", "/bin/setpriv"].first {
        FileManager.default.isExecutableFile(atPath: $0)
    }
    /// Root with `setpriv`, and the binary and the test model reachable by `nobody` (a
    /// checkout under a private home folder is not).
    static let canSwitchUser: Bool = {
        guard getuid() == 0, let setpriv, let binary = BinaryTests.binary else { return false }
        func asNobody(_ command: [String]) -> Bool {
            let process = Process()
            process.executableURL = URL(fileURLWithPath: setpriv)
            process.arguments = ["--reuid=65534", "--regid=65534", "--clear-groups"] + command
            process.standardOutput = FileHandle.nullDevice
            process.standardError = FileHandle.nullDevice
            do { try process.run() } catch { return false }
            process.waitUntilExit()
            return process.terminationStatus == 0
        }
        let test = ["/usr/bin/test", "/bin/test"].first {
            FileManager.default.isExecutableFile(atPath: $0)
        }
        guard let test else { return false }
        return asNobody([binary, "--version"])
            && asNobody([test, "-r", model + "/model.safetensors"])
    }()

    /// Runs the binary as the user `nobody` (uid 65534) through `setpriv`.
    static func runAsNobody(
        _ arguments: [String], in sandbox: Sandbox
    ) throws -> (status: Int32, output: String, errors: String) {
        guard let binary = BinaryTests.binary, let setpriv else { throw FaultError.noBinary }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: setpriv)
        process.arguments =
            ["--reuid=65534", "--regid=65534", "--clear-groups", binary] + arguments
        var environment = ProcessInfo.processInfo.environment
        for (key, value) in sandbox.environment { environment[key] = value }
        environment["HOME"] = "/nonexistent"
        environment["XDG_CONFIG_HOME"] = "/nonexistent"
        environment["XDG_DATA_HOME"] = "/nonexistent"
        process.environment = environment
        let out = Pipe()
        let err = Pipe()
        process.standardOutput = out
        process.standardError = err
        process.standardInput = FileHandle.nullDevice
        try process.run()
        // Small outputs: both pipes fit in their buffers; read them after the exit.
        process.waitUntilExit()
        let output = String(decoding: out.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        let errors = String(decoding: err.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        return (process.terminationStatus, output, errors)
    }

    @Test(
        "another user's index in a folder they cannot write: read-only commands work, index says why not; unreadable folders are reported, not fatal",
        .enabled(
            if: canSwitchUser,
            "needs root, setpriv, and a binary and model the user nobody can reach"))
    func anotherUsersIndex() throws {
        let sandbox = try Sandbox()
        let db = sandbox.database
        let indexed = try Self.run(["index", "--model", Self.model, sandbox.gallery], in: sandbox)
        #expect(indexed.status == 0, "\(indexed.errors)")
        #expect(chmod(sandbox.root, 0o755) == 0)
        let before = Self.sha(db)
        for command in [
            ["status"], ["errors"], ["search", "--model", Self.model, "--top", "3", "red"],
            ["duplicates", "--model", Self.model],
        ] {
            let result = try Self.runAsNobody(command + ["--db", db], in: sandbox)
            #expect(result.status == 0, "\(command): \(result.errors)")
        }
        let write = try Self.runAsNobody(
            ["index", "--db", db, "--model", Self.model, sandbox.gallery], in: sandbox)
        #expect(write.status != 0)
        #expect(write.errors.contains("cannot be written"), "\(write.errors)")
        #expect(!write.errors.contains("sqlite error"))
        #expect(Self.sha(db) == before)
        #expect(try Self.state(db) == (12, 12, ["ok"]))

        // nobody indexes the gallery into a folder of their own; one subfolder is closed to them.
        let own = sandbox.root + "/nobody"
        try FileManager.default.createDirectory(atPath: own, withIntermediateDirectories: true)
        #expect(chown(own, 65534, 65534) == 0)
        let closed = sandbox.gallery + "/closed"
        try FileManager.default.createDirectory(atPath: closed, withIntermediateDirectories: true)
        try FileManager.default.copyItem(
            atPath: sandbox.gallery + "/red.jpg", toPath: closed + "/secret.jpg")
        #expect(chmod(closed, 0o700) == 0)
        let locked = sandbox.gallery + "/locked.jpg"
        try FileManager.default.copyItem(atPath: sandbox.gallery + "/blue.jpg", toPath: locked)
        #expect(chmod(locked, 0o600) == 0)
        let theirs = try Self.runAsNobody(
            ["index", "--db", own + "/index.sqlite", "--model", Self.model, sandbox.gallery],
            in: sandbox)
        #expect(theirs.status == 0, "\(theirs.errors)")
        #expect(
            theirs.errors.contains("warning: cannot open folder \(closed): Permission denied"),
            "\(theirs.errors)")
        // The unreadable file is recorded with its reason, the rest is indexed.
        #expect(try Self.state(own + "/index.sqlite") == (13, 12, ["ok"]))
        let errors = try Self.runAsNobody(["errors", "--db", own + "/index.sqlite"], in: sandbox)
        #expect(errors.output.contains("locked.jpg"), "\(errors.output)")
        #expect(errors.output.contains("Permission denied"), "\(errors.output)")
    }

    // MARK: Full disk

    @Test(
        "a full disk stops index cleanly (disk full at FILE, N MB free), keeps committed rows; the next run completes",
        .enabled(if: Mounts.available, mountReason))
    func diskFullWhileIndexing() throws {
        let sandbox = try Sandbox()
        let mount = sandbox.root + "/small"
        try Mounts.tmpfs(at: mount, kilobytes: 4096)
        defer { Mounts.unmount(mount) }
        let db = mount + "/index.sqlite"
        let first = try Self.run(
            ["index", "--db", db, "--model", Self.model, sandbox.gallery], in: sandbox)
        #expect(first.status == 0, "\(first.errors)")
        #expect(try Self.state(db) == (12, 12, ["ok"]))

        let more = sandbox.root + "/more"
        try Self.noisePhotos(in: more, count: 40)
        // Leave about 100 KB: the run starts, warns, and the disk fills while it writes.
        let filler = Self.fill(mount)
        #expect(truncate(filler, max(0, Self.size(filler) - 100_000)) == 0)
        let full = try Self.run(["index", "--db", db, "--model", Self.model, more], in: sandbox)
        #expect(full.status == 1)
        #expect(full.errors.contains("disk full at \(mount)/index"), "\(full.errors)")
        #expect(full.errors.contains("MB free)"), "\(full.errors)")
        #expect(
            full.errors.contains("photos to add need about"),
            "the pre-flight warning: \(full.errors)")
        #expect(!full.errors.contains("sqlite error"))
        #expect(try Self.state(db) == (12, 12, ["ok"]))
        // Read-only use goes on while the disk is full.
        let status = try Self.run(["status", "--db", db], in: sandbox)
        #expect(status.status == 0, "\(status.errors)")
        let search = try Self.run(
            ["search", "--db", db, "--model", Self.model, "--top", "2", "red"], in: sandbox)
        #expect(
            search.status == 0 && search.output.split(separator: "\n").count == 2,
            "\(search.errors)")

        try FileManager.default.removeItem(atPath: filler)
        let again = try Self.run(["index", "--db", db, "--model", Self.model, more], in: sandbox)
        #expect(again.status == 0, "\(again.errors)")
        #expect(try Self.state(db) == (52, 52, ["ok"]))
    }

    @Test(
        "a photo folder unmounted during index stops the run; rows stay, none is marked failed or deleted",
        .enabled(if: Mounts.available, mountReason))
    func rootUnmountedDuringRun() throws {
        let sandbox = try Sandbox()
        let db = sandbox.database
        let photos = sandbox.root + "/drive"
        try Mounts.tmpfs(at: photos, kilobytes: 32768)
        defer { Mounts.unmount(photos) }
        try Self.noisePhotos(in: photos, count: 240, side: 96)
        guard let binary = BinaryTests.binary else { throw FaultError.noBinary }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: binary)
        process.arguments = ["index", "--model", Self.model, "--batch", "1", photos]
        var environment = ProcessInfo.processInfo.environment
        for (key, value) in sandbox.environment { environment[key] = value }
        process.environment = environment
        let errorPath = sandbox.root + "/unmount-stderr"
        _ = FileManager.default.createFile(atPath: errorPath, contents: nil)
        let err = try FileHandle(forWritingTo: URL(fileURLWithPath: errorPath))
        process.standardOutput = FileHandle.nullDevice
        process.standardError = err
        try process.run()
        let deadline = Date().addingTimeInterval(120)
        var committed = 0
        while Date() < deadline, process.isRunning {
            committed = (try? Self.state(db).photos) ?? 0
            if committed > 0 { break }
            usleep(50_000)
        }
        Mounts.unmount(photos)
        process.waitUntilExit()
        try? err.close()
        let errors = (try? String(contentsOfFile: errorPath, encoding: .utf8)) ?? ""
        #expect(committed > 0)
        #expect(process.terminationStatus == 1, "\(errors)")
        #expect(errors.contains("\(photos) disappeared during the run"), "\(errors)")
        let store = try IndexStore.open(path: db, mode: .readOnly)
        let rows = try store.allPhotos()
        #expect(rows.count >= committed && rows.count < 240)
        #expect(rows.allSatisfy { $0.error == nil })
        #expect(try store.integrityCheck() == ["ok"])
        // Indexing again while it is still unmounted keeps the rows too.
        let again = try Self.run(["index", "--model", Self.model, photos], in: sandbox)
        #expect(again.status == 0, "\(again.errors)")
        #expect(again.errors.contains("not mounted?"), "\(again.errors)")
        #expect(try Self.state(db).photos == rows.count)
    }

    @Test(
        "a full thumbnail file never loses the main index: rows are committed, previews come back with doctor --repair",
        .enabled(if: Mounts.available, mountReason))
    func thumbnailsFull() throws {
        let sandbox = try Sandbox()
        let db = sandbox.database
        // The thumbnail file lives on a small file system of its own (through a symlink).
        let small = sandbox.root + "/thumbs-fs"
        try Mounts.tmpfs(at: small, kilobytes: 2048)
        defer { Mounts.unmount(small) }
        let thumbs = DatabaseLocation.thumbnailPath(forIndexAt: db)
        try FileManager.default.createSymbolicLink(
            atPath: thumbs, withDestinationPath: small + "/index.thumbs.sqlite")
        let first = try Self.run(["index", "--model", Self.model, sandbox.gallery], in: sandbox)
        #expect(first.status == 0, "\(first.errors)")
        let filler = Self.fill(small)
        let more = sandbox.root + "/more"
        try Self.noisePhotos(in: more, count: 30)
        let full = try Self.run(["index", "--model", Self.model, more], in: sandbox)
        #expect(full.status == 0, "\(full.errors)")
        // Full when the file is opened (GRDB writes to an empty WAL) or when previews are put.
        #expect(
            full.errors.contains("warning: thumbnails not saved: disk full at"), "\(full.errors)")
        #expect(full.errors.contains("picseek doctor --repair makes them later"), "\(full.errors)")
        #expect(try Self.state(db) == (42, 42, ["ok"]))
        let doctor = try Self.run(["doctor"], in: sandbox)
        #expect(doctor.status == 1)
        #expect(doctor.output.contains("photos without one 30"), "\(doctor.output)")
        try FileManager.default.removeItem(atPath: filler)
        let repair = try Self.run(["doctor", "--repair"], in: sandbox)
        #expect(repair.status == 0, "\(repair.output)\(repair.errors)")
        #expect(repair.output.contains("made 30 previews again"), "\(repair.output)")
        #expect(try IndexStore.open(path: db, mode: .readOnly).thumbnails.count() == 42)
    }

    // MARK: Damaged and foreign files

    @Test(
        "a truncated or overwritten index gives a message naming the file and what to do; doctor --repair moves it aside"
    )
    func damagedIndex() throws {
        let sandbox = try Sandbox()
        let db = sandbox.database
        let indexed = try Self.run(["index", "--model", Self.model, sandbox.gallery], in: sandbox)
        #expect(indexed.status == 0, "\(indexed.errors)")
        // Everything in the main file (the last connection to close checkpoints), then cut it short.
        do { _ = try IndexStore.open(path: db) }
        let bytes = try #require(FileManager.default.contents(atPath: db))
        try bytes.prefix(bytes.count / 3).write(to: URL(fileURLWithPath: db))
        try? FileManager.default.removeItem(atPath: db + "-wal")
        try? FileManager.default.removeItem(atPath: db + "-shm")
        let damaged = Self.sha(db)

        let search = try Self.run(["search", "--model", Self.model, "red"], in: sandbox)
        #expect(search.status != 0)
        #expect(search.errors.contains("\(db) is damaged"), "\(search.errors)")
        #expect(search.errors.contains("picseek doctor --repair"), "\(search.errors)")
        let doctor = try Self.run(["doctor"], in: sandbox)
        #expect(doctor.status == 1, "\(doctor.output)")
        #expect(doctor.output.contains("unreadable: \(db) is damaged"), "\(doctor.output)")
        let repair = try Self.run(["doctor", "--repair"], in: sandbox)
        #expect(repair.status == 0, "\(repair.output)\(repair.errors)")
        let moved = try FileManager.default.contentsOfDirectory(atPath: sandbox.root)
            .filter {
                $0.hasPrefix("index.sqlite.corrupt-") && !$0.hasSuffix("-wal")
                    && !$0.hasSuffix("-shm")
            }
        #expect(moved.count == 1)
        if let name = moved.first {
            #expect(Self.sha(sandbox.root + "/" + name) == damaged, "kept as it was")
        }
        let again = try Self.run(["index", "--model", Self.model, sandbox.gallery], in: sandbox)
        #expect(again.status == 0, "\(again.errors)")
        #expect(try Self.state(db) == (12, 12, ["ok"]))

        // Not a database at all.
        try Data("these are my notes\n".utf8).write(
            to: URL(fileURLWithPath: sandbox.root + "/notes.sqlite"))
        let notes = try Self.run(["status", "--db", sandbox.root + "/notes.sqlite"], in: sandbox)
        #expect(notes.status != 0)
        #expect(
            notes.errors.contains("notes.sqlite is not a picseek index (not an SQLite database)"),
            "\(notes.errors)")
    }

    @Test("another program's SQLite database is refused and left untouched")
    func foreignDatabase() throws {
        let sandbox = try Sandbox()
        // An SQLite database of another schema: a thumbnail file, with its own migrations.
        _ = try IndexStore.open(path: sandbox.root + "/other.sqlite")
        let path = sandbox.root + "/other.thumbs.sqlite"
        let before = Self.sha(path)
        for command in [["status"], ["index", "--model", Self.model, sandbox.gallery]] {
            let result = try Self.run(command + ["--db", path], in: sandbox)
            #expect(result.status != 0)
            #expect(
                result.errors.contains("is an SQLite database but not a picseek index (tables: "),
                "\(result.errors)")
        }
        #expect(Self.sha(path) == before)
    }

    @Test(
        "a damaged thumbnail file never stops the index: search and index work, doctor --repair makes previews again"
    )
    func damagedThumbnails() throws {
        let sandbox = try Sandbox()
        let db = sandbox.database
        let indexed = try Self.run(["index", "--model", Self.model, sandbox.gallery], in: sandbox)
        #expect(indexed.status == 0, "\(indexed.errors)")
        let thumbs = DatabaseLocation.thumbnailPath(forIndexAt: db)
        try? FileManager.default.removeItem(atPath: thumbs + "-wal")
        try? FileManager.default.removeItem(atPath: thumbs + "-shm")
        try Data(repeating: 0xAB, count: 8192).write(to: URL(fileURLWithPath: thumbs))

        let status = try Self.run(["status"], in: sandbox)
        #expect(status.status == 0, "\(status.errors)")
        #expect(status.output.contains("thumbnails: unavailable"), "\(status.output)")
        let search = try Self.run(
            ["search", "--model", Self.model, "--top", "2", "red"], in: sandbox)
        #expect(search.status == 0, "\(search.errors)")
        try Self.noisePhotos(in: sandbox.gallery, count: 3, side: 64)
        let more = try Self.run(["index", "--model", Self.model, sandbox.gallery], in: sandbox)
        #expect(more.status == 0, "\(more.errors)")
        #expect(try Self.state(db) == (15, 15, ["ok"]))

        let repair = try Self.run(["doctor", "--repair"], in: sandbox)
        #expect(repair.status == 0, "\(repair.output)\(repair.errors)")
        #expect(repair.output.contains("made 15 previews again"), "\(repair.output)")
        let after = try IndexStore.open(path: db, mode: .readOnly)
        #expect(after.thumbnails.problem == nil)
        #expect(try after.thumbnails.count() == 15)
        let check = try Self.run(["doctor"], in: sandbox)
        #expect(check.output.contains("no problems found"), "\(check.output)")
    }

    // MARK: Signals

    @Test(
        "SIGTERM and SIGHUP during index finish the transaction and exit 143 and 129, the index consistent",
        arguments: [(SIGTERM, Int32(143)), (SIGHUP, Int32(129))])
    func terminateWhileIndexing(signal number: Int32, expected: Int32) throws {
        let sandbox = try Sandbox()
        let db = sandbox.database
        let photos = sandbox.root + "/many"
        try Self.noisePhotos(in: photos, count: 240, side: 96)
        guard let binary = BinaryTests.binary else { throw FaultError.noBinary }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: binary)
        process.arguments = ["index", "--model", Self.model, "--batch", "1", photos]
        var environment = ProcessInfo.processInfo.environment
        for (key, value) in sandbox.environment { environment[key] = value }
        process.environment = environment
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        // Wait for the first committed batch, then signal.
        let deadline = Date().addingTimeInterval(120)
        var committed = 0
        while Date() < deadline, process.isRunning {
            committed = (try? Self.state(db).photos) ?? 0
            if committed > 0 { break }
            usleep(50_000)
        }
        kill(process.processIdentifier, number)
        process.waitUntilExit()
        #expect(committed > 0)
        #expect(process.terminationReason == .exit)
        #expect(process.terminationStatus == expected)
        let (count, vectors, integrity) = try Self.state(db)
        #expect(integrity == ["ok"])
        #expect(count >= committed && count < 240 && vectors == count)
        let store = try IndexStore.open(path: db, mode: .readOnly)
        #expect(try store.runs(limit: 1).first?.outcome == "cancelled")
    }

    @Test("search into a pipe closed early (search | head) exits quietly")
    func closedPipe() throws {
        let sandbox = try Sandbox()
        let indexed = try Self.run(["index", "--model", Self.model, sandbox.gallery], in: sandbox)
        #expect(indexed.status == 0, "\(indexed.errors)")
        guard let binary = BinaryTests.binary else { throw FaultError.noBinary }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: binary)
        process.arguments = ["search", "--model", Self.model, "--top", "12", "red"]
        var environment = ProcessInfo.processInfo.environment
        for (key, value) in sandbox.environment { environment[key] = value }
        process.environment = environment
        let out = Pipe()
        let errorPath = sandbox.root + "/pipe-stderr"
        _ = FileManager.default.createFile(atPath: errorPath, contents: nil)
        let err = try FileHandle(forWritingTo: URL(fileURLWithPath: errorPath))
        process.standardOutput = out
        process.standardError = err
        try process.run()
        try out.fileHandleForReading.close()
        process.waitUntilExit()
        try? err.close()
        let errors = (try? String(contentsOfFile: errorPath, encoding: .utf8)) ?? ""
        #expect(errors.isEmpty, "\(errors)")
        let quiet =
            (process.terminationReason == .uncaughtSignal && process.terminationStatus == SIGPIPE)
            || (process.terminationReason == .exit && process.terminationStatus == 0)
        #expect(quiet, "\(process.terminationReason) \(process.terminationStatus)")
    }
}
