/// An 8-bit grey image, one byte a pixel, rows packed: what text recognition reads.
public struct GreyImage: Equatable, Sendable {
    /// Width in pixels.
    public var width: Int
    /// Height in pixels.
    public var height: Int
    /// `width * height` bytes, 0 black to 255 white.
    public var pixels: [UInt8]

    /// Creates an image; `pixels.count` must equal `width * height`.
    public init(width: Int, height: Int, pixels: [UInt8]) {
        precondition(pixels.count == width * height, "pixel buffer does not match size")
        self.width = width
        self.height = height
        self.pixels = pixels
    }
}

/// One word read from a photo, with its box in the photo's upright pixels.
public struct RecognizedWord: Codable, Equatable, Sendable {
    /// The word as read (UTF-8 text, possibly one CJK character).
    public var text: String
    /// Recognition confidence, 0 to 100.
    public var confidence: Float
    /// Left edge in pixels of the upright photo.
    public var x: Int
    /// Top edge in pixels of the upright photo.
    public var y: Int
    /// Width in pixels.
    public var width: Int
    /// Height in pixels.
    public var height: Int
    /// Index of the text line the word belongs to, from 0.
    public var line: Int

    /// Creates a word.
    public init(
        text: String, confidence: Float, x: Int, y: Int, width: Int, height: Int, line: Int
    ) {
        self.text = text
        self.confidence = confidence
        self.x = x
        self.y = y
        self.width = width
        self.height = height
        self.line = line
    }
}

/// What text recognition read from one photo.
public struct RecognizedText: Equatable, Sendable {
    /// The words in reading order.
    public var words: [RecognizedWord]
    /// The languages used, Tesseract style ("chi_sim+eng").
    public var languages: String
    /// True when the time budget ran out before recognition finished.
    public var timedOut: Bool

    /// Creates a result.
    public init(words: [RecognizedWord], languages: String, timedOut: Bool = false) {
        self.words = words
        self.languages = languages
        self.timedOut = timedOut
    }

    /// The text, one line per text line; CJK characters joined without spaces, other
    /// words with one space.
    public func text(minimumConfidence: Float = 0) -> String {
        var lines: [String] = []
        var current = ""
        var currentLine = -1
        for word in words where word.confidence >= minimumConfidence {
            if word.line != currentLine {
                if currentLine >= 0 { lines.append(current) }
                current = ""
                currentLine = word.line
            }
            if let last = current.unicodeScalars.last, let first = word.text.unicodeScalars.first,
                !(Self.isCJK(last) && Self.isCJK(first))
            {
                current += " "
            }
            current += word.text
        }
        if currentLine >= 0 { lines.append(current) }
        return lines.joined(separator: "\n")
    }

    /// True for Han, kana, Hangul and CJK punctuation: scripts written without spaces.
    public static func isCJK(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.value {
        case 0x3000...0x30FF, 0x3400...0x4DBF, 0x4E00...0x9FFF, 0xAC00...0xD7AF,
            0xF900...0xFAFF, 0xFF00...0xFF0F, 0xFF1A...0xFF20, 0x20000...0x2FFFF:
            return true
        default:
            return false
        }
    }
}
