import Foundation

/// Splits `text:` terms (words that must appear in a photo's recognised text) from the rest
/// of a search query.
///
/// Syntax: `text:星巴克`, `text:"opening hours"` (quotes keep spaces), anywhere in the
/// query: `receipt text:星巴克` finds photos whose text contains 星巴克, ordered by how
/// well they match "receipt" by meaning.
public enum TextQuery {
    /// The query without its `text:` terms (spaces tidied), and the terms.
    public static func split(_ query: String) -> (rest: String, text: [String]) {
        var rest = ""
        var terms: [String] = []
        var chars = Array(query)
        chars.append(" ")
        var i = 0
        var atWordStart = true
        while i < chars.count {
            let isPrefix =
                atWordStart && i + 5 <= chars.count
                && String(chars[i..<i + 5]).lowercased() == "text:"
            if isPrefix {
                var j = i + 5
                var term = ""
                if j < chars.count, chars[j] == "\"" {
                    j += 1
                    while j < chars.count, chars[j] != "\"" {
                        term.append(chars[j])
                        j += 1
                    }
                    j += 1
                } else {
                    while j < chars.count, !chars[j].isWhitespace {
                        term.append(chars[j])
                        j += 1
                    }
                }
                let trimmed = term.trimmingCharacters(in: .whitespaces)
                if !trimmed.isEmpty { terms.append(trimmed) }
                i = j
                atWordStart = true
                continue
            }
            rest.append(chars[i])
            atWordStart = chars[i].isWhitespace
            i += 1
        }
        let tidy = rest.split(whereSeparator: \.isWhitespace).joined(separator: " ")
        return (tidy, terms)
    }
}
