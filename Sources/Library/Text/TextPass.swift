import Foundation
import PicseekCore
import Store

/// Reads text from one grey image; the executable passes Tesseract (`OCR.TextRecognizer`),
/// tests pass fakes.
public typealias TextRecognition = (GreyImage) throws -> RecognizedText

/// The OCR pass: reads the text of photos that already have their vectors.
///
/// It runs after the embedding pass (`picseek index`, the watcher) and only ever looks at
/// photos whose vectors are stored, so text never delays search by meaning: photos become
/// findable by meaning first and by their words as this pass catches up. It decodes each
/// photo once more (the embedding pipeline keeps only model-sized pixels), into a grey
/// image sized for text (`TextImageDecoding.textImage`). Text is stored per content hash, so a
/// moved or duplicated photo keeps it and a changed photo is read again. A photo that cannot
/// be read is recorded with its error and not retried until its content changes.
public final class TextPass {
    let store: any PhotoIndex
    let recognize: TextRecognition
    let pipeline: any TextImageDecoding

    /// What one pass did.
    public struct Report: Sendable, Equatable {
        /// Photos read (including those where no text was found).
        public var read = 0
        /// Photos with at least one confident word.
        public var withText = 0
        /// Photos that could not be decoded or read.
        public var failed = 0
        /// Photos where the time budget ran out (their text is partial).
        public var timedOut = 0
        /// True when cancelled before the end; a later pass continues.
        public var cancelled = false
        /// True when it stopped at its `limit` of photos; more may be waiting.
        public var stoppedAtLimit = false
        /// Wall time in seconds.
        public var seconds = 0.0
    }

    /// Creates a pass over `store` that decodes photos with `pipeline` (the executable passes
    /// Imaging's `ImagePipeline`) and reads them with the recognizer `recognize`.
    public init(
        store: any PhotoIndex, pipeline: any TextImageDecoding,
        recognize: @escaping TextRecognition
    ) {
        self.store = store
        self.pipeline = pipeline
        self.recognize = recognize
    }

    /// Reads every photo with vectors and no text yet (at most `limit` of them: the watcher
    /// reads one at a time between changes). `progress` gets the counts and the photo being
    /// read (raw path) before each photo.
    public func run(
        control: IndexControl = IndexControl(), limit: Int = .max,
        progress: ((TextProgress, [UInt8]?) -> Void)? = nil
    ) throws -> Report {
        let lock = try store.lockForWriting()
        defer { lock?.release() }
        let started = Date()
        var report = Report()
        var counts = try store.textProgress()
        var skipped = Set<[UInt8]>()
        outer: while true {
            let batch = try store.photosNeedingText(limit: 16 + skipped.count)
                .filter { !skipped.contains($0.contentHash) }
            if batch.isEmpty { break }
            for pending in batch {
                if control.isCancelled {
                    report.cancelled = true
                    break outer
                }
                if report.read + report.failed >= limit {
                    report.stoppedAtLimit = true
                    break outer
                }
                progress?(counts, pending.path)
                let outcome = readOne(pending)
                switch outcome {
                case .text(let text):
                    try store.putText(text, for: pending.contentHash)
                    report.read += 1
                    if text.timedOut { report.timedOut += 1 }
                    if !text.text(minimumConfidence: OCRText.minimumConfidence).isEmpty {
                        report.withText += 1
                    }
                case .failed(let message):
                    try store.putText(nil, error: message, for: pending.contentHash)
                    report.failed += 1
                case .vanished:
                    // The file is gone or unreadable now: the next index run settles it.
                    skipped.insert(pending.contentHash)
                }
                counts.done += 1
                counts.pending = max(0, counts.pending - 1)
            }
        }
        if !report.stoppedAtLimit { try store.pruneTexts() }
        progress?(counts, nil)
        report.seconds = Date().timeIntervalSince(started)
        return report
    }

    enum Outcome {
        case text(RecognizedText)
        case failed(String)
        case vanished
    }

    func readOne(_ pending: PendingText) -> Outcome {
        let data: [UInt8]
        do {
            (data, _) = try FileReader.read(pending.path, limit: Int64(pipeline.maxFileBytes))
        } catch {
            return .vanished
        }
        guard SHA256.hash(data) == pending.contentHash else { return .vanished }
        let image: (image: GreyImage, scale: Double)
        do { image = try pipeline.textImage(data: data) } catch {
            return .failed(String(describing: error))
        }
        do {
            var text = try recognize(image.image)
            if image.scale != 1 {
                let s = image.scale
                for i in text.words.indices {
                    text.words[i].x = Int((Double(text.words[i].x) * s).rounded())
                    text.words[i].y = Int((Double(text.words[i].y) * s).rounded())
                    text.words[i].width = Int((Double(text.words[i].width) * s).rounded())
                    text.words[i].height = Int((Double(text.words[i].height) * s).rounded())
                }
            }
            return .text(text)
        } catch {
            return .failed(String(describing: error))
        }
    }
}

extension TextPass {
    /// Runs the pass with its progress line on standard error (`TextPassProgress`), then
    /// passes the summary line to `output`.
    public func runShowingProgress(
        control: IndexControl, output: (String) -> Void
    ) throws -> Report {
        let progress = TextPassProgress()
        let report = try run(control: control) { progress.show($0, current: $1) }
        progress.finish()
        output(report.summaryLine)
        return report
    }
}

extension TextPass {
    /// Remembers for each of `roots` whether the pass reads its photos (`picseek index DIR
    /// --no-ocr`: false, `--ocr`: true), adding the roots the index does not have yet.
    public static func remember(readsWords: Bool, roots: [[UInt8]], store: any PhotoIndex) throws {
        for root in roots {
            try store.addRoot(root)
            try store.setReadsWords(readsWords, root: root)
        }
    }
}
