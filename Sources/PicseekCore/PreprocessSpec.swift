/// How a model wants its input image: size, resize mode and normalisation.
///
/// Built from a model's `preprocessor_config.json` (or OpenCLIP config) by the
/// model code, consumed by the image pipeline. Output tensors are channel-planar
/// float32, `3 * size * size` values: R plane, then G, then B.
public struct PreprocessSpec: Equatable, Sendable {
    /// How the photo is fitted into the square input.
    public enum ResizeMode: String, Equatable, Sendable {
        /// Resize both sides to `size`, ignoring aspect ratio (Chinese-CLIP).
        case squash
        /// Resize the shortest side to `size`, then crop the centre (OpenCLIP).
        case shortestSideCenterCrop
    }

    /// Input side in pixels, e.g. 224.
    public var size: Int
    public var mode: ResizeMode
    /// Per-channel mean in [0, 1] units, e.g. OpenAI's (0.4815, 0.4578, 0.4082).
    public var mean: [Float]
    /// Per-channel standard deviation, e.g. OpenAI's (0.2686, 0.2613, 0.2758).
    public var std: [Float]

    public init(size: Int, mode: ResizeMode, mean: [Float], std: [Float]) {
        self.size = size
        self.mode = mode
        self.mean = mean
        self.std = std
    }

    /// OpenAI CLIP's normalisation constants, used by Chinese-CLIP and OpenCLIP.
    public static let openAIMean: [Float] = [0.48145466, 0.4578275, 0.40821073]
    public static let openAIStd: [Float] = [0.26862954, 0.26130258, 0.27577711]
}
