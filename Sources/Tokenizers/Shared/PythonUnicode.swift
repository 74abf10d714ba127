import Foundation

/// Character classes and case mapping with the semantics of CPython 3.11's `unicodedata`
/// and `str` methods, which the reference BERT tokenizer is written in.
///
/// Swift's own Unicode tables are newer (Unicode 15+). Python 3.11 ships Unicode 14.0, where
/// every later character is unassigned (category `Cn`: no case, no decomposition, not
/// punctuation). Scalars assigned after `pinnedVersion` are treated that way here, so both
/// sides agree on every input.
enum PythonUnicode {
    /// The Unicode version of the reference interpreter's `unicodedata.unidata_version`.
    static let pinnedVersion = (major: 14, minor: 0)

    /// Whether `scalar` is assigned in the pinned Unicode version.
    @inline(__always)
    static func isAssigned(_ scalar: Unicode.Scalar) -> Bool {
        if scalar.value < 0x3400 { return scalar.properties.age != nil }
        guard let age = scalar.properties.age else { return false }
        return age.major < pinnedVersion.major
            || (age.major == pinnedVersion.major && age.minor <= pinnedVersion.minor)
    }

    /// `unicodedata.category(c)`, or nil for `Cn` (unassigned in the pinned version).
    @inline(__always)
    static func category(_ scalar: Unicode.Scalar) -> Unicode.GeneralCategory? {
        guard isAssigned(scalar) else { return nil }
        return scalar.properties.generalCategory
    }

    /// `str.isspace()`: the characters `str.split()` splits on.
    @inline(__always)
    static func isSpace(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.value {
        case 0x09...0x0D, 0x1C...0x20, 0x85, 0xA0, 0x1680, 0x2000...0x200A, 0x2028, 0x2029,
            0x202F, 0x205F, 0x3000:
            return true
        default:
            return false
        }
    }

    /// `str.lower()` on a whole string: full lowercase mappings (U+0130 becomes two
    /// scalars) and the Final_Sigma rule for U+03A3, as CPython's `lower_ucs4` does.
    static func lower(_ text: [Unicode.Scalar]) -> [Unicode.Scalar] {
        var out: [Unicode.Scalar] = []
        out.reserveCapacity(text.count)
        for (index, scalar) in text.enumerated() {
            if scalar.value < 0x80 {
                if scalar.value >= 0x41 && scalar.value <= 0x5A {
                    out.append(Unicode.Scalar(scalar.value + 0x20) ?? scalar)
                } else {
                    out.append(scalar)
                }
                continue
            }
            if scalar.value == 0x3A3 {
                out.append(isFinalSigma(text, at: index) ? "\u{3C2}" : "\u{3C3}")
                continue
            }
            guard isAssigned(scalar) else {
                out.append(scalar)
                continue
            }
            let mapping = scalar.properties.lowercaseMapping
            out.append(contentsOf: mapping.unicodeScalars)
        }
        return out
    }

    /// CPython's `handle_capital_sigma`: `\p{cased}\p{case-ignorable}* Σ
    /// !(\p{case-ignorable}* \p{cased})`.
    private static func isFinalSigma(_ text: [Unicode.Scalar], at index: Int) -> Bool {
        var before = index - 1
        while before >= 0 && isCaseIgnorable(text[before]) { before -= 1 }
        guard before >= 0, isCased(text[before]) else { return false }
        var after = index + 1
        while after < text.count && isCaseIgnorable(text[after]) { after += 1 }
        return after == text.count || !isCased(text[after])
    }

    private static func isCased(_ scalar: Unicode.Scalar) -> Bool {
        isAssigned(scalar) && scalar.properties.isCased
    }

    private static func isCaseIgnorable(_ scalar: Unicode.Scalar) -> Bool {
        isAssigned(scalar) && scalar.properties.isCaseIgnorable
    }

    /// `unicodedata.normalize("NFD", text)` followed by dropping category `Mn`, as BERT's
    /// `_run_strip_accents` does.
    ///
    /// Scalars unassigned in the pinned version neither decompose nor reorder (Python gives
    /// them combining class 0), so the text is normalised in runs between them.
    static func stripAccents(_ text: [Unicode.Scalar]) -> [Unicode.Scalar] {
        if text.allSatisfy({ $0.value < 0xC0 }) { return text }
        var out: [Unicode.Scalar] = []
        out.reserveCapacity(text.count)
        var run = String.UnicodeScalarView()
        func flushRun() {
            guard !run.isEmpty else { return }
            let decomposed = String(run).decomposedStringWithCanonicalMapping
            for scalar in decomposed.unicodeScalars where category(scalar) != .nonspacingMark {
                out.append(scalar)
            }
            run.removeAll()
        }
        for scalar in text {
            if isAssigned(scalar) {
                run.append(scalar)
            } else {
                flushRun()
                out.append(scalar)
            }
        }
        flushRun()
        return out
    }
}
