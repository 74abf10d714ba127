import CLIP
import PicseekCore
import Testing

@Suite("The image precision a command line or config file asks for, on this CPU or another")
struct ImagePrecisionChoiceTests {
    @Test("fp32 runs on every CPU, bf16 only on one with AVX512_BF16")
    func supported() {
        #expect(ImagePrecision.float32.isSupported(bf16Supported: false))
        #expect(ImagePrecision.bfloat16.isSupported(bf16Supported: true))
        #expect(!ImagePrecision.bfloat16.isSupported(bf16Supported: false))
    }

    @Test("int8 runs only on a CPU with AVX-512 VNNI, whatever its bf16 support")
    func int8Supported() {
        #expect(ImagePrecision.int8.isSupported(bf16Supported: false, int8Supported: true))
        #expect(!ImagePrecision.int8.isSupported(bf16Supported: true, int8Supported: false))
        #expect(ImagePrecision.bfloat16.isSupported(bf16Supported: true, int8Supported: false))
        #expect(ImagePrecision.int8.unsupportedReason.contains("AVX-512 VNNI"))
        #expect(ImagePrecision.bfloat16.unsupportedReason.contains("AVX512_BF16"))
    }

    @Test("int8 in the config file is kept where VNNI runs, else fp32 with a warning naming it")
    func int8Configured() {
        let kept = ImagePrecision.configured(
            "int8", file: "/c/config.toml", bf16Supported: false, int8Supported: true)
        #expect(kept.precision == .int8 && kept.warning == nil)
        let fallback = ImagePrecision.configured(
            "int8", file: "/c/config.toml", bf16Supported: true, int8Supported: false)
        #expect(fallback.precision == .float32)
        #expect(
            fallback.warning
                == "warning: /c/config.toml asks for image_precision int8, "
                + "but this CPU lacks AVX-512 VNNI; using fp32")
    }

    @Test("no value in the config file is fp32, without a warning")
    func absent() {
        let choice = ImagePrecision.configured(nil, file: "/c/config.toml", bf16Supported: true)
        #expect(choice.precision == .float32)
        #expect(choice.warning == nil)
    }

    @Test("bf16 in the config file is kept on a CPU that runs it")
    func bf16Kept() {
        let choice = ImagePrecision.configured("bf16", file: "/c/config.toml", bf16Supported: true)
        #expect(choice.precision == .bfloat16)
        #expect(choice.warning == nil)
    }

    @Test("bf16 in the config file falls back to fp32 with a warning naming the file")
    func bf16FallsBack() {
        let choice = ImagePrecision.configured(
            "bf16", file: "/c/con\u{1B}fig.toml", bf16Supported: false)
        #expect(choice.precision == .float32)
        let file = TerminalSafe.escape("/c/con\u{1B}fig.toml")
        #expect(
            choice.warning
                == "warning: \(file) asks for image_precision bf16, "
                + "but this CPU lacks AVX512_BF16; using fp32")
        #expect(choice.warning?.contains("\u{1B}") == false)
    }
}
