import ArgumentParser
import CLIP
import ModelHub

/// `--image-precision`, shared by the commands that embed photos.
struct PrecisionOptions: ParsableArguments {
    @Option(
        name: .long,
        help: ArgumentHelp(
            "Image tower arithmetic: fp32 (as the reference), bf16 (about twice as fast on CPUs "
                + "with AVX512_BF16; vectors within about 1e-3 of fp32) or int8 (faster still on "
                + "CPUs with AVX-512 VNNI; cosine to fp32 at least 0.999). Default: "
                + "image_precision in config.toml, else fp32.",
            valueName: "fp32|bf16|int8"))
    var imagePrecision: ImagePrecision?

    /// The precision to load models with (the option, else config.toml as
    /// `ImagePrecision.configured` reads it, else fp32), with the thread counts set for it
    /// (`ImagePrecision.prepareThreads`).
    func prepare() throws -> ImagePrecision {
        let precision: ImagePrecision
        if let imagePrecision {
            try Self.checkSupported(imagePrecision)
            precision = imagePrecision
        } else {
            let file = ModelLibrary().configFile
            let value = try CLIError.wrapping { try ConfigFile.imagePrecision(path: file) }
            let choice = ImagePrecision.configured(value, file: file)
            if let warning = choice.warning { printError(warning) }
            precision = choice.precision
        }
        precision.prepareThreads()
        return precision
    }

    /// Throws when `--image-precision` asks for bf16 or int8 on a CPU that cannot run it.
    static func checkSupported(_ precision: ImagePrecision) throws {
        guard precision.isSupported() else {
            throw ValidationError(precision.unsupportedReason)
        }
    }
}

extension ImagePrecision: ExpressibleByArgument {}
