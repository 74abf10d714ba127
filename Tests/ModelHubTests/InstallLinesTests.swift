import ModelHub
import PicseekCore
import Testing

@Suite("What model fetch and import print around an install")
struct InstallLinesTests {
    private func entry(unsupported: String?) -> ModelEntry {
        ModelEntry(
            name: "future-clip", family: "future", title: "Future CLIP",
            source: .huggingFace(repo: "x/future-clip"), licence: "mit",
            unsupportedReason: unsupported)
    }

    @Test("a model this build cannot search with gets a note before its download")
    func note() {
        #expect(
            ModelReport.fetchNote(
                name: "Future-CLIP", entry: entry(unsupported: "needs a newer text tower"))
                == "note: Future-CLIP needs a newer text tower; it is downloaded and converted "
                + "but cannot be used for search yet")
    }

    @Test("a usable or unknown model gets no note")
    func noNote() {
        #expect(ModelReport.fetchNote(name: "future-clip", entry: entry(unsupported: nil)) == nil)
        #expect(ModelReport.fetchNote(name: "future-clip", entry: nil) == nil)
    }

    @Test("the installed line escapes the name and the folder")
    func installed() {
        #expect(
            ModelReport.installedLine(name: "m\u{1B}", folder: "/models/m")
                == "installed \(TerminalSafe.escape("m\u{1B}")) in /models/m")
        #expect(!ModelReport.installedLine(name: "m\u{1B}", folder: "/x").contains("\u{1B}"))
    }
}
