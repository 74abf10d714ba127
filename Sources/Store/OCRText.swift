import Foundation
import PicseekCore

/// How recognised text is normalised for the full-text index and for queries.
public enum OCRText {
    /// Words read with less confidence (0–100) are stored but kept out of matching.
    public static let minimumConfidence: Float = 50

    /// NFKC (full-width ＡＢＣ１２３ become ABC123, compatibility ideographs their
    /// unified forms), lowercased, runs of spaces and tabs made one space.
    public static func normalize(_ text: String) -> String {
        let folded = text.precomposedStringWithCompatibilityMapping.lowercased()
        var out = ""
        out.reserveCapacity(folded.utf8.count)
        var space = false
        for scalar in folded.unicodeScalars {
            if scalar == " " || scalar == "\t" || scalar == "\u{3000}" {
                space = true
                continue
            }
            if space, !out.isEmpty, scalar != "\n", out.last != "\n" { out += " " }
            space = false
            out.unicodeScalars.append(scalar)
        }
        return out
    }

    /// The query's terms: normalised, split at spaces; a double-quoted part stays one term.
    public static func terms(_ query: String) -> [String] {
        var terms: [String] = []
        var current = ""
        var quoted = false
        for ch in normalize(query) {
            if ch == "\"" {
                if !current.isEmpty { terms.append(current) }
                current = ""
                quoted.toggle()
            } else if ch == " " && !quoted {
                if !current.isEmpty { terms.append(current) }
                current = ""
            } else {
                current.append(ch)
            }
        }
        if !current.isEmpty { terms.append(current) }
        return terms
    }

    /// A short extract of `body` around the terms together (as a phrase) or else the first
    /// term found, the match in [brackets]: `…北京站 / [营业时间] 9:00…`. Lines are joined
    /// with " / ".
    public static func snippet(_ body: String, terms: [String], context: Int = 14) -> String {
        let flat = body.replacingOccurrences(of: "\n", with: " / ")
        let candidates = terms.count > 1 ? [terms.joined(separator: " ")] + terms : terms
        for term in candidates {
            guard let range = flat.range(of: term) else { continue }
            let before = flat[..<range.lowerBound].suffix(context)
            let after = flat[range.upperBound...].prefix(context)
            let head = before.startIndex == flat.startIndex ? "" : "…"
            let tail = after.endIndex == flat.endIndex ? "" : "…"
            return head + before + "[" + flat[range] + "]" + after + tail
        }
        return String(flat.prefix(2 * context)) + (flat.count > 2 * context ? "…" : "")
    }
}
