/// The words of a query that are looked for in the text read in photos, and where they
/// occur in a line of that text (for highlighting).
///
/// In word search every term of the query counts (a double-quoted part is one term); in a
/// search by meaning only its `text:` terms do (`text:星巴克`, `text:"opening hours"`), the
/// syntax of `picseek search`.
public enum SearchWords {
    /// The terms of `query`, lowercased.
    public static func terms(_ query: String, wordSearch: Bool) -> [String] {
        let tokens = split(query)
        let chosen: [String]
        if wordSearch {
            chosen = tokens.map { strip($0) }
        } else {
            chosen = tokens.compactMap { token in
                guard token.count > 5, token.prefix(5).lowercased() == "text:" else { return nil }
                return strip(String(token.dropFirst(5)))
            }
        }
        return chosen.filter { !$0.isEmpty }.map { $0.lowercased() }
    }

    /// The ranges (in characters) of `line` where one of `terms` occurs, ignoring case,
    /// sorted and not overlapping.
    public static func matches(in line: String, terms: [String]) -> [Range<Int>] {
        let chars = line.map { $0.lowercased() }
        var found: [Range<Int>] = []
        for term in terms {
            let wanted = term.map { String($0) }
            guard !wanted.isEmpty, wanted.count <= chars.count else { continue }
            var i = 0
            while i + wanted.count <= chars.count {
                if Array(chars[i..<i + wanted.count]) == wanted {
                    found.append(i..<i + wanted.count)
                    i += wanted.count
                } else {
                    i += 1
                }
            }
        }
        found.sort { $0.lowerBound < $1.lowerBound }
        var merged: [Range<Int>] = []
        for range in found {
            if let last = merged.last, range.lowerBound < last.upperBound {
                merged[merged.count - 1] = last.lowerBound..<max(last.upperBound, range.upperBound)
            } else {
                merged.append(range)
            }
        }
        return merged
    }

    /// Splits at spaces outside double quotes, keeping the quotes.
    private static func split(_ query: String) -> [String] {
        var tokens: [String] = []
        var current = ""
        var quoted = false
        for ch in query {
            if ch == "\"" { quoted.toggle() }
            if ch.isWhitespace, !quoted {
                if !current.isEmpty { tokens.append(current) }
                current = ""
            } else {
                current.append(ch)
            }
        }
        if !current.isEmpty { tokens.append(current) }
        return tokens
    }

    private static func strip(_ token: String) -> String {
        String(token.filter { $0 != "\"" })
    }
}
