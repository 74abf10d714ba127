import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// Why a date given to `--since`/`--until` was rejected.
public enum DateBoundsError: Error, Equatable, CustomStringConvertible {
    case invalid(String)

    public var description: String {
        switch self {
        case .invalid(let text):
            return "date \"\(text)\" is not YYYY, YYYY-MM, YYYY-MM-DD or YYYY-MM-DD HH:MM[:SS]"
        }
    }
}

/// An inclusive date range on "YYYY-MM-DD HH:MM:SS" strings (EXIF's local
/// time format). A partial bound covers its whole period: `--until 2024-05`
/// keeps all of May.
public struct DateBounds: Equatable, Sendable {
    /// Lowest accepted date, as typed (a prefix of the full format).
    public var since: String?
    /// Highest accepted date prefix.
    public var until: String?

    /// Checks and normalises the bounds; nil strings mean open ends.
    /// A "T" between date and time is accepted and read as a space.
    public init(since: String?, until: String?) throws(DateBoundsError) {
        self.since = try since.map(Self.normalise)
        self.until = try until.map(Self.normalise)
    }

    /// Whether `date` (full format) lies within the bounds.
    public func contains(_ date: String) -> Bool {
        if let since, date < since { return false }
        // Every date starting with `until` is still inside: compare against
        // the prefix followed by a byte above all digits and separators.
        if let until, date > until + "\u{7F}" { return false }
        return true
    }

    /// Whether both ends are open.
    public var isUnbounded: Bool { since == nil && until == nil }

    static func normalise(_ raw: String) throws(DateBoundsError) -> String {
        let text = raw.trimmingCharacters(in: .whitespaces).replacingOccurrences(of: "T", with: " ")
        // Shape: digits at fixed positions, separators "-" "-" " " ":" ":".
        let pattern = Array("dddd-dd-dd dd:dd:dd")
        let chars = Array(text)
        let allowedLengths = [4, 7, 10, 16, 19]
        guard allowedLengths.contains(chars.count) else { throw .invalid(raw) }
        for (c, p) in zip(chars, pattern) {
            if p == "d" {
                guard c.isASCII, c.isNumber else { throw .invalid(raw) }
            } else if c != p {
                throw .invalid(raw)
            }
        }
        if chars.count >= 7, let month = Int(String(chars[5...6])), !(1...12).contains(month) {
            throw .invalid(raw)
        }
        if chars.count >= 10, let day = Int(String(chars[8...9])), !(1...31).contains(day) {
            throw .invalid(raw)
        }
        return text
    }

    /// Formats a modification time (ns since the epoch) as local
    /// "YYYY-MM-DD HH:MM:SS", the same shape as EXIF dates.
    public static func localDate(mtimeNs: Int64) -> String {
        var seconds = time_t(mtimeNs / 1_000_000_000)
        var parts = tm()
        guard localtime_r(&seconds, &parts) != nil else { return "0000-00-00 00:00:00" }
        func two(_ v: Int32) -> String { v < 10 ? "0\(v)" : "\(v)" }
        let year = Int(parts.tm_year) + 1900
        let y =
            year < 1000
            ? String(repeating: "0", count: 4 - String(max(0, year)).count)
                + String(max(0, year)) : String(year)
        return "\(y)-\(two(parts.tm_mon + 1))-\(two(parts.tm_mday)) "
            + "\(two(parts.tm_hour)):\(two(parts.tm_min)):\(two(parts.tm_sec))"
    }
}
