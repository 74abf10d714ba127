import CLIP
import PicseekCore
import Testing

@Suite("The text precision a command line or config file asks for, on this CPU or another")
struct TextPrecisionChoiceTests {
    @Test("fp32 runs on every CPU, bf16 only on one with AVX512_BF16")
    func supported() {
        #expect(TextPrecision.float32.isSupported(bf16Supported: false))
        #expect(TextPrecision.bfloat16.isSupported(bf16Supported: true))
        #expect(!TextPrecision.bfloat16.isSupported(bf16Supported: false))
    }

    @Test("no value is fp32 and bf16 is kept where it runs, both without a warning")
    func kept() {
        let none = TextPrecision.configured(nil, file: "/c/config.toml", bf16Supported: true)
        #expect(none.precision == .float32 && none.warning == nil)
        let bf16 = TextPrecision.configured("bf16", file: "/c/config.toml", bf16Supported: true)
        #expect(bf16.precision == .bfloat16 && bf16.warning == nil)
    }

    @Test("bf16 in the config file falls back to fp32 with a warning naming the file")
    func bf16FallsBack() {
        let choice = TextPrecision.configured(
            "bf16", file: "/c/con\u{1B}fig.toml", bf16Supported: false)
        #expect(choice.precision == .float32)
        let file = TerminalSafe.escape("/c/con\u{1B}fig.toml")
        #expect(
            choice.warning
                == "warning: \(file) asks for text_precision bf16, "
                + "but this CPU lacks AVX512_BF16; using fp32")
        #expect(choice.warning?.contains("\u{1B}") == false)
    }
}
