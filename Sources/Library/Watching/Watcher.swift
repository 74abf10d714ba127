import Dispatch
import Foundation
import PicseekCore
import Store

#if canImport(Glibc)
    import Glibc
#endif

/// Tuning of a watcher. Times are in seconds.
public struct WatchOptions: Sendable {
    /// What to scan and skip (the same rules as `picseek index`).
    public var scan = ScanOptions()
    /// A changed folder is rescanned once it has been quiet this long.
    public var quietPeriod = 0.5
    /// During a steady stream of changes (a camera import, an rsync) a changed
    /// folder waits at most this long, so photos appear in batches.
    public var maxDelay = 3.0
    /// A photo written without being closed (or created as a link) counts as
    /// finished once it has not changed for this long.
    public var settleTime = 5.0
    /// How long to wait before trying again while another process writes the index.
    public var busyRetry = 2.0
    /// How often the roots are checked for having vanished or come back (a
    /// removable or network drive); one `stat` per root.
    public var rootCheckInterval = 5.0
    /// When the inotify watch limit leaves folders unwatched, their roots are
    /// rescanned this often.
    public var rescanInterval = 600.0
    /// Watches to allow at most, as if the kernel refused more (tests); nil: the
    /// kernel's own limit.
    public var watchLimit: Int?

    public init() {}

    /// Options for `picseek watch`: scanning as `scan` says, unwatched folders rescanned every
    /// `rescanMinutes` (`--rescan-minutes`); throws when the minutes are not above 0.
    public init(scan: ScanOptions, rescanMinutes: Double) throws(WatchError) {
        guard rescanMinutes > 0 else { throw .rescanNotPositive }
        self.scan = scan
        rescanInterval = rescanMinutes * 60
    }
}

/// What a watcher reports as it works.
public enum WatchEvent: Sendable {
    /// Watches are set up: `folders` folders under `roots` roots.
    case watching(roots: Int, folders: Int)
    /// A rescan finished; `full` for whole roots (start, a root back, lost events).
    case updated(IndexReport, full: Bool)
    /// Another process holds the writer lock; changes wait (the message says who).
    case waiting(String)
    /// The watch limit was reached; the message explains what that means and the fix.
    case limitReached(String)
    /// A root cannot be reached any more (unmounted, removed); its rows are kept.
    case rootGone([UInt8])
    /// A root is reachable again, or another file system appeared there: it is rescanned.
    case rootReturned([UInt8])
    /// The kernel dropped events (its queue overflowed): every root is rescanned.
    case overflow
    /// A rescan failed; the watcher goes on.
    case failed(String)
    /// The words in photos added or changed were read (all that were waiting).
    case wordsRead(TextPass.Report)
}

/// Keeps the index of some roots fresh while it runs, with Linux inotify.
///
/// Every folder under the roots is watched. A photo closed after writing, moved in or
/// out, deleted or touched marks its folder changed; changed folders are rescanned with
/// `Indexer.update` once quiet (`quietPeriod`), or during a burst every `maxDelay`.
/// Photos still being written are left alone until they are closed or settle. New
/// folders are watched as they appear. When the user's watch limit is reached, the
/// watcher says so and rescans the affected roots every `rescanInterval`. A root that
/// disappears keeps its rows; when it returns it is rescanned. It writes only through
/// the `Indexer`, under the index's writer lock, waiting while another writer has it.
public final class Watcher: @unchecked Sendable {
    private let indexer: Indexer
    private let textPass: TextPass?
    private let roots: [[UInt8]]
    private let options: WatchOptions
    private let scanner: FileScanner
    private let notify: (WatchEvent) -> Void
    private let control = IndexControl()
    private let inotify: Inotify
    private let wakeRead: Int32
    private let wakeWrite: Int32

    private struct DirKey: Equatable {
        var dev: UInt64
        var ino: UInt64
    }

    private struct Change {
        var first: Double
        var last: Double
    }

    // State below is touched only by the thread in `run`.
    private var watches: [Int32: [UInt8]] = [:]
    private var watchOf: [[UInt8]: Int32] = [:]
    private var rootKeys: [[UInt8]: DirKey] = [:]
    private var changed: [[UInt8]: Change] = [:]
    private var unsettled: [[UInt8]: Double] = [:]
    private var fullRescan: Set<[UInt8]> = []
    private var limitedRoots: Set<[UInt8]> = []
    private var unwatched = 0
    private var limitRescanAt: Double?
    private var retryAt = 0.0
    private var waitingReported = false
    private var nextRootCheck = 0.0
    private var wordsWaiting = true
    private var wordsReport = TextPass.Report()

    /// A watcher of `roots` (canonical absolute paths) writing through `indexer`;
    /// `notify` is called on the watching thread. With a `textPass`, the words of photos
    /// are read after their vectors, one photo at a time while no change waits, so reading
    /// words never holds back the vectors of a photo that arrives (it waits at most for
    /// the one photo being read).
    public init(
        indexer: Indexer, roots: [[UInt8]], options: WatchOptions = WatchOptions(),
        textPass: TextPass? = nil, notify: @escaping (WatchEvent) -> Void
    ) throws {
        guard !roots.isEmpty else { throw WatchError.noFolders }
        self.indexer = indexer
        self.textPass = textPass
        self.roots = roots
        self.options = options
        self.notify = notify
        scanner = FileScanner(options: options.scan)
        inotify = try Inotify()
        var fds: [Int32] = [0, 0]
        guard pipe(&fds) == 0 else { throw WatchError.inotifyUnavailable(code: errno) }
        for fd in fds {
            _ = fcntl(fd, F_SETFD, FD_CLOEXEC)
            _ = fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK)
        }
        wakeRead = fds[0]
        wakeWrite = fds[1]
    }

    deinit {
        close(wakeRead)
        close(wakeWrite)
    }

    /// Folders watched now (for tests and status lines); safe from any thread.
    public var watchedFolders: Int { countLock.withLock { publishedCount } }
    private let countLock = NSLock()
    private var publishedCount = 0

    private func publishCount() {
        let count = watches.count
        countLock.withLock { publishedCount = count }
    }

    /// Asks `run` to return; safe from any thread and from signal-handling queues.
    /// A rescan in progress stops at its next file (what it committed stays).
    public func stop() {
        control.cancel()
        var byte: UInt8 = 1
        _ = write(wakeWrite, &byte, 1)
    }

    /// Watches and rescans until `stop()`: first a full rescan of the roots (changes
    /// made while nobody watched), then only what changes.
    public func run() throws {
        let start = Self.now()
        for root in roots {
            if let key = Self.folderKey(root) {
                rootKeys[root] = key
                addTree(root, now: start)
                fullRescan.insert(root)
            } else {
                notify(.rootGone(root))
            }
        }
        publishCount()
        notify(.watching(roots: rootKeys.count, folders: watches.count))
        nextRootCheck = start + options.rootCheckInterval
        while !control.isCancelled {
            work(now: Self.now())
            if control.isCancelled { break }
            readWords(now: Self.now())
            if control.isCancelled { break }
            let now = Self.now()
            var timeout = Int32(max(0, min(60_000, (deadline(now: now) - now) * 1000)).rounded(.up))
            if wordsDue(now: now) { timeout = 0 }
            var fds = [
                pollfd(fd: inotify.descriptor, events: Int16(POLLIN), revents: 0),
                pollfd(fd: wakeRead, events: Int16(POLLIN), revents: 0),
            ]
            let ready = poll(&fds, 2, timeout)
            if ready < 0 && errno != EINTR { throw WatchError.read(code: errno) }
            if control.isCancelled { break }
            if ready > 0 && fds[0].revents != 0 {
                let events = try inotify.read()
                let at = Self.now()
                for event in events { handle(event, now: at) }
            }
            if Self.now() >= nextRootCheck {
                for root in roots { checkRoot(root, now: Self.now()) }
                nextRootCheck = Self.now() + options.rootCheckInterval
            }
            publishCount()
        }
    }

    // MARK: Events

    private func handle(_ event: InotifyEvent, now: Double) {
        if event.has(UInt32(IN_Q_OVERFLOW)) {
            notify(.overflow)
            fullRescan.formUnion(rootKeys.keys)
            return
        }
        guard let folder = watches[event.watch] else { return }
        if event.has(UInt32(IN_IGNORED)) {
            watches.removeValue(forKey: event.watch)
            if watchOf[folder] == event.watch { watchOf.removeValue(forKey: folder) }
            if roots.contains(folder) { nextRootCheck = now }
            return
        }
        if event.has(UInt32(IN_UNMOUNT) | UInt32(IN_DELETE_SELF) | UInt32(IN_MOVE_SELF)) {
            // The parent's event covers a subfolder; a root is checked at once.
            if roots.contains(folder) { nextRootCheck = now }
            return
        }
        guard !event.name.isEmpty else { return }
        let path = RawPath.join(folder, event.name)
        if event.has(UInt32(IN_ISDIR)) {
            if event.has(UInt32(IN_CREATE) | UInt32(IN_MOVED_TO)) {
                guard !scanner.skipsFolder(name: event.name, path: path) else { return }
                addTree(path, now: now)
                markChanged(path, now: now)
            } else if event.has(UInt32(IN_MOVED_FROM) | UInt32(IN_DELETE)) {
                removeWatches(under: path)
                unsettled = unsettled.filter { !RawPath.isUnder($0.key, path) }
                markChanged(folder, now: now)
            }
            return
        }
        guard scanner.takesFile(name: event.name, path: path) else { return }
        if event.has(
            UInt32(IN_CLOSE_WRITE) | UInt32(IN_MOVED_TO) | UInt32(IN_MOVED_FROM)
                | UInt32(IN_DELETE))
        {
            unsettled.removeValue(forKey: path)
            markChanged(folder, now: now)
        } else if event.has(UInt32(IN_CREATE) | UInt32(IN_MODIFY)) {
            unsettled[path] = now
        } else if event.has(UInt32(IN_ATTRIB)) {
            // touch, chmod: a file being written stays unsettled.
            if unsettled[path] != nil {
                unsettled[path] = now
            } else {
                markChanged(folder, now: now)
            }
        }
    }

    private func markChanged(_ folder: [UInt8], now: Double) {
        if var change = changed[folder] {
            change.last = now
            changed[folder] = change
        } else {
            changed[folder] = Change(first: now, last: now)
        }
    }

    // MARK: Work

    /// The next moment something is due: a folder quiet, a file settled, a retry,
    /// a root check or a periodic rescan.
    private func deadline(now: Double) -> Double {
        var work = Double.infinity
        for change in changed.values {
            work = min(work, change.last + options.quietPeriod, change.first + options.maxDelay)
        }
        for last in unsettled.values { work = min(work, last + options.settleTime) }
        if !fullRescan.isEmpty { work = now }
        if let due = limitRescanAt { work = min(work, due) }
        if work.isFinite { work = max(work, retryAt) }
        return min(work, nextRootCheck)
    }

    private func work(now: Double) {
        for (file, last) in unsettled where now - last >= options.settleTime {
            unsettled.removeValue(forKey: file)
            markChanged(Self.parent(file), now: now - options.quietPeriod)
        }
        if let due = limitRescanAt, now >= due {
            fullRescan.formUnion(limitedRoots.filter { rootKeys[$0] != nil })
            limitRescanAt = now + options.rescanInterval
        }
        guard now >= retryAt else { return }
        let full = fullRescan.filter { rootKeys[$0] != nil }
            .sorted { $0.lexicographicallyPrecedes($1) }
        if !full.isEmpty {
            let outcome = attempt(full: true) {
                try indexer.run(roots: full, unsettled: Set(unsettled.keys), control: control)
            }
            guard outcome != .busy else { return }
            fullRescan.removeAll()
            changed = changed.filter { entry in !full.contains { RawPath.isUnder(entry.key, $0) } }
        } else {
            fullRescan.removeAll()
        }
        let due = changed.filter {
            now - $0.value.last >= options.quietPeriod || now - $0.value.first >= options.maxDelay
        }
        guard !due.isEmpty else { return }
        for key in due.keys { changed.removeValue(forKey: key) }
        let folders = collapse(Array(due.keys))
        guard !folders.isEmpty else { return }
        let outcome = attempt(full: false) {
            try indexer.update(folders: folders, unsettled: Set(unsettled.keys), control: control)
        }
        if outcome == .busy {
            for (key, change) in due { changed[key] = change }
        }
    }

    private enum Outcome { case done, busy, failed }

    /// Whether a photo's words should be read now: some wait and no change is pending.
    private func wordsDue(now: Double) -> Bool {
        textPass != nil && wordsWaiting && changed.isEmpty && fullRescan.isEmpty && now >= retryAt
    }

    /// Reads the words of one photo when due; reports the totals once none wait.
    private func readWords(now: Double) {
        guard let textPass, wordsDue(now: now) else { return }
        do {
            let report = try textPass.run(control: control, limit: 1)
            wordsReport.read += report.read
            wordsReport.withText += report.withText
            wordsReport.failed += report.failed
            wordsReport.timedOut += report.timedOut
            wordsReport.seconds += report.seconds
            if report.cancelled { return }
            if report.read + report.failed == 0 || !report.stoppedAtLimit {
                wordsWaiting = false
                if wordsReport.read + wordsReport.failed > 0 { notify(.wordsRead(wordsReport)) }
                wordsReport = TextPass.Report()
            }
        } catch let error as StoreError {
            if case .busy = error {
                retryAt = Self.now() + options.busyRetry
                return
            }
            wordsWaiting = false
            notify(.failed("reading words: " + error.description))
        } catch {
            wordsWaiting = false
            notify(.failed("reading words: \(error)"))
        }
    }

    /// Runs one rescan, turning a busy index into a later retry.
    private func attempt(full: Bool, _ body: () throws -> IndexReport) -> Outcome {
        do {
            let report = try body()
            waitingReported = false
            wordsWaiting = true
            if !control.isCancelled { notify(.updated(report, full: full)) }
            return .done
        } catch let error as StoreError {
            if case .busy = error {
                retryAt = Self.now() + options.busyRetry
                if !waitingReported { notify(.waiting(error.description)) }
                waitingReported = true
                return .busy
            }
            notify(.failed(error.description))
            return .failed
        } catch {
            notify(.failed("\(error)"))
            return .failed
        }
    }

    /// Changed folders as the indexer should see them: a folder gone is replaced
    /// by its nearest existing parent inside its root, folders under offline roots
    /// are dropped, and a folder inside another one in the list is left out.
    private func collapse(_ folders: [[UInt8]]) -> [[UInt8]] {
        var out: Set<[UInt8]> = []
        for folder in folders {
            guard let root = roots.first(where: { RawPath.isUnder(folder, $0) }),
                rootKeys[root] != nil
            else { continue }
            var path = folder
            while Self.folderKey(path) == nil && path != root { path = Self.parent(path) }
            if path == root && Self.folderKey(root) == nil { continue }
            out.insert(path)
        }
        let sorted = out.sorted { $0.count < $1.count }
        var kept: [[UInt8]] = []
        for path in sorted where !kept.contains(where: { RawPath.isUnder(path, $0) }) {
            kept.append(path)
        }
        return kept
    }

    // MARK: Watches

    /// Watches `folder` and every folder under it the scanner would enter.
    private func addTree(_ folder: [UInt8], now: Double) {
        for path in scanner.scan(root: folder).folderPaths { addWatch(path, now: now) }
    }

    private func addWatch(_ path: [UInt8], now: Double) {
        if watchOf[path] != nil { return }
        let result: Result<Int32, WatchError>
        if let limit = options.watchLimit, watches.count >= limit {
            result = .failure(.watch(path: path, code: ENOSPC))
        } else {
            result = inotify.add(path)
        }
        switch result {
        case .success(let wd):
            if let old = watches[wd], old != path { watchOf.removeValue(forKey: old) }
            watches[wd] = path
            watchOf[path] = wd
        case .failure(.watch(_, let code)) where code == ENOSPC:
            unwatched += 1
            if let root = roots.first(where: { RawPath.isUnder(path, $0) }) {
                limitedRoots.insert(root)
            }
            if limitRescanAt == nil {
                limitRescanAt = now + options.rescanInterval
                notify(.limitReached(limitMessage()))
            }
        case .failure:
            // Gone already, or unreadable (the scanner reports it): nothing to watch.
            break
        }
    }

    private func limitMessage() -> String {
        let limit = options.watchLimit ?? Inotify.maxUserWatches()
        let setting =
            limit.map { "fs.inotify.max_user_watches = \($0)" }
            ?? "fs.inotify.max_user_watches"
        let minutes = max(1, Int((options.rescanInterval / 60).rounded()))
        return "inotify watch limit reached after \(watches.count) folders (\(setting), shared by "
            + "every program of this user): changes in the folders left unwatched are picked up "
            + "by a full rescan every \(minutes) min. To watch them all, raise the limit: "
            + "echo fs.inotify.max_user_watches=524288 | sudo tee /etc/sysctl.d/60-picseek.conf "
            + "&& sudo sysctl --system"
    }

    private func removeWatches(under path: [UInt8]) {
        for (wd, folder) in watches where RawPath.isUnder(folder, path) {
            inotify.remove(wd)
            watches.removeValue(forKey: wd)
            watchOf.removeValue(forKey: folder)
        }
    }

    /// Notices a root that vanished, came back, or now shows another file system.
    private func checkRoot(_ root: [UInt8], now: Double) {
        let key = Self.folderKey(root)
        guard key != rootKeys[root] else { return }
        rootKeys[root] = key
        removeWatches(under: root)
        changed = changed.filter { !RawPath.isUnder($0.key, root) }
        unsettled = unsettled.filter { !RawPath.isUnder($0.key, root) }
        if key == nil {
            notify(.rootGone(root))
        } else {
            addTree(root, now: now)
            fullRescan.insert(root)
            notify(.rootReturned(root))
        }
    }

    // MARK: Helpers

    private static func folderKey(_ path: [UInt8]) -> DirKey? {
        var info = stat()
        guard RawPath.withCString(path, { stat($0, &info) }) == 0,
            info.st_mode & S_IFMT == S_IFDIR
        else { return nil }
        return DirKey(dev: UInt64(info.st_dev), ino: UInt64(info.st_ino))
    }

    private static func parent(_ path: [UInt8]) -> [UInt8] {
        guard let slash = path.lastIndex(of: UInt8(ascii: "/")) else { return path }
        return slash == 0 ? [UInt8(ascii: "/")] : Array(path[..<slash])
    }

    private static func now() -> Double {
        Double(DispatchTime.now().uptimeNanoseconds) / 1e9
    }
}
