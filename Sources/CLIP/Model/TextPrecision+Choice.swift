import PicseekCore
import Tensor

extension TextPrecision {
    /// The precision text towers are built in when none is given (`TextTower`'s default):
    /// float32 unless a command sets it once, before loading a model, from
    /// `--text-precision` or config.toml.
    nonisolated(unsafe) public static var current = TextPrecision.float32

    /// The message for `--text-precision bf16` on a CPU without AVX512_BF16.
    public static let unsupportedMessage =
        "--text-precision bf16 needs a CPU with AVX512_BF16, which this one lacks; use fp32"

    /// Whether a CPU with (`bf16Supported`) or without AVX512_BF16 runs this precision.
    public func isSupported(bf16Supported: Bool = Kernels.bf16Supported) -> Bool {
        self == .float32 || bf16Supported
    }

    /// The precision that `text_precision = value` in the config file `file` gives on a CPU
    /// with (`bf16Supported`) or without AVX512_BF16, and a warning to print, if any.
    ///
    /// No value, or one that is not a precision, is float32; a bfloat16 request on a CPU
    /// that cannot run it is float32 with a warning (the file may be shared between machines).
    public static func configured(
        _ value: String?, file: String, bf16Supported: Bool = Kernels.bf16Supported
    ) -> (precision: TextPrecision, warning: String?) {
        guard let value, let precision = TextPrecision(rawValue: value) else {
            return (.float32, nil)
        }
        guard precision.isSupported(bf16Supported: bf16Supported) else {
            let warning =
                "warning: \(TerminalSafe.escape(file)) asks for text_precision bf16, "
                + "but this CPU lacks AVX512_BF16; using fp32"
            return (.float32, warning)
        }
        return (precision, nil)
    }
}
