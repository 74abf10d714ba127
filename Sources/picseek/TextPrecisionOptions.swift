import ArgumentParser
import CLIP
import ModelHub

/// `--text-precision`, shared by the commands that embed text queries.
struct TextPrecisionOptions: ParsableArguments {
    @Option(
        name: .long,
        help: ArgumentHelp(
            "Text tower arithmetic: fp32 (as the reference) or bf16 (about twice as fast on CPUs "
                + "with AVX512_BF16; vectors within cosine 0.99998 of fp32). Default: "
                + "text_precision in config.toml, else fp32.",
            valueName: "fp32|bf16"))
    var textPrecision: TextPrecision?

    /// Sets `TextPrecision.current` from the option, else config.toml (as
    /// `TextPrecision.configured` reads it), else fp32. Call before loading a model.
    func prepare() throws {
        if let textPrecision {
            guard textPrecision.isSupported() else {
                throw ValidationError(TextPrecision.unsupportedMessage)
            }
            TextPrecision.current = textPrecision
            return
        }
        let file = ModelLibrary().configFile
        let value = try CLIError.wrapping { try ConfigFile.textPrecision(path: file) }
        let choice = TextPrecision.configured(value, file: file)
        if let warning = choice.warning { printError(warning) }
        TextPrecision.current = choice.precision
    }
}
