import CLIP
import ExplorerBackends
import Foundation
import Library
import OCR
import PicseekCore
import Store

/// The index-backed explorer backend for the folders `roots` (command-line
/// paths; empty: the index's stored folders), over `store`, with the model
/// `modelPath` resolved as every command does (`--model`, config file,
/// installed, bundled demo), its image tower in `imagePrecision`
/// (`ExplorerSetup` chooses the answering model and what to index).
func makeExplorerBackend(
    roots: [String], store: IndexStore, modelPath: String?,
    imagePrecision: ImagePrecision = .float32
) throws -> ExplorerSetup {
    let canonicalRoots = try roots.map { try canonicalFolder($0) }
    let (embedder, resolved) = try loadModel(modelPath: modelPath, imagePrecision: imagePrecision)
    let processor = try makePhotoProcessor(for: embedder)
    let backend = LibraryBackend(
        store: store, roots: canonicalRoots, embedder: embedder, processor: processor,
        folders: loadableModelFolders(including: resolved),
        load: { folder, name in
            let embedder = try loadEmbedder(
                folder: folder, name: name, imagePrecision: imagePrecision)
            return (embedder, try makePhotoProcessor(for: embedder))
        }, words: explorerWordReader())
    return try ExplorerSetup(
        backend: backend, store: store, roots: canonicalRoots, modelChosen: modelPath != nil,
        warn: printError)
}

/// What reads the words in photos after the explorer's reindex: Tesseract with the languages
/// of `PICSEEK_OCR_LANGUAGES` (else chi_sim+eng); nil when `PICSEEK_OCR` turns it off.
func explorerWordReader() -> (() throws -> TextRecognition)? {
    let environment = ProcessInfo.processInfo.environment
    guard OCRSettings.isEnabled(disabled: false, environment: environment) else { return nil }
    let languages = OCRSettings.languages(explicit: nil, environment: environment)
    return {
        let recognizer = try TextRecognizer(languages: languages)
        return { try recognizer.recognize($0) }
    }
}
