import PicseekCore

/// Tuning of an indexing run.
public struct IndexOptions: Sendable {
    /// What to scan and skip.
    public var scan = ScanOptions()
    /// Images per embedder call.
    public var batchSize = 8
    /// Changes per database transaction.
    public var commitEvery = 64
    /// Longest time (seconds) a finished change waits before it is committed.
    public var commitInterval = 2.0
    /// Decoded photos waiting for the encoder; bounds memory.
    public var queueCapacity = 16
    /// Threads that read, hash and decode photos while the encoder embeds. Two keep
    /// the encoder fed with large photos: 24 photos of 24 MP indexed in 2.8 s instead
    /// of 3.5 s (bfloat16 ViT-B/16) and 5.1 s instead of 6.1 s (float32) on 2 cores;
    /// small pictures index as fast with one.
    public var decodeThreads = 2
    /// JPEG quality of stored thumbnails.
    public var thumbnailQuality = 80
    /// Files larger than this are recorded as failed without being read.
    public var maxFileBytes: Int64 = 512 << 20

    public init() {}
}

/// Why an indexing run stopped.
public enum IndexError: Error, CustomStringConvertible {
    /// The embedder returned the wrong number of vectors or wrong lengths.
    case embedderContract(String)
    /// None of the given roots could be opened.
    case noUsableRoot([String])
    /// An indexed folder disappeared while the run read it (unmounted, removed).
    case rootVanished(path: [UInt8])

    public var description: String {
        switch self {
        case .embedderContract(let message): return "model broke its contract: \(message)"
        case .noUsableRoot(let reasons):
            return "no folder to index: " + reasons.joined(separator: "; ")
        case .rootVanished(let path):
            return "\(RawPath.display(path)) disappeared during the run (unmounted?): indexing "
                + "stopped, what was indexed is kept and nothing was marked deleted; run picseek "
                + "index again when it is back"
        }
    }
}
