import ArgumentParser
import CLIP
import ModelHub
import PicseekCore
import Tensor

/// `--image-precision`, shared by the commands that embed photos.
struct PrecisionOptions: ParsableArguments {
    @Option(
        name: .long,
        help: ArgumentHelp(
            "Image tower arithmetic: fp32 (as the reference) or bf16 (about twice as fast on CPUs "
                + "with AVX512_BF16; vectors within about 1e-3 of fp32). Default: image_precision "
                + "in config.toml, else fp32.",
            valueName: "fp32|bf16"))
    var imagePrecision: ImagePrecision?

    /// The precision to load models with: the option, else config.toml, else fp32.
    /// A bf16 request on a CPU without AVX512_BF16 is an error on the command line and
    /// a warning (fp32 is used) in the config file, which may be shared between machines.
    func resolve() throws -> ImagePrecision {
        if let imagePrecision {
            try Self.checkSupported(imagePrecision)
            return imagePrecision
        }
        let file = ModelLibrary().configFile
        let value: String?
        do {
            value = try ConfigFile.imagePrecision(path: file)
        } catch {
            throw CLIError(error)
        }
        guard let value, let precision = ImagePrecision(rawValue: value) else { return .float32 }
        if precision == .bfloat16 && !Kernels.bf16Supported {
            printError(
                "warning: \(TerminalSafe.escape(file)) asks for image_precision bf16, "
                    + "but this CPU lacks AVX512_BF16; using fp32")
            return .float32
        }
        return precision
    }
}

extension PrecisionOptions {
    /// Throws when `--image-precision` asks for bf16 on a CPU that cannot run it.
    static func checkSupported(_ precision: ImagePrecision) throws {
        guard precision == .float32 || Kernels.bf16Supported else {
            throw ValidationError(
                "--image-precision bf16 needs a CPU with AVX512_BF16, which this one lacks; use fp32"
            )
        }
    }
}

extension ImagePrecision: ExpressibleByArgument {}
