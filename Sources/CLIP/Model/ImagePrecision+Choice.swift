import PicseekCore
import Tensor

extension ImagePrecision {
    /// The message for `--image-precision bf16` on a CPU without AVX512_BF16.
    public static let unsupportedMessage =
        "--image-precision bf16 needs a CPU with AVX512_BF16, which this one lacks; use fp32"

    /// The message for `--image-precision int8` on a CPU without AVX-512 VNNI.
    public static let int8UnsupportedMessage =
        "--image-precision int8 needs a CPU with AVX-512 VNNI, which this one lacks; use fp32"

    /// The message for asking for this precision on a CPU that cannot run it.
    public var unsupportedReason: String {
        self == .int8 ? Self.int8UnsupportedMessage : Self.unsupportedMessage
    }

    /// The instruction set this precision needs, as messages name it (nil for float32).
    var requiredInstructions: String? {
        switch self {
        case .float32: nil
        case .bfloat16: "AVX512_BF16"
        case .int8: "AVX-512 VNNI"
        }
    }

    /// Whether a CPU with or without AVX512_BF16 (`bf16Supported`) and AVX-512 VNNI
    /// (`int8Supported`) runs this precision.
    ///
    /// float32 runs everywhere; bfloat16 needs AVX512_BF16 (`Kernels.bf16Supported`), int8
    /// AVX-512 VNNI (`Kernels.int8Supported`).
    public func isSupported(
        bf16Supported: Bool = Kernels.bf16Supported, int8Supported: Bool = Kernels.int8Supported
    ) -> Bool {
        switch self {
        case .float32: true
        case .bfloat16: bf16Supported
        case .int8: int8Supported
        }
    }

    /// The precision that `image_precision = value` in the config file `file` gives on a CPU
    /// with or without AVX512_BF16 (`bf16Supported`) and AVX-512 VNNI (`int8Supported`), and
    /// a warning to print, if any.
    ///
    /// No value, or one that is not a precision, is float32. A bfloat16 or int8 request on a
    /// CPU that cannot run it is float32 with a warning, not an error: the config file may be
    /// shared between machines.
    public static func configured(
        _ value: String?, file: String, bf16Supported: Bool = Kernels.bf16Supported,
        int8Supported: Bool = Kernels.int8Supported
    ) -> (precision: ImagePrecision, warning: String?) {
        guard let value, let precision = ImagePrecision(rawValue: value) else {
            return (.float32, nil)
        }
        guard precision.isSupported(bf16Supported: bf16Supported, int8Supported: int8Supported)
        else {
            let warning =
                "warning: \(TerminalSafe.escape(file)) asks for image_precision "
                + "\(precision.rawValue), but this CPU lacks "
                + "\(precision.requiredInstructions ?? "nothing"); using fp32"
            return (.float32, warning)
        }
        return (precision, nil)
    }
}
