/// Picks the rows of a row-major float32 matrix that score best against a query.
///
/// The search engine holds one scorer per loaded set of vectors and asks it for the top k
/// rows of every query. Two implementations ship: `Int8RescoredScorer` (the default: an int8
/// first pass whose candidates are rescored exactly in float32) and `ExactScorer` (every row in
/// float32). Other ways of scoring are measured by `picseek bench search` only.
public protocol RowScorer: AnyObject {
    /// Number of rows scored.
    var rows: Int { get }

    /// Row length, the length a query must have.
    var dimension: Int { get }

    /// The `k` best rows among those that pass `include` (all when nil), best first, ties
    /// broken by lower index, with their float32 scores.
    func top(_ k: Int, query: [Float], include: ((Int) -> Bool)?) -> [(index: Int, score: Float)]
}

/// The ways of scoring that ship, each making a `RowScorer` over a matrix.
public enum ScoringMethod: String, Sendable, CaseIterable {
    /// An int8 copy scanned in the C kernels, its best `Int8RescoredScorer.candidates` rows
    /// rescored exactly in float32 (what `picseek search` uses).
    case int8Rescored = "int8simd"
    /// Every row scored in float32 through the C kernels.
    case exact = "simd"

    /// A scorer of this kind over `matrix` (`rows × dimension` floats).
    public func scorer(matrix: [Float], rows: Int, dimension: Int) -> any RowScorer {
        switch self {
        case .int8Rescored:
            return Int8RescoredScorer(matrix: matrix, rows: rows, dimension: dimension)
        case .exact:
            return ExactScorer(matrix: matrix, rows: rows, dimension: dimension)
        }
    }
}

/// Scores every row in float32 through `VectorKernels.scores` and keeps the top k.
///
/// Not thread-safe: it reuses one scratch buffer of `rows` scores.
public final class ExactScorer: RowScorer {
    /// Number of rows scored.
    public let rows: Int
    /// Row length.
    public let dimension: Int
    private let matrix: [Float]
    private var scratch: [Float]

    /// A scorer over `matrix` (`rows × dimension` floats, kept, not copied).
    public init(matrix: [Float], rows: Int, dimension: Int) {
        precondition(matrix.count == rows * dimension, "matrix does not match its shape")
        self.rows = rows
        self.dimension = dimension
        self.matrix = matrix
        scratch = [Float](repeating: 0, count: rows)
    }

    /// The `k` best rows by float32 score, best first.
    public func top(
        _ k: Int, query: [Float], include: ((Int) -> Bool)?
    ) -> [(index: Int, score: Float)] {
        precondition(query.count == dimension, "query length does not match the rows")
        guard rows > 0, dimension > 0, k > 0 else { return [] }
        let (rows, dimension) = (rows, dimension)
        matrix.withUnsafeBufferPointer { m in
            query.withUnsafeBufferPointer { q in
                scratch.withUnsafeMutableBufferPointer { out in
                    guard let m = m.baseAddress, let q = q.baseAddress, let o = out.baseAddress
                    else { return }
                    VectorKernels.scores(
                        matrix: m, rows: rows, dimension: dimension, query: q, out: o)
                }
            }
        }
        return scratch.withUnsafeBufferPointer { TopK.select($0, k: k, include: include) }
    }
}

/// Scans an int8 copy of the rows (`Int8Matrix`, a quarter of the bytes), then rescores its
/// best `candidates` rows exactly in float32, so the top k and their scores are the float32
/// ones whenever the true top k are among the candidates.
///
/// Keeps the float32 matrix and its int8 copy (+25 % memory). The int8 pass is split over
/// `Kernels.threads` threads (`Int8Scan`). Not thread-safe: it reuses one scratch buffer of
/// `rows` scores.
public final class Int8RescoredScorer: RowScorer {
    /// Rows rescored in float32 after the int8 pass (at least k).
    public static let candidates = 200

    /// Number of rows scored.
    public let rows: Int
    /// Row length.
    public let dimension: Int
    private let matrix: [Float]
    private let quantised: Int8Matrix
    private var scratch: [Float]

    /// A scorer over `matrix` (`rows × dimension` floats, kept, not copied); quantises it.
    public init(matrix: [Float], rows: Int, dimension: Int) {
        self.rows = rows
        self.dimension = dimension
        self.matrix = matrix
        quantised = Int8Matrix(matrix, rows: rows, dimension: dimension)
        scratch = [Float](repeating: 0, count: rows)
    }

    /// The `k` best rows by float32 score, best first.
    public func top(
        _ k: Int, query: [Float], include: ((Int) -> Bool)?
    ) -> [(index: Int, score: Float)] {
        precondition(query.count == dimension, "query length does not match the rows")
        guard rows > 0, dimension > 0, k > 0 else { return [] }
        let quantised = quantised
        return matrix.withUnsafeBufferPointer { m in
            query.withUnsafeBufferPointer { q in
                scratch.withUnsafeMutableBufferPointer { out in
                    guard let m = m.baseAddress, let q = q.baseAddress, let o = out.baseAddress
                    else { return [] }
                    return quantised.topK(
                        query: q, exact: m, k: k, candidates: Self.candidates, include: include,
                        scratch: o, threads: Kernels.threads)
                }
            }
        }
    }
}
