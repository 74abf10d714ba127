/// The order of search hits: the best hits are always chosen by score, then shown in this
/// order (`picseek search --sort`, the explorer's `d` key).
public enum HitOrder: String, Equatable, Sendable, CaseIterable {
    /// Best score first.
    case score
    /// Newest date (EXIF, else modification time) first; equal dates by score.
    case newest
    /// Oldest date first; equal dates by score.
    case oldest

    /// How the results rule and the status line name it.
    public var label: String {
        switch self {
        case .score: return "best first"
        case .newest: return "newest first"
        case .oldest: return "oldest first"
        }
    }

    /// The next order `d` switches to.
    public var next: HitOrder {
        switch self {
        case .score: return .newest
        case .newest: return .oldest
        case .oldest: return .score
        }
    }

    /// `hits` in this order: by score (best first), or by date with equal dates by
    /// score; hits without a date go last. Stable for equal keys.
    public func sorted(_ hits: [Hit]) -> [Hit] {
        let indexed = Array(hits.enumerated())
        func before(_ a: (offset: Int, element: Hit), _ b: (offset: Int, element: Hit)) -> Bool {
            let x = a.element, y = b.element
            if self != .score, x.date != y.date {
                guard let dx = x.date else { return false }
                guard let dy = y.date else { return true }
                return self == .newest ? dx > dy : dx < dy
            }
            if x.score != y.score { return x.score > y.score }
            return a.offset < b.offset
        }
        return indexed.sorted(by: before).map(\.element)
    }
}
