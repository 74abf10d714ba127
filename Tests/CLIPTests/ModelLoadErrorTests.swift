import CLIP
import Foundation
import PicseekCore
import Testing

@Suite("A model folder that cannot be loaded is named with its model in the error")
struct ModelLoadErrorTests {
    @Test("a missing folder names the model, the folder and the reason")
    func missingFolder() {
        let folder = "/no/such/picseek-model"
        do {
            _ = try ClipModel.load(folder: folder, name: "demo")
            Issue.record("a missing folder must not load")
        } catch {
            #expect(error.name == "demo")
            #expect(error.folder == folder)
            #expect(!error.reason.isEmpty)
            #expect(
                error.description == "cannot load model demo from \(folder): \(error.reason)")
        }
    }

    @Test("control characters in the name, folder and reason are escaped")
    func escaped() {
        let error = ModelLoadError(name: "a\u{1B}", folder: "/m\u{1B}", reason: "bad\u{1B}")
        #expect(!error.description.contains("\u{1B}"))
        #expect(
            error.description
                == "cannot load model \(TerminalSafe.escape("a\u{1B}")) from "
                + "\(TerminalSafe.escape("/m\u{1B}")): \(TerminalSafe.escape("bad\u{1B}"))")
    }
}
