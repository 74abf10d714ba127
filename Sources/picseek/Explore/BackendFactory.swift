import CLIP
import ExplorerBackends
import Foundation
import Imaging
import Library
import ModelHub
import OCR
import PicseekCore
import Store

/// The index-backed explorer backend for the folders `roots` (command-line
/// paths; empty: the index's stored folders), over `store`, with the model
/// `modelPath` resolved as every command does (`--model`, config file,
/// installed, bundled demo), its image tower in `imagePrecision`
/// (`ExplorerSetup` chooses the answering model and what to index).
func makeExplorerBackend(
    roots: [String], store: any PhotoIndex, modelPath: String?,
    imagePrecision: ImagePrecision = .float32
) throws -> ExplorerSetup {
    let canonicalRoots = try roots.map { try RawPath.typedFolder($0) }
    let (embedder, resolved) = try loadModel(modelPath: modelPath, imagePrecision: imagePrecision)
    let backend = LibraryBackend(
        store: store, roots: canonicalRoots, embedder: embedder,
        processor: ImagePipeline.photoProcessor(),
        folders: ModelLibrary().loadableFolders(including: resolved),
        load: { folder, name in
            let model = try ClipModel.load(
                folder: folder, name: name, imagePrecision: imagePrecision)
            return (model, ImagePipeline.photoProcessor())
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
