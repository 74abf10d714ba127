import Foundation
import PicseekCore

/// Where an index keeps its thumbnails (small JPEG previews keyed by content hash): a companion
/// SQLite file (`ThumbnailStore`) or a table of the PostgreSQL index.
public protocol ThumbnailKeeping: AnyObject, Sendable {
    /// Why thumbnails are kept only in memory for this session, or nil when they are stored.
    var problem: String? { get }
    /// Stores thumbnails, replacing any with the same hash, in one transaction.
    func put(_ items: [(hash: [UInt8], thumbnail: Thumbnail)]) throws
    /// The thumbnail of the content with this hash, if stored.
    func get(hash: [UInt8]) throws -> Thumbnail?
    /// Whether a thumbnail with this hash is stored.
    func contains(hash: [UInt8]) throws -> Bool
    /// Deletes thumbnails whose hash is not in `keep`; returns how many went.
    @discardableResult
    func prune(keeping keep: Set<[UInt8]>) throws -> Int
    /// Number of stored thumbnails.
    func count() throws -> Int
}

extension ThumbnailStore: ThumbnailKeeping {}

/// The right to index into a database, held until `release` (or the process's end).
public protocol IndexWriteLock: AnyObject {
    /// Gives the right up.
    func release()
    /// Whether other indexers may hold the right at the same time (PostgreSQL indexers do),
    /// sharing the work through `claim(folder:wait:)`.
    var sharesWork: Bool { get }
    /// Claims the photos directly in `folder` (a local path) for this indexer until
    /// `unclaim`; false when another indexer has them and `wait` is false.
    func claim(folder: [UInt8], wait: Bool) throws -> Bool
    /// Gives a claimed folder back.
    func unclaim(folder: [UInt8])
}

extension IndexWriteLock {
    /// Only one indexer at a time, by default.
    public var sharesWork: Bool { false }
    /// Every folder is this indexer's when it holds the only right.
    public func claim(folder: [UInt8], wait: Bool) throws -> Bool { true }
    /// Nothing to give back.
    public func unclaim(folder: [UInt8]) {}
}

extension WriterLock: IndexWriteLock {}

/// The index as `Library`, the explorer's backend and the commands use it, whichever database
/// holds it: `IndexStore` (an SQLite file) or `PostgresStore` (a PostgreSQL database with
/// pgvector). Every method throws a `StoreError` (or, for PostgreSQL, a `PostgresError`) when
/// the database fails.
public protocol PhotoIndex: AnyObject, Sendable {
    /// Where the index lives, for messages: a file path, ":memory:", or a PostgreSQL URL
    /// without its password.
    var path: String { get }
    /// The thumbnails that go with this index.
    var thumbnails: any ThumbnailKeeping { get }
    /// Why this index was opened read-only, or nil when it writes.
    var readOnlyReason: String? { get }
    /// The highest schema version this build understands for this kind of database.
    var supportedSchemaVersion: Int { get }

    /// Takes the right to index into this database; nil when nothing else can reach it.
    func lockForWriting() throws -> (any IndexWriteLock)?
    /// Takes the right an indexer needs: on PostgreSQL one that indexers on several machines
    /// hold at once, sharing the work by folder (`IndexWriteLock.claim`); elsewhere
    /// `lockForWriting`'s.
    func lockForIndexing() throws -> (any IndexWriteLock)?
    /// A counter that grows whenever photos or vectors change.
    func generation() throws -> Int64
    /// Makes the database's logs small again after a run, where it has such a step.
    func checkpoint() throws
    /// The schema version this database has (0: none yet).
    func schemaVersionFound() throws -> Int
    /// Bytes the index and its thumbnails take.
    func storageSizes() -> (index: Int64, thumbnails: Int64)

    // Models
    /// Returns the model named `name`, registering it if it is new; a known name with other
    /// weights is `StoreError.modelMismatch`.
    func registerModel(
        name: String, family: String, dimension: Int, fingerprint: String
    ) throws -> ModelRecord
    /// All registered models, by name.
    func models() throws -> [ModelRecord]
    /// The model named `name`, if registered.
    func model(named name: String) throws -> ModelRecord?

    // Photos and vectors
    /// The state of every photo row under the directories `roots` (raw paths), with whether
    /// each has a vector of `modelID`.
    func photoStates(under roots: [[UInt8]], modelID: Int64) throws -> [[UInt8]: PhotoState]
    /// Content hashes that have a vector of `modelID`.
    func embeddedHashes(modelID: Int64) throws -> Set<[UInt8]>
    /// Commits `changes` for `model` in one transaction and returns what happened to each.
    func apply(_ changes: [PhotoChange], model: ModelRecord) throws -> [ChangeOutcome]
    /// The row for this raw path, if indexed.
    func photo(path: [UInt8]) throws -> StoredPhoto?
    /// The row with this id, if any.
    func photo(id: Int64) throws -> StoredPhoto?
    /// Every photo row, ordered by path.
    func allPhotos() throws -> [StoredPhoto]
    /// Every content hash the photos refer to.
    func contentHashes() throws -> Set<[UInt8]>
    /// Photos that failed, with their errors, ordered by path.
    func failedPhotos() throws -> [StoredPhoto]
    /// The vector of one photo for one model.
    func vector(photoID: Int64, model: ModelRecord) throws -> [Float]?
    /// How many vectors `model` has.
    func vectorCount(model: ModelRecord) throws -> Int
    /// Deletes every photo at `path` or under it and every root at or under it; returns how
    /// many photos went.
    func forget(path: [UInt8]) throws -> Int
    /// Every vector of `model` in one contiguous matrix, with paths and dates.
    func loadVectors(model: ModelRecord) throws -> VectorSet
    /// The photos by the extension of their stored path, most common first.
    func photoCountsByExtension() throws -> [ExtensionCount]

    // Roots and runs
    /// Records `path` (raw bytes) as an indexed root, if it is not one yet.
    func addRoot(_ path: [UInt8]) throws
    /// Makes the folder `path` this machine's mount of the named root `name` (see
    /// `RootPaths`), turning what is indexed under it into paths relative to the root.
    ///
    /// - Throws: `RootNameError` for a bad name, a folder that is another root's here, or an
    ///   index that cannot keep names (SQLite).
    func addRoot(_ path: [UInt8], name: String) throws
    /// Records that `host` mounts the named root `name` at `path` (for `picseek db copy`).
    func recordMount(root name: String, host: String, path: [UInt8]) throws
    /// Notes that `path` was fully scanned now.
    func markScanned(root path: [UInt8]) throws
    /// Every indexed root, by path.
    func roots() throws -> [RootRecord]
    /// Turns reading the words in photos under the root `path` on or off.
    func setReadsWords(_ on: Bool, root path: [UInt8]) throws
    /// Starts a run record; returns its id.
    func beginRun(model: ModelRecord?) throws -> Int64
    /// Ends a run record with its outcome and counts.
    func finishRun(_ id: Int64, outcome: String, counts: RunCounts) throws
    /// Runs, newest first.
    func runs(limit: Int) throws -> [RunRecord]
    /// Counts for `picseek status`.
    func summary() throws -> StoreSummary

    // Words in photos
    /// Photos with a vector and no recognised text for their content, one per content.
    func photosNeedingText(limit: Int) throws -> [PendingText]
    /// Counts of photo contents (with vectors) read and still to read.
    func textProgress() throws -> TextProgress
    /// Stores what was read from the content `hash`, replacing earlier text.
    func putText(_ result: RecognizedText?, error: String?, for hash: [UInt8]) throws
    /// The recognised text of the content `hash`, or nil when unread.
    func recognizedText(for hash: [UInt8]) throws -> RecognizedText?
    /// Deletes text of contents no photo has any more; returns how many.
    @discardableResult
    func pruneTexts() throws -> Int
    /// Photos whose confident recognised text contains every term of `query`, best first.
    func searchText(_ query: String, limit: Int) throws -> [TextHit]
}

extension PhotoIndex {
    /// `lockForWriting`, where the database has no shared indexing.
    public func lockForIndexing() throws -> (any IndexWriteLock)? { try lockForWriting() }

    /// Whether this index was opened read-only.
    public var isReadOnly: Bool { readOnlyReason != nil }

    /// Stores what was read from the content `hash` (no error).
    public func putText(_ result: RecognizedText?, for hash: [UInt8]) throws {
        try putText(result, error: nil, for: hash)
    }

    /// The ten newest runs.
    public func runs() throws -> [RunRecord] { try runs(limit: 10) }

    /// The best 20 photos whose words match `query`.
    public func searchText(_ query: String) throws -> [TextHit] {
        try searchText(query, limit: 20)
    }

    /// What the index holds as seen with the model named `model`, for the explorer: the
    /// photos that have its vectors, the failures, the folders (`roots` when given, else the
    /// indexed ones), the models with vectors that `isLoadable` accepts (those a switch can
    /// load), and why the index cannot be written, when it cannot.
    public func summary(
        model: String, roots: [[UInt8]] = [], isLoadable: (String) -> Bool
    ) throws -> IndexSummary {
        let stored = try summary()
        let vectors = stored.models.first { $0.model.name == model }?.vectors ?? 0
        let switchable = stored.models
            .filter { $0.vectors > 0 && isLoadable($0.model.name) }
            .map(\.model.name)
        let shownRoots = roots.isEmpty ? stored.roots.map(\.path) : roots
        var summary = IndexSummary(
            photos: vectors, errors: stored.failed, modelName: model,
            roots: shownRoots.map { String(decoding: $0, as: UTF8.self) }, models: switchable)
        summary.readOnlyReason = readOnlyReason
        // An index older than words in photos, opened read-only, has none.
        if let words = try? textProgress() {
            summary.wordsRead = words.done
            summary.wordsPending = words.pending
        }
        return summary
    }
}
