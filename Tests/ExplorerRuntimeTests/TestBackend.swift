import Dispatch
import Explorer
import PicseekCore

#if canImport(Glibc)
    import Glibc
#endif

/// A test double of the index: a handful of generated photos, scored by
/// whether their name contains the query, with a reindex that reports
/// progress. Records what it was asked, for assertions.
final class TestBackend: ExplorerBackend, @unchecked Sendable {
    struct Photo {
        var id: Int64
        var path: String
        var image: RGBImage
    }

    let photos: [Photo]
    private let lock = DispatchSemaphore(value: 1)
    private var _searches: [(String, PromptLanguage)] = []
    private var photoCount: Int
    private var generation: Int64 = 0

    init(names: [String]) {
        photos = names.enumerated().map { i, name in
            Photo(id: Int64(i + 1), path: "/gallery/\(name)", image: Self.image(seed: i))
        }
        photoCount = names.count
    }

    /// Searches received, oldest first.
    var searches: [(String, PromptLanguage)] {
        lock.wait()
        defer { lock.signal() }
        return _searches
    }

    func summary() throws -> IndexSummary {
        lock.wait()
        defer { lock.signal() }
        return IndexSummary(
            photos: photoCount, errors: 1, modelName: "test-clip", roots: ["/gallery"])
    }

    /// While set, searches wait for it to be signalled once each.
    private var searchGate: DispatchSemaphore?

    /// Makes the next searches wait until `releaseSearches` (a search that runs long).
    func holdSearches() {
        lock.wait()
        searchGate = DispatchSemaphore(value: 0)
        lock.signal()
    }

    /// Lets every held and later search through.
    func releaseSearches() {
        lock.wait()
        let gate = searchGate
        searchGate = nil
        lock.signal()
        for _ in 0..<64 { gate?.signal() }
    }

    func search(text: String, language: PromptLanguage, limit: Int) throws -> [Hit] {
        lock.wait()
        _searches.append((text, language))
        let gate = searchGate
        lock.signal()
        gate?.wait()
        let bonus: Float = language == .chinese ? 0.005 : 0
        let hits = photos.map { photo -> Hit in
            let matches = photo.path.lowercased().contains(text.lowercased())
            let score = (matches ? 0.31 : 0.12) + bonus - Float(photo.id) * 0.001
            return Hit(photoID: photo.id, path: photo.path, score: score)
        }
        return Array(hits.sorted { $0.score > $1.score }.prefix(limit))
    }

    private var _wordSearches: [String] = []

    /// Word searches received, oldest first.
    var wordSearches: [String] {
        lock.wait()
        defer { lock.signal() }
        return _wordSearches
    }

    /// Photos whose name contains `query`, the match as the snippet.
    func searchWords(_ query: String, limit: Int) throws -> [Hit] {
        lock.wait()
        _wordSearches.append(query)
        lock.signal()
        return photos.filter { $0.path.lowercased().contains(query.lowercased()) }.map {
            Hit(photoID: $0.id, path: $0.path, score: 1, snippet: "sign [\(query)] here")
        }
    }

    /// Reads the words of two photos, reporting progress before each and at the end.
    func readWords(progress: @escaping @Sendable (WordsProgress) -> Void) throws -> IndexSummary {
        for done in 0...2 {
            progress(WordsProgress(done: done, pending: 2 - done))
            if done < 2 { usleepMs(60) }
        }
        var summary = try summary()
        summary.wordsRead = 2
        return summary
    }

    func moreLikeThis(photoID: Int64, limit: Int) throws -> [Hit] {
        photos.filter { $0.id != photoID }.map {
            Hit(photoID: $0.id, path: $0.path, score: 0.9 - Float($0.id) * 0.01)
        }
    }

    func thumbnail(photoID: Int64) throws -> RGBImage? {
        photos.first { $0.id == photoID }?.image
    }

    func detail(photoID: Int64) throws -> PhotoDetail {
        guard let photo = photos.first(where: { $0.id == photoID }) else {
            throw TestBackendError.noSuchPhoto(photoID)
        }
        return PhotoDetail(
            photoID: photoID, path: photo.path,
            metadata: PhotoMetadata(
                width: 4000, height: 3000, takenAt: "2024-06-0\(photoID % 9) 12:00:00",
                camera: "Test Cam"),
            fileSize: 1_500_000 + photoID)
    }

    func reindex(progress: @escaping @Sendable (IndexProgress) -> Void) throws -> IndexSummary {
        let total = 5
        for done in 1...total {
            usleepMs(60)
            progress(
                IndexProgress(
                    done: done, total: total, rate: 16.7, eta: Double(total - done) * 0.06,
                    current: photos.first.map { Array($0.path.utf8) }))
        }
        lock.wait()
        photoCount += 1
        lock.signal()
        return try summary()
    }

    func indexGeneration() throws -> Int64? {
        lock.wait()
        defer { lock.signal() }
        return generation
    }

    /// Another process (`picseek watch`) added a photo: the count and generation move.
    func addPhotoFromOutside() {
        lock.wait()
        photoCount += 1
        generation += 1
        lock.signal()
    }

    static func image(seed: Int) -> RGBImage {
        let size = 32
        var pixels = [UInt8](repeating: 0, count: size * size * 3)
        for y in 0..<size {
            for x in 0..<size {
                let i = (y * size + x) * 3
                pixels[i] = UInt8((x * 8 + seed * 40) % 256)
                pixels[i + 1] = UInt8((y * 8) % 256)
                pixels[i + 2] = UInt8((seed * 90) % 256)
            }
        }
        return RGBImage(width: size, height: size, pixels: pixels)
    }
}

enum TestBackendError: Error {
    case noSuchPhoto(Int64)
}

func usleepMs(_ ms: Int) {
    var request = timespecFor(ms: ms)
    var remaining = timespec()
    while nanosleep(&request, &remaining) != 0 { request = remaining }
}

private func timespecFor(ms: Int) -> timespec {
    timespec(tv_sec: ms / 1000, tv_nsec: (ms % 1000) * 1_000_000)
}
