import Foundation
import PicseekCore
import Testing

@testable import Imaging

/// Inputs the fuzzers flagged (crashes, leaks, slow units) stay here as
/// regression inputs: each must now give a result or a typed error.
@Suite("Fuzzer regression corpus")
struct CrasherRegressionTests {
    static func corpus() throws -> [URL] {
        let root = try TestSupport.fixtures.appendingPathComponent("crashers")
        guard let walker = FileManager.default.enumerator(at: root, includingPropertiesForKeys: nil)
        else { return [] }
        return walker.compactMap { $0 as? URL }.filter {
            !$0.hasDirectoryPath && $0.lastPathComponent != "README.md"
        }
    }

    @Test("every saved fuzzer input is decoded or rejected with a typed error")
    func corpusRuns() throws {
        let files = try Self.corpus()
        #expect(!files.isEmpty)
        let spec = PreprocessSpec(
            size: 224, mode: .squash, mean: PreprocessSpec.openAIMean, std: PreprocessSpec.openAIStd
        )
        for url in files {
            let bytes = [UInt8](try Data(contentsOf: url))
            if url.path.contains("/exif/") {
                let exif = EXIFData.parse(bytes)
                if let o = exif.orientation { #expect((1...8).contains(o)) }
                continue
            }
            do {
                let photo = try ImagePipeline().process(data: bytes, spec: spec)
                #expect(photo.input.count == 3 * 224 * 224)
            } catch {
                #expect(!error.reason.isEmpty)
            }
        }
    }
}
