import Foundation
import Imaging
import OCR
import PicseekCore

/// `picseek bench ocr`: milliseconds per photo through libtesseract, side by side with the
/// `tesseract` command line on the same grey image and settings, and character error rates.
///
/// Reads the images of a folder with a truth.tsv (file, language, expected line). Each image
/// is decoded and shrunk as the index does (`ImagePipeline.textImage`), then read by
/// libtesseract in this process and by `tesseract IMAGE - -l LANGS --oem 1 --psm 3 --dpi 300`
/// on the same grey pixels (a PGM file). Character error rate: edit distance over the
/// expected characters, spaces ignored, Latin letters and digits and CJK characters counted
/// apart.
///
/// It also times a text-presence check before recognition: Tesseract's layout analysis alone
/// (`TextRecognizer.textBlocks`), which would skip recognising photos where it finds no text
/// block. The last lines compare the time per photo with and without it and name the photos
/// with expected text it would have skipped.
public struct OCRBench {
    /// Folder with the images and truth.tsv.
    public var images = "Tests/OCRTests/Fixtures"
    /// Tesseract languages.
    public var languages = TextRecognizer.defaultLanguages
    /// Timed runs per image (median reported); at least 1.
    public var runs = 3
    /// Skip the tesseract command line.
    public var noCli = false
    /// Where the report's lines go, one call per line.
    public var output: (String) -> Void = { print($0) }

    /// A benchmark with the default settings.
    public init() {}

    /// Runs the measurements and prints their lines through `output`.
    public func run() throws {
        precondition(runs >= 1, "runs must be at least 1")
        let truthPath = images + "/truth.tsv"
        guard let truthText = try? String(contentsOfFile: truthPath, encoding: .utf8) else {
            throw BenchError.unreadable(path: TerminalSafe.escape(truthPath))
        }
        var truth: [(file: String, lines: [String])] = []
        for row in truthText.split(separator: "\n", omittingEmptySubsequences: true) {
            let fields = row.split(separator: "\t", maxSplits: 2, omittingEmptySubsequences: false)
            guard fields.count >= 2 else { continue }
            let file = String(fields[0]), line = fields.count > 2 ? String(fields[2]) : ""
            if let i = truth.firstIndex(where: { $0.file == file }) {
                if !line.isEmpty { truth[i].lines.append(line) }
            } else {
                truth.append((file, line.isEmpty ? [] : [line]))
            }
        }
        let recognizer = try TextRecognizer(languages: languages, budgetMilliseconds: 0)
        let cli = noCli ? nil : Self.findTool("tesseract")
        output("tesseract \(TextRecognizer.version), \(languages), median of \(runs)")
        output(
            "image                      pixels      decode ms   library ms   command ms   CER"
                + "           check ms  blocks")
        var withoutCheck = 0.0, withCheck = 0.0
        var skipped: [String] = [], lost: [String] = []
        var latin = (errors: 0, total: 0), cjk = (errors: 0, total: 0)
        var cliLatin = (errors: 0, total: 0), cliCJK = (errors: 0, total: 0)
        for (file, lines) in truth {
            let path = images + "/" + file
            let data = try ImagePipeline().readFile(path)
            var decodeTimes: [Double] = [], readTimes: [Double] = [], checkTimes: [Double] = []
            var blocks = 0
            var grey = GreyImage(width: 1, height: 1, pixels: [0])
            var read = ""
            for _ in 0..<runs {
                let t0 = Date()
                grey = try ImagePipeline().textImage(data: data).image
                let t1 = Date()
                read = try recognizer.recognize(grey).text()
                readTimes.append(Date().timeIntervalSince(t1) * 1000)
                decodeTimes.append(t1.timeIntervalSince(t0) * 1000)
                let t2 = Date()
                blocks = recognizer.textBlocks(grey)
                checkTimes.append(Date().timeIntervalSince(t2) * 1000)
            }
            let readMs = Samples(readTimes).upperMedian
            let checkMs = Samples(checkTimes).upperMedian
            withoutCheck += readMs
            withCheck += checkMs + (blocks > 0 ? readMs : 0)
            if blocks == 0 {
                skipped.append(file)
                if !lines.isEmpty { lost.append(file) }
            }
            let expected = lines.joined(separator: "\n")
            let e = Self.errors(expected: expected, read: read)
            latin.errors += e.latin.errors; latin.total += e.latin.total
            cjk.errors += e.cjk.errors; cjk.total += e.cjk.total
            var cliMs = "-"
            if let cli {
                let (ms, text) = try Self.runCLI(cli, grey: grey, languages: languages, runs: runs)
                cliMs = String(format: "%.0f", ms)
                let c = Self.errors(expected: expected, read: text)
                cliLatin.errors += c.latin.errors; cliLatin.total += c.latin.total
                cliCJK.errors += c.cjk.errors; cliCJK.total += c.cjk.total
            }
            let total = e.latin.total + e.cjk.total
            let cer =
                total == 0
                ? "\(read.filter { !$0.isWhitespace }.count) chars read"
                : String(format: "%.3f", Double(e.latin.errors + e.cjk.errors) / Double(total))
            let name = TerminalSafe.escape(file).padding(toLength: 26, withPad: " ", startingAt: 0)
            let size = "\(grey.width)x\(grey.height)"
                .padding(toLength: 12, withPad: " ", startingAt: 0)
            let times = String(
                format: "%9.0f  %11.0f  ", Samples(decodeTimes).upperMedian,
                Samples(readTimes).upperMedian)
            let check = String(format: "%8.0f  %6d", checkMs, blocks)
            output(
                name + " " + size + times + cliMs.leftPadded(11) + "   "
                    + cer.rightPadded(14) + check)
        }
        let count = Double(max(1, truth.count))
        output(
            String(
                format: "text-presence check (layout analysis): recognition ms per photo, mean: "
                    + "%.0f without, %.0f with the check", withoutCheck / count, withCheck / count))
        output(
            "  skips \(skipped.count) of \(truth.count) photos"
                + (skipped.isEmpty
                    ? "" : " (" + skipped.map(TerminalSafe.escape).joined(separator: ", ") + ")")
                + "; photos with expected text it skips: "
                + (lost.isEmpty ? "none" : lost.map(TerminalSafe.escape).joined(separator: ", ")))
        func rate(_ v: (errors: Int, total: Int)) -> String {
            guard v.total > 0 else { return "-" }
            let value = Double(v.errors) / Double(v.total)
            return String(format: "%.3f (%d/%d)", value, v.errors, v.total)
        }
        output("character error rate, library: English \(rate(latin)), Chinese \(rate(cjk))")
        if cli != nil {
            output(
                "character error rate, command: English \(rate(cliLatin)), "
                    + "Chinese \(rate(cliCJK))")
        } else if !noCli {
            output("tesseract command line not found (Debian package tesseract-ocr): not compared")
        }
    }

    /// Edit distances over Latin letters and digits (lowercased) and over CJK characters.
    static func errors(expected: String, read: String)
        -> (latin: (errors: Int, total: Int), cjk: (errors: Int, total: Int))
    {
        func latinChars(_ s: String) -> [Character] {
            Array(
                s.precomposedStringWithCompatibilityMapping.lowercased()
                    .filter { $0.isASCII && ($0.isLetter || $0.isNumber) })
        }
        func cjkChars(_ s: String) -> [Character] {
            s.precomposedStringWithCompatibilityMapping.filter { ch in
                ch.unicodeScalars.first.map(RecognizedText.isCJK) ?? false
            }.map { $0 }
        }
        let l = (latinChars(expected), latinChars(read)), c = (cjkChars(expected), cjkChars(read))
        return ((editDistance(l.0, l.1), l.0.count), (editDistance(c.0, c.1), c.0.count))
    }

    static func editDistance(_ a: [Character], _ b: [Character]) -> Int {
        if a.isEmpty { return b.count }
        if b.isEmpty { return a.count }
        var previous = Array(0...b.count)
        var current = [Int](repeating: 0, count: b.count + 1)
        for i in 1...a.count {
            current[0] = i
            for j in 1...b.count {
                current[j] = min(
                    previous[j] + 1, current[j - 1] + 1,
                    previous[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1))
            }
            swap(&previous, &current)
        }
        return previous[b.count]
    }

    static func findTool(_ name: String) -> String? {
        let path = ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin"
        for dir in path.split(separator: ":") {
            let candidate = String(dir) + "/" + name
            if FileManager.default.isExecutableFile(atPath: candidate) { return candidate }
        }
        return nil
    }

    /// Median milliseconds of the command line on `grey` (a PGM file), and its text.
    static func runCLI(_ tool: String, grey: GreyImage, languages: String, runs: Int) throws
        -> (Double, String)
    {
        let file = NSTemporaryDirectory() + "picseek-bench-ocr-\(getpid()).pgm"
        defer { try? FileManager.default.removeItem(atPath: file) }
        var pgm = [UInt8]("P5\n\(grey.width) \(grey.height)\n255\n".utf8)
        pgm += grey.pixels
        try Data(pgm).write(to: URL(fileURLWithPath: file))
        var times: [Double] = []
        var text = ""
        for _ in 0..<runs {
            let process = Process()
            process.executableURL = URL(fileURLWithPath: tool)
            process.arguments = [
                file, "-", "-l", languages, "--oem", "1", "--psm", "3", "--dpi", "300",
            ]
            let out = Pipe()
            process.standardOutput = out
            process.standardError = FileHandle.nullDevice
            let start = Date()
            try process.run()
            let data = out.fileHandleForReading.readDataToEndOfFile()
            process.waitUntilExit()
            times.append(Date().timeIntervalSince(start) * 1000)
            text = String(decoding: data, as: UTF8.self)
        }
        return (Samples(times).upperMedian, text)
    }
}

private extension String {
    func leftPadded(_ width: Int) -> String {
        count >= width ? self : String(repeating: " ", count: width - count) + self
    }

    func rightPadded(_ width: Int) -> String {
        count >= width ? self + " " : self + String(repeating: " ", count: width - count)
    }
}
